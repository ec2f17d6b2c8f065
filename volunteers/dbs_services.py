"""DBS checks (CHI-4.7, CHE-8): requesting and recording a check, the daily lapse of
clearances that have run out, and the renewal reminders to the coordinators.

A clear, current check is half of the gate (volunteers/services.py); any other outcome, or a
check that runs out, withdraws the volunteer's clearance: they come off future rotas and out
of the portal, and the coordinators are told which sessions lost cover.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from cccc.audit import access_log_record
from cccc.dates import add_years
from cccc.models import AccessLog, Centre, User
from cccc.saving import validated_save
from volunteers.dbs_assessment_services import clearance_extend, dbs_level_clears
from volunteers.emails import email_coordinators, long_date
from volunteers.models import DbsCheck, DbsOutcome, DbsReminder, Volunteer
from volunteers.rota_services import (
    LostCover,
    take_off_future_rotas,
    tell_coordinators_of_lost_cover,
)

REMINDER_WINDOW_DAYS = max(DbsReminder.THRESHOLDS)


@transaction.atomic
def dbs_check_requested(*, volunteer: Volunteer) -> Volunteer:
    """The centre has applied for the applicant's DBS check."""
    if volunteer.status != Volunteer.Status.APPLIED:
        raise ValidationError("Only an applicant waits for a first DBS check.")
    volunteer.status = Volunteer.Status.DBS_PENDING
    return validated_save(volunteer)


@transaction.atomic
def dbs_check_record(
    *,
    volunteer: Volunteer,
    level: str,
    certificate_number: str,
    outcome: str,
    issued_on: datetime.date,
    by: User,
) -> tuple[DbsCheck, list[LostCover]]:
    """Record a DBS certificate. A clear, current one at or above the centre's minimum level
    clears the volunteer until its renewal date (issue date + the centre's dbs_renewal_years);
    one with information disclosed withdraws their clearance at once (off future rotas, out of
    the portal, coordinators told) until the chair approves a risk assessment."""
    today = timezone.localdate()
    if volunteer.status == Volunteer.Status.RESIGNED:
        raise ValidationError("This volunteer has resigned.")
    if issued_on > today:
        raise ValidationError({"issued_on": "The issue date cannot be in the future."})
    check = DbsCheck(
        volunteer=volunteer,
        level=level,
        certificate_number=certificate_number.strip().replace(" ", ""),
        outcome=outcome,
        issued_on=issued_on,
        renewal_due=add_years(issued_on, volunteer.centre.dbs_renewal_years),
        recorded_by=by,
    )
    validated_save(check)
    access_log_record(
        user=by,
        action=AccessLog.Action.DBS_RESULT,
        record=check,
        detail="recorded",
        centre=volunteer.centre,
    )
    lost: list[LostCover] = []
    if outcome == DbsOutcome.CLEAR:
        # Below the centre's minimum level a clear check clears nobody (issue 14); it does
        # not withdraw a clearance an earlier check gave either.
        if dbs_level_clears(level, volunteer.centre):
            clearance_extend(volunteer=volunteer, check=check, today=today)
    else:
        # Information disclosed: no clearance until the chair approves a risk assessment
        # (volunteers/dbs_assessment_services.py).
        lost = _withdraw_clearance(volunteer)
        tell_coordinators_of_lost_cover(
            volunteer.centre,
            "A DBS check recorded today means a volunteer is no longer cleared to work.",
            lost,
        )
    return check, lost


def _withdraw_clearance(volunteer: Volunteer) -> list[LostCover]:
    volunteer.clearance_expires = None
    if volunteer.status in (Volunteer.Status.CLEARED, Volunteer.Status.APPOINTED):
        volunteer.status = Volunteer.Status.DBS_PENDING
    validated_save(volunteer)
    return take_off_future_rotas(volunteer)


