"""Issue 17, "What was seen": the booking rules a coordinator could walk through. A room is
not double-booked, nor filled past its capacity; a family is not booked twice at overlapping
times; a date in the past is not booked; a family without an accepted referral is not
booked. Each refusal names the clash and the form keeps what was typed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from families import session_services
from families.models import Adult, ContactSession, Family
from tests.factories import (
    AdultFactory,
    ChildFactory,
    FamilyFactory,
    ReferralFactory,
    room_named,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2030, 3, 9)  # a Saturday


def bookable_family(centre) -> Family:
    family = FamilyFactory(centre=centre)
    ReferralFactory(family=family, status="accepted")
    AdultFactory(family=family, role=Adult.Role.RESIDENT_PARENT)
    ChildFactory(family=family)
    return family


def book(family, *, by, room=None, start="10:00", end="12:00", date=DAY):
    adult = family.adults.first()
    return session_services.session_book(
        family=family, date=date, starts_at=datetime.time.fromisoformat(start),
        ends_at=datetime.time.fromisoformat(end), contact_type="supervised", adults=[adult],
        bringing=adult, booked_by=by, room=room or room_named(family.centre, "Blue room"),
    )  # fmt: skip


def posted(family, **changes) -> dict:
    adult, child = family.adults.first(), family.children.first()
    data = {
        "date": DAY.isoformat(), "starts_at": "11:00", "ends_at": "12:30",
        "room": room_named(family.centre, "Blue room").pk,
        "contact_type": "supervised", "adults": [adult.pk], "bringing": adult.pk,
        "children": [child.pk], "instructions": "Side door, please.",
    }  # fmt: skip
    data.update(changes)
    return data


def test_a_room_another_family_has_at_that_time_is_refused_naming_the_clash(cast, login):
    first = bookable_family(cast.centre)
    book(first, by=cast.coordinator)
    second = bookable_family(cast.centre)
    response = login(cast.coordinator).post(
        reverse("session_book", args=[second.pk]), posted(second)
    )
    assert response.status_code == 200, "Session booked."
    html = response.content.decode()
    assert "Blue room" in html and f"{first.reference} (10:00–12:00)" in html
    assert 'value="11:00"' in html and "Side door, please." in html
    assert not ContactSession.objects.filter(family=second).exists()


def test_the_same_family_twice_at_the_same_date_time_and_room_is_refused(cast, login):
    family = bookable_family(cast.centre)
    book(family, by=cast.coordinator, start="11:00", end="12:30")
    response = login(cast.coordinator).post(
        reverse("session_book", args=[family.pk]), posted(family)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{family.reference} is booked already from 11:00 to 12:30 that day" in html
    assert ContactSession.objects.filter(family=family).count() == 1


def test_a_date_400_days_in_the_past_is_refused(cast, login):
    family = bookable_family(cast.centre)
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    response = login(cast.coordinator).post(
        reverse("session_book", args=[family.pk]), posted(family, date=long_ago.isoformat())
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{long_ago:%-d %B %Y} is in the past" in html
    assert f'value="{long_ago.isoformat()}"' in html
    assert not ContactSession.objects.exists()


def test_a_referred_family_without_an_accepted_referral_cannot_be_booked(cast, login):
    family = FamilyFactory(centre=cast.centre, status=Family.Status.REFERRED)
    ReferralFactory(family=family, status="pending")
    ReferralFactory(family=family, status="declined")
    AdultFactory(family=family, role=Adult.Role.RESIDENT_PARENT)
    ChildFactory(family=family)
    response = login(cast.coordinator).post(
        reverse("session_book", args=[family.pk]), posted(family)
    )
    assert response.status_code == 200
    assert f"{family.reference} has no accepted referral" in response.content.decode()
    assert not ContactSession.objects.exists()


def test_the_hall_takes_no_more_families_at_once_than_its_capacity(cast):
    hall = room_named(cast.centre, "Hall", capacity=20)
    families = [bookable_family(cast.centre) for _ in range(22)]
    for family in families[:20]:
        book(family, by=cast.coordinator, room=hall)
    with pytest.raises(ValidationError, match="Hall holds 20 families at once") as refused:
        book(families[20], by=cast.coordinator, room=hall)
    assert f"at 10:00 has 20 already: {families[0].reference} (10:00–12:00)" in str(refused.value)
    assert ContactSession.objects.count() == 20
