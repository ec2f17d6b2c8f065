"""Moving a booked session to other times on its day (issue 18, point 2: "a moved session
sends an update"). The adults' arrivals and departures are planned again by the keep-apart
scheduler, and the new times checked as a booking's are (families/session_services.py,
date_problems: the room's capacity, the family twice at once, keep-apart); any problem
refuses the move and nothing changes.
Each adult who consented to email is then sent their new times: the same calendar event, one
version higher (families/mail_services.py).

Only the times move, never the day: the rota's entries (volunteers/) keep a copy of the
session's date, which the database checks against each volunteer's clearance, and this app
cannot touch them. Another day is a cancellation and a new booking.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cccc.models import User
from cccc.saving import validated_save
from families import mail_services, scheduling
from families.last_activity import family_touch
from families.models import ContactSession, FamilyMail
from families.session_services import date_problems, lock_centre_bookings

CLASH = "This booking would bring people who must be kept apart together."


@transaction.atomic
def session_move(
    *, session: ContactSession, starts_at: datetime.time, ends_at: datetime.time, by: User
) -> ContactSession:
    """Give a booked session new contact times on its day, planning every adult's arrival and
    departure again. Raises ValidationError, changing nothing, for a cancelled or past
    session, times that do not fit, or a keep-apart clash (each named)."""
    locked = ContactSession.objects.select_for_update().get(pk=session.pk)
    if locked.status == ContactSession.Status.CANCELLED:
        raise ValidationError("This session was cancelled; book a new one instead.")
    if locked.date < timezone.localdate():
        raise ValidationError("This session has taken place already.")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "Contact must end after it starts."})
    if (starts_at, ends_at) == (locked.starts_at, locked.ends_at):
        raise ValidationError("These are the session's times already.")
    centre = locked.centre
    attendances = list(locked.adults.select_related("adult__family").order_by("pk"))
    adults = [a.adult for a in attendances]
    bringing = next((a.adult for a in attendances if a.brings_child), adults[0] if adults else None)
    plans: list[scheduling.Plan] = []
    pairs = scheduling.flagged_pairs(a.pk for a in adults)
    if bringing is not None:
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
    # Bookings at the centre are checked one after the other (as a booking is), and the
    # session's own plan and room place are taken out of the way of its own check: the
    # rollback of a refusal puts them back.
    lock_centre_bookings(centre)
    ContactSession.objects.filter(pk=locked.pk).update(status=ContactSession.Status.CANCELLED)
    if locked.room is not None:
        problems = date_problems(
            family=locked.family, room=locked.room, date=locked.date, starts_at=starts_at,
            ends_at=ends_at, plans=plans, pairs=pairs,
        )  # fmt: skip
    else:  # recorded afterwards without a room: it has no place to check
        clashes = scheduling.find_clashes(centre=centre, date=locked.date, plans=plans, pairs=pairs)
        problems = [CLASH] + [c.message() for c in clashes] if clashes else []
    if problems:
        raise ValidationError(["Nothing was changed."] + problems)
    locked.status = ContactSession.Status.BOOKED
    locked.starts_at, locked.ends_at = starts_at, ends_at
    validated_save(locked)
    by_adult = {a.adult_id: a for a in attendances}
    for plan in plans:
        attendance = by_adult[plan.adult.pk]
        attendance.arrives_at = scheduling.as_time(plan.arrives_at)
        attendance.departs_at = scheduling.as_time(plan.departs_at)
        attendance.leaves_at = (
            None if plan.leaves_at is None else scheduling.as_time(plan.leaves_at)
        )
        attendance.returns_at = (
            None if plan.returns_at is None else scheduling.as_time(plan.returns_at)
        )
        validated_save(attendance)
    family_touch(locked.family)
    mail_services.session_mail_queue(session=locked, kind=FamilyMail.Kind.UPDATE, by=by)
    return locked
