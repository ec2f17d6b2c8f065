"""Quarterly statistics per centre, in the shape NACCC asks accredited centres for (issue 19).
Counts only.

- Referrals *received* in the quarter (by the day received), *accepted* and *rejected* in it
  (by the day decided), each by NACCC referral type (`referral_type`).
- *Families* and *children using the centre*: those at a session held in the quarter (for a
  child: listed on it and not recorded as absent).
- *Sessions held*: sessions someone attended (retention.statistics.held_sessions).
- *No-shows*: sessions of the quarter, not cancelled and on or before today, where an adult
  was recorded as not attending, by the referral type of the family (`family_referral_agency`).
- *Volunteers*: appointed at some time in the quarter.
- *Staff* (`centre_staff`) and *capacity* (`centre_capacity`).

A quarter's figures are what live records show plus what destroyed records contributed
(QuarterlyStatistic), added just before they were destroyed (retention/quarterly_store.py,
called by retention/destruction.py), so the figures do not change when the nightly job
destroys a family or a volunteer.
"""

import datetime
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import cast

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from cccc.dates import add_months
from cccc.models import Membership, Role, User
from families.models import (
    AgencyType,
    ContactSession,
    Referral,
    SessionAttendance,
)
from retention.models import QuarterlyStatistic
from retention.statistics import held_sessions
from volunteers.models import Volunteer

# NACCC's referral types, in the order of its return.
REFERRAL_TYPES: tuple[tuple[str, str], ...] = (
    ("solicitor", "Solicitor"),
    ("cafcass", "Cafcass"),
    ("social_services", "Social services"),
    ("self", "Self"),
    ("other", "Other"),
)
# The referral's agency type (families.models.AgencyType) as NACCC's type. A mediator, and any
# agency type without a NACCC type of its own, is "other".
_NACCC_TYPE: dict[str, str] = {
    AgencyType.SOLICITOR: "solicitor",
    AgencyType.CAFCASS: "cafcass",
    AgencyType.SOCIAL_WORKER: "social_services",
    AgencyType.SELF: "self",
}
ABSENT = SessionAttendance.Outcome.DID_NOT_ATTEND


def referral_type(agency_type: str) -> str:
    return _NACCC_TYPE.get(agency_type, "other")


# --- quarters -------------------------------------------------------------------------------


def quarter_of(day: datetime.date) -> datetime.date:
    """The first day of the quarter `day` falls in."""
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarter_last_day(quarter: datetime.date) -> datetime.date:
    return add_months(quarter, 3) - datetime.timedelta(days=1)


def quarter_name(quarter: datetime.date) -> str:
    """ "2026 Q2", as the form, the pages and the CSV name it."""
    return f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}"


# --- the figures ----------------------------------------------------------------------------


@dataclass
class QuarterFigures:
    received: Counter[str] = field(default_factory=Counter)
    accepted: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)
    families: int = 0
    children: int = 0
    sessions_held: int = 0
    no_shows: Counter[str] = field(default_factory=Counter)
    volunteers: int = 0
    staff: int = 0
    opening_days: set[datetime.date] = field(default_factory=set)
    rooms: set[str] = field(default_factory=set)
    capacity: int = 0  # set last, by centre_capacity

    def add(self, other: "QuarterFigures") -> None:
        for mine, theirs in (
            (self.received, other.received),
            (self.accepted, other.accepted),
            (self.rejected, other.rejected),
            (self.no_shows, other.no_shows),
        ):
            mine.update(theirs)
        self.families += other.families
        self.children += other.children
        self.sessions_held += other.sessions_held
        self.volunteers += other.volunteers
        self.staff += other.staff
        self.opening_days |= other.opening_days
        self.rooms |= other.rooms

    def rows(self, *, totals: bool) -> list[tuple[str, str, int]]:
        """(measure, referral type, count) in the order of NACCC's return. With `totals`,
        each measure by type is followed by its total over the types."""
        found: list[tuple[str, str, int]] = []

        def by_type(measure: str, counts: Counter[str]) -> None:
            found.extend((measure, label, counts[value]) for value, label in REFERRAL_TYPES)
            if totals:
                found.append((measure, "All types", sum(counts[v] for v, _ in REFERRAL_TYPES)))

        by_type("Referrals received", self.received)
        by_type("Referrals accepted", self.accepted)
        by_type("Referrals rejected", self.rejected)
        found.append(("Families using the centre", "", self.families))
        found.append(("Children using the centre", "", self.children))
        found.append(("Sessions held (someone attended)", "", self.sessions_held))
        by_type("No-shows", self.no_shows)
        found.append(("Volunteers", "", self.volunteers))
        found.append(("Staff", "", self.staff))
        found.append(("Capacity (rooms × opening days)", "", self.capacity))
        return found


