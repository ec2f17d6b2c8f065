"""One adult's arrangements, in plain English (issue 18, point 1): the centre, the dates of
their upcoming sessions, their own arrival and departure times (and, when they are kept apart
from someone, when to leave after the handover and when to come back), what to do on arrival,
the centre rules (CHE-1) and how to cancel.

Read from that adult's own SessionAttendance rows and the centre, and from nothing else: no
other adult's row, name or times is read, and neither are the session's contact times, which
are the other parent's arrival and departure (families/scheduling.py). The letter page, its
PDF, the emails and their calendar attachment are all drawn from what this module returns,
so what one of them can hold, all can, and no more.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.utils import dateformat, timezone

from families.models import Adult, ContactSession, RulesAcknowledgement, SessionAttendance

RULES = [
    str(RulesAcknowledgement._meta.get_field("no_recording").verbose_name) + ".",
    "Do not talk about, or pass on, anything about other people who use the centre.",
]

ON_ARRIVAL = [
    "Come at your arrival time: not earlier, and not later. The centre sets each person's "
    "times so that nobody meets anyone they should not.",
    "Come straight in and tell the volunteer at the door who you are. Do not wait outside "
    "or in the car park.",
    "If anything worries you when you arrive, tell a volunteer at once.",
]


def clock(t: datetime.time) -> str:
    """9:45am, 12:15pm, 12pm: how a letter writes a time."""
    text = dateformat.format(datetime.datetime.combine(datetime.date(2000, 1, 1), t), "g:i")
    return f"{text.removesuffix(':00')}{'am' if t.hour < 12 else 'pm'}"


def long_day(day: datetime.date) -> str:
    return dateformat.format(day, "l j F Y")


@dataclass(frozen=True)
class OwnTimes:
    """One session as one adult lives it: their own times, nobody else's."""

    session_id: int
    date: datetime.date
    room: str
    brings_child: bool
    arrives_at: datetime.time
    leaves_at: datetime.time | None
    returns_at: datetime.time | None
    departs_at: datetime.time

    @property
    def heading(self) -> str:
        return long_day(self.date) + (f", {self.room}" if self.room else "")

    def lines(self) -> list[str]:
        """What the adult does that day, in their own times."""
        lines = [f"Arrive at {clock(self.arrives_at)}."]
        if self.brings_child:
            lines[0] = f"Arrive with the children at {clock(self.arrives_at)}."
        if self.leaves_at is not None and self.returns_at is not None:
            lines += [
                f"Leave the building by {clock(self.leaves_at)}, once the children are "
                "settled with the volunteers.",
                f"Come back at {clock(self.returns_at)} to collect the children.",
                f"Leave with the children by {clock(self.departs_at)}.",
            ]
        elif self.brings_child:
            lines.append(f"Leave with the children by {clock(self.departs_at)}.")
        else:
            lines.append(f"Leave by {clock(self.departs_at)}.")
        return lines

    def start(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.arrives_at))

    def end(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.departs_at))


@dataclass(frozen=True)
class Arrangement:
    """The letter for one adult."""

    adult_id: int
    family_id: int
    full_name: str
    centre_name: str
    centre_address: list[str]
    centre_email: str
    written_on: datetime.date
    sessions: list[OwnTimes]

    @property
    def title(self) -> str:
        return f"Your contact sessions at {self.centre_name}"

    @property
    def greeting(self) -> str:
        return f"Dear {self.full_name},"

    @property
    def introduction(self) -> str:
        if not self.sessions:
            return "You have no contact sessions booked at the centre at the moment."
        return (
            "This letter gives the dates of your next contact sessions at the centre, and your "
            "own times for each one. Please keep to your times: they are set for you."
        )

    @property
    def how_to_cancel(self) -> list[str]:
        ask = (
            f"email the centre at {self.centre_email}"
            if self.centre_email
            else "contact the centre"
        )
        return [
            f"If you cannot come, {ask} as soon as you can, and at least a day before if you "
            "are able to. Give your name and the date of the session.",
            "Do not contact anyone else about it: the centre tells everyone who needs to know.",
        ]

    def digest(self) -> str:
        """What makes two copies of the letter the same letter: who it is for, and every
        date and time it gives."""
        parts = [str(self.adult_id), self.centre_name, *self.centre_address, self.centre_email]
        parts += [
            "|".join(
                str(v)
                for v in (
                    s.session_id,
                    s.date,
                    s.room,
                    s.brings_child,
                    s.arrives_at,
                    s.leaves_at,
                    s.returns_at,
                    s.departs_at,
                )
            )  # fmt: skip
            for s in self.sessions
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def text(self) -> str:
        """The letter as the plain text of an email."""
        out = [self.title, "", self.greeting, "", self.introduction, ""]
        for s in self.sessions:
            out += [s.heading] + [f"  {line}" for line in s.lines()] + [""]
        out += ["When you arrive"] + [f"- {line}" for line in ON_ARRIVAL] + [""]
        out += ["The centre's rules"] + [f"- {line}" for line in RULES] + [""]
        out += ["If you cannot come"] + [f"- {line}" for line in self.how_to_cancel] + [""]
        out += [self.centre_name, *self.centre_address]
        return "\n".join(out)


def own_times(attendance: SessionAttendance) -> OwnTimes:
    session = attendance.session
    return OwnTimes(
        session_id=session.pk,
        date=session.date,
        room=str(session.room or ""),
        brings_child=attendance.brings_child,
        arrives_at=attendance.arrives_at,
        leaves_at=attendance.leaves_at,
        returns_at=attendance.returns_at,
        departs_at=attendance.departs_at,
    )


def upcoming_attendances(adult: Adult, today: datetime.date) -> list[SessionAttendance]:
    """The adult's own rows for booked sessions from today on, in date order."""
    return list(
        SessionAttendance.objects.filter(
            adult=adult,
            session__status=ContactSession.Status.BOOKED,
            session__date__gte=today,
        )
        .select_related("session__room" if _room_is_a_record() else "session")
        .order_by("session__date", "arrives_at", "pk")
    )


def _room_is_a_record() -> bool:
    """True once ContactSession.room is a Room (issue 17): then it is read with the session."""
    return ContactSession._meta.get_field("room").is_relation


def arrangement_for(adult: Adult, *, today: datetime.date | None = None) -> Arrangement:
    """The letter for `adult`: their own upcoming sessions and nobody else's."""
    today = today or timezone.localdate()
    centre = adult.family.centre
    return Arrangement(
        adult_id=adult.pk,
        family_id=adult.family_id,
        full_name=f"{adult.first_name} {adult.last_name}".strip(),
        centre_name=centre.name,
        centre_address=[line.strip() for line in centre.address.splitlines() if line.strip()],
        centre_email=centre.email,
        written_on=today,
        sessions=[own_times(a) for a in upcoming_attendances(adult, today)],
    )
