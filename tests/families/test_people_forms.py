"""The forms that change a family's people: adults, children and rules acknowledgements.
Each writes through a service, keeps what was typed on error and explains every error."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Adult, Child, RulesAcknowledgement
from tests.factories import (
    AdultFactory,
    ChildFactory,
    FamilyFactory,
)
from tests.families.form_cases import ADULT, CHILD, aged, moved

pytestmark = pytest.mark.django_db


# --- adults -------------------------------------------------------------------------------------


def test_a_coordinator_adds_an_adult(cast, login, family):
    aged(family)
    response = login(cast.coordinator).post(reverse("adult_add", args=[family.pk]), ADULT)
    assert response.url == reverse("family_detail", args=[family.pk])
    adult = family.adults.get()
    assert (adult.first_name, adult.last_name, adult.email) == ("Rowena", "Quill", ADULT["email"])
    assert adult.last_name_index == Adult._meta.get_field("last_name_index").digest("Quill")
    assert moved(family)


def test_an_invalid_email_is_explained_and_what_was_typed_is_kept(cast, login, family):
    response = login(cast.coordinator).post(
        reverse("adult_add", args=[family.pk]), {**ADULT, "email": "rowena-at-example"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in html
    assert 'value="Rowena"' in html and 'value="rowena-at-example"' in html
    assert not family.adults.exists()


def test_an_adult_needs_a_first_and_last_name(cast, login, family):
    data = {**ADULT, "first_name": "", "last_name": " "}
    html = login(cast.coordinator).post(reverse("adult_add", args=[family.pk]), data).content
    assert html.decode().count("This field is required.") == 2
    assert not family.adults.exists()


def test_the_edit_form_never_shows_the_stored_contact_details(cast, login, family):
    adult = AdultFactory(family=family, **{**ADULT, "role": Adult.Role.RESIDENT_PARENT})
    html = login(cast.coordinator).get(reverse("adult_edit", args=[family.pk, adult.pk]))
    html = html.content.decode()
    assert 'value="Rowena"' in html
    for value in ["Larkspur", "07700 900123", "rowena@example.net"]:
        assert value not in html


def test_editing_an_adult_keeps_blank_contact_details_and_replaces_typed_ones(cast, login, family):
    adult = AdultFactory(family=family, **ADULT)
    aged(family)
    data = {**ADULT, "first_name": "Ro", "address": "", "phone": "", "email": "new@example.net"}
    response = login(cast.coordinator).post(reverse("adult_edit", args=[family.pk, adult.pk]), data)
    assert response.status_code == 302
    adult.refresh_from_db()
    assert (adult.first_name, adult.address, adult.phone, adult.email) == (
        "Ro", "14 Larkspur Close", "07700 900123", "new@example.net",
    )  # fmt: skip
    assert moved(family)


def test_editing_an_adult_can_remove_a_stored_detail(cast, login, family):
    adult = AdultFactory(family=family, **ADULT)
    data = {**ADULT, "address": "", "phone": "", "email": "", "remove": ["phone"]}
    login(cast.coordinator).post(reverse("adult_edit", args=[family.pk, adult.pk]), data)
    adult.refresh_from_db()
    assert (adult.address, adult.phone, adult.email) == (
        "14 Larkspur Close", "", "rowena@example.net",
    )  # fmt: skip


def test_an_adult_of_another_family_cannot_be_edited_through_this_one(cast, login, family):
    stranger = AdultFactory(family=FamilyFactory(centre=cast.centre), first_name="Barnaby")
    url = reverse("adult_edit", args=[family.pk, stranger.pk])
    assert login(cast.coordinator).post(url, ADULT).status_code == 404
    stranger.refresh_from_db()
    assert stranger.first_name == "Barnaby"


# --- children -----------------------------------------------------------------------------------


def test_a_coordinator_adds_a_child(cast, login, family):
    aged(family)
    response = login(cast.coordinator).post(reverse("child_add", args=[family.pk]), CHILD)
    assert response.url == reverse("family_detail", args=[family.pk])
    child = family.children.get()
    assert (child.first_name, child.date_of_birth) == ("Tilly", datetime.date(2019, 3, 14))
    assert moved(family)


def test_an_impossible_date_of_birth_is_explained_and_what_was_typed_is_kept(cast, login, family):
    response = login(cast.coordinator).post(
        reverse("child_add", args=[family.pk]), {**CHILD, "date_of_birth": "2019-02-30"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a real date" in html
    assert 'value="Tilly"' in html and 'value="2019-02-30"' in html
    assert not Child.objects.exists()


def test_a_date_of_birth_in_the_future_is_refused(cast, login, family):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(cast.coordinator).post(
        reverse("child_add", args=[family.pk]), {**CHILD, "date_of_birth": tomorrow.isoformat()}
    )
    assert "cannot be in the future" in response.content.decode()
    assert not Child.objects.exists()


def test_editing_a_child_refuses_an_adults_date_of_birth_as_the_referral_form_does(
    cast, login, family
):
    child = ChildFactory(
        family=family, first_name="Tilly", date_of_birth=datetime.date(2019, 3, 14)
    )
    grown = timezone.localdate().replace(year=timezone.localdate().year - 30, month=1, day=1)
    response = login(cast.coordinator).post(
        reverse("child_edit", args=[family.pk, child.pk]),
        {**CHILD, "date_of_birth": grown.isoformat()},
    )
    assert "Contact centres are for children: check the year." in response.content.decode()
    child.refresh_from_db()
    assert child.date_of_birth == datetime.date(2019, 3, 14)


def test_a_coordinator_edits_a_child(cast, login, family):
    child = ChildFactory(family=family, first_name="Tilly")
    url = reverse("child_edit", args=[family.pk, child.pk])
    client = login(cast.coordinator)
    assert 'value="Tilly"' in client.get(url).content.decode()
    client.post(url, {**CHILD, "needs": "Speaks Welsh at home."})
    child.refresh_from_db()
    assert child.needs == "Speaks Welsh at home."


# --- rules acknowledgements ---------------------------------------------------------------------


def test_an_acknowledgement_of_both_rules_is_recorded(cast, login, family):
    adult = AdultFactory(family=family)
    aged(family)
    response = login(cast.coordinator).post(
        reverse("acknowledgement_add", args=[family.pk, adult.pk]),
        {"acknowledged_on": "2026-01-12", "no_recording": "on", "no_discussing_others": "on"},
    )
    assert response.url == reverse("family_detail", args=[family.pk])
    ack = RulesAcknowledgement.objects.get()
    assert (ack.adult, ack.acknowledged_on, ack.policy_version, ack.recorded_by) == (
        adult, datetime.date(2026, 1, 12), cast.centre.rules_version, cast.coordinator,
    )  # fmt: skip
    assert moved(family)


def test_an_acknowledgement_needs_both_rules_ticked(cast, login, family):
    adult = AdultFactory(family=family)
    response = login(cast.coordinator).post(
        reverse("acknowledgement_add", args=[family.pk, adult.pk]),
        {"acknowledged_on": "2026-01-12", "no_recording": "on"},
    )
    html = response.content.decode()
    assert "The adult must accept the rule on other users." in html
    assert 'value="2026-01-12"' in html
    assert not RulesAcknowledgement.objects.exists()


def test_an_acknowledgement_with_an_impossible_date_is_explained(cast, login, family):
    adult = AdultFactory(family=family)
    response = login(cast.coordinator).post(
        reverse("acknowledgement_add", args=[family.pk, adult.pk]),
        {"acknowledged_on": "2026-13-45", "no_recording": "on", "no_discussing_others": "on"},
    )
    assert "Enter a real date" in response.content.decode()
    assert not RulesAcknowledgement.objects.exists()