@transaction.atomic
def clearances_lapse(*, today: datetime.date | None = None) -> list[Volunteer]:
    """Daily: withdraw every clearance whose DBS check has run out. Idempotent: a lapsed
    volunteer has no clearance date left to lapse."""
    today = today or timezone.localdate()
    lapsed = list(
        Volunteer.objects.filter(clearance_expires__lt=today)
        .exclude(status=Volunteer.Status.RESIGNED)
        .select_related("centre")
    )
    lost_by_centre: dict[Centre, list[LostCover]] = defaultdict(list)
    count_by_centre: dict[Centre, int] = defaultdict(int)
    for volunteer in lapsed:
        lost_by_centre[volunteer.centre] += _withdraw_clearance(volunteer)
        count_by_centre[volunteer.centre] += 1
    for centre, count in count_by_centre.items():
        lost = lost_by_centre[centre]
        lines = "\n".join(f"- {item.line()}" for item in lost) or "- none"
        email_coordinators(
            centre,
            "DBS clearance lapsed",
            f"The DBS clearance of {count} volunteer(s) has run out. They cannot use the "
            "portal or be put on a rota until a new clear check is recorded and they are "
            f"appointed again.\n\nSessions that lost cover:\n{lines}\n\nSign in to see who.",
        )
    return lapsed


@transaction.atomic
def dbs_checks_view(*, volunteer: Volunteer, by: User) -> list[DbsCheck]:
    """The volunteer's DBS checks as the DBS page shows them, each outcome shown written to the
    access log (CHE-8). The caller has reached the volunteer through
    volunteers.access.get_dbs_volunteer_for."""
    # Through the loaded volunteer, so each check reuses it (and its data key) to decrypt.
    checks = list(volunteer.dbs_checks.select_related("recorded_by", "risk_assessment"))
    for check in checks:
        access_log_record(
            user=by,
            action=AccessLog.Action.VIEW_DBS,
            record=check,
            detail="DBS outcome",
            centre=volunteer.centre,
        )
    return checks


# --- DBS renewal reminders ------------------------------------------------------------------------


def _current_checks(today: datetime.date) -> models.QuerySet[DbsCheck]:
    """Each working volunteer's current clear check, when its renewal is within the window."""
    return (
        DbsCheck.objects.filter(
            renewal_due=F("volunteer__clearance_expires"),
            renewal_due__gte=today,
            renewal_due__lte=today + datetime.timedelta(days=REMINDER_WINDOW_DAYS),
        )
        .exclude(volunteer__status=Volunteer.Status.RESIGNED)
        .select_related("volunteer__centre")
        .order_by("volunteer_id", "-issued_on", "-pk")
    )


def reminder_threshold(days_left: int) -> int | None:
    """The most urgent threshold reached: 60, 30 or 7 days before renewal; None before."""
    reached = [t for t in DbsReminder.THRESHOLDS if days_left <= t]
    return min(reached) if reached else None


@transaction.atomic
def dbs_reminders_send(*, today: datetime.date | None = None) -> list[DbsReminder]:
    """Daily: remind the coordinators at 60, 30 and 7 days before a DBS check's renewal is
    due; once per check and threshold (a unique row per reminder), so re-running sends
    nothing new. After a missed run only the most urgent threshold reached is sent."""
    today = today or timezone.localdate()
    sent = []
    seen_volunteers = set()
    for check in _current_checks(today):
        if check.volunteer_id in seen_volunteers:
            continue
        seen_volunteers.add(check.volunteer_id)
        days_left = (check.renewal_due - today).days
        threshold = reminder_threshold(days_left)
        if threshold is None:
            continue
        reminder, created = DbsReminder.objects.get_or_create(
            check_record=check, threshold=threshold
        )
        if not created:
            continue
        sent.append(reminder)
        email_coordinators(
            check.volunteer.centre,
            "A DBS check is due for renewal",
            f"A volunteer's DBS check is due for renewal in {days_left} days "
            f"({long_date(check.renewal_due)}). Sign in to see who.",
        )
    return sent


@dataclass
class RenewalDue:
    volunteer: Volunteer
    renewal_due: datetime.date
    days_left: int


def dbs_reminders_due(centre: Centre) -> list[RenewalDue]:
    """For the dashboard: the centre's volunteers whose DBS clearance runs out within 60
    days (or has run out and not yet been withdrawn), soonest first. One query."""
    today = timezone.localdate()
    volunteers = (
        Volunteer.objects.filter(
            centre=centre,
            clearance_expires__lte=today + datetime.timedelta(days=REMINDER_WINDOW_DAYS),
        )
        .exclude(status=Volunteer.Status.RESIGNED)
        .select_related("data_key")
        .order_by("clearance_expires", "pk")
    )
    # The clearance_expires__lte filter keeps only volunteers whose clearance has a date.
    expiries = [(v, cast(datetime.date, v.clearance_expires)) for v in volunteers]
    return [RenewalDue(v, expires, (expires - today).days) for v, expires in expiries]
