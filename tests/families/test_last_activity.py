"""SPEC §8: a family's record is *used* when a session is booked or attended, a referral,
note or concern is added, or its details are edited. Viewing alone is not use."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from families import services, session_services
from families.models import Adult, Family, Referral
from tests.factories import (
    AdultFactory,
    ChildFactory,
    ContactSessionFactory,
    FamilyFactory,
    ReferralFactory,
    SessionAttendanceFactory,
    room_named,
)

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=900)


@pytest.fixture
def family(cast):
    family = FamilyFactory(centre=cast.centre)
    AdultFactory(family=family, role=Adult.Role.RESIDENT_PARENT)
    AdultFactory(family=family, role=Adult.Role.NON_RESIDENT_PARENT)
    ChildFactory(family=family)
    Family.objects.filter(pk=family.pk).update(last_activity=LONG_AGO)
    return family


def last_activity(family) -> datetime.datetime:
    return Family.objects.get(pk=family.pk).last_activity


def moved(family) -> bool:
    return last_activity(family) > LONG_AGO + datetime.timedelta(days=1)


def test_booking_a_session_is_use(cast, family):
    resident, visitor = family.adults.all()
    ReferralFactory(family=family, status=Referral.Status.ACCEPTED)
    Family.objects.filter(pk=family.pk).update(last_activity=LONG_AGO)
    session_services.session_book(
        family=family, date=timezone.localdate() + datetime.timedelta(days=3),
        starts_at=datetime.time(10), ends_at=datetime.time(11), contact_type="supported",
        adults=[resident, visitor], bringing=resident, booked_by=cast.coordinator,
        room=room_named(cast.centre, "Garden room"),
    )  # fmt: skip
    assert moved(family)


def test_recording_attendance_is_use(cast, family):
    attendance = SessionAttendanceFactory(
        session__family=family, adult=family.adults.first(), session__booked_by=cast.coordinator
    )
    Family.objects.filter(pk=family.pk).update(last_activity=LONG_AGO)
    session_services.attendance_record(attendance=attendance, outcome="attended")
    assert moved(family)


def test_adding_a_referral_is_use(cast, family):
    services.referral_add(
        family=family, entered_by=cast.coordinator,
        referral=Referral(agency_type="cafcass", contact_type="supervised"),
    )  # fmt: skip
    assert moved(family)


def test_deciding_a_referral_is_use(cast, family):
    referral = ReferralFactory(family=family, referrer=cast.referrer)
    Family.objects.filter(pk=family.pk).update(last_activity=LONG_AGO)
    services.referral_decide(referral=referral, by=cast.coordinator, accept=True)
    assert moved(family)


def test_adding_a_note_is_use(cast, family):
    session = ContactSessionFactory(family=family, booked_by=cast.coordinator)
    Family.objects.filter(pk=family.pk).update(last_activity=LONG_AGO)
    session_services.note_add(session=session, author=cast.coordinator, text="Arrived on time.")
    assert moved(family)


def test_raising_a_concern_is_use(cast, family):
    services.concern_raise(family=family, kind="guidance", text="Q", raised_by=cast.volunteer)
    assert moved(family)


def test_editing_details_is_use(cast, family):
    adult = family.adults.first()
    adult.phone = "01234 567890"
    services.adult_save(adult=adult)
    assert moved(family)


def test_viewing_is_not_use(cast, family, login):
    client = login(cast.coordinator)
    for url in [
        reverse("family_detail", args=[family.pk]),
        reverse("family_list"),
        reverse("dashboard"),
    ]:
        client.get(url)
    services.contact_reveal(adult=family.adults.first(), by=cast.coordinator)
    assert last_activity(family) == LONG_AGO
