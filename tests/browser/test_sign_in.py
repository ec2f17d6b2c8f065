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
