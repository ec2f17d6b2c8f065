"""Volunteers and referrers use the centre's pages on their phones: every page they can reach
fits a 375 px wide screen (an iPhone SE, the narrowest in common use) without scrolling
sideways. The pages are found by following links from each role's start page on the demo data,
so a page added later is measured without being listed here; the pages reached only by a form
(the attendance answer, the referral form with its errors) are added by hand."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.crawl import Walk
from tests.browser.demo_world import PASSWORD, load_demo_world
from tests.browser.helpers import sign_in

PHONE = {"width": 375, "height": 667}
WIDTH_JS = "document.documentElement.scrollWidth"


def too_wide(page, path: str, found: dict[str, int]) -> None:
    width = page.evaluate(WIDTH_JS)
    if width > PHONE["width"]:
        found[path] = width


@pytest.fixture
def world(transactional_db):
    users = load_demo_world()
    # The browser tests sign in through the form; a role without two-factor has no device.
    assert not TOTPDevice.objects.filter(user__in=[users["volunteer"], users["referrer"]])
    return users


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["volunteer", "referrer"])
def test_every_page_of_the_role_fits_a_phone_screen(page, live_server, world, role):
    page.set_viewport_size(PHONE)
    sign_in(page, world[role], PASSWORD)
    page.wait_for_load_state()
    # These roles have few pages: every one of them is walked (each of the volunteer's
    # sessions, the past one with its note too), not two of each kind.
    walk = Walk(origin=live_server.url, per_shape=20)
    wide: dict[str, int] = {}
    for path in walk.pages(page, page.url.removeprefix(live_server.url)):
        too_wide(page, path, wide)
        if len(walk.visited) == 1:  # the menu, opened, is the same on every page
            page.get_by_role("button", name="Show navigation").click()
            page.locator("#nav-main.show").wait_for()
            too_wide(page, f"{path} with the menu open", wide)

    if role == "volunteer":
        page.goto("/portal/calendar/")
        page.get_by_role("button", name="Make my calendar address").click()
        page.locator(".feed-url").wait_for()
        too_wide(page, "My calendar, with the new address shown once", wide)

    if role == "referrer":
        page.goto("/attendance/")
        page.get_by_role("link", name="Ask for attendance").first.click()
        page.get_by_role("button", name="Show attendance").click()
        page.get_by_role("heading", name="session").wait_for()
        too_wide(page, "the attendance answer", wide)
        page.goto("/referrer/refer/")
        page.get_by_role("button", name="Send the referral").click()
        page.get_by_role("heading", name="There is a problem").wait_for()
        too_wide(page, "the referral form with its errors", wide)

    print(f"{role}: {len(walk.visited)} pages at 375 px: {walk.visited}")
    assert len(walk.visited) >= 3, walk.visited
    assert not walk.left, f"the walk stopped at its limit of {walk.limit} pages: {walk.left}"
    assert not walk.errors, walk.errors
    assert not wide, f"wider than 375 px (page: scroll width): {wide}"
