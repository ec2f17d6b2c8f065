"""Security headers on every page (issue: CSP without inline script, HSTS, nosniff,
frame-ancestors none, no-store)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def csp(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def test_the_policy_forbids_inline_script_and_framing(client):
    policy = csp(client.get(reverse("login")))
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert not any("unsafe" in v for values in policy.values() for v in values)


def test_the_browser_sends_and_loads_nothing_from_anywhere_but_the_app(client):
    """CHE-DP8: no third party receives data from a page: no script, style, font, image,
    connection or form submission leaves the app's own origin."""
    policy = csp(client.get(reverse("login")))
    for directive in ("connect-src", "form-action", "script-src", "style-src", "font-src"):
        assert policy[directive] == ["'self'"], directive
    assert policy["img-src"] == ["'self'", "data:"]


def test_pages_say_nosniff_and_deny_framing(client):
    response = client.get(reverse("login"))
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_hsts_is_sent_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("login"), secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_production_defaults_turn_hsts_on():
    from tests.cccc.test_settings import PRODUCTION, manage

    result = manage(
        "shell", "-c",
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)",
        env=PRODUCTION,
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1].split() == ["31536000", "True", "True"]


def test_every_page_is_no_store(cast, login):
    for user, url in [
        (None, reverse("login")),
        (cast.coordinator, reverse("dashboard")),
        (cast.volunteer, reverse("volunteer_portal")),
        (cast.referrer, reverse("referrer_portal")),
    ]:
        client = login(user) if user else None
        response = (client or login(cast.operator)).get(url) if user else _anon(login, url)
        assert "no-store" in response.headers["Cache-Control"], url


def _anon(login, url):
    from django.test import Client

    return Client().get(url)


def test_pages_carry_no_inline_script_or_handlers(cast, login):
    client = login(cast.coordinator)
    for url in [reverse("dashboard"), reverse("people")]:
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, tag
        assert not re.search(r"\son[a-z]+\s*=", html), url
        assert "style=" not in html, url
