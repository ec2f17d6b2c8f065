"""The coordinator's dashboard: what needs doing today and this week, in a fixed number of
queries whatever the size of the centre."""

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import render
from django.utils import timezone

from cccc.access import require_role
from cccc.models import Role
from disclosures.access import break_glass_alerts
from families.models import (
    Adult,
    Concern,
    ContactSession,
    Family,
    Referral,
    RulesAcknowledgement,
    SessionAttendance,
)

LIST_LIMIT = 20
REVIEW_WINDOW_DAYS = 14


def _sessions(centre, start: datetime.date, end: datetime.date):
    return (
        ContactSession.objects.filter(
            centre=centre, date__gte=start, date__lte=end, status=ContactSession.Status.BOOKED
        )
        .select_related("family")
        .prefetch_related(
            Prefetch(
                "adults",
                queryset=SessionAttendance.objects.select_related("adult__family").order_by(
                    "arrives_at"
                ),
            )
        )
        .order_by("date", "starts_at")
    )


@login_required
def dashboard(request):
    require_role(request.user, Role.COORDINATOR)
    centre = request.user.centre
    today = timezone.localdate()
    week_end = today + datetime.timedelta(days=6)
    week = list(_sessions(centre, today, week_end))
    families = Family.objects.filter(centre=centre)
    unacknowledged = Adult.objects.filter(family=OuterRef("pk")).exclude(
        Exists(RulesAcknowledgement.objects.filter(adult=OuterRef("pk")))
    )
    context = {
        "centre": centre,
        "today": today,
        # Exceptions stay at the top until the chair acknowledges them (SPEC §5).
        "break_glass_alerts": break_glass_alerts(centre.pk),
        "today_sessions": [s for s in week if s.date == today],
        "week_sessions": [s for s in week if s.date != today],
        "cover": _cover(week),
        "pending_referrals": Referral.objects.filter(
            family__centre=centre, status=Referral.Status.PENDING
        )
        .select_related("family")
        .order_by("received_on", "pk")[:LIST_LIMIT],
        "open_concerns": Concern.objects.filter(
            family__centre=centre, status=Concern.Status.OPEN
        )
        .select_related("family")
        .order_by("raised_at")[:LIST_LIMIT],
        "reviews_due": Referral.objects.filter(
            family__centre=centre,
            status=Referral.Status.ACCEPTED,
            review_due__lte=today + datetime.timedelta(days=REVIEW_WINDOW_DAYS),
        )
        .select_related("family")
        .order_by("review_due")[:LIST_LIMIT],
        "unacknowledged_families": families.exclude(status=Family.Status.CLOSED)
        .filter(Exists(unacknowledged))
        .order_by("reference")[:LIST_LIMIT],
    }
    return render(request, "families/dashboard.html", context)


def _cover(sessions) -> dict:
    """Volunteer cover per session: (assigned, needed), when the rota exists."""
    try:
        from volunteers.services import cover_for_sessions
    except ImportError:
        return {}
    return cover_for_sessions(sessions)
