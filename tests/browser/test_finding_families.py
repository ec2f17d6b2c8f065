"""A coordinator finds the Holloways by part of their name (the address bar never shows it),
then starts a second family for Amira Holloway and is warned, with a link, before saving."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from families.models import Adult
from tests.browser.helpers import sign_in
from tests.factories import AdultFactory, ChildFactory, FamilyFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_finds_a_family_by_part_of_a_name_and_is_warned_of_a_second(page):
    coordinator = UserFactory(role="coordinator", email="cora@example.org")
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    holloways = FamilyFactory(centre=coordinator.centre)
    AdultFactory(family=holloways, first_name="Amira", last_name="Holloway")
    ChildFactory(family=holloways, first_name="Lily", last_name="Holloway")
    newcomers = FamilyFactory(centre=coordinator.centre)

    sign_in(page, coordinator)
    page.wait_for_url("**/dashboard/")
    page.goto("/families/")
    page.get_by_label("Name or reference").fill("hollow")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/families/?search=1")
    assert "hollow" not in page.url.lower()
    row = page.get_by_role("row").filter(has_text=holloways.reference)
    assert "Amira Holloway" in row.inner_text() and "Lily Holloway" in row.inner_text()

    page.goto(f"/families/{newcomers.pk}/adults/new/")
    page.get_by_label("Role").select_option(Adult.Role.RESIDENT_PARENT)
    page.get_by_label("First name").fill("Amira")
    page.get_by_label("Surname").fill("Holloway")
    page.get_by_role("button", name="Add", exact=True).click()

    warning = page.locator("#possible-duplicates")
    assert "already has Amira Holloway" in warning.inner_text()
    assert warning.get_by_role("link", name=holloways.reference).is_visible()
    assert page.get_by_label("First name").input_value() == "Amira"  # kept as typed
    assert not Adult.objects.filter(family=newcomers).exists()
    page.get_by_role("button", name="A different person: save anyway").click()
    page.wait_for_url(f"**/families/{newcomers.pk}/")
    assert Adult.objects.filter(family=newcomers).count() == 1
