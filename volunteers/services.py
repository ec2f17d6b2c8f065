"""Every write to a volunteer's record and the rota, and the reads the dashboard needs.

The gate (CHI-4.7, CHE-8, CHI-4.1, CHE-2): nobody is appointed, put on a rota or let into the
portal without a current clear DBS check and a signed confidentiality agreement. It is refused
here with a message naming what is missing, and again by the database (constraints on
Volunteer and RotaEntry), and at sign-in (volunteers.auth).

Emails that leave the centre name no volunteer and no family member: family references,
dates and times only (SPEC §4).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import dateformat, timezone

from cccc.dates import add_years
from cccc.keys import data_key_create
from cccc.models import Centre, Role, User
from cccc.services import user_invite
from families import services as family_services
from families.models import Concern, ContactSession, ContactType, SessionAttendance, SessionNote
from volunteers.dbs_assessment_services import clearance_extend, dbs_level_clears
from volunteers.models import (
    DbsCheck,
    DbsOutcome,
    DbsReminder,
    RotaEntry,
    TrainingRecord,
    Volunteer,
)

REMINDER_WINDOW_DAYS = max(DbsReminder.THRESHOLDS)
URGENT_CONCERNS = {
    Concern.Kind.SAFEGUARDING: "A safeguarding concern",
    Concern.Kind.VIOLENCE: "A concern about a risk of physical violence",
}


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def _day(day: datetime.date) -> str:
    return dateformat.format(day, "j F Y")


def _email_coordinators(centre: Centre, subject: str, body: str) -> None:
    """Queue an email to the centre's coordinators, sent once the transaction commits."""
    recipients = list(
        User.objects.filter(centre=centre, role=Role.COORDINATOR, is_active=True).values_list(
            "email", flat=True
        )
    )
    if not recipients:
        return
    transaction.on_commit(
        lambda: send_mail(
            subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
            message=body,
            from_email=None,
            recipient_list=recipients,
        )
    )


# --- cover ----------------------------------------------------------------------------------------


def cover_annotations() -> dict:
    """`assigned` and `needed` volunteers, as annotations on ContactSession. Supervised sessions
    need the centre's `supervised_cover`, supported ones its `supported_cover`. Assigned is
    counted in a subquery, so it holds beside other annotations and needs no GROUP BY."""
    assigned = RotaEntry.objects.filter(session=OuterRef("pk")).order_by()
    return {
        "assigned": Coalesce(
            Subquery(assigned.values("session").annotate(n=Count("pk")).values("n")), 0
        ),
        "needed": Case(
            When(contact_type=ContactType.SUPERVISED, then=F("centre__supervised_cover")),
            default=F("centre__supported_cover"),
        ),
    }


def cover_for_sessions(sessions: Iterable) -> dict[int, tuple[int, int]]:
    """{session id: (volunteers assigned, volunteers needed)} in one query for any number of
    sessions (instances or ids). A page listing sessions reads cover in its own query, through
    cover_annotations."""
    ids = [getattr(s, "pk", s) for s in sessions]
    if not ids:
        return {}
    rows = (
        ContactSession.objects.filter(pk__in=ids)
        .annotate(**cover_annotations())
        .values_list("pk", "assigned", "needed")
    )
    return {pk: (assigned, needed) for pk, assigned, needed in rows}


@dataclass
class LostCover:
    """A session a volunteer was taken off, and its cover afterwards."""

    session: ContactSession
    assigned: int
    needed: int

    def line(self) -> str:
        s = self.session
        return (
            f"{_day(s.date)} {s.starts_at:%H:%M}-{s.ends_at:%H:%M}, family {s.family.reference}: "
            f"now {self.assigned} of {self.needed} volunteers needed"
        )


