"""What a volunteer records in the portal: adults' and children's attendance, factual notes,
and requests for guidance or concerns (CHI-4.2). Each write is refused unless the volunteer
may work today and is on the session's rota; the write itself goes through
families/session_services.py or families/services.py, so it moves the family's last activity
like any other use.
"""

import datetime
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cccc.models import User
from families import services as family_services
from families import session_services
from families.models import (
    ChildAttendance,
    Concern,
    ContactSession,
    SessionAttendance,
    SessionNote,
)
from volunteers.emails import email_coordinators
from volunteers.models import RotaEntry, Volunteer

URGENT_CONCERNS: dict[str, str] = {
    Concern.Kind.SAFEGUARDING: "A safeguarding concern",
    Concern.Kind.VIOLENCE: "A concern about a risk of physical violence",
}


def _portal_gate(volunteer: Volunteer, session: ContactSession) -> None:
    """Portal writes are refused unless the volunteer may work and is on this session."""
    problems = volunteer.work_problems(timezone.localdate())
    if problems:
        raise ValidationError(f"Your access is paused: {'; '.join(problems)}.")
    if not RotaEntry.objects.filter(volunteer=volunteer, session=session).exists():
        raise ValidationError("You are not on the rota of this session.")


def _session_started(session: ContactSession) -> bool:
    return session.date <= timezone.localdate()


def _attendance_gate(volunteer: Volunteer, session: ContactSession) -> None:
    _portal_gate(volunteer, session)
    if session.status != ContactSession.Status.BOOKED:
        raise ValidationError("This session was cancelled.")
    if not _session_started(session):
        raise ValidationError("Attendance is recorded on the day of the session.")


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
    _attendance_gate(volunteer, session)
    if outcome == SessionAttendance.Outcome.ATTENDED and actual_arrival is None:
        raise ValidationError({"actual_arrival": "Give the time they arrived."})
    return session_services.attendance_record(
        attendance=attendance,
        outcome=outcome,
        actual_arrival=actual_arrival,
        actual_departure=actual_departure,
    )


@transaction.atomic
def portal_child_attendance_record(
    *, volunteer: Volunteer, attendance: ChildAttendance, outcome: str
) -> ChildAttendance:
    """A child attended the session or did not, recorded by a volunteer on its rota, from the
    day of the session."""
    _attendance_gate(volunteer, attendance.session)
    return session_services.child_attendance_record(attendance=attendance, outcome=outcome)


@transaction.atomic
def portal_note_add(*, volunteer: Volunteer, session: ContactSession, text: str) -> SessionNote:
    _portal_gate(volunteer, session)
    if not _session_started(session):
        raise ValidationError("Session notes are written on or after the day of the session.")
    # Only a signed-in volunteer reaches the portal, so volunteer.user is set (cast for mypy).
    author = cast(User, volunteer.user)
    return session_services.note_add(session=session, author=author, text=text)


@transaction.atomic
def portal_concern_raise(
    *, volunteer: Volunteer, session: ContactSession, kind: str, text: str
) -> Concern:
    """A request for guidance or a concern (CHI-4.2) reaches the coordinator's dashboard at
    once; a safeguarding or violence concern also emails the coordinators, naming only the
    family's reference."""
    _portal_gate(volunteer, session)
    raised_by = cast(User, volunteer.user)  # signed in on the portal, so set (for mypy)
    concern = family_services.concern_raise(
        family=session.family, kind=kind, text=text, raised_by=raised_by, session=session
    )
    if kind in URGENT_CONCERNS:
        email_coordinators(
            session.centre,
            "A concern was raised",
            f"{URGENT_CONCERNS[kind]} was raised for family {session.family.reference}. "
            "Sign in to read it.",
        )
    return concern
