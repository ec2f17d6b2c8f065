"""On a phone, a referral sent with a mistake comes back with the list of problems at the top,
focused, so a screen reader reads it first; each problem's link takes the focus to its field,
and what was typed is still there."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_the_errors_are_listed_first_and_each_link_moves_to_its_field(page):
    referrer = UserFactory(role="referrer", email="rhian@example.org", agency="Hartley LLP")
    page.set_viewport_size({"width": 375, "height": 667})
    page.emulate_media(reduced_motion="reduce")  # no smooth scrolling: positions are final
    sign_in(page, referrer)
    page.goto("/referrer/refer/")
    page.get_by_label("Court order details").fill("Child arrangements order of 3 March.")
    page.locator("#id_risk_domestic_abuse_1").check()
    page.locator("#id_adults-0-first_name").fill("Wilhelmina")
    page.get_by_role("button", name="Send the referral").click()

    summary = page.locator("[data-error-summary]")
    summary.get_by_role("heading", name="There is a problem").wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    summary.get_by_role("link", name="Is there a risk of abduction").click()
    assert page.evaluate("document.activeElement.id") == "id_risk_abduction_0"
    # The question above the radio buttons comes into view with them.
    assert page.locator("#div_id_risk_abduction").bounding_box()["y"] > -1  # subpixels
    summary.get_by_role("link", name="Adult 1, surname").click()
    assert page.evaluate("document.activeElement.id") == "id_adults-0-last_name"
    expect(page.locator("label[for='id_adults-0-last_name']")).to_be_in_viewport()

    assert page.locator("#id_adults-0-first_name").input_value() == "Wilhelmina"
    assert page.get_by_label("Court order details").input_value().startswith("Child arrangements")
    assert page.locator("#id_risk_domestic_abuse_1").is_checked()
