"""The coordinator signs in, goes from the family list to the import, downloads the
template, checks a file, chooses it again and imports it: the family waits on Referrals
(issue 19, point 4)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc.models import Role
from families.models import Family
from tests.browser.helpers import sign_in
from tests.factories import UserFactory
from tests.families.test_family_import import families_csv, family


@pytest.mark.django_db(transaction=True)
def test_the_coordinator_checks_a_spreadsheet_then_imports_it(page, tmp_path):
    coordinator = UserFactory(role=Role.COORDINATOR, email="coordinator@example.org")
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    spreadsheet = tmp_path / "families.csv"
    spreadsheet.write_bytes(families_csv(family(), family(**{"Adult 1 first name": "Rowena"})))

    sign_in(page, coordinator)
    page.goto("/families/")
    page.get_by_role("link", name="Import from a spreadsheet").click()
    page.wait_for_url("**/families/import/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the template").click()
    assert info.value.suggested_filename == "families-template.csv"

    page.get_by_label("CSV file").set_input_files(str(spreadsheet))
    page.get_by_role("button", name="Check the file").click()
    assert page.get_by_role(
        "heading", name="Preview: 2 families, as they will be saved"
    ).is_visible()
    assert page.get_by_text("Resident parent: Rowena Quarrington").is_visible()
    assert Family.objects.count() == 0

    page.get_by_label("The same file again").set_input_files(str(spreadsheet))
    page.get_by_role("button", name="Import 2 families").click()
    page.wait_for_url("**/referrals/")
    assert page.get_by_text("Imported 2 families from the file.").is_visible()
    assert Family.objects.filter(centre=coordinator.centre).count() == 2