Figures = dict[tuple[int, datetime.date], QuarterFigures]  # (centre id, quarter) -> figures


def _figure(figures: Figures, centre_id: int, quarter: datetime.date) -> QuarterFigures:
    return figures.setdefault((centre_id, quarter), QuarterFigures())


def family_referral_agency() -> Subquery:
    """The agency type of the session's family's referral that gives the family its NACCC
    referral type: its latest accepted referral (by the day received, then the latest entered),
    or its latest referral when none was accepted; None, so "other", without a referral. For
    ContactSession querysets."""
    accepted = Case(When(status=Referral.Status.ACCEPTED, then=Value(1)), default=Value(0))
    return Subquery(
        Referral.objects.filter(family_id=OuterRef("family_id"))
        .order_by(accepted.desc(), "-received_on", "-pk")
        .values("agency_type")[:1]
    )


def _session_figures(
    figures: Figures, sessions: QuerySet[ContactSession], today: datetime.date
) -> None:
    past = sessions.filter(status=ContactSession.Status.BOOKED, date__lte=today).annotate(
        quarter=TruncQuarter("date")
    )
    # The centre was open on each day with a session booked and not cancelled (capacity).
    # Rooms by name, as the stored figures of destroyed families keep them.
    rows = past.values("centre_id", "quarter", "date", "room__name").distinct().order_by()
    for row in rows:
        figure = _figure(figures, row["centre_id"], row["quarter"])
        figure.opening_days.add(row["date"])
        if row["room__name"]:
            figure.rooms.add(row["room__name"])
    # Held sessions, their families and their children (listed and not absent) in one query:
    # the held condition (two EXISTS a session) is evaluated once, the children joined to it
    # (hence the distinct session count).
    counted = (
        held_sessions(sessions, today)
        .annotate(quarter=TruncQuarter("date"))
        .values("centre_id", "quarter")
        .annotate(
            n=Count("pk", distinct=True),
            families=Count("family_id", distinct=True),
            children_seen=Count(
                "children__child_id", filter=~Q(children__outcome=ABSENT), distinct=True
            ),
        )
        .order_by()
    )
    for row in counted:
        figure = _figure(figures, row["centre_id"], row["quarter"])
        figure.sessions_held += row["n"]
        figure.families += row["families"]
        figure.children += row["children_seen"]
    # No-shows by the family's referral type, found in the same query: a few rows a centre.
    absent = SessionAttendance.objects.filter(session=OuterRef("pk"), outcome=ABSENT)
    missed = (
        past.filter(Exists(absent))
        .annotate(agency=family_referral_agency())
        .values("centre_id", "quarter", "agency")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in missed:
        kind = referral_type(row["agency"])
        _figure(figures, row["centre_id"], row["quarter"]).no_shows[kind] += row["n"]


def _referral_figures(figures: Figures, referrals: QuerySet[Referral]) -> None:
    """Received by the quarter of the day received; accepted and rejected by the quarter of the
    day decided. One query: each group carries both quarters. By the referral's centre (the
    family's, stored again: families.models.Referral.centre)."""
    rows = (
        referrals.annotate(
            received=TruncQuarter("received_on"),
            decided=TruncQuarter("decided_at", output_field=DateField()),
        )
        .values("centre_id", "received", "decided", "status", "agency_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        kind = referral_type(row["agency_type"])
        _figure(figures, row["centre_id"], row["received"]).received[kind] += row["n"]
        if row["decided"] is None:
            continue
        if row["status"] == Referral.Status.ACCEPTED:
            _figure(figures, row["centre_id"], row["decided"]).accepted[kind] += row["n"]
        elif row["status"] == Referral.Status.DECLINED:
            _figure(figures, row["centre_id"], row["decided"]).rejected[kind] += row["n"]


def live_figures(
    sessions: QuerySet[ContactSession], referrals: QuerySet[Referral], today: datetime.date
) -> Figures:
    """Figures of the given live sessions and referrals, by centre and quarter (no volunteers,
    staff or capacity: those are the centre's, not a family's)."""
    figures: Figures = {}
    _session_figures(figures, sessions, today)
    _referral_figures(figures, referrals)
    return figures


def volunteer_counts(volunteers: QuerySet[Volunteer], quarter: datetime.date) -> dict[int, int]:
    """Volunteers appointed at some time in the quarter, by centre: appointed on or before
    its last day and not resigned before its first."""
    rows = (
        volunteers.filter(appointed_on__lte=quarter_last_day(quarter))
        .filter(Q(resigned_on__isnull=True) | Q(resigned_on__gte=quarter))
        .values("centre_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["centre_id"]: row["n"] for row in rows}


def centre_staff(centre_ids: Collection[int], quarter: datetime.date) -> dict[int, int]:
    """Staff, by centre: the active coordinator memberships of the centre, of active people,
    at the end of the quarter, read from the memberships' and the people's history (one
    changed or deactivated since still counts where it was then; the migration to memberships
    carried the accounts' history over). The software records no employment, so a coordinator
    is what counts as staff; the chair and the volunteers do not. A person coordinating two
    centres counts at each."""
    end = timezone.make_aware(datetime.datetime.combine(add_months(quarter, 3), datetime.time()))
    history = Membership.history.model.objects.filter(history_date__lt=end)
    ever = history.filter(role=Role.COORDINATOR, centre_id__in=centre_ids).values("id")
    latest: dict[int, tuple[str, str, int | None, bool, int]] = {}
    rows = history.filter(id__in=ever).order_by("id", "-history_date", "-history_id")
    for pk, kind, role, centre_id, active, user_id in rows.values_list(
        "id", "history_type", "role", "centre_id", "is_active", "user_id"
    ):
        latest.setdefault(pk, (kind, role, centre_id, active, user_id))
    # A person deactivated as a whole (the account, not one membership) was no one's staff.
    people: dict[int, bool] = {}
    for user_id, active in (
        User.history.model.objects.filter(
            history_date__lt=end, id__in={row[4] for row in latest.values()}
        )
        .order_by("id", "-history_date", "-history_id")
        .values_list("id", "is_active")
    ):
        people.setdefault(user_id, active)
    counts: Counter[int] = Counter()
    for kind, role, centre_id, active, user_id in latest.values():
        if (
            kind != "-"
            and role == Role.COORDINATOR
            and active
            and people.get(user_id, True)
            and centre_id in centre_ids
        ):
            counts[cast(int, centre_id)] += 1
    return dict(counts)


def centre_capacity(centre_id: int, figure: QuarterFigures) -> int:
    """CAPACITY: rooms × opening sessions, as NACCC defines it.

    The rooms are the distinct rooms (by name) the centre's sessions used in the quarter (one
    room if the sessions name none): a quarter long past is counted with the rooms it used,
    not the centre's rooms of today. An opening session is a day with a session booked and
    not cancelled. `centre_id` is passed for a centre-level rule, should NACCC want one."""
    if not figure.opening_days:
        return 0
    return max(len(figure.rooms), 1) * len(figure.opening_days)


def stored_figures(row: QuarterlyStatistic) -> QuarterFigures:
    return QuarterFigures(
        received=Counter(row.referrals_received),
        accepted=Counter(row.referrals_accepted),
        rejected=Counter(row.referrals_rejected),
        families=row.families,
        children=row.children,
        sessions_held=row.sessions_held,
        no_shows=Counter(row.no_shows),
        volunteers=row.volunteers,
        opening_days={datetime.date.fromisoformat(day) for day in row.opening_days},
        rooms=set(row.rooms),
    )


def quarter_figures(
    centre_ids: Iterable[int], quarter: datetime.date, today: datetime.date
) -> dict[int, QuarterFigures]:
    """Each centre's figures for the quarter: live records, plus what destroyed ones
    contributed, plus its volunteers, staff and capacity. A handful of queries, however many
    centres."""
    ids = list(centre_ids)
    last = quarter_last_day(quarter)
    result = {centre_id: QuarterFigures() for centre_id in ids}
    live = live_figures(
        ContactSession.objects.filter(centre_id__in=ids, date__range=(quarter, last)),
        Referral.objects.filter(centre_id__in=ids).filter(
            Q(received_on__range=(quarter, last)) | Q(decided_at__date__range=(quarter, last))
        ),
        today,
    )
    for (centre_id, when), figure in live.items():
        if when == quarter:
            result[centre_id].add(figure)
    for row in QuarterlyStatistic.objects.filter(centre_id__in=ids, quarter=quarter):
        result[row.centre_id].add(stored_figures(row))
    volunteers = volunteer_counts(Volunteer.objects.filter(centre_id__in=ids), quarter)
    staff = centre_staff(ids, quarter)
    for centre_id, figure in result.items():
        figure.volunteers += volunteers.get(centre_id, 0)
        figure.staff = staff.get(centre_id, 0)
        figure.capacity = centre_capacity(centre_id, figure)
    return result
