"""Anonymous monthly statistics for the centre's annual return (SPEC §3): sessions held,
families seen, referrals by agency type. Counts only.

A month's figure is what the live records show plus what destroyed records contributed
(MonthlyStatistic), added just before they were destroyed, so the figures do not change
when the nightly job destroys a family.

- A session is *held* when it was not cancelled, its day has come and someone attended it: an
  adult or a child recorded as attended (`held_sessions`; issue 19: a session nobody came to
  is not held). Figures kept for records destroyed before issue 19 counted every past
  session.
- A family is *seen* in a month when it had a held session in it; `families_first_seen`
  counts it in the month of its first held session of that year, so a year's distinct
  families is the sum of its months.
- A referral counts in the month it was received, by agency type.
"""

import datetime
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth

from cccc.models import Centre
from families.models import (
    AgencyType,
    ChildAttendance,
    ContactSession,
    Referral,
    SessionAttendance,
)
from retention.models import MonthlyStatistic


@dataclass
class MonthFigures:
    month: datetime.date
    sessions_held: int = 0
    families_seen: int = 0
    families_first_seen: int = 0
    referrals: Counter[str] = field(default_factory=Counter)

    def add(self, other: "MonthFigures") -> None:
        self.sessions_held += other.sessions_held
        self.families_seen += other.families_seen
        self.families_first_seen += other.families_first_seen
        self.referrals.update(other.referrals)

    @property
    def referrals_total(self) -> int:
        return sum(self.referrals.values())

    def referrals_by_agency(self) -> list[int]:
        return [self.referrals.get(value, 0) for value in AgencyType.values]


Figures = dict[tuple[int, datetime.date], MonthFigures]  # (centre id, month) -> figures

ATTENDED = SessionAttendance.Outcome.ATTENDED


def held_sessions(
    sessions: QuerySet[ContactSession], today: datetime.date
) -> QuerySet[ContactSession]:
    """The sessions held by `today`: not cancelled, on or before it, and someone attended."""
    someone = Q(
        Exists(SessionAttendance.objects.filter(session=OuterRef("pk"), outcome=ATTENDED))
    ) | Q(Exists(ChildAttendance.objects.filter(session=OuterRef("pk"), outcome=ATTENDED)))
    return sessions.filter(someone, status=ContactSession.Status.BOOKED, date__lte=today)


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _figure(figures: Figures, centre_id: int, month: datetime.date) -> MonthFigures:
    key = (centre_id, month)
    if key not in figures:
        figures[key] = MonthFigures(month)
    return figures[key]


def live_figures(
    sessions: QuerySet[ContactSession], referrals: QuerySet[Referral], today: datetime.date
) -> Figures:
    """Figures of the given live sessions and referrals (querysets), by centre and month."""
    figures: Figures = {}
    held = (
        held_sessions(sessions, today)
        .annotate(month=TruncMonth("date"))
        .values("centre_id", "family_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    first_month: dict[tuple[int, int, int], datetime.date] = {}
    for row in held:
        figure = _figure(figures, row["centre_id"], row["month"])
        figure.sessions_held += row["n"]
        figure.families_seen += 1
        key = (row["centre_id"], row["family_id"], row["month"].year)
        first_month[key] = min(first_month.get(key, row["month"]), row["month"])
    for (centre_id, _family, _year), month in first_month.items():
        _figure(figures, centre_id, month).families_first_seen += 1
    received = (
        referrals.annotate(month=TruncMonth("received_on"))
        .values("family__centre_id", "month", "agency_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in received:
        figure = _figure(figures, row["family__centre_id"], row["month"])
        figure.referrals[row["agency_type"]] += row["n"]
    return figures


def contributions(family_ids: Collection[int], today: datetime.date) -> Figures:
    """What these families add to the statistics, before they are destroyed."""
    return live_figures(
        ContactSession.objects.filter(family_id__in=family_ids),
        Referral.objects.filter(family_id__in=family_ids),
        today,
    )


def statistics_add(figures: Figures) -> None:
    """Add destroyed records' figures to the stored statistics (caller's transaction; the
    retention lock keeps runs from racing)."""
    if not figures:
        return
    centre_ids = {centre_id for centre_id, _ in figures}
    months = {month for _, month in figures}
    stored = {
        (s.centre_id, s.month): s
        for s in MonthlyStatistic.objects.select_for_update().filter(
            centre_id__in=centre_ids, month__in=months
        )
    }
    new, changed = [], []
    for (centre_id, month), figure in figures.items():
        row = stored.get((centre_id, month))
        if row is None:
            row = MonthlyStatistic(centre_id=centre_id, month=month, referrals={})
            new.append(row)
        else:
            changed.append(row)
        row.sessions_held += figure.sessions_held
        row.families_seen += figure.families_seen
        row.families_first_seen += figure.families_first_seen
        referrals = Counter(row.referrals)
        referrals.update(figure.referrals)
        row.referrals = dict(referrals)
    MonthlyStatistic.objects.bulk_create(new)
    MonthlyStatistic.objects.bulk_update(
        changed, ["sessions_held", "families_seen", "families_first_seen", "referrals"]
    )


def centre_year(centre: Centre, year: int, today: datetime.date) -> list[MonthFigures]:
    """The twelve months of `year` for one centre: live records plus destroyed ones."""
    months = [datetime.date(year, m, 1) for m in range(1, 13)]
    result = {month: MonthFigures(month) for month in months}
    live = live_figures(
        ContactSession.objects.filter(centre=centre, date__year=year),
        Referral.objects.filter(family__centre=centre, received_on__year=year),
        today,
    )
    for (_centre, month), figure in live.items():
        result[month].add(figure)
    for row in MonthlyStatistic.objects.filter(centre=centre, month__year=year):
        result[row.month].add(
            MonthFigures(
                row.month,
                row.sessions_held,
                row.families_seen,
                row.families_first_seen,
                Counter(row.referrals),
            )
        )
    return [result[month] for month in months]


def year_total(months: list[MonthFigures]) -> MonthFigures:
    total = MonthFigures(months[0].month if months else datetime.date.min)
    for figure in months:
        total.add(figure)
    return total
