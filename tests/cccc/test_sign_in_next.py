"""Signing in returns to the page asked for, after the two-factor step too (issue 17, point 6),
and nothing but the way out is shown until the two-factor step is done."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.cccc.test_login import current_code, sign_in_with_password
from tests.factories import PASSWORD, FamilyFactory

pytestmark = pytest.mark.django_db


def follow_sign_in(client, user, asked_for: str):
    """Ask for a page signed out, then sign in with a password and a code as the pages lead."""
    to_login = client.get(asked_for)
    assert to_login.status_code == 302 and to_login.url.startswith(reverse("login"))
    next_url = parse_qs(urlparse(to_login.url).query)["next"][0]
    after_password = client.post(
        to_login.url, {"username": user.email, "password": PASSWORD, "next": next_url}
    )
    assert after_password.status_code == 302
    return client.get(after_password.url)


def test_after_the_two_factor_step_the_coordinator_lands_on_the_page_asked_for(client, cast):
    family = FamilyFactory(centre=cast.centre)
    device = TOTPDevice.objects.create(user=cast.coordinator, name="phone", confirmed=True)
    asked_for = reverse("family_detail", args=[family.pk])
    to_verify = follow_sign_in(client, cast.coordinator, asked_for)
    assert to_verify.status_code == 302
    assert urlparse(to_verify.url).path == reverse("two_factor_verify")
    verify_page = client.get(to_verify.url)
    assert f'name="next" value="{asked_for}"' in verify_page.content.decode()
    done = client.post(to_verify.url, {"token": current_code(device), "next": asked_for})
    assert done.status_code == 302 and done.url == asked_for
    assert client.get(done.url).status_code == 200


def test_a_first_sign_in_sets_up_two_factor_and_then_lands_on_the_page_asked_for(client, cast):
    asked_for = reverse("committee")
    to_login = client.get(asked_for)
    client.post(
        to_login.url, {"username": cast.chair.email, "password": PASSWORD,
                       "next": asked_for},
    )  # fmt: skip
    to_verify = client.get(asked_for)
    to_setup = client.get(to_verify.url)
    assert urlparse(to_setup.url).path == reverse("two_factor_setup")
    client.get(to_setup.url)
    device = TOTPDevice.objects.get(user=cast.chair, confirmed=False)
    done = client.post(to_setup.url, {"token": current_code(device)})
    assert done.status_code == 302 and done.url == asked_for


@pytest.mark.parametrize(
    "evil", ["https://evil.example/phish", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_a_next_elsewhere_is_ignored(client, cast, evil):
    device = TOTPDevice.objects.create(user=cast.coordinator, name="phone", confirmed=True)
    sign_in_with_password(client, cast.coordinator)
    url = reverse("two_factor_verify") + "?next=" + evil
    done = client.post(url, {"token": current_code(device), "next": evil})
    assert done.status_code == 302 and done.url == reverse("home")


def test_a_post_before_the_two_factor_step_is_not_replayed_after_it(client, cast):
    TOTPDevice.objects.create(user=cast.coordinator, name="phone", confirmed=True)
    sign_in_with_password(client, cast.coordinator)
    response = client.post(reverse("family_create"), {"status": "referred"})
    assert response.status_code == 302 and response.url == reverse("two_factor_verify")


def test_a_volunteer_without_two_factor_goes_straight_to_the_page_asked_for(client, cast):
    asked_for = reverse("policy_current")
    to_login = client.get(asked_for)
    response = client.post(
        to_login.url,
        {"username": cast.volunteer.email, "password": PASSWORD, "next": asked_for},
    )
    assert response.url == asked_for


# --- no navigation before the two-factor step -----------------------------------------------------


def links_of(html: str) -> list[str]:
    return re.findall(r'<a [^>]*href="([^"]*)"', html)


@pytest.mark.parametrize("role", ["coordinator", "chair", "operator"])
def test_the_two_factor_pages_show_no_navigation(client, cast, role):
    user = getattr(cast, role)
    sign_in_with_password(client, user)  # no device yet: the set-up page
    setup = client.get(reverse("two_factor_setup")).content.decode()
    TOTPDevice.objects.filter(user=user).update(confirmed=True)
    verify = client.get(reverse("two_factor_verify")).content.decode()
    for html in (setup, verify):
        assert 'aria-label="Main"' not in html or "nav-link" not in html
        assert links_of(html) in ([], ["#main"]), links_of(html)
        assert "Sign out" in html  # the one way on is out
        assert user.full_name not in html
        if user.centre:
            assert user.centre.name not in html


def test_the_sign_in_page_shows_no_navigation(client):
    html = client.get(reverse("login")).content.decode()
    assert "nav-link" not in html
    assert set(links_of(html)) <= {"#main", reverse("home"), reverse("password_reset")}


def test_after_the_two_factor_step_the_navigation_is_shown(client, cast, login):
    html = login(cast.coordinator).get(reverse("dashboard")).content.decode()
    assert "nav-link" in html and reverse("family_list") in html
