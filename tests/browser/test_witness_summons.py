"""The chair signs in, finds the open witness summons on the committee page, opens it and
downloads the letter to the court as a PDF named by the summons' ID (CHE-WS)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc.models import Role
from tests.browser.helpers import sign_in
from tests.factories import UserFactory, WitnessSummonsFactory


@pytest.mark.django_db(transaction=True)
def test_the_chair_opens_a_witness_summons_and_downloads_the_letter(page):
    chair = UserFactory(role=Role.CHAIR, email="chair@example.org")
    TOTPDevice.objects.create(user=chair, name="phone", confirmed=True)
    summons = WitnessSummonsFactory(centre=chair.centre, court="Family Court at Brighton")

    sign_in(page, chair)
    page.wait_for_url("**/committee/")
    page.get_by_role("link", name=f"Witness summons #{summons.pk}").click()
    page.wait_for_url(f"**/legal/summonses/{summons.pk}/")
    assert page.get_by_role("heading", name=f"Witness summons #{summons.pk}").is_visible()
    assert page.get_by_text(summons.case_number).is_visible()

    with page.expect_download() as info:
        page.get_by_role("link", name="Download the letter (PDF)").click()
    download = info.value
    assert download.suggested_filename == f"summons-{summons.pk}-letter.pdf"
    with open(download.path(), "rb") as letter:
        assert letter.read().startswith(b"%PDF")
