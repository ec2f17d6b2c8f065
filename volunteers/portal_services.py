"""What a volunteer records in the portal: attendance, factual notes, and requests for
guidance or concerns (CHI-4.2). Each write is refused unless the volunteer may work today and
is on the session's rota; the write itself goes through families/session_services.py or
families/services.py, so it moves the family's last activity like any other use.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from families import services as family_services
from families import session_services
from families.models import Concern, ContactSession, SessionAttendance, SessionNote
from volunteers.emails import email_coordinators
from volunteers.models import RotaEntry, Volunteer

URGENT_CONCERNS = {
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
    return session_services.attendance_record(
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
    return session_services.note_add(session=session, author=volunteer.user, text=text)


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
        email_coordinators(
            session.centre,
            "A concern was raised",
            f"{URGENT_CONCERNS[kind]} was raised for family {session.family.reference}. "
            "Sign in to read it.",
        )
    return concern
