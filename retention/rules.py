"""SPEC §8 as data: what is destroyed, when, and under which clauses (CHI-4.9, CHE-10,
CHE-DP5). Periods are centre settings; the accident book has no period: it is kept forever.

Each rule names the models whose rows it destroys (`models`), so that
tests/retention/test_coverage.py can walk every model holding personal data (an encrypted
field, or a name, email, phone, address...) and fail when no rule names it. What is not a
record of a person is listed in HOUSEKEEPING (cleared by the nightly job on its own clock)
or NOT_PERSONAL (with why).

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
    models: tuple[str, ...] = ()  # what it destroys (or keeps forever), by model label

    def years(self, centre: Centre | None) -> int | None:
        return getattr(centre, self.period_setting) if self.period_setting else None

    def name(self, centre: Centre | None) -> str:
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


FAMILY = Rule(
    "family",
    "last use",
    "family_retention_years",
    models=(
        "families.Family", "families.Adult", "families.Child", "families.NameToken",
        "families.Referral",
        "families.ContactSession", "families.SessionNote", "families.Concern",
        "families.EmailConsent", "families.FamilyMail",
        "disclosures.ConsentGrant", "disclosures.DisclosureRequest",
        "disclosures.AssessmentAgreement", "disclosures.WitnessSummons",
        "disclosures.PoliceVisit", "disclosures.SubjectAccessRequest",
        "disclosures.SarItemReview", "retention.KeepLonger",
    ),
)  # fmt: skip
VOLUNTEER = Rule(
    "volunteer",
    "resignation",
    "volunteer_retention_years",
    models=(
        "volunteers.Volunteer", "volunteers.DbsCheck", "volunteers.DbsRiskAssessment",
        # when they are usually free: no encrypted field, but it describes the person
        "volunteers.VolunteerAvailability",
        "volunteers.CalendarFeed", "volunteers.RotaMail",
        "disclosures.SubjectAccessRequest",
        "disclosures.SarItemReview", "retention.KeepLonger",
        # their sign-in account: name, email and password erased, devices deleted
        "cccc.User", "otp_totp.TOTPDevice",
    ),
)  # fmt: skip
# Legal records about no family: sealed under their own key, destroyed after the family
# period (CHE-10, CHE-DP5 applied to the people they mention), counted from the visit, or
# from the day a summons was closed (an open one is never due).
LEGAL_CLAUSES = "CHE-10 / CHE-DP5"
POLICE_VISIT = Rule(
    "police_visit",
    "the visit",
    "family_retention_years",
    clauses=LEGAL_CLAUSES,
    models=("disclosures.PoliceVisit",),
)
WITNESS_SUMMONS = Rule(
    "witness_summons",
    "it was closed",
    "family_retention_years",
    clauses=LEGAL_CLAUSES,
    models=("disclosures.WitnessSummons",),
)
# A referrer's account (name, email, agency) unused for the family period: erased as a
# destroyed volunteer's account is (retention/accounts.py).
REFERRER_ACCOUNT = Rule(
    "referrer_account",
    "last sign-in",
    "family_retention_years",
    clauses=LEGAL_CLAUSES,
    models=("cccc.User", "otp_totp.TOTPDevice"),
)
ACCIDENT_BOOK = Rule("accident", "", None, clauses="CHI-4.9", models=("retention.AccidentEntry",))
RULES = (FAMILY, VOLUNTEER, POLICE_VISIT, WITNESS_SUMMONS, REFERRER_ACCOUNT, ACCIDENT_BOOK)

# Cleared by the nightly job on their own short clock, not a centre's period.
HOUSEKEEPING = {
    "sessions.Session": "expired sessions cleared every night (clearsessions); a destroyed "
    "family's surname search taken out of every session at once",
    "axes.AccessAttempt": "sign-in attempts (email as typed, address) deleted every night once "
    "older than the cool-off, and a destroyed volunteer's at once",
    "axes.AccessLog": "not written (AXES_DISABLE_ACCESS_LOG); a destroyed volunteer's deleted",
    "axes.AccessFailureLog": "not written (AXES_ENABLE_ACCESS_FAILURE_LOG off); a destroyed "
    "volunteer's deleted",
}
# Fields that look personal but are not a person's.
NOT_PERSONAL = {
    "cccc.Centre": "the centre's own name, address and email",
    "auth.Group": "a group's name",
    "auth.Permission": "a permission's name",
    "retention.RetentionLock": "the lock's name",
    "admin.LogEntry": "object_repr is 'user #12', never a name (cccc/admin.py)",
    "families.Room": "a room's name, such as 'Garden room'",
}


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def start_of_day_after(day: datetime.date) -> datetime.datetime:
    """The first moment of the day after `day`, in the installation's time zone: a family
    last used on or before `day` has last_activity before this."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
