"""The coordinator's menu, the longest of any role's, fits the window: on a laptop screen it
wraps rather than pushing the page sideways, and on a narrow one it folds behind a button
that opens it (Bootstrap's script, served by the app, under the CSP)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.helpers import sign_in
from tests.factories import UserFactory


@pytest.fixture
def coordinator(db):
    # Names as long as real ones: the menu shares its bar with both.
    user = UserFactory(
        role="coordinator",
        email="cora@example.org",
        full_name="Cora Montgomery-Whitfield",
        centre__name="Chesterfield and North Derbyshire Child Contact Centre",
    )
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 1366])
def test_on_a_laptop_screen_the_whole_menu_shows_without_scrolling_sideways(
    page, coordinator, width
):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, coordinator)
    page.wait_for_url("**/dashboard/")
    assert sideways_overflow(page) <= 0
    for name in ["Dashboard", "Families", "Volunteers", "Retention"]:
        assert page.get_by_role("link", name=name, exact=True).is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()


@pytest.mark.django_db(transaction=True)
def test_on_a_narrow_screen_the_menu_opens_from_its_button(page, coordinator):
    page.set_viewport_size({"width": 800, "height": 800})
    sign_in(page, coordinator)
    page.wait_for_url("**/dashboard/")
    assert sideways_overflow(page) <= 0
    families = page.get_by_role("link", name="Families", exact=True)
    assert not families.is_visible()
    page.get_by_role("button", name="Show navigation").click()
    families.click()
    page.wait_for_url("**/families/")
