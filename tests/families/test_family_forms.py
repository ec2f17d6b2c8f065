"""The forms that change a family: its status, adults, children, keep-apart flags, rules
acknowledgements and concerns. Each writes through a service, keeps what was typed on error
and explains every error."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Adult, Child, Concern, Family, KeepApart, RulesAcknowledgement
from tests.factories import (
    AdultFactory,
    ChildFactory,
    ConcernFactory,
    FamilyFactory,
    KeepApartFactory,
)

pytestmark = pytest.mark.django_db

ADULT = {
    "role": "resident", "first_name": "Rowena", "last_name": "Quill",
    "address": "14 Larkspur Close", "phone": "07700 900123", "email": "rowena@example.net",
}  # fmt: skip
CHILD = {"first_name": "Tilly", "last_name": "Quill", "date_of_birth": "2019-03-14", "needs": ""}


@pytest.fixture
def family(cast):
    return FamilyFactory(centre=cast.centre, reference="HOM-2026-0001")


def a_while_ago():
    return timezone.now() - datetime.timedelta(days=30)


def aged(family) -> Family:
    """The family as if last used a month ago, so a test can see a write move it."""
    Family.objects.filter(pk=family.pk).update(last_activity=a_while_ago())
    family.refresh_from_db()
    return family


def moved(family) -> bool:
    before = family.last_activity
    family.refresh_from_db()
    return family.last_activity > before


# --- the family ---------------------------------------------------------------------------------


def test_a_coordinator_creates_a_family_and_lands_on_its_page(cast, login):
    client = login(cast.coordinator)
    assert client.get(reverse("family_create")).status_code == 200
    response = client.post(reverse("family_create"), {"status": "active"})
    family = Family.objects.get()
    assert response.url == reverse("family_detail", args=[family.pk])
    assert (family.centre, family.status) == (cast.centre, Family.Status.ACTIVE)
    assert family.reference.startswith(f"HOM-{timezone.localdate().year}-")


def test_a_made_up_status_is_refused(cast, login):
    response = login(cast.coordinator).post(reverse("family_create"), {"status": "vanished"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Family.objects.exists()


def test_a_coordinator_changes_a_familys_status(cast, login, family):
    aged(family)
    url = reverse("family_edit", args=[family.pk])
    client = login(cast.coordinator)
    assert 'value="referred" selected' in client.get(url).content.decode()
    response = client.post(url, {"status": "closed"})
    assert response.url == reverse("family_detail", args=[family.pk])
    assert moved(family)
    assert family.status == Family.Status.CLOSED


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


# --- keep-apart flags ---------------------------------------------------------------------------


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


# --- concerns -----------------------------------------------------------------------------------


def test_a_coordinator_raises_a_concern(cast, login, family):
    aged(family)
    response = login(cast.coordinator).post(
        reverse("concern_add", args=[family.pk]),
        {"kind": "safeguarding", "text": "Child arrived with a bruise."},
    )
    assert response.url == reverse("family_detail", args=[family.pk])
    concern = Concern.objects.get()
    assert (concern.family, concern.kind, concern.text, concern.raised_by) == (
        family, "safeguarding", "Child arrived with a bruise.", cast.coordinator,
    )  # fmt: skip
    assert moved(family)


def test_a_concern_needs_its_text(cast, login, family):
    response = login(cast.coordinator).post(
        reverse("concern_add", args=[family.pk]), {"kind": "violence", "text": "   "}
    )
    assert "This field is required." in response.content.decode()
    assert 'value="violence" selected' in response.content.decode()
    assert not Concern.objects.exists()


def test_a_coordinator_closes_a_concern_with_its_outcome(cast, login, family):
    concern = ConcernFactory(family=family)
    aged(family)
    response = login(cast.coordinator).post(
        reverse("concern_close", args=[concern.pk]), {"outcome": "Spoke to both parents."}
    )
    assert response.url == reverse("family_detail", args=[family.pk])
    concern.refresh_from_db()
    assert (concern.status, concern.outcome, concern.closed_by) == (
        "closed", "Spoke to both parents.", cast.coordinator,
    )  # fmt: skip
    assert moved(family)


def test_closing_a_concern_needs_the_outcome(cast, login, family):
    concern = ConcernFactory(family=family)
    response = login(cast.coordinator).post(
        reverse("concern_close", args=[concern.pk]), {"outcome": ""}
    )
    assert "Record what was done." in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == "open"


# --- outsiders ----------------------------------------------------------------------------------


@pytest.fixture
def targets(cast, family):
    """Every form of a family of the home centre: (method, url, data)."""
    adult = AdultFactory(family=family)
    other = AdultFactory(family=family, role=Adult.Role.NON_RESIDENT_PARENT)
    child = ChildFactory(family=family)
    flag = KeepApartFactory(adult_a=adult, adult_b=other)
    concern = ConcernFactory(family=family)
    pk = family.pk
    ack = {"acknowledged_on": "2026-01-12", "no_recording": "on", "no_discussing_others": "on"}
    return [
        ("post", reverse("family_edit", args=[pk]), {"status": "closed"}),
        ("post", reverse("adult_add", args=[pk]), ADULT),
        ("post", reverse("adult_edit", args=[pk, adult.pk]), ADULT),
        ("post", reverse("child_add", args=[pk]), CHILD),
        ("post", reverse("child_edit", args=[pk, child.pk]), CHILD),
        (
            "post",
            reverse("keep_apart_add", args=[pk]),
            {"adult": adult.pk, "other_adult": other.pk},
        ),
        ("post", reverse("keep_apart_remove", args=[pk, flag.pk]), {}),
        ("post", reverse("acknowledgement_add", args=[pk, adult.pk]), ack),
        ("post", reverse("concern_add", args=[pk]), {"kind": "guidance", "text": "Help?"}),
        ("post", reverse("concern_close", args=[concern.pk]), {"outcome": "Done."}),
    ]


def snapshot():
    return (
        list(Family.objects.values_list("status", "last_activity")),
        Adult.objects.count(), Child.objects.count(), KeepApart.objects.count(),
        RulesAcknowledgement.objects.count(), Concern.objects.filter(status="open").count(),
    )  # fmt: skip


@pytest.mark.parametrize(
    "role", ["other_coordinator", "chair", "volunteer", "referrer", "operator"]
)
def test_outsiders_get_a_404_from_every_family_form_and_change_nothing(cast, login, targets, role):
    client = login(getattr(cast, role))
    before = snapshot()
    for method, url, data in targets:
        if "remove" not in url:
            assert client.get(url).status_code == 404, url
        assert getattr(client, method)(url, data).status_code == 404, url
    assert snapshot() == before


@pytest.mark.parametrize("role", ["chair", "volunteer", "referrer", "operator"])
def test_only_coordinators_create_families(cast, login, role):
    client = login(getattr(cast, role))
    assert client.get(reverse("family_create")).status_code == 404
    assert client.post(reverse("family_create"), {"status": "active"}).status_code == 404
    assert not Family.objects.exists()


def test_another_centres_coordinator_creates_families_only_in_their_own_centre(cast, login):
    login(cast.other_coordinator).post(reverse("family_create"), {"status": "active"})
    assert Family.objects.get().centre == cast.other_centre


def test_anonymous_visitors_are_sent_to_sign_in(client, targets):
    before = snapshot()
    for method, url, data in [*targets, ("post", reverse("family_create"), {"status": "active"})]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login"))
    assert snapshot() == before
