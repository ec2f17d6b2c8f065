from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(page, user, password: str = PASSWORD) -> None:
    """Sign in through the real form, answering the two-factor step when the role has one."""
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        page.get_by_label("Six-digit code from your authenticator app").fill(current_code(device))
        page.get_by_role("button", name="Continue").click()
