"""Booking a session: the form, staggered arrivals and keep-apart refusals."""

import datetime

import pytest
from django.urls import reverse

from families.models import Adult, ContactSession
from tests.factories import AdultFactory, FamilyFactory, KeepApartFactory, ReferralFactory
from tests.families.session_cases import DAY, book, form_data, text_of

pytestmark = pytest.mark.django_db


def test_the_booking_form_defaults_to_the_resident_parent_and_the_referrals_contact_type(
    cast, login, case
):
    ReferralFactory(family=case.family, status="accepted", contact_type="supported", review_due=DAY)
    response = login(cast.coordinator).get(reverse("session_book", args=[case.family.pk]))
    form = response.context["form"]
    assert form.initial["bringing"] == case.resident.pk
    assert form.initial["contact_type"] == "supported"
    assert form.initial["children"] == [case.child.pk]
    html = text_of(response)
    assert "Rosalind" in html and "Poppy" in html
    for secret in ["Quillfeather", "Hidden Lane", "07700 900111", "rosalind@private.example"]:
        assert secret not in html


def test_the_booking_form_ignores_a_pending_or_declined_referral_for_the_contact_type(
    cast, login, case
):
    ReferralFactory(family=case.family, status="pending", contact_type="supported")
    response = login(cast.coordinator).get(reverse("session_book", args=[case.family.pk]))
    assert response.context["form"].initial["contact_type"] == "supervised"


def test_a_coordinator_books_a_session_with_staggered_arrivals(cast, login, case):
    response = login(cast.coordinator).post(
        reverse("session_book", args=[case.family.pk]), form_data(case)
    )
    session = ContactSession.objects.get()
    assert response.url == reverse("session_detail", args=[session.pk])
    assert (session.date, session.room, session.booked_by) == (DAY, "Garden room", cast.coordinator)
    assert session.instructions == "Meet at the side door."
    plan = session.adults.get(adult=case.resident)
    assert plan.brings_child and plan.leaves_at == datetime.time(9, 45)
    assert [c.child for c in session.children.all()] == [case.child]


def test_a_clash_shows_the_form_again_with_what_was_typed_and_why(cast, login, case):
    other_family = FamilyFactory(centre=cast.centre)
    stepmother = AdultFactory(family=other_family, role=Adult.Role.NAMED_VISITOR)
    KeepApartFactory(adult_a=case.other, adult_b=stepmother)
    book(other_family, [stepmother], start="11:00", end="12:00", by=cast.coordinator)
    response = login(cast.coordinator).post(
        reverse("session_book", args=[case.family.pk]), form_data(case, starts_at="10:30")
    )
    assert response.status_code == 200
    html = text_of(response)
    assert f"{case.family.reference} non-resident parent (10:30–12:00)" in html
    assert f"{other_family.reference} named visitor (10:45–12:15)" in html
    assert 'value="10:30"' in html and 'value="Garden room"' in html
    assert "Meet at the side door." in html
    assert ContactSession.objects.filter(family=case.family).count() == 0


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"starts_at": "12:00", "ends_at": "11:00"}, "Contact must end after it starts."),
        ({"starts_at": "23:00", "ends_at": "23:55"}, "runs past midnight"),
        ({"starts_at": "00:05", "ends_at": "01:00"}, "runs past midnight"),
        ({"starts_at": "25:99"}, "Enter a valid time."),
        ({"date": "2030-02-30"}, "Enter a valid date."),
        ({"bringing": "not-a-number"}, "Select a valid choice."),
        ({"adults": [999999]}, "Select a valid choice."),
        ({"children": []}, "This field is required."),
        ({"adults": []}, "This field is required."),
        ({"contact_type": "court_report"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_a_form_error_never_a_crash(cast, login, case, changes, message):
    response = login(cast.coordinator).post(
        reverse("session_book", args=[case.family.pk]), form_data(case, **changes)
    )
    assert response.status_code == 200
    assert message in text_of(response)
    assert not ContactSession.objects.exists()


def test_the_adult_bringing_the_child_must_attend(cast, login, case):
    response = login(cast.coordinator).post(
        reverse("session_book", args=[case.family.pk]), form_data(case, adults=[case.other.pk])
    )
    assert "Tick the adult bringing the child as attending too." in text_of(response)
    assert not ContactSession.objects.exists()


def test_an_adult_of_another_family_cannot_be_booked_through_this_one(cast, login, case):
    stranger = AdultFactory(family=FamilyFactory(centre=cast.centre))
    response = login(cast.coordinator).post(
        reverse("session_book", args=[case.family.pk]),
        form_data(case, adults=[case.resident.pk, stranger.pk]),
    )
    assert "Select a valid choice." in text_of(response)
    assert not ContactSession.objects.exists()


def test_the_booking_page_lists_the_familys_keep_apart_flags_by_role(cast, login, case):
    html = text_of(login(cast.coordinator).get(reverse("session_book", args=[case.family.pk])))
    ref = case.family.reference
    assert f"{ref} resident parent and {ref} non-resident parent" in html
