"""Every write to a family's contact sessions: booking with staggered arrivals (refusing
any keep-apart clash, families/scheduling.py), cancelling, attendance and notes. Each one is
use of the family's record and moves its last activity (families/last_activity.py)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from cccc.models import Centre, User
from cccc.saving import validated_save
from families import mail_services, scheduling
from families.last_activity import family_touch
from families.models import (
    Adult,
    Child,
    ChildAttendance,
    ContactSession,
    Family,
    FamilyMail,
    SessionAttendance,
    SessionNote,
)

DID_NOT_ATTEND_WITH_TIMES = (
    "Someone who did not attend has no arrival or departure time: clear the times, or choose "
    "“Attended”."
)
TIMES_WITHOUT_ATTENDED = "Choose “Attended” to record when they came and left."


def _locked_status(session: ContactSession) -> str:
    """Lock the session's row and return its stored status, so that two coordinators acting
    at once are taken one after the other and the second sees the first's decision."""
    return (
        ContactSession.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=session.pk)
    )


@transaction.atomic
def session_book(
    *,
    family: Family,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    contact_type: str,
    adults: list[Adult],
    bringing: Adult,
    booked_by: User,
    room: str = "",
    instructions: str = "",
    children: list[Child] | None = None,
) -> ContactSession:
    """Book a session with staggered arrivals, refusing any keep-apart clash.

    Raises ValidationError naming each clash and its times; nothing is saved then.
    """
    centre = family.centre
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "Contact must end after it starts."})
    if bringing not in adults:
        raise ValidationError({"bringing": "The adult bringing the child must be at the session."})
    if any(a.family_id != family.pk for a in adults):
        raise ValidationError("Every adult at the session must belong to this family.")
    if children is not None and any(c.family_id != family.pk for c in children):
        raise ValidationError("Every child at the session must belong to this family.")
    pairs = scheduling.flagged_pairs(a.pk for a in adults)
    try:
        plans = scheduling.plan_session(
            starts_at=starts_at,
            ends_at=ends_at,
            adults=adults,
            bringing=bringing,
            gap=centre.keep_apart_gap_minutes,
            handover=centre.handover_minutes,
            pairs=pairs,
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    # Lock the centre row so two bookings for the same day are checked one after the other.
    Centre.objects.select_for_update().filter(pk=centre.pk).first()
    clashes = scheduling.find_clashes(centre=centre, date=date, plans=plans, pairs=pairs)
    if clashes:
        raise ValidationError(
            ["This booking would bring people who must be kept apart together."]
            + [clash.message() for clash in clashes]
        )
    session = validated_save(
        ContactSession(
            family=family,
            centre=centre,
            date=date,
            starts_at=starts_at,
            ends_at=ends_at,
            room=room,
            contact_type=contact_type,
            instructions=instructions,
            booked_by=booked_by,
        )
    )
    for plan in plans:
        validated_save(
            SessionAttendance(
                session=session,
                adult=plan.adult,
                brings_child=plan.brings_child,
                arrives_at=scheduling.as_time(plan.arrives_at),
                departs_at=scheduling.as_time(plan.departs_at),
                leaves_at=None if plan.leaves_at is None else scheduling.as_time(plan.leaves_at),
                returns_at=None if plan.returns_at is None else scheduling.as_time(plan.returns_at),
            )
        )
    for child in children if children is not None else family.children.all():
        validated_save(ChildAttendance(session=session, child=child))
    family_touch(family)
    return session


@transaction.atomic
def session_cancel(*, session: ContactSession, by: User) -> ContactSession:
    """Cancel a booked session. A second cancel (two coordinators, or a resubmitted form) is
    refused rather than touching the family again."""
    if _locked_status(session) == ContactSession.Status.CANCELLED:
        raise ValidationError("This session was cancelled already.")
    session.status = ContactSession.Status.CANCELLED
    session.save(update_fields=["status"])
    family_touch(session.family)
    mail_services.session_mail_queue(session=session, kind=FamilyMail.Kind.CANCEL, by=by)
    return session


@transaction.atomic
def attendance_record(
    *,
    attendance: SessionAttendance,
    outcome: str,
    actual_arrival: datetime.time | None = None,
    actual_departure: datetime.time | None = None,
) -> SessionAttendance:
    if attendance.session.status == ContactSession.Status.CANCELLED:
        raise ValidationError("This session was cancelled; there is no attendance to record.")
    if actual_arrival is not None or actual_departure is not None:
        # Times are what an adult who came did; the database holds the first rule too.
        if outcome == SessionAttendance.Outcome.DID_NOT_ATTEND:
            raise ValidationError({"outcome": DID_NOT_ATTEND_WITH_TIMES})
        if outcome != SessionAttendance.Outcome.ATTENDED:
            raise ValidationError({"outcome": TIMES_WITHOUT_ATTENDED})
    if actual_arrival and actual_departure and actual_departure <= actual_arrival:
        raise ValidationError({"actual_departure": "Departure must be after arrival."})
    attendance.outcome = outcome
    attendance.actual_arrival = actual_arrival
    attendance.actual_departure = actual_departure
    validated_save(attendance)
    family_touch(attendance.session.family)
    return attendance


@transaction.atomic
def child_attendance_record(*, attendance: ChildAttendance, outcome: str) -> ChildAttendance:
    if attendance.session.status == ContactSession.Status.CANCELLED:
        raise ValidationError("This session was cancelled; there is no attendance to record.")
    attendance.outcome = outcome
    validated_save(attendance)
    family_touch(attendance.session.family)
    return attendance


@transaction.atomic
def note_add(*, session: ContactSession, author: User, text: str) -> SessionNote:
    if not text.strip():
        raise ValidationError({"text": "Write what happened."})
    note = validated_save(SessionNote(session=session, author=author, text=text.strip()))
    family_touch(session.family)
    return note
