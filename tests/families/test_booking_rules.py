"""Issue 17, "What was seen": the booking rules a coordinator could walk through. A room is
not double-booked, nor filled past its capacity; a family is not booked twice at overlapping
times; a date in the past is not booked; a family without an accepted referral is not
booked. Each refusal names the clash and the form keeps what was typed."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
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
LONG_AGO = datetime.timedelta(days=900)


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


# --- the room's capacity, moment by moment --------------------------------------------------


def test_back_to_back_sessions_share_a_room_for_one(cast):
    blue = room_named(cast.centre, "Blue room")
    book(bookable_family(cast.centre), by=cast.coordinator, room=blue, start="10:00", end="11:00")
    book(bookable_family(cast.centre), by=cast.coordinator, room=blue, start="11:00", end="12:00")
    book(bookable_family(cast.centre), by=cast.coordinator, room=blue, start="09:00", end="10:00")
    assert ContactSession.objects.count() == 3


def test_a_room_is_counted_at_its_busiest_moment_not_by_every_overlap(cast):
    garden = room_named(cast.centre, "Garden room", capacity=2)
    early = bookable_family(cast.centre)
    book(early, by=cast.coordinator, room=garden, start="10:00", end="11:00")
    book(bookable_family(cast.centre), by=cast.coordinator, room=garden, start="11:00", end="12:00")
    # Two sessions overlap 10:00-12:00, but never both at once: two families at most.
    book(bookable_family(cast.centre), by=cast.coordinator, room=garden, start="10:00", end="12:00")
    with pytest.raises(ValidationError) as refused:
        book(bookable_family(cast.centre), by=cast.coordinator, room=garden, start="10:30")
    (message,) = refused.value.messages
    whole = ContactSession.objects.get(starts_at="10:00", ends_at="12:00").family.reference
    assert message == (
        "Garden room holds 2 families at once, and at 10:30 has 2 already: "
        f"{early.reference} (10:00–11:00), {whole} (10:00–12:00)."
    )
    # Room at the start, none an hour later: the whole contact time is counted.
    quiet = room_named(cast.centre, "Quiet room", capacity=2)
    book(bookable_family(cast.centre), by=cast.coordinator, room=quiet, end="10:30")
    for _ in range(2):
        book(bookable_family(cast.centre), by=cast.coordinator, room=quiet, start="11:00")
    with pytest.raises(ValidationError, match="at 11:00 has 2 already"):
        book(bookable_family(cast.centre), by=cast.coordinator, room=quiet)


def test_a_room_taken_on_another_day_is_free_on_this_one(cast):
    book(bookable_family(cast.centre), by=cast.coordinator, date=DAY + datetime.timedelta(1))
    book(bookable_family(cast.centre), by=cast.coordinator, date=DAY)
    assert ContactSession.objects.count() == 2


def test_the_sessions_in_a_full_room_are_named_in_time_order(cast):
    hall = room_named(cast.centre, "Hall", capacity=2)
    later = book(bookable_family(cast.centre), by=cast.coordinator, room=hall, start="10:30")
    early = book(bookable_family(cast.centre), by=cast.coordinator, room=hall, start="10:00")
    with pytest.raises(ValidationError) as refused:
        book(bookable_family(cast.centre), by=cast.coordinator, room=hall, start="11:00")
    assert refused.value.messages[0].endswith(
        f"has 2 already: {early.family.reference} (10:00–12:00), "
        f"{later.family.reference} (10:30–12:00)."
    )


def test_a_cancelled_session_leaves_its_room_free(cast):
    first = book(bookable_family(cast.centre), by=cast.coordinator)
    session_services.session_cancel(session=first, by=cast.coordinator)
    book(bookable_family(cast.centre), by=cast.coordinator)
    assert ContactSession.objects.filter(status="booked").count() == 1


def test_another_centres_room_and_a_room_no_longer_used_are_refused(cast):
    family = bookable_family(cast.centre)
    with pytest.raises(ValidationError) as refused:
        book(family, by=cast.coordinator, room=room_named(cast.other_centre, "Blue room"))
    assert refused.value.messages == ["Choose one of the centre's own rooms."]
    old = room_named(cast.centre, "Old hut")
    old.in_use = False
    old.save()
    with pytest.raises(ValidationError, match="Old hut is marked as no longer used."):
        book(family, by=cast.coordinator, room=old)
    assert not ContactSession.objects.exists()


# --- the family, the date, the referral -------------------------------------------------------


def test_the_same_family_may_come_twice_on_a_day_at_times_that_do_not_overlap(cast):
    family = bookable_family(cast.centre)
    book(family, by=cast.coordinator, start="10:00", end="11:00")
    book(family, by=cast.coordinator, room=room_named(cast.centre, "Hall"), start="11:00")
    with pytest.raises(ValidationError, match="is booked already from 10:00 to 11:00"):
        book(family, by=cast.coordinator, room=room_named(cast.centre, "Attic"), start="10:30")


def test_today_can_be_booked_and_yesterday_cannot(cast):
    family = bookable_family(cast.centre)
    today = timezone.localdate()
    book(family, by=cast.coordinator, date=today, start="23:00", end="23:30")
    with pytest.raises(ValidationError, match="is in the past"):
        book(family, by=cast.coordinator, date=today - datetime.timedelta(days=1))
    assert ContactSession.objects.count() == 1


def test_every_problem_of_a_booking_is_named_at_once(cast):
    family = FamilyFactory(centre=cast.centre)
    AdultFactory(family=family, role=Adult.Role.RESIDENT_PARENT)
    book(bookable_family(cast.centre), by=cast.coordinator, date=timezone.localdate())
    with pytest.raises(ValidationError) as refused:
        book(family, by=cast.coordinator, date=timezone.localdate() - datetime.timedelta(days=2))
    messages = refused.value.messages
    past = timezone.localdate() - datetime.timedelta(days=2)
    assert messages == [
        f"{family.reference} has no accepted referral: a family is booked only once its "
        "referral is accepted.",
        f"{past.day} {past:%B %Y} is in the past: sessions are booked from today on. To "
        "record a session that has taken place, use “Record a past session”.",
    ]


def test_the_database_refuses_a_past_date_not_recorded_afterwards(cast):
    family = bookable_family(cast.centre)
    past = timezone.localdate() - datetime.timedelta(days=1)
    fields = {
        "family": family, "centre": cast.centre, "date": past, "starts_at": datetime.time(10),
        "ends_at": datetime.time(11), "contact_type": "supported", "booked_by": cast.coordinator,
    }  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactSession.objects.create(**fields)
    ContactSession.objects.create(**fields, recorded_afterwards=True)
    ContactSession.objects.create(
        **{**fields, "starts_at": datetime.time(12), "ends_at": datetime.time(13)},
        booked_at=timezone.now() - datetime.timedelta(days=3),
    )
    assert ContactSession.objects.count() == 2


def test_a_booking_moves_the_familys_last_activity_to_now(cast):
    family = bookable_family(cast.centre)
    Family.objects.filter(pk=family.pk).update(last_activity=timezone.now() - LONG_AGO)
    before = timezone.now()
    book(family, by=cast.coordinator)
    assert Family.objects.get(pk=family.pk).last_activity >= before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_booking_at_once_cannot_both_take_the_last_place(cast):
    """The second booking waits for the first (the centre's row is locked in the booking's
    transaction), then sees it and is refused; without the lock both would be written."""
    first, second = bookable_family(cast.centre), bookable_family(cast.centre)
    room = room_named(cast.centre, "Blue room")
    outcome: list[str] = []

    def book_second():
        try:
            book(second, by=cast.coordinator, room=room)
            outcome.append("booked")
        except ValidationError as exc:
            outcome.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    with transaction.atomic():
        book(first, by=cast.coordinator, room=room)
        other = threading.Thread(target=book_second)
        other.start()
        other.join(timeout=1)
        assert other.is_alive() and outcome == []  # waiting for the lock
    other.join(timeout=10)
    assert outcome == [
        f"Blue room holds one family at a time and is booked then: {first.reference} (10:00–12:00)."
    ]
    assert ContactSession.objects.count() == 1