def _take_off_future_rotas(
    volunteer: Volunteer, now: datetime.datetime | None = None
) -> list[LostCover]:
    """Remove the volunteer from every session that has not started yet (by `now`, the
    current local time unless given); past ones stay."""
    now = now or timezone.localtime()
    entries = list(
        volunteer.rota.filter(
            Q(session_date__gt=now.date())
            | Q(session_date=now.date(), session__starts_at__gt=now.time())
        )
        .select_related("session__family")
        .order_by("session_date", "session__starts_at")
    )
    for entry in entries:
        entry.delete()  # one by one, so each removal is in the rota's history
    sessions = [entry.session for entry in entries]
    cover = cover_for_sessions(sessions)
    return [LostCover(s, *cover.get(s.pk, (0, 0))) for s in sessions]


def _tell_coordinators_of_lost_cover(centre: Centre, why: str, lost: list[LostCover]) -> None:
    if not lost:
        return
    lines = "\n".join(f"- {item.line()}" for item in lost)
    _email_coordinators(
        centre,
        "Sessions lost volunteer cover",
        f"{why}\n\nThey were taken off the rota of these sessions:\n{lines}\n\n"
        "Sign in to find cover.",
    )


# --- the volunteer's record -----------------------------------------------------------------------


@transaction.atomic
def volunteer_create(
    *,
    centre: Centre,
    first_name: str,
    last_name: str,
    phone: str = "",
    email: str = "",
    applied_on: datetime.date | None = None,
) -> Volunteer:
    """A new applicant, with their own data key."""
    volunteer = Volunteer(
        centre=centre,
        data_key=data_key_create(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        applied_on=applied_on or timezone.localdate(),
        status=Volunteer.Status.APPLIED,
    )
    return _save(volunteer)


@transaction.atomic
def volunteer_update(
    *,
    volunteer: Volunteer,
    first_name: str,
    last_name: str,
    phone: str = "",
    email: str = "",
    applied_on: datetime.date | None = None,
) -> Volunteer:
    volunteer.first_name, volunteer.last_name = first_name.strip(), last_name.strip()
    volunteer.phone, volunteer.email = phone.strip(), email.strip()
    volunteer.applied_on = applied_on
    return _save(volunteer)


@transaction.atomic
def dbs_check_requested(*, volunteer: Volunteer) -> Volunteer:
    """The centre has applied for the applicant's DBS check."""
    if volunteer.status != Volunteer.Status.APPLIED:
        raise ValidationError("Only an applicant waits for a first DBS check.")
    volunteer.status = Volunteer.Status.DBS_PENDING
    return _save(volunteer)


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
    _save(check)
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
        _tell_coordinators_of_lost_cover(
            volunteer.centre,
            "A DBS check recorded today means a volunteer is no longer cleared to work.",
            lost,
        )
    return check, lost


def _withdraw_clearance(volunteer: Volunteer) -> list[LostCover]:
    volunteer.clearance_expires = None
    if volunteer.status in (Volunteer.Status.CLEARED, Volunteer.Status.APPOINTED):
        volunteer.status = Volunteer.Status.DBS_PENDING
    _save(volunteer)
    return _take_off_future_rotas(volunteer)


@transaction.atomic
def training_record_add(
    *,
    volunteer: Volunteer,
    course: str,
    completed_on: datetime.date,
    expires_on: datetime.date | None,
    by: User,
) -> TrainingRecord:
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The completion date cannot be in the future."})
    if expires_on is not None and expires_on <= completed_on:
        raise ValidationError({"expires_on": "The expiry date must be after completion."})
    return _save(
        TrainingRecord(
            volunteer=volunteer,
            course=course.strip(),
            completed_on=completed_on,
            expires_on=expires_on,
            recorded_by=by,
        )
    )


@transaction.atomic
def agreement_sign(
    *, volunteer: Volunteer, signed_on: datetime.date, policy_version: str
) -> Volunteer:
    """The volunteer signed the confidentiality agreement (CHI-4.1, CHE-2)."""
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": "The signing date cannot be in the future."})
    if not policy_version.strip():
        raise ValidationError({"policy_version": "Give the version of the policy signed."})
    if volunteer.status == Volunteer.Status.RESIGNED:
        raise ValidationError("This volunteer has resigned.")
    volunteer.agreement_signed_on = signed_on
    volunteer.agreement_policy_version = policy_version.strip()
    return _save(volunteer)


@transaction.atomic
def volunteer_appoint(*, volunteer: Volunteer) -> Volunteer:
    """Appoint a volunteer; refused, naming what is missing, without a current clear DBS
    check and a signed confidentiality agreement (CHI-4.7, CHE-8, CHI-4.1, CHE-2)."""
    today = timezone.localdate()
    if volunteer.status == Volunteer.Status.APPOINTED:
        raise ValidationError("This volunteer is appointed already.")
    if volunteer.status == Volunteer.Status.RESIGNED:
        raise ValidationError(
            "This volunteer has resigned. Add them as a new applicant to appoint them again."
        )
    problems = volunteer.gate_problems(today)
    if problems:
        raise ValidationError(f"This volunteer cannot be appointed: {'; '.join(problems)}.")
    volunteer.status = Volunteer.Status.APPOINTED
    volunteer.appointed_on = today
    return _save(volunteer)


@transaction.atomic
def volunteer_resign(
    *, volunteer: Volunteer, resigned_on: datetime.date, now: datetime.datetime | None = None
) -> list[LostCover]:
    """The volunteer leaves: the retention clock starts (CHE-DP5), they lose the portal, and
    they come off every future rota; returns the sessions that lost them."""
    if volunteer.status == Volunteer.Status.RESIGNED:
        raise ValidationError("This volunteer has resigned already.")
    if resigned_on > timezone.localdate():
        raise ValidationError({"resigned_on": "Record a resignation on or after its date."})
    if volunteer.applied_on and resigned_on < volunteer.applied_on:
        raise ValidationError({"resigned_on": "The resignation cannot be before the application."})
    volunteer.status = Volunteer.Status.RESIGNED
    volunteer.resigned_on = resigned_on
    _save(volunteer)
    lost = _take_off_future_rotas(volunteer, now)
    _tell_coordinators_of_lost_cover(volunteer.centre, "A volunteer has resigned.", lost)
    return lost


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
        _email_coordinators(
            centre,
            "DBS clearance lapsed",
            f"The DBS clearance of {count} volunteer(s) has run out. They cannot use the "
            "portal or be put on a rota until a new clear check is recorded and they are "
            f"appointed again.\n\nSessions that lost cover:\n{lines}\n\nSign in to see who.",
        )
    return lapsed


# --- accounts -------------------------------------------------------------------------------------


@transaction.atomic
def volunteer_link_user(*, volunteer: Volunteer, user: User) -> Volunteer:
    if volunteer.user_id is not None:
        raise ValidationError("This volunteer has an account already.")
    if user.role != Role.VOLUNTEER or user.centre_id != volunteer.centre_id:
        raise ValidationError({"user": "Choose a volunteer account of this centre."})
    if Volunteer.objects.filter(user=user).exists():
        raise ValidationError({"user": "That account belongs to another volunteer."})
    volunteer.user = user
    return _save(volunteer)


@transaction.atomic
def volunteer_invite_user(
    *, volunteer: Volunteer, by: User, full_name: str, email: str, base_url: str
) -> User | None:
    """Invite a new volunteer account (cccc.services.user_invite) and link it. The account
    cannot sign in until the volunteer is appointed (volunteers.auth). An address that has an
    account already gets a neutral note and nothing is linked (None): the answer does not
    tell who has an account (issue 20)."""
    if volunteer.user_id is not None:
        raise ValidationError("This volunteer has an account already.")
    user = user_invite(
        inviter=by, email=email, full_name=full_name, role=Role.VOLUNTEER, base_url=base_url
    )
    if user is not None:
        volunteer_link_user(volunteer=volunteer, user=user)
    return user


# --- rota -----------------------------------------------------------------------------------------


@transaction.atomic
def rota_assign(*, session: ContactSession, volunteer: Volunteer, by: User) -> RotaEntry:
    """Put a volunteer on a session's rota; refused unless they are appointed, cleared up to
    the session's date and have signed the agreement (the database checks the date again)."""
    if volunteer.centre_id != session.centre_id:
        raise ValidationError({"volunteer": "Choose a volunteer of this centre."})
    if session.status != ContactSession.Status.BOOKED:
        raise ValidationError("This session is cancelled.")
    if session.date < timezone.localdate():
        raise ValidationError("This session has taken place already.")
    problems = volunteer.work_problems(session.date)
    if problems:
        raise ValidationError(
            {"volunteer": f"This volunteer cannot go on the rota: {'; '.join(problems)}."}
        )
    if RotaEntry.objects.filter(session=session, volunteer=volunteer).exists():
        raise ValidationError({"volunteer": "This volunteer is on the rota already."})
    return _save(
        RotaEntry(
            session=session,
            volunteer=volunteer,
            session_date=session.date,
            volunteer_cleared_until=volunteer.clearance_expires,
            assigned_by=by,
        )
    )


@transaction.atomic
def rota_remove(*, entry: RotaEntry) -> None:
    entry.delete()


# --- DBS renewal reminders ------------------------------------------------------------------------


def _current_checks(today: datetime.date):
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
        _email_coordinators(
            check.volunteer.centre,
            "A DBS check is due for renewal",
            f"A volunteer's DBS check is due for renewal in {days_left} days "
            f"({_day(check.renewal_due)}). Sign in to see who.",
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
    return [
        RenewalDue(v, v.clearance_expires, (v.clearance_expires - today).days) for v in volunteers
    ]


# --- the volunteer portal -------------------------------------------------------------------------


def _portal_gate(volunteer: Volunteer, session: ContactSession) -> None:
    """Portal writes are refused unless the volunteer may work and is on this session."""
    problems = volunteer.work_problems(timezone.localdate())
    if problems:
        raise ValidationError(f"Your access is paused: {'; '.join(problems)}.")
    if not RotaEntry.objects.filter(volunteer=volunteer, session=session).exists():
        raise ValidationError("You are not on the rota of this session.")


def _session_started(session: ContactSession) -> bool:
    return session.date <= timezone.localdate()


@transaction.atomic
def portal_attendance_record(
    *,
    volunteer: Volunteer,
    attendance: SessionAttendance,
    outcome: str,
    actual_arrival: datetime.time | None = None,
    actual_departure: datetime.time | None = None,
) -> SessionAttendance:
    session = attendance.session
    _portal_gate(volunteer, session)
    if session.status != ContactSession.Status.BOOKED:
        raise ValidationError("This session was cancelled.")
    if not _session_started(session):
        raise ValidationError("Attendance is recorded on the day of the session.")
    if outcome == SessionAttendance.Outcome.ATTENDED and actual_arrival is None:
        raise ValidationError({"actual_arrival": "Give the time they arrived."})
    return family_services.attendance_record(
        attendance=attendance,
        outcome=outcome,
        actual_arrival=actual_arrival,
        actual_departure=actual_departure,
    )


@transaction.atomic
def portal_note_add(*, volunteer: Volunteer, session: ContactSession, text: str) -> SessionNote:
    _portal_gate(volunteer, session)
    if not _session_started(session):
        raise ValidationError("Session notes are written on or after the day of the session.")
    return family_services.note_add(session=session, author=volunteer.user, text=text)


@transaction.atomic
def portal_concern_raise(
    *, volunteer: Volunteer, session: ContactSession, kind: str, text: str
) -> Concern:
    """A request for guidance or a concern (CHI-4.2) reaches the coordinator's dashboard at
    once; a safeguarding or violence concern also emails the coordinators, naming only the
    family's reference."""
    _portal_gate(volunteer, session)
    concern = family_services.concern_raise(
        family=session.family, kind=kind, text=text, raised_by=volunteer.user, session=session
    )
    if kind in URGENT_CONCERNS:
        _email_coordinators(
            session.centre,
            "A concern was raised",
            f"{URGENT_CONCERNS[kind]} was raised for family {session.family.reference}. "
            "Sign in to read it.",
        )
    return concern
