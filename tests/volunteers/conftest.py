"""Shared setup for the volunteers tests: a family session with its people and plan."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from families.models import Adult, ContactSession
from tests.factories import (
    AdultFactory,
    ChildAttendanceFactory,
    ChildFactory,
    ContactSessionFactory,
    FamilyFactory,
    RotaEntryFactory,
    SessionAttendanceFactory,
)
from tests.mail_cases import pair  # noqa: F401
from tests.smtp_sink import closed_port, retries_in_process, smtp_sink  # noqa: F401
from volunteers.models import Volunteer


@dataclass
class Booked:
    session: ContactSession
    resident: Adult
    visitor: Adult


def book(centre, *, day: datetime.date | None = None, **session_fields) -> Booked:
    """A session of a new family of `centre`: a resident parent bringing one child, a
    non-resident parent, and their arrival and departure plan."""
    family = FamilyFactory(centre=centre)
    session = ContactSessionFactory(
        family=family,
        date=day or timezone.localdate() + datetime.timedelta(days=7),
        **session_fields,
    )
    resident = AdultFactory(family=family, role=Adult.Role.RESIDENT_PARENT)
    visitor = AdultFactory(family=family, role=Adult.Role.NON_RESIDENT_PARENT)
    SessionAttendanceFactory(
        session=session,
        adult=resident,
        brings_child=True,
        arrives_at=datetime.time(9, 45),
        departs_at=datetime.time(12, 15),
    )
    SessionAttendanceFactory(
        session=session,
        adult=visitor,
        arrives_at=datetime.time(10, 0),
        departs_at=datetime.time(12, 0),
    )
    ChildAttendanceFactory(session=session, child=ChildFactory(family=family))
    return Booked(session, resident, visitor)


def put_on_rota(volunteer: Volunteer, session: ContactSession):
    return RotaEntryFactory(session=session, volunteer=volunteer)


@pytest.fixture
def volunteer(cast) -> Volunteer:
    """cast.volunteer's own record: appointed, cleared, agreement signed."""
    return Volunteer.objects.get(user=cast.volunteer)


@pytest.fixture
def booked(cast) -> Booked:
    return book(cast.centre)
