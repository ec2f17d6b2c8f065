"""The warning before a second family is made for people the centre already has
(families/duplicates.py): an adult of the same name, or a child of the same name and date of
birth, in another family of the same centre, found through the blind index."""

import pytest
from django.urls import reverse

from families.models import Adult, Child, Family, Referral
from tests.factories import AdultFactory, ChildFactory, FamilyFactory
from tests.families.form_cases import ADULT, CHILD
from tests.families.test_referral_intake import intake

pytestmark = pytest.mark.django_db

HOLLOWAYS = {
    "adults-0-first_name": "Amira",
    "adults-0-last_name": "Holloway",
    "adults-1-first_name": "Dean",
    "adults-1-last_name": "Kerr",
    "children-0-first_name": "Lily",
    "children-0-last_name": "Holloway",
    "children-0-date_of_birth": "2019-05-04",
}


def existing(centre, reference="HOM-2025-0001") -> Family:
    family = FamilyFactory(centre=centre, reference=reference)
    AdultFactory(family=family, first_name="Amira", last_name="Holloway")
    return family


def post_referral(client, **fields):
    return client.post(reverse("referral_create"), intake(**{**HOLLOWAYS, **fields}))


def test_an_adult_of_the_same_name_warns_with_a_link_and_saves_nothing(cast, login):
    family = existing(cast.centre)
    response = post_referral(login(cast.coordinator), **{"adults-0-first_name": "amira "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This centre may already have this family" in html
    assert f'href="{reverse("family_detail", args=[family.pk])}"' in html
    assert "already has Amira Holloway" in html
    assert Family.objects.count() == 1 and not Referral.objects.exists()
    # What was typed is all there to send again.
    assert 'value="Hartley &amp; Shaw LLP"' in html and 'value="2019-05-04"' in html
    assert "Nothing has been sent yet. Please correct" not in html


def test_confirming_those_families_enters_the_referral(cast, login):
    family = existing(cast.centre)
    client = login(cast.coordinator)
    response = post_referral(client, confirm_duplicates=str(family.pk))
    assert response.status_code == 302
    assert Family.objects.count() == 2 and Referral.objects.count() == 1


def test_a_confirmation_of_other_families_does_not_cover_a_new_match(cast, login):
    first = existing(cast.centre)
    second = FamilyFactory(centre=cast.centre, reference="HOM-2025-0002")
    ChildFactory(family=second, first_name="Lily", last_name="Holloway",
                 date_of_birth="2019-05-04")  # fmt: skip
    response = post_referral(login(cast.coordinator), confirm_duplicates=str(first.pk))
    assert response.status_code == 200
    assert "HOM-2025-0002" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_child_matches_by_name_and_date_of_birth_together(cast, login):
    family = FamilyFactory(centre=cast.centre)
    ChildFactory(family=family, first_name="Lily", last_name="Holloway",
                 date_of_birth="2019-05-05")  # fmt: skip
    client = login(cast.coordinator)
    assert post_referral(client, **{"adults-0-first_name": "Ava"}).status_code == 302
    response = post_referral(
        client, **{"adults-0-first_name": "Ava", "children-0-date_of_birth": "2019-05-05"}
    )
    assert response.status_code == 200
    assert "already has Lily Holloway" in response.content.decode()


def test_a_surname_alone_is_not_a_match(cast, login):
    existing(cast.centre)
    response = post_referral(login(cast.coordinator), **{"adults-0-first_name": "Zainab"})
    assert response.status_code == 302


def test_another_centres_family_is_never_mentioned(cast, login):
    theirs = existing(cast.other_centre, reference="OTH-2026-0001")
    response = post_referral(login(cast.coordinator))
    assert response.status_code == 302
    assert Family.objects.exclude(pk=theirs.pk).count() == 1


def test_the_referrer_is_not_told_but_the_coordinator_sees_it_on_the_referral(cast, login):
    family = existing(cast.centre)
    response = login(cast.referrer).post(reverse("referrer_refer"), intake(**HOLLOWAYS))
    assert response.status_code == 302
    referral = Referral.objects.get()
    page = login(cast.coordinator).get(reverse("referral_detail", args=[referral.pk]))
    html = page.content.decode()
    assert "The centre may already have this family" in html
    assert f'href="{reverse("family_detail", args=[family.pk])}"' in html


def test_a_referral_matching_no_one_shows_no_warning(cast, login):
    post_referral(login(cast.coordinator))
    referral = Referral.objects.get()
    page = login(cast.coordinator).get(reverse("referral_detail", args=[referral.pk]))
    assert "may already have this family" not in page.content.decode()


# --- a new family, person by person ---------------------------------------------------------


def test_adding_an_adult_the_centre_has_in_another_family_warns_then_saves_when_confirmed(
    cast, login
):
    other = FamilyFactory(centre=cast.centre, reference="HOM-2025-0009")
    AdultFactory(family=other, first_name="Rowena", last_name="Quill")
    family = FamilyFactory(centre=cast.centre)
    client = login(cast.coordinator)
    url = reverse("adult_add", args=[family.pk])

    response = client.post(url, ADULT)

    assert response.status_code == 200
    html = response.content.decode()
    assert "HOM-2025-0009" in html and 'value="Rowena"' in html
    assert not Adult.objects.filter(family=family).exists()
    assert client.post(url, {**ADULT, "confirm_duplicates": str(other.pk)}).status_code == 302
    assert Adult.objects.filter(family=family).count() == 1


def test_adding_a_child_the_centre_has_in_another_family_warns(cast, login):
    other = FamilyFactory(centre=cast.centre, reference="HOM-2025-0009")
    ChildFactory(family=other, first_name="Tilly", last_name="Quill", date_of_birth="2019-03-14")
    family = FamilyFactory(centre=cast.centre)
    response = login(cast.coordinator).post(reverse("child_add", args=[family.pk]), CHILD)
    assert response.status_code == 200 and "HOM-2025-0009" in response.content.decode()
    assert not Child.objects.filter(family=family).exists()


def test_the_family_itself_is_no_duplicate_of_its_own_people(cast, login):
    family = FamilyFactory(centre=cast.centre)
    AdultFactory(family=family, first_name="Rowena", last_name="Quill")
    response = login(cast.coordinator).post(reverse("adult_add", args=[family.pk]), ADULT)
    assert response.status_code == 302


def test_editing_an_adult_without_renaming_them_does_not_warn_again(cast, login):
    """The same parent may be in two families, with a child of each: once confirmed, their
    address can be changed without being asked again."""
    other = FamilyFactory(centre=cast.centre)
    AdultFactory(family=other, first_name="Rowena", last_name="Quill")
    family = FamilyFactory(centre=cast.centre)
    adult = AdultFactory(family=family, first_name="Rowena", last_name="Quill")
    client = login(cast.coordinator)
    url = reverse("adult_edit", args=[family.pk, adult.pk])
    assert client.post(url, {**ADULT, "address": "2 New Road"}).status_code == 302
    renamed = {**ADULT, "first_name": "Rowan"}
    AdultFactory(family=other, first_name="Rowan", last_name="Quill")
    assert client.post(url, renamed).status_code == 200
