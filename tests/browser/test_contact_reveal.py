"""A reveal ends on a normal page (issue 17): a browser refresh shows the details hidden again
and sends no second reveal."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc.models import AccessLog
from tests.browser.helpers import sign_in
from tests.factories import AdultFactory, FamilyFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_a_refresh_after_a_reveal_hides_the_details_and_reveals_nothing_again(page):
    coordinator = UserFactory(role="coordinator", email="cora@example.org")
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    family = FamilyFactory(centre=coordinator.centre)
    AdultFactory(family=family, first_name="Rowena", phone="07700 900123")

    sign_in(page, coordinator)
    page.wait_for_url("**/dashboard/")
    page.goto(f"/families/{family.pk}/")
    page.get_by_role("button", name="Reveal contact details of the resident parent Rowena").click()
    page.wait_for_url(f"**/families/{family.pk}/")
    assert page.get_by_text("07700 900123").is_visible()
    assert "07700" not in page.url

    page.reload()  # a GET of the family page: no form is sent again
    assert page.get_by_role(
        "button", name="Reveal contact details of the resident parent Rowena"
    ).is_visible()
    assert "07700 900123" not in page.content()
    assert AccessLog.objects.filter(action=AccessLog.Action.REVEAL_CONTACT).count() == 1
