"""Shared by the session page tests (tests/families/test_session_views.py for booking and
cancelling, tests/overview/test_session_pages.py for the session page and the day and week
views): a family with a kept-apart pair, a booked session, and the pages outsiders must not
reach."""

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse

from families import session_services
from families.models import Adult, Child, ContactSession, Family
from tests.factories import (
    AdultFactory,
    ChildFactory,
    FamilyFactory,
    KeepApartFactory,
    ReferralFactory,
    room_named,
)

DAY = datetime.date(2030, 3, 6)  # a Wednesday
DAY_TEXT = DAY.isoformat()


@dataclass
class Case:
    family: Family
    resident: Adult
    other: Adult
    child: Child


@pytest.fixture
def case(cast) -> Case:
    family = FamilyFactory(centre=cast.centre)
    ReferralFactory(family=family, status="accepted")
    resident = AdultFactory(
        family=family,
        role=Adult.Role.RESIDENT_PARENT,
        first_name="Rosalind",
        last_name="Quillfeather",
        address="1 Hidden Lane, Secretbury",
        phone="07700 900111",
        email="rosalind@private.example",
    )
    other = AdultFactory(
        family=family,
        role=Adult.Role.NON_RESIDENT_PARENT,
        first_name="Norbert",
        last_name="Thistlewood",
        address="9 Far Road, Elsewhere",
        phone="07700 900222",
        email="norbert@private.example",
    )
    KeepApartFactory(adult_a=resident, adult_b=other)
    child = ChildFactory(family=family, first_name="Poppy")
    return Case(family, resident, other, child)


def book(family, adults, *, start="10:00", end="12:00", by, date=DAY, room=None):
    """Book through the scheduler, in the centre's "Blue room" (big enough for every test
    that books several families at once) unless another room is given."""
    return session_services.session_book(
        family=family,
        date=date,
        starts_at=datetime.time.fromisoformat(start),
        ends_at=datetime.time.fromisoformat(end),
        contact_type="supervised",
        adults=adults,
        bringing=adults[0],
        booked_by=by,
        room=room or room_named(family.centre, "Blue room", capacity=50),
    )


def form_data(case: Case, **changes) -> dict:
    data = {
        "date": DAY_TEXT,
        "starts_at": "10:00",
        "ends_at": "12:00",
        "room": room_named(case.family.centre, "Garden room").pk,
        "contact_type": "supervised",
        "adults": [case.resident.pk, case.other.pk],
        "bringing": case.resident.pk,
        "children": [case.child.pk],
        "instructions": "Meet at the side door.",
    }
    data.update(changes)
    return data


def text_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def session(cast, case) -> ContactSession:
    return book(case.family, [case.resident, case.other], by=cast.coordinator)


SESSION_PAGES = [
    ("get", "session_detail"),
    ("post", "session_cancel"),
    ("post", "attendance_record"),
    ("post", "session_note_add"),
]


CENTRE_PAGES = [
    ("day_view", []),
    ("day_view_for", [DAY_TEXT]),
    ("week_view", []),
    ("week_view_for", [DAY_TEXT]),
]


OUTSIDERS = [
    "other_coordinator", "chair", "volunteer", "referrer", "operator", "other_chair",
    "other_volunteer", "other_referrer",
]  # fmt: skip


def _outsider_requests(case, session):
    book_url = reverse("session_book", args=[case.family.pk])
    yield "get", book_url, {}
    yield "post", book_url, form_data(case, starts_at="14:00", ends_at="15:00")
    for method, name in SESSION_PAGES:
        yield method, reverse(name, args=[session.pk]), {"text": "Outsider note."}
