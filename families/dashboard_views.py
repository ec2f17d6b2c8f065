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
    Prefetch,
    Q,
)
from django.shortcuts import render
from django.urls import reverse
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
    ContactType,
    Family,
    Referral,
    RulesAcknowledgement,
    SessionAttendance,
)
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


def _hm(t) -> str:
    return f"{t:%H:%M}" if t else ""


def _week_rows(centre, start: datetime.date, end: datetime.date) -> list[WeekRow]:
    """The rest of the week, one line per session with its timeline in brief: when the first
    adult arrives, when the last one leaves, and whether someone is kept away during contact.
    Read as plain values (no model instances), volunteer cover included, in one query."""
    rows = list(
        ContactSession.objects.filter(
            centre=centre, date__gte=start, date__lte=end, status=ContactSession.Status.BOOKED
        )
        .annotate(
            first_arrival=Min("adults__arrives_at"),
            last_departure=Max("adults__departs_at"),
            handovers=Count("adults", filter=Q(adults__leaves_at__isnull=False), distinct=True),
            assigned=Count("rota_entries", distinct=True),
        )
        .order_by("date", "starts_at")
        .values_list(
            "pk", "date", "starts_at", "ends_at", "contact_type", "family__reference",
            "first_arrival", "last_departure", "handovers", "assigned",
        )
    )  # fmt: skip
    needed = {
        ContactType.SUPERVISED: centre.supervised_cover,
        ContactType.SUPPORTED: centre.supported_cover,
    }
    url = reverse("session_detail", args=[0]).removesuffix("0/")
    labels = dict(ContactType.choices)
    week = []
    for pk, day, starts, ends, kind, reference, first, last, handovers, assigned in rows:
        week.append(
            WeekRow(
                url=f"{url}{pk}/",
                day=f"{day:%a} {day.day} {day:%b}",
                contact=f"{_hm(starts)}–{_hm(ends)}",
                in_building=f"{_hm(first)}–{_hm(last)}" if first else "–",
                handover=bool(handovers),
                reference=reference,
                contact_type=labels.get(kind, kind),
                cover=f"{assigned}/{needed[kind]}",
                below_cover=assigned < needed[kind],
            )
        )
    return week


REVIEW_WINDOW_DAYS = 14


def _today(centre, today: datetime.date) -> list[ContactSession]:
    """Today's sessions with each adult's plan: roles only, no encrypted column read."""
    return list(
        ContactSession.objects.filter(
            centre=centre, date=today, status=ContactSession.Status.BOOKED
        )
        .select_related("family")
        .only("date", "starts_at", "ends_at", "room", "contact_type", "family__reference")
        .prefetch_related(
            Prefetch(
                "adults",
                queryset=SessionAttendance.objects.select_related("adult")
                .only(
                    "session_id", "brings_child", "arrives_at", "leaves_at", "returns_at",
                    "departs_at", "adult__role", "adult__family_id",
                )
                .order_by("arrives_at"),
            )
        )
        .order_by("starts_at")
    )  # fmt: skip


@login_required
def dashboard(request):
    require_role(request.user, Role.COORDINATOR)
    centre = request.user.centre
    today = timezone.localdate()
    # Only today's sessions are drawn with their per-adult timeline; the rest of the week is
    # one line each, so the page costs the same on a busy week as on a quiet one.
    today_sessions = _today(centre, today)
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
        "cover": cover_for_sessions(today_sessions),
        "week_rows": _week_rows(
            centre, today + datetime.timedelta(days=1), today + datetime.timedelta(days=6)
        ),
        "dbs_due": dbs_reminders_due(centre),
        "pending_referrals": Referral.objects.filter(
            family__centre=centre, status=Referral.Status.PENDING
        )
        .select_related("family")
        .only("family__reference", "received_on")
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
        .only("family__reference", "review_due")
        .order_by("review_due")[:LIST_LIMIT],
        "unacknowledged_families": Family.objects.filter(centre=centre)
        .exclude(status=Family.Status.CLOSED)
        .filter(Exists(unacknowledged))
        .order_by("reference")[:LIST_LIMIT],
    }
    return render(request, "families/dashboard.html", context)
