"""Keep-apart flags: flagging two adults (of this family or another of the centre) and
removing a flag."""

import pytest
from django.urls import reverse

from families.models import Adult, KeepApart
from tests.factories import AdultFactory, FamilyFactory, KeepApartFactory
from tests.families.form_cases import aged, moved

pytestmark = pytest.mark.django_db


def test_two_adults_of_the_family_are_flagged_to_be_kept_apart(cast, login, family):
    mum = AdultFactory(family=family)
    dad = AdultFactory(family=family, role=Adult.Role.NON_RESIDENT_PARENT)
    aged(family)
    response = login(cast.coordinator).post(
        reverse("keep_apart_add", args=[family.pk]), {"adult": dad.pk, "other_adult": mum.pk}
    )
    assert response.url == reverse("family_detail", args=[family.pk])
    flag = KeepApart.objects.get()
    assert (flag.adult_a, flag.adult_b, flag.created_by) == (mum, dad, cast.coordinator)
    assert moved(family)


def test_an_adult_of_another_family_is_flagged_by_reference_and_role(cast, login, family):
    mum = AdultFactory(family=family)
    other = FamilyFactory(centre=cast.centre, reference="HOM-2026-0002")
    theirs = AdultFactory(family=other, role=Adult.Role.NON_RESIDENT_PARENT)
    AdultFactory(family=other, role=Adult.Role.RESIDENT_PARENT)
    login(cast.coordinator).post(
        reverse("keep_apart_add", args=[family.pk]),
        {"adult": mum.pk, "other_reference": "hom-2026-0002", "other_role": "non_resident"},
    )
    flag = KeepApart.objects.get()
    assert {flag.adult_a, flag.adult_b} == {mum, theirs}


def test_an_unknown_reference_is_explained_and_what_was_typed_is_kept(cast, login, family):
    mum = AdultFactory(family=family)
    response = login(cast.coordinator).post(
        reverse("keep_apart_add", args=[family.pk]),
        {"adult": mum.pk, "other_reference": "HOM-2026-0999", "other_role": "non_resident"},
    )
    html = response.content.decode()
    assert "No family with the reference HOM-2026-0999 uses this centre." in html
    assert 'value="HOM-2026-0999"' in html
    assert 'value="non_resident" selected' in html
    assert not KeepApart.objects.exists()


def test_a_family_of_another_centre_cannot_be_flagged_and_is_not_revealed(cast, login, family):
    mum = AdultFactory(family=family)
    theirs = FamilyFactory(centre=cast.other_centre, reference="OTH-2026-0001")
    AdultFactory(family=theirs, role=Adult.Role.NON_RESIDENT_PARENT)
    response = login(cast.coordinator).post(
        reverse("keep_apart_add", args=[family.pk]),
        {"adult": mum.pk, "other_reference": "OTH-2026-0001", "other_role": "non_resident"},
    )
    assert "No family with the reference OTH-2026-0001 uses this centre." in (
        response.content.decode()
    )
    assert not KeepApart.objects.exists()


def test_a_family_without_an_adult_in_that_role_is_explained(cast, login, family):
    mum = AdultFactory(family=family)
    FamilyFactory(centre=cast.centre, reference="HOM-2026-0002")
    response = login(cast.coordinator).post(
        reverse("keep_apart_add", args=[family.pk]),
        {"adult": mum.pk, "other_reference": "HOM-2026-0002", "other_role": "carer"},
    )
    assert "HOM-2026-0002 has no carer." in response.content.decode()
    assert not KeepApart.objects.exists()


def test_an_adult_cannot_be_kept_apart_from_themselves(cast, login, family):
    mum = AdultFactory(family=family)
    response = login(cast.coordinator).post(
        reverse("keep_apart_add", args=[family.pk]), {"adult": mum.pk, "other_adult": mum.pk}
    )
    assert "Choose two different adults." in response.content.decode()
    assert not KeepApart.objects.exists()


def test_the_other_adult_must_be_given_one_way_only(cast, login, family):
    mum = AdultFactory(family=family)
    dad = AdultFactory(family=family, role=Adult.Role.NON_RESIDENT_PARENT)
    client = login(cast.coordinator)
    url = reverse("keep_apart_add", args=[family.pk])
    assert "Choose the other adult" in client.post(url, {"adult": mum.pk}).content.decode()
    both = {"adult": mum.pk, "other_adult": dad.pk, "other_reference": "HOM-2026-0001"}
    assert "not both" in client.post(url, both).content.decode()
    assert not KeepApart.objects.exists()


def test_an_adult_of_another_family_is_not_offered_as_this_familys_adult(cast, login, family):
    mum = AdultFactory(family=family)
    stranger = AdultFactory(family=FamilyFactory(centre=cast.centre))
    response = login(cast.coordinator).post(
        reverse("keep_apart_add", args=[family.pk]), {"adult": stranger.pk, "other_adult": mum.pk}
    )
    assert "Select a valid choice" in response.content.decode()
    assert not KeepApart.objects.exists()


def test_a_keep_apart_flag_is_removed(cast, login, family):
    other = FamilyFactory(centre=cast.centre)
    flag = KeepApartFactory(adult_a=AdultFactory(family=family), adult_b=AdultFactory(family=other))
    aged(family)
    url = reverse("keep_apart_remove", args=[family.pk, flag.pk])
    client = login(cast.coordinator)
    assert client.get(url).status_code == 405
    assert client.post(url).url == reverse("family_detail", args=[family.pk])
    assert not KeepApart.objects.exists()
    assert moved(family)


def test_a_flag_not_involving_the_family_cannot_be_removed_through_it(cast, login, family):
    flag = KeepApartFactory(adult_a=AdultFactory(family=FamilyFactory(centre=cast.centre)))
    url = reverse("keep_apart_remove", args=[family.pk, flag.pk])
    assert login(cast.coordinator).post(url).status_code == 404
    assert KeepApart.objects.exists()
