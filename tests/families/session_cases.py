"""What the session tests share: a family whose two parents are kept apart, booking them,
the booking form's data and a page's text. The fixtures `case` and `session` are in
tests/families/conftest.py."""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

from families import session_services
from families.models import Adult, Child, Family
from tests.factories import AdultFactory, ChildFactory, FamilyFactory, KeepApartFactory

DAY = datetime.date(2030, 3, 6)  # a Wednesday
DAY_TEXT = DAY.isoformat()


@dataclass
class Case:
    family: Family
    resident: Adult
    other: Adult
    child: Child


def make_case(cast) -> Case:
    family = FamilyFactory(centre=cast.centre)
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


def book(family, adults, *, start="10:00", end="12:00", by, date=DAY):
    return session_services.session_book(
        family=family,
        date=date,
        starts_at=datetime.time.fromisoformat(start),
        ends_at=datetime.time.fromisoformat(end),
        contact_type="supervised",
        adults=adults,
        bringing=adults[0],
        booked_by=by,
        room="Blue room",
    )


def form_data(case: Case, **changes) -> dict:
    data = {
        "date": DAY_TEXT,
        "starts_at": "10:00",
        "ends_at": "12:00",
        "room": "Garden room",
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


def queries(client, url) -> int:
    """The number of SQL queries a page takes (it must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)
