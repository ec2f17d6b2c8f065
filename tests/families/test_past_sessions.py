"""A session that took place and was not booked here is recorded afterwards through its own
page (issue 17, point 1): marked as such, audited, and never a way round the booking rules
for a date to come."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cccc.models import AccessLog
from families.models import Adult, ContactSession, Family
from tests.factories import (
    AdultFactory,
    ChildFactory,
    ContactSessionFactory,
    FamilyFactory,
    KeepApartFactory,
    room_named,
)
from tests.session_cases import OUTSIDERS

pytestmark = pytest.mark.django_db

LAST_MONTH = timezone.localdate() - datetime.timedelta(days=30)


@pytest.fixture
def family(cast):
    family = FamilyFactory(centre=cast.centre, accepted=True)
    AdultFactory(family=family, role=Adult.Role.RESIDENT_PARENT)
    AdultFactory(family=family, role=Adult.Role.NON_RESIDENT_PARENT)
    ChildFactory(family=family)
    Family.objects.filter(pk=family.pk).update(last_activity=timezone.now() - datetime.timedelta(9))
    return family


def posted(family, **changes) -> dict:
    adults = [adult.pk for adult in family.adults.all()]
    data = {
        "date": LAST_MONTH.isoformat(), "starts_at": "10:00", "ends_at": "11:30", "room": "",
        "contact_type": "supported", "adults": adults, "bringing": adults[0],
        "children": [child.pk for child in family.children.all()],
        "instructions": "From the paper diary.",
    }  # fmt: skip
    data.update(changes)
    return data


def url(family) -> str:
    return reverse("session_record_past", args=[family.pk])


def test_the_coordinator_records_a_past_session_marked_and_audited(cast, login, family):
    before = timezone.now()
    client = login(cast.coordinator)
    response = client.post(url(family), posted(family))
    session = ContactSession.objects.get()
    assert response.url == reverse("session_detail", args=[session.pk])
    assert (session.date, session.room, session.recorded_afterwards) == (LAST_MONTH, None, True)
    assert session.booked_by == cast.coordinator and session.adults.count() == 2
    entry = AccessLog.objects.get()
    assert (entry.action, entry.user, entry.record_id) == (
        "session_past",
        cast.coordinator,
        session.pk,
    )
    assert entry.detail == f"family={family.pk}"
    assert Family.objects.get(pk=family.pk).last_activity >= before
    html = client.get(response.url).content.decode()
    assert "recorded afterwards" in html and "Record attendance" in html
    assert (
        "recorded afterwards"
        in client.get(reverse("family_detail", args=[family.pk])).content.decode()
    )


def test_a_room_no_longer_used_can_be_named_for_a_past_session(cast, login, family):
    old = room_named(cast.centre, "Old hut")
    old.in_use = False
    old.save()
    login(cast.coordinator).post(url(family), posted(family, room=old.pk))
    assert ContactSession.objects.get().room == old


@pytest.mark.parametrize("days", [0, 1, 30])
def test_today_or_later_is_booked_not_recorded_afterwards(cast, login, family, days):
    day = timezone.localdate() + datetime.timedelta(days=days)
    response = login(cast.coordinator).post(url(family), posted(family, date=day.isoformat()))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only a session before today is recorded afterwards; book it instead." in html
    assert f'value="{day.isoformat()}"' in html and "From the paper diary." in html
    assert not ContactSession.objects.exists() and not AccessLog.objects.exists()


def test_it_is_refused_without_an_accepted_referral_or_twice_at_once(cast, login, family):
    client = login(cast.coordinator)
    ContactSessionFactory(
        family=family, date=LAST_MONTH, starts_at=datetime.time(11), ends_at=datetime.time(12)
    )
    response = client.post(url(family), posted(family))
    assert f"{family.reference} is booked already from 11:00 to 12:00 that day." in (
        response.content.decode()
    )
    newcomer = FamilyFactory(centre=cast.centre)
    AdultFactory(family=newcomer)
    response = client.post(url(newcomer), posted(newcomer))
    assert f"{newcomer.reference} has no accepted referral" in response.content.decode()
    assert ContactSession.objects.count() == 1 and not AccessLog.objects.exists()


def test_what_happened_is_recorded_even_where_a_booking_would_clash(cast, login, family):
    """The room full or a keep-apart pair in the building that day: a record of the past, not a
    plan, so it is recorded as it was."""
    resident = family.adults.get(role=Adult.Role.RESIDENT_PARENT)
    neighbour = AdultFactory(family=FamilyFactory(centre=cast.centre))
    KeepApartFactory(adult_a=resident, adult_b=neighbour)
    blue = room_named(cast.centre, "Blue room")
    other = ContactSessionFactory(family=neighbour.family, date=LAST_MONTH, room=blue)
    other.adults.create(adult=neighbour, arrives_at=datetime.time(10), departs_at=datetime.time(12))
    login(cast.coordinator).post(url(family), posted(family, room=blue.pk))
    assert ContactSession.objects.filter(family=family, recorded_afterwards=True).exists()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_a_404(cast, login, family, who):
    client = login(getattr(cast, who))
    assert client.get(url(family)).status_code == 404
    assert client.post(url(family), posted(family)).status_code == 404
    assert not ContactSession.objects.exists()
