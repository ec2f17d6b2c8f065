"""The rules a booking passes besides keep-apart (families/scheduling.py), issue 17:

- the family has an accepted referral;
- the date is not in the past (a past session is recorded through its own path,
  session_services.session_record_past, and marked);
- the room is the centre's own, in use, and not over its capacity: at no moment of the
  contact time would it hold more families than it can;
- the family is not booked twice at overlapping contact times.

Each rule returns the reasons it refuses, in words that name the clash (references and
times, never a name), or nothing. Times overlap when one starts before the other ends: a
session from 10:00 to 11:00 and one from 11:00 to 12:00 do not.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from families.models import ContactSession, Family, Referral, Room
from families.models.session import minutes
from families.scheduling import hhmm


@dataclass(frozen=True)
class Booked:
    """A session already booked, as a clash message names it."""

    reference: str
    start: int
    end: int

    def label(self) -> str:
        return f"{self.reference} ({hhmm(self.start)}–{hhmm(self.end)})"


def _overlapping(
    sessions: QuerySet[ContactSession],
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
) -> list[Booked]:
    booked = sessions.filter(
        date=date,
        status=ContactSession.Status.BOOKED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).order_by("starts_at", "pk")
    return [
        Booked(reference, minutes(start), minutes(end))
        for reference, start, end in booked.values_list("family__reference", "starts_at", "ends_at")
    ]


def referral_problems(family: Family) -> list[str]:
    if family.referrals.filter(status=Referral.Status.ACCEPTED).exists():
        return []
    return [
        f"{family.reference} has no accepted referral: a family is booked only once its "
        "referral is accepted."
    ]


def past_problems(date: datetime.date, today: datetime.date) -> list[str]:
    if date >= today:
        return []
    return [
        f"{date.day} {date:%B %Y} is in the past: sessions are booked from today on. To "
        "record a session that has taken place, use “Record a past session”."
    ]


def room_problems(
    *,
    room: Room,
    centre_id: int,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
) -> list[str]:
    """The room is the centre's, in use, and has space at every moment of the contact time.

    The room is fullest at the start of the new session or when another session starts
    during it, so those are the moments counted."""
    if room.centre_id != centre_id:
        return ["Choose one of the centre's own rooms."]
    if not room.in_use:
        return [f"{room.name} is marked as no longer used."]
    booked = _overlapping(room.sessions.all(), date, starts_at, ends_at)
    start = minutes(starts_at)
    for moment in [start, *(b.start for b in booked if b.start > start)]:
        there = [b for b in booked if b.start <= moment < b.end]
        if len(there) < room.capacity:
            continue
        labels = ", ".join(b.label() for b in there)
        if room.capacity == 1:
            return [f"{room.name} holds one family at a time and is booked then: {labels}."]
        return [
            f"{room.name} holds {room.capacity} families at once, and at {hhmm(moment)} has "
            f"{len(there)} already: {labels}."
        ]
    return []


def family_problems(
    *,
    family: Family,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
) -> list[str]:
    return [
        f"{family.reference} is booked already from {hhmm(b.start)} to {hhmm(b.end)} that day."
        for b in _overlapping(family.sessions.all(), date, starts_at, ends_at)
    ]
