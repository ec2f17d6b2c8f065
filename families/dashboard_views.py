"""The coordinator's dashboard: what needs doing today and this week, in a fixed number of
queries whatever the size of the centre."""

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import (
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    prefetch_related_objects,
)
from django.shortcuts import render
from django.utils import timezone

from cccc.access import require_role
from cccc.models import Role
from cccc.policies import review_warning
from disclosures.access import break_glass_alerts
from disclosures.legal_access import sars_for, summonses_for
from families.models import (
    Adult,
    Concern,
    ContactSession,
    Family,
    Referral,
    RulesAcknowledgement,
    SessionAttendance,
)
from volunteers.services import cover_for_sessions, dbs_reminders_due

LIST_LIMIT = 20
REVIEW_WINDOW_DAYS = 14


def _week(centre, start: datetime.date, end: datetime.date):
    """The week's sessions, each with its timeline in brief: when the first adult arrives,
    when the last one leaves, and whether someone is kept away during contact."""
    return list(
        ContactSession.objects.filter(
            centre=centre, date__gte=start, date__lte=end, status=ContactSession.Status.BOOKED
        )
        .select_related("family")
        .annotate(
            first_arrival=Min("adults__arrives_at"),
            last_departure=Max("adults__departs_at"),
            handovers=Count("adults", filter=Q(adults__leaves_at__isnull=False)),
        )
        .order_by("date", "starts_at")
    )


@login_required
def dashboard(request):
    require_role(request.user, Role.COORDINATOR)
    centre = request.user.centre
    today = timezone.localdate()
    week = _week(centre, today, today + datetime.timedelta(days=6))
    today_sessions = [s for s in week if s.date == today]
    # Only today's sessions are drawn with their per-adult timeline; the rest of the week is
    # one line each, so the page costs the same on a busy week as on a quiet one.
    prefetch_related_objects(
        today_sessions,
        Prefetch(
            "adults",
            queryset=SessionAttendance.objects.select_related("adult__family").order_by(
                "arrives_at"
            ),
        ),
    )
    unacknowledged = Adult.objects.filter(family=OuterRef("pk")).exclude(
        Exists(
            RulesAcknowledgement.objects.filter(
                adult=OuterRef("pk"), policy_version=centre.rules_version
            )
        )
    )
    context = {
        "centre": centre,
        "today": today,
        # Exceptions stay at the top until the chair acknowledges them (SPEC §5).
        "break_glass_alerts": break_glass_alerts(centre.pk),
        "policy_warning": review_warning(centre, today=today),
        # Legal holds that need action: open witness summonses, subject access requests by
        # days left (one month from receipt, CHE-DP6).
        "open_summonses": summonses_for(request.user)
        .holding()
        .defer("case_number", "notes")
        .order_by("hearing_on", "received_on", "pk")[:LIST_LIMIT],
        "open_sars": sars_for(request.user)
        .open()
        .select_related("family", "adult")
        .defer("extension_reason")
        .order_by("due_on", "pk")[:LIST_LIMIT],
        "today_sessions": today_sessions,
        "week_sessions": [s for s in week if s.date != today],
        "cover": cover_for_sessions(week),
        "dbs_due": dbs_reminders_due(centre),
        "pending_referrals": Referral.objects.filter(
            family__centre=centre, status=Referral.Status.PENDING
        )
        .select_related("family")
        .order_by("received_on", "pk")[:LIST_LIMIT],
        "open_concerns": Concern.objects.filter(family__centre=centre, status=Concern.Status.OPEN)
        .select_related("family")
        .order_by("raised_at")[:LIST_LIMIT],
        "reviews_due": Referral.objects.filter(
            family__centre=centre,
            status=Referral.Status.ACCEPTED,
            review_due__lte=today + datetime.timedelta(days=REVIEW_WINDOW_DAYS),
        )
        .select_related("family")
        .order_by("review_due")[:LIST_LIMIT],
        "unacknowledged_families": Family.objects.filter(centre=centre)
        .exclude(status=Family.Status.CLOSED)
        .filter(Exists(unacknowledged))
        .order_by("reference")[:LIST_LIMIT],
    }
    return render(request, "families/dashboard.html", context)
