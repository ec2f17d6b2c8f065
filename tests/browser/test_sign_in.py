import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.helpers import current_code
from tests.factories import PASSWORD, UserFactory


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_signs_in_with_password_and_code_and_reaches_the_dashboard(page):
    coordinator = UserFactory(role="coordinator", email="cora@example.org")
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)

    page.goto("/")
    page.get_by_label("Email address").fill(coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_label("Six-digit code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/dashboard/")
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    assert coordinator.centre.name in page.content()


@pytest.mark.django_db(transaction=True)
def test_a_wrong_code_keeps_the_coordinator_out(page):
    coordinator = UserFactory(role="coordinator", email="cora@example.org")
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    wrong = f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Six-digit code from your authenticator app").fill(wrong)
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_text("did not match").is_visible()
    page.goto("/dashboard/")
    assert "/accounts/two-factor/verify/" in page.url


@pytest.mark.django_db(transaction=True)
def test_signing_in_returns_to_the_page_asked_for_after_the_code_with_no_navigation_before(page):
    from tests.factories import FamilyFactory

    coordinator = UserFactory(role="coordinator", email="cora@example.org")
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    family = FamilyFactory(centre=coordinator.centre)

    page.goto(f"/families/{family.pk}/")
    page.wait_for_url("**/accounts/login/?next=**")
    page.get_by_label("Email address").fill(coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/accounts/two-factor/verify/?next=**")
    # Before the code: no navigation, no centre, only the way out.
    assert page.locator(".nav-link").count() == 0
    assert page.get_by_role("link", name="Dashboard").count() == 0
    assert coordinator.centre.name not in page.content()
    assert page.get_by_role("button", name="Sign out").is_visible()

    page.get_by_label("Six-digit code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**/families/{family.pk}/")
    assert page.get_by_role("heading", name=family.reference).first.is_visible()
    assert page.get_by_role("link", name="Dashboard").is_visible()
