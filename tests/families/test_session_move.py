"""A session moved to other times on its day (issue 18, point 2): every adult's plan made
again by the keep-apart scheduler, a clash refusing the move, and each consenting adult sent
the same calendar event one version higher."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from families.models import ContactSession, FamilyMail, SessionAttendance
from families.session_move_services import session_move
from tests.factories import (
    AdultFactory,
    EmailConsentFactory,
    FamilyFactory,
    KeepApartFactory,
    ReferralFactory,
)
from tests.mail_cases import events_of, raw_calendar, sent_to
from tests.session_cases import book

pytestmark = pytest.mark.django_db
T = datetime.time


@pytest.fixture
def booked(cast, case):
    for adult in (case.resident, case.other):
        EmailConsentFactory(adult=adult, recorded_by=cast.coordinator)
    return book(case.family, [case.resident, case.other], by=cast.coordinator)


def plans(session):
    return {
        a.adult_id: (a.arrives_at, a.leaves_at, a.returns_at, a.departs_at)
        for a in SessionAttendance.objects.filter(session=session)
    }


def test_moving_plans_everyone_again_and_sends_each_their_new_times(
    cast, login, case, booked, django_capture_on_commit_callbacks
):
    before = plans(booked)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.coordinator).post(
            reverse("session_move", args=[booked.pk]), {"starts_at": "14:00", "ends_at": "15:30"}
        )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert (booked.starts_at, booked.ends_at, booked.status) == (T(14), T(15, 30), "booked")
    after = plans(booked)
    assert after[case.other.pk] == (T(14), None, None, T(15, 30))
    assert after[case.resident.pk][0] < T(14) and after != before  # hands over first
    (to_other,) = sent_to(case.other.email)
    assert "Changed: your contact session on" in to_other.subject
    assert "Arrive at 2pm." in to_other.body and "Leave by 3:30pm." in to_other.body
    assert "METHOD:REQUEST" in raw_calendar(to_other)
    (event,) = events_of(to_other)
    assert int(event["sequence"]) == 1
    assert event.decoded("dtstart").astimezone().time() == T(14)
    for secret in (case.resident.first_name, case.resident.last_name, case.resident.email):
        assert secret not in to_other.body
    assert len(mail.outbox) == 2
    assert set(FamilyMail.objects.values_list("kind", "sequence")) == {("update", 1)}


def test_a_clash_with_someone_kept_apart_refuses_the_move_and_changes_nothing(
    cast, login, case, booked
):
    elsewhere = FamilyFactory(centre=cast.centre)
    ReferralFactory(family=elsewhere, status="accepted")
    stranger = AdultFactory(family=elsewhere)
    KeepApartFactory(adult_a=case.other, adult_b=stranger)
    book(elsewhere, [stranger], start="16:00", end="17:00", by=cast.coordinator)
    before = plans(booked)
    page = login(cast.coordinator).post(
        reverse("session_move", args=[booked.pk]), {"starts_at": "15:30", "ends_at": "16:30"}
    )
    assert "must be kept apart" in page.content.decode()
    assert 'value="15:30"' in page.content.decode()  # what was typed stays
    booked.refresh_from_db()
    assert (booked.starts_at, booked.status) == (T(10), "booked")
    assert plans(booked) == before
    assert not FamilyMail.objects.exists()


def test_bad_input_is_refused_with_a_message(cast, login, booked):
    client = login(cast.coordinator)
    url = reverse("session_move", args=[booked.pk])
    for data, message in [
        ({"starts_at": "15:00", "ends_at": "14:00"}, "Contact must end after it starts"),
        ({"starts_at": "10:00", "ends_at": "12:00"}, "the session&#x27;s times already"),
        ({"starts_at": "25:00", "ends_at": ""}, "Enter a valid time"),
    ]:
        assert message in client.post(url, data).content.decode()
    booked.status = ContactSession.Status.CANCELLED
    booked.save()
    with pytest.raises(Exception, match="cancelled"):
        session_move(session=booked, starts_at=T(13), ends_at=T(14), by=cast.coordinator)


OUTSIDERS = [
    "other_coordinator", "chair", "volunteer", "referrer", "operator", "other_chair",
    "other_volunteer", "other_referrer",
]  # fmt: skip


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404(cast, login, booked, who):
    client = login(getattr(cast, who))
    url = reverse("session_move", args=[booked.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"starts_at": "14:00", "ends_at": "15:00"}).status_code == 404
    booked.refresh_from_db()
    assert booked.starts_at == T(10)


def test_a_room_full_at_the_new_times_refuses_the_move(cast, login, case, booked):
    from tests.session_cases import room_named

    small = room_named(cast.centre, "Snug", capacity=1)
    booked.room = small
    booked.save()
    elsewhere = FamilyFactory(centre=cast.centre)
    ReferralFactory(family=elsewhere, status="accepted")
    book(elsewhere, [AdultFactory(family=elsewhere)], start="15:00", end="16:00",
         by=cast.coordinator, room=small)  # fmt: skip
    page = login(cast.coordinator).post(
        reverse("session_move", args=[booked.pk]), {"starts_at": "15:00", "ends_at": "16:00"}
    )
    assert "Nothing was changed." in page.content.decode()
    booked.refresh_from_db()
    assert booked.starts_at == T(10)
