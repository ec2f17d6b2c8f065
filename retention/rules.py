"""SPEC §8 as data: what is destroyed, when, and under which clauses (CHI-4.9, CHE-10,
CHE-DP5). Periods are centre settings; the accident book has no period: it is kept forever.

A record's due date is the day its clock started plus the centre's period in years (the same
day, or the last day of that month when it has none: 29 February + 3 years = 28 February).
It is flagged for the coordinator FLAG_DAYS before that, and destroyed on or after it unless
a legal hold (retention/holds.py) or a keep-longer decision stops it.
"""

import datetime
from dataclasses import dataclass
from typing import cast

from django.utils import timezone

from cccc.dates import add_years
from cccc.models import Centre

FLAG_DAYS = 30
CLAUSES = "CHI-4.9 / CHE-10 / CHE-DP5"


@dataclass(frozen=True)
class Rule:
    record_type: str
    clock: str  # what starts the clock, in words
    period_setting: str | None  # the Centre field holding the years; None: kept forever
    clauses: str = CLAUSES

    def years(self, centre: Centre) -> int | None:
        return getattr(centre, self.period_setting) if self.period_setting else None

    def name(self, centre: Centre) -> str:
        """The rule as the destruction register records it."""
        years = self.years(centre)
        if years is None:
            return f"{self.clauses}: kept forever"
        return f"{self.clauses}: {years} year{'s' if years != 1 else ''} after {self.clock}"

    def due_on(self, centre: Centre, clock_started_on: datetime.date) -> datetime.date | None:
        years = self.years(centre)
        return None if years is None else add_years(clock_started_on, years)

    def last_clock_day_due(self, centre: Centre, today: datetime.date) -> datetime.date | None:
        """The latest clock start whose record is due on `today`: due_on(d) <= today exactly
        when d <= this day (due_on never decreases as d grows)."""
        years = self.years(centre)
        if years is None:
            return None
        day = add_years(today, -years)
        # years is not None here, so due_on gives a date (the cast only tells mypy so).
        while cast(datetime.date, self.due_on(centre, day + datetime.timedelta(days=1))) <= today:
            day += datetime.timedelta(days=1)  # 29 February: at most a day or two
        return day


FAMILY = Rule("family", "last use", "family_retention_years")
VOLUNTEER = Rule("volunteer", "resignation", "volunteer_retention_years")
ACCIDENT_BOOK = Rule("accident", "", None, clauses="CHI-4.9")
RULES = (FAMILY, VOLUNTEER, ACCIDENT_BOOK)


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def start_of_day_after(day: datetime.date) -> datetime.datetime:
    """The first moment of the day after `day`, in the installation's time zone: a family
    last used on or before `day` has last_activity before this."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
