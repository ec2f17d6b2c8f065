"""Every write to a family's contact sessions: booking with staggered arrivals (refusing
any keep-apart clash, families/scheduling.py, and what families/booking_rules.py refuses:
no accepted referral, a past date, a full room, the family twice at once), recording a past
session afterwards, cancelling, attendance and notes. Each one is use of the family's record
and moves its last activity (families/last_activity.py). A series of bookings is
families/series_services.py, on the same checks."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cccc.audit import access_log_record
from cccc.models import AccessLog, Centre, User
from cccc.saving import validated_save
from families import booking_rules, mail_services, scheduling
from families.last_activity import family_touch
from families.models import (
    Adult,
    Child,
    ChildAttendance,
    ContactSession,
    Family,
    FamilyMail,
    Room,
    Series,
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


def session_plans(
    *,
    family: Family,
    starts_at: datetime.time,
    ends_at: datetime.time,
    adults: list[Adult],
    bringing: Adult,
    children: list[Child] | None = None,
) -> tuple[list[scheduling.Plan], set[tuple[int, int | None]]]:
    """Check who is at the session and plan each adult's arrival and departure (the same on
    every date of a series); returns the plans and the adults' keep-apart pairs. Raises
    ValidationError for input no date can fix."""
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
            gap=family.centre.keep_apart_gap_minutes,
            handover=family.centre.handover_minutes,
            pairs=pairs,
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    return plans, pairs


def date_problems(
    *,
    family: Family,
    room: Room,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    plans: list[scheduling.Plan],
    pairs: set[tuple[int, int | None]],
) -> list[str]:
    """Every reason the session cannot be booked on this date, each naming its clash: in the
    past, the room full, the family booked then already, or people kept apart brought
    together (families/booking_rules.py, families/scheduling.py). Empty: it can be booked."""
    problems = [
        *booking_rules.past_problems(date, timezone.localdate()),
        *booking_rules.room_problems(
            room=room, centre_id=family.centre_id, date=date, starts_at=starts_at, ends_at=ends_at
        ),
        *booking_rules.family_problems(
            family=family, date=date, starts_at=starts_at, ends_at=ends_at
        ),
    ]
    clashes = scheduling.find_clashes(centre=family.centre, date=date, plans=plans, pairs=pairs)
    if clashes:
        problems.append("This booking would bring people who must be kept apart together.")
        problems += [clash.message() for clash in clashes]
    return problems


def lock_centre_bookings(centre: Centre) -> None:
    """Lock the centre's row, so that bookings at the centre are checked and written one
    after the other: two coordinators cannot both take a room's last place, or bring a
    kept-apart pair together, at the same moment."""
    Centre.objects.select_for_update().filter(pk=centre.pk).first()


def save_session(
    *,
    family: Family,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    contact_type: str,
    plans: list[scheduling.Plan],
    booked_by: User,
    room: Room | None,
    instructions: str,
    children: list[Child] | None,
    recorded_afterwards: bool = False,
    series: Series | None = None,
) -> ContactSession:
    """Write a checked session with its plans and children, and move the family's last
    activity: the one write behind booking, recording afterwards and a series."""
    session = validated_save(
        ContactSession(
            family=family,
            centre=family.centre,
            date=date,
            starts_at=starts_at,
            ends_at=ends_at,
            room=room,
            contact_type=contact_type,
            instructions=instructions,
            booked_by=booked_by,
            recorded_afterwards=recorded_afterwards,
            series=series,
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
    room: Room,
    instructions: str = "",
    children: list[Child] | None = None,
) -> ContactSession:
    """Book a session with staggered arrivals, refusing a family without an accepted
    referral, a date in the past, a full room, the family twice at once and any keep-apart
    clash.

    Raises ValidationError naming each clash and its times; nothing is saved then.
    """
    plans, pairs = session_plans(
        family=family,
        starts_at=starts_at,
        ends_at=ends_at,
        adults=adults,
        bringing=bringing,
        children=children,
    )
    lock_centre_bookings(family.centre)
    problems = booking_rules.referral_problems(family) + date_problems(
        family=family,
        room=room,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        plans=plans,
        pairs=pairs,
    )
    if problems:
        raise ValidationError(problems)
    return save_session(
        family=family,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        contact_type=contact_type,
        plans=plans,
        booked_by=booked_by,
        room=room,
        instructions=instructions,
        children=children,
    )


@transaction.atomic
def session_record_past(
    *,
    family: Family,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    contact_type: str,
    adults: list[Adult],
    bringing: Adult,
    recorded_by: User,
    room: Room | None = None,
    instructions: str = "",
    children: list[Child] | None = None,
) -> ContactSession:
    """Record a session that took place before today and was not booked here (the paper
    diary, a forgotten entry). It is marked `recorded_afterwards` and audited. What happened
    is not refused for the room's capacity or a keep-apart clash, but the family must have an
    accepted referral and not be recorded twice at overlapping times."""
    plans, _pairs = session_plans(
        family=family,
        starts_at=starts_at,
        ends_at=ends_at,
        adults=adults,
        bringing=bringing,
        children=children,
    )
    if date >= timezone.localdate():
        raise ValidationError(
            {"date": "Only a session before today is recorded afterwards; book it instead."}
        )
    if room is not None and room.centre_id != family.centre_id:
        raise ValidationError({"room": "Choose one of the centre's own rooms."})
    lock_centre_bookings(family.centre)
    problems = booking_rules.referral_problems(family) + booking_rules.family_problems(
        family=family, date=date, starts_at=starts_at, ends_at=ends_at
    )
    if problems:
        raise ValidationError(problems)
    session = save_session(
        family=family,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        contact_type=contact_type,
        plans=plans,
        booked_by=recorded_by,
        room=room,
        instructions=instructions,
        children=children,
        recorded_afterwards=True,
    )
    access_log_record(
        user=recorded_by,
        action=AccessLog.Action.SESSION_PAST,
        record=session,
        detail=f"family={family.pk}",
    )
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
