"""The coordinator's dashboard: what needs doing today and this week, in a fixed number of
queries whatever the size of the centre."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import (
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
)
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cccc.access import require_role
from cccc.models import Role
from cccc.policies import review_warning
from disclosures.access import break_glass_alerts
from disclosures.legal_access import sars_for, summonses_for
from families.access import concerns_for, families_for, referrals_for, sessions_for
from families.models import (
    Adult,
    Concern,
    ContactSession,
    ContactType,
    Family,
    Referral,
    SessionAttendance,
)
from families.models.referral import REVIEW_WARNING_DAYS
from families.timeline import hours, session_cards, session_urls
from volunteers.services import cover_for_sessions, dbs_reminders_due

LIST_LIMIT = 10  # a summary: each list links to its full page


@dataclass(frozen=True)
class WeekRow:
    """One line of the week list, formatted here: two hundred sessions render in a few
    milliseconds this way, where template filters and tags per cell take a hundred."""

    url: str
    day: str
    contact: str
    in_building: str
    handover: bool
    reference: str
    contact_type: str
    cover: str
    below_cover: bool


def _week_rows(
    families: QuerySet[Family], week: QuerySet[ContactSession], cover: dict[int, tuple[int, int]]
) -> list[WeekRow]:
    """One line per session with its timeline in brief: when the first adult arrives, when
    the last one leaves, and whether someone is kept away during contact. Read as plain
    values in three queries, each by key with the week's sessions as a subquery (joined and
    grouped in one, PostgreSQL read every family of the installation to find two hundred
    references)."""
    sessions = week.order_by("date", "starts_at").values_list(
        "pk", "date", "starts_at", "ends_at", "contact_type", "family_id"
    )
    references = dict(
        families.filter(pk__in=week.values("family_id")).order_by().values_list("pk", "reference")
    )
    plans = {
        plan["session"]: plan
        for plan in SessionAttendance.objects.filter(session__in=week)
        .order_by()
        .values("session")
        .annotate(
            first=Min("arrives_at"),
            last=Max("departs_at"),
            handovers=Count("pk", filter=Q(leaves_at__isnull=False)),
        )
    }
    url = session_urls()
    labels = dict(ContactType.choices)
    rows = []
    for pk, day, starts, ends, kind, family_id in sessions:
        plan = plans.get(pk)
        assigned, needed = cover[pk]
        rows.append(
            WeekRow(
                url=url(pk),
                day=f"{day:%a} {day.day} {day:%b}",
                contact=hours(starts, ends),
                in_building=hours(plan["first"], plan["last"]) if plan else "–",
                handover=bool(plan and plan["handovers"]),
                reference=references[family_id],
                contact_type=labels.get(kind, kind),
                cover=f"{assigned}/{needed}",
                below_cover=assigned < needed,
            )
        )
    return rows


@login_required
@require_GET
def dashboard(request):
    require_role(request.user, Role.COORDINATOR)
    user, centre = request.user, request.user.centre
    today = timezone.localdate()
    families = families_for(user)
    # Only today's sessions are drawn with their per-adult timeline; the rest of the week is
    # one line each. Both are read as values in a fixed number of queries. The centre filter
    # is for the (centre, date) index; access comes from sessions_for.
    booked = sessions_for(user).filter(centre=centre, status=ContactSession.Status.BOOKED)
    tomorrow, last = today + datetime.timedelta(days=1), today + datetime.timedelta(days=6)
    cover = cover_for_sessions(booked.filter(date__range=(today, last)))
    unacknowledged = Adult.objects.filter(family=OuterRef("pk")).unacknowledged(
        centre.rules_version
    )
    context = {
        "centre": centre,
        "today": today,
        # Exceptions stay at the top until the chair acknowledges them (SPEC §5).
        "break_glass_alerts": break_glass_alerts(centre.pk),
        "policy_warning": review_warning(centre, today=today),
        # Legal holds that need action: open witness summonses, subject access requests by
        # days left (one month from receipt, CHE-DP6).
        "open_summonses": summonses_for(user)
        .holding()
        .defer("case_number", "notes")
        .order_by("hearing_on", "received_on", "pk")[:LIST_LIMIT],
        "open_sars": sars_for(user)
        .open()
        .select_related("family", "adult")
        .defer("extension_reason")
        .order_by("due_on", "pk")[:LIST_LIMIT],
        "today_cards": session_cards(booked.filter(date=today).order_by("starts_at"), cover),
        "week_rows": _week_rows(families, booked.filter(date__range=(tomorrow, last)), cover),
        "dbs_due": dbs_reminders_due(centre),
        "pending_referrals": referrals_for(user)
        .filter(status=Referral.Status.PENDING)
        .select_related("family")
        .only("family__reference", "received_on")
        .order_by("received_on", "pk")[:LIST_LIMIT],
        "open_concerns": concerns_for(user)
        .filter(status=Concern.Status.OPEN)
        .select_related("family")
        .order_by("raised_at")[:LIST_LIMIT],
        "reviews_due": referrals_for(user)
        .reviews_due(today + datetime.timedelta(days=REVIEW_WARNING_DAYS))
        .select_related("family")
        .only("family__reference", "review_due")
        .order_by("review_due")[:LIST_LIMIT],
        "unacknowledged_families": families.exclude(status=Family.Status.CLOSED)
        .filter(Exists(unacknowledged))
        .order_by("reference")[:LIST_LIMIT],
    }
    return render(request, "families/dashboard.html", context)
