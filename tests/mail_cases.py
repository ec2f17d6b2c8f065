"""Shared by the tests of what adults and volunteers are told (issue 18): a family whose two
adults are kept apart, each with a distinctive name, email and set of times, both consenting
to email; and helpers that read an email's calendar attachment."""

import datetime
from dataclasses import dataclass

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from families.models import Adult, ContactSession, Family
from tests.factories import (
    AdultFactory,
    ContactSessionFactory,
    EmailConsentFactory,
    FamilyFactory,
    KeepApartFactory,
    SessionAttendanceFactory,
)

T = datetime.time


@dataclass
class Pair:
    family: Family
    mother: Adult
    father: Adult
    session: ContactSession
    later: ContactSession


# Every time either adult has, written as a letter writes it, and the bare clock: none of
# them may appear in the other's letter, email or calendar.
MOTHER_TIMES = {"9:07am": T(9, 7), "9:23am": T(9, 23), "12:41pm": T(12, 41), "12:58pm": T(12, 58)}
FATHER_TIMES = {"10:11am": T(10, 11), "11:49am": T(11, 49)}
MOTHER_LATER = {"2:03pm": T(14, 3), "4:57pm": T(16, 57)}
FATHER_LATER = {"2:29pm": T(14, 29), "4:31pm": T(16, 31)}


def clocks(times: dict[str, datetime.time]) -> list[str]:
    """ "9:07am" and "09:07" and "0907" (as a calendar writes it in UTC, or locally)."""
    found = []
    for text, t in times.items():
        found += [text, f"{t:%H:%M}", f"{t:%H%M}00"]
        utc = (
            timezone.make_aware(datetime.datetime.combine(timezone.localdate(), t))
            .astimezone(datetime.UTC)
            .time()
        )
        found.append(f"{utc:%H%M}00")
    return found


@pytest.fixture
def pair(cast) -> Pair:
    cast.centre.address = "12 Lantern Street\nBrightwell\nBW1 2CC"
    cast.centre.email = "bookings@home-centre.example"
    cast.centre.save()
    family = FamilyFactory(centre=cast.centre, reference="HOM-2026-0777")
    mother = AdultFactory(
        family=family,
        role=Adult.Role.RESIDENT_PARENT,
        first_name="Philippa",
        last_name="Marchbanks",
        email="philippa.marchbanks@private.example",
        address="3 Hidden Close, Farwood",
    )
    father = AdultFactory(
        family=family,
        role=Adult.Role.NON_RESIDENT_PARENT,
        first_name="Bartholomew",
        last_name="Quenby",
        email="bart.quenby@private.example",
        address="77 Distant Road, Othertown",
    )
    KeepApartFactory(adult_a=mother, adult_b=father)
    day = timezone.localdate() + datetime.timedelta(days=5)
    session = ContactSessionFactory(
        family=family, date=day, starts_at=T(10, 13), ends_at=T(11, 47), booked_by=cast.coordinator
    )
    m, f = list(MOTHER_TIMES.values()), list(FATHER_TIMES.values())
    SessionAttendanceFactory(
        session=session, adult=mother, brings_child=True,
        arrives_at=m[0], leaves_at=m[1], returns_at=m[2], departs_at=m[3],
    )  # fmt: skip
    SessionAttendanceFactory(session=session, adult=father, arrives_at=f[0], departs_at=f[1])
    later = ContactSessionFactory(
        family=family,
        date=day + datetime.timedelta(days=14),
        starts_at=T(14, 33),
        ends_at=T(16, 27),
        booked_by=cast.coordinator,
    )
    ml, fl = list(MOTHER_LATER.values()), list(FATHER_LATER.values())
    SessionAttendanceFactory(
        session=later, adult=mother, brings_child=True, arrives_at=ml[0], departs_at=ml[1]
    )
    SessionAttendanceFactory(session=later, adult=father, arrives_at=fl[0], departs_at=fl[1])
    for adult in (mother, father):
        EmailConsentFactory(adult=adult, recorded_by=cast.coordinator)
    return Pair(family, mother, father, session, later)


def mine_and_theirs(pair: Pair, adult: Adult) -> tuple[list[str], list[str]]:
    """What the adult's own letter must give, and what it must never give: the other adult's
    names, email, address and times, and the session's contact times."""
    if adult == pair.mother:
        mine, other, their = MOTHER_TIMES | MOTHER_LATER, pair.father, FATHER_TIMES | FATHER_LATER
    else:
        mine, other, their = FATHER_TIMES | FATHER_LATER, pair.mother, MOTHER_TIMES | MOTHER_LATER
    contact = {"10:13am": T(10, 13), "11:47am": T(11, 47), "2:33pm": T(14, 33), "4:27pm": T(16, 27)}
    never = [other.first_name, other.last_name, other.email, "Farwood", "Othertown", "Hidden"]
    never += ["Distant", pair.family.reference, *clocks(their), *clocks(contact)]
    return list(mine), never


def sent_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def calendar_of(message) -> Calendar:
    """The .ics attachment of an email, parsed."""
    found = [a for a in message.attachments if str(a[2]).startswith("text/calendar")]
    assert len(found) == 1, "the email carries one calendar attachment"
    content = found[0][1]
    return Calendar.from_ical(content if isinstance(content, bytes) else content.encode())


def events_of(message) -> list:
    return list(calendar_of(message).walk("VEVENT"))


def raw_calendar(message) -> str:
    return calendar_of(message).to_ical().decode()
