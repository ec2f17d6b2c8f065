"""The operators' admin manages centres and accounts, but gives no way to become someone
else: no setting another person's password or authenticator, no accounts made with a
password chosen by the operator."""

import pytest
from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(cast):
    cast.operator.is_superuser = True  # as the demo's and a real installation's operator is
    cast.operator.save()
    return cast.operator


def test_authenticators_are_not_in_the_admin():
    assert not admin.site.is_registered(TOTPDevice)


def test_an_operator_cannot_set_a_coordinators_password_or_authenticator(cast, login, operator):
    client = login(operator)
    coordinator = cast.coordinator
    assert client.get(f"/admin/cccc/user/{coordinator.pk}/change/").status_code == 200
    page = client.get(f"/admin/cccc/user/{coordinator.pk}/password/", follow=True)
    assert 'name="password1"' not in page.content.decode()  # the admin's catch-all, no form
    client.post(
        f"/admin/cccc/user/{coordinator.pk}/password/",
        {"password1": "operator-knows-this-1", "password2": "operator-knows-this-1"},
    )
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 404
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)
    page = client.get(f"/admin/cccc/user/{coordinator.pk}/change/").content.decode()
    assert 'name="password' not in page


def test_accounts_are_not_made_in_the_admin(login, operator):
    assert login(operator).get("/admin/cccc/user/add/").status_code == 403
