"""Signing in: email login, two-factor for the sensitive roles, throttling, session lifetime."""

import time
from urllib.parse import urlencode

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from cccc.services import user_deactivate
from tests.factories import PASSWORD, membership_of

pytestmark = pytest.mark.django_db


def sign_in_with_password(client, user, password=PASSWORD, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": user.email, "password": password}, REMOTE_ADDR=ip
    )


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_it_signs_a_volunteer_in_by_email_without_two_factor(client, cast):
    response = sign_in_with_password(client, cast.volunteer)
    assert response.status_code == 302
    assert client.get(reverse("volunteer_portal")).status_code == 200


@pytest.mark.parametrize("role", ["coordinator", "chair", "operator"])
def test_it_asks_the_sensitive_roles_for_a_code_before_anything_else(client, cast, role):
    user = getattr(cast, role)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    sign_in_with_password(client, user)
    for url in [reverse("home"), reverse("dashboard"), reverse("operator"), "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302
        # ... carrying the page asked for, to land there after it (issue 17)
        assert response.url == reverse("two_factor_verify") + "?" + urlencode({"next": url})


def test_it_accepts_the_right_code_and_reaches_the_dashboard(client, cast):
    device = TOTPDevice.objects.create(user=cast.coordinator, name="phone", confirmed=True)
    sign_in_with_password(client, cast.coordinator)
    response = client.post(reverse("two_factor_verify"), {"token": current_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_it_refuses_a_wrong_code_and_keeps_the_gate_shut(client, cast):
    device = TOTPDevice.objects.create(user=cast.coordinator, name="phone", confirmed=True)
    sign_in_with_password(client, cast.coordinator)
    wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"
    response = client.post(reverse("two_factor_verify"), {"token": wrong})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert client.get(reverse("dashboard")).url.startswith(reverse("two_factor_verify"))


def test_a_first_sign_in_sets_up_an_authenticator(client, cast):
    sign_in_with_password(client, cast.chair)
    assert client.get(reverse("two_factor_verify")).url == reverse("two_factor_setup")
    page = client.get(reverse("two_factor_setup"))
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=cast.chair, confirmed=False)
    response = client.post(reverse("two_factor_setup"), {"token": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("committee")).status_code == 200


def test_the_admin_asks_for_a_code_too(client, cast):
    sign_in_with_password(client, cast.operator)
    TOTPDevice.objects.create(user=cast.operator, name="phone", confirmed=True)
    assert client.get("/admin/").status_code == 302
    from tests.conftest import sign_in

    sign_in(client, cast.operator)
    assert client.get("/admin/").status_code == 200


def test_it_gives_a_new_session_key_at_sign_in(client, cast):
    client.get(reverse("login"))
    client.cookies["sessionid"] = "x" * 32  # a key an attacker might have planted
    sign_in_with_password(client, cast.volunteer)
    assert client.cookies["sessionid"].value != "x" * 32


def test_it_locks_one_username_from_one_address_only(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(client, cast.volunteer, password="wrong password", ip="10.0.0.9")
    locked = sign_in_with_password(Client(), cast.volunteer, ip="10.0.0.9")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # The same person from elsewhere, and someone else from the same address, still sign in.
    assert sign_in_with_password(Client(), cast.volunteer, ip="10.0.0.10").status_code == 302
    assert sign_in_with_password(Client(), cast.referrer, ip="10.0.0.9").status_code == 302


def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(client, cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"  # every request arrives from the proxy

    def attempt(who, password, client_ip, forged=""):
        chain = f"{forged}, {client_ip}" if forged else client_ip
        return Client().post(
            reverse("login"),
            {"username": who.email, "password": password},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=chain,
        )

    for n in range(settings.AXES_FAILURE_LIMIT):  # a forged left part changes nothing
        attempt(cast.volunteer, "wrong password", "198.51.100.7", forged=f"192.0.2.{n}")
    assert attempt(cast.volunteer, PASSWORD, "198.51.100.7").status_code == 429
    # The same user from another client behind the same proxy is not locked out.
    assert attempt(cast.volunteer, PASSWORD, "198.51.100.8").status_code == 302


def test_a_forwarded_entry_that_is_not_an_address_falls_back_to_the_socket(client, cast, settings):
    # One proxy, but the count says two: the client's own text is where the address should be.
    settings.TRUSTED_PROXY_COUNT = 2
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = Client().post(
            reverse("login"),
            {"username": cast.volunteer.email, "password": "wrong password"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"not-an-address-{n}, 198.51.100.7",
        )
        assert response.status_code in (200, 429)  # the form, or locked: not a server error
    assert sign_in_with_password(Client(), cast.volunteer, ip="10.0.0.2").status_code == 429


def test_without_a_proxy_a_forged_x_forwarded_for_is_ignored(client, cast, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            reverse("login"),
            {"username": cast.volunteer.email, "password": "wrong password"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    assert sign_in_with_password(Client(), cast.volunteer, ip="10.0.0.9").status_code == 429


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-one", "too short"),
        ("password1234", "too common"),
        ("938475619283", "entirely numeric"),
    ],
)
def test_password_rules_refuse_weak_passwords(client, cast, password, message):
    from django.contrib.auth.password_validation import ValidationError, validate_password

    with pytest.raises(ValidationError, match=message):
        validate_password(password, cast.volunteer)


def test_password_reset_sends_a_one_time_link_and_nothing_else(
    client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": cast.referrer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/reset/" in line)
    assert cast.referrer.full_name not in body
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new = "a much longer passphrase 42"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    cast.referrer.refresh_from_db()
    assert cast.referrer.check_password(new)
    again = client.get(link, follow=True)
    assert "has been used already" in again.content.decode()


def test_an_idle_session_ends(client, cast, settings):
    sign_in_with_password(client, cast.volunteer)
    session = client.session
    session[SESSION_LAST_SEEN] = time.time() - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get(reverse("volunteer_portal"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert SESSION_KEY not in client.session


def test_a_session_ends_after_its_absolute_lifetime_even_when_busy(client, cast, settings):
    sign_in_with_password(client, cast.volunteer)
    session = client.session
    session[SESSION_STARTED] = time.time() - settings.SESSION_ABSOLUTE_LIFETIME - 5
    session.save()
    response = client.get(reverse("volunteer_portal"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_active_session_within_both_limits_carries_on(client, cast):
    sign_in_with_password(client, cast.volunteer)
    session = client.session
    session[SESSION_LAST_SEEN] = time.time() - 60
    session.save()
    assert client.get(reverse("volunteer_portal")).status_code == 200


def test_deactivating_a_user_ends_their_sessions(client, cast):
    sign_in_with_password(client, cast.volunteer)
    assert Session.objects.count() == 1
    user_deactivate(actor=cast.coordinator, membership=membership_of(cast.volunteer))
    assert Session.objects.count() == 0
    response = client.get(reverse("volunteer_portal"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_deactivated_user_cannot_sign_in(client, cast):
    cast.volunteer.is_active = False
    cast.volunteer.save()
    response = sign_in_with_password(client, cast.volunteer)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_a_sign_in_leaves_no_axes_row_holding_the_email(client, cast):
    from axes.models import AccessAttempt, AccessLog

    assert sign_in_with_password(client, cast.volunteer).status_code == 302
    assert not AccessLog.objects.exists() and not AccessAttempt.objects.exists()


def _session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


def test_a_request_that_changes_nothing_does_not_write_the_session(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in_with_password(client, cast.volunteer)
    client.get(reverse("volunteer_portal"))  # the first request may record it was seen
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("volunteer_portal")).status_code == 200
    assert _session_writes(queries) == []


def test_the_last_seen_time_is_refreshed_once_a_minute_so_the_idle_timeout_still_holds(
    client, cast, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in_with_password(client, cast.volunteer)
    session = client.session
    session[SESSION_LAST_SEEN] = time.time() - 61
    session.save()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("volunteer_portal")).status_code == 200
    assert len(_session_writes(queries)) == 1
    assert time.time() - client.session[SESSION_LAST_SEEN] < 5


def test_the_user_and_the_two_factor_device_are_read_once_per_request(login, cast, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Sessions in the database (no shared cache); with Redis they are read from it instead
    # (tests/cccc/test_request_floor.py).
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client = login(cast.coordinator)
    client.get(reverse("policy_versions"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("policy_versions")).status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "cccc_user"' in s and '"cccc_user"."id" =' in s for s in sql) <= 1, sql
    assert sum('FROM "otp_totp_totpdevice"' in s for s in sql) == 1, sql
    assert sum('FROM "django_session"' in s for s in sql) == 1, sql
