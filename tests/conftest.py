"""Shared test setup.

`cast` gives every role in two centres (healthchecks' Alice/Bob/Charlie idea), so every view
gets its outsider tests cheaply. `login` signs a user in, with two-factor verified for the
roles that need it.

Tests that need PostgreSQL, Redis or Chromium carry a marker. Where the service is missing
they are skipped and listed at the end of the run; with CI=true they fail instead, and a run
with any skipped test at all fails.
"""

import os
import shutil
import socket
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc.models import Centre, PolicyVariant, Role, User
from tests.factories import CentreFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

_not_run: dict[str, list[str]] = defaultdict(list)
_checked: dict[str, str | None] = {}


def _redis_missing() -> str | None:
    url = urlparse(REDIS_URL)
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), 2):
            return None
    except OSError:
        return f"Redis is not reachable at {url.hostname}:{url.port or 6379} (set REDIS_URL)"


def _postgres_missing() -> str | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return "the tests run on SQLite (set DATABASE_URL=postgres://... to run these)"
    return None


def _browser_missing() -> str | None:
    import importlib.util

    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed"
    return None


_CHECKS = {"redis": _redis_missing, "postgres": _postgres_missing, "browser": _browser_missing}


@pytest.fixture(autouse=True)
def _needs_services(request):
    for name, check in _CHECKS.items():
        if request.node.get_closest_marker(name) is None:
            continue
        if name not in _checked:
            _checked[name] = check()
        reason = _checked[name]
        if reason:
            if IN_CI:
                pytest.fail(f"CI runs every test, but {reason}.")
            _not_run[reason].append(request.node.nodeid)
            pytest.skip(reason)


def pytest_sessionfinish(session):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if IN_CI and skipped and session.exitstatus == pytest.ExitCode.OK:
        reporter.write_line(f"CI runs every test, but {len(skipped)} skipped: the run fails.")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if not _not_run:
        return
    total = sum(len(ids) for ids in _not_run.values())
    terminalreporter.section(f"NOT RUN on this machine: {total} tests", sep="!")
    for reason, ids in _not_run.items():
        terminalreporter.write_line(f"{len(ids)} not run because {reason}:")
        for nodeid in ids:
            terminalreporter.write_line(f"    {nodeid}")


# --- people ---------------------------------------------------------------------------------


@dataclass
class Cast:
    centre: Centre
    coordinator: User
    chair: User
    volunteer: User
    referrer: User
    other_centre: Centre
    other_coordinator: User
    other_chair: User
    other_volunteer: User
    other_referrer: User
    operator: User

    def everyone(self) -> list[User]:
        return [
            self.coordinator, self.chair, self.volunteer, self.referrer,
            self.other_coordinator, self.other_chair, self.other_volunteer,
            self.other_referrer, self.operator,
        ]  # fmt: skip


@pytest.fixture
def cast(db) -> Cast:
    centre = CentreFactory(name="Home Centre", code="HOM", policy_variant=PolicyVariant.CHICHESTER)
    other = CentreFactory(
        name="Other Centre", code="OTH", policy_variant=PolicyVariant.CHESTERFIELD
    )

    def people(c: Centre, prefix: str) -> dict:
        return {
            f"{prefix}{role.value}": UserFactory(
                role=role, centre=c, email=f"{prefix}{role.value}@{c.code.lower()}.example.org"
            )
            for role in (Role.COORDINATOR, Role.CHAIR, Role.VOLUNTEER, Role.REFERRER)
        }

    return Cast(
        centre=centre,
        other_centre=other,
        operator=UserFactory(role=Role.OPERATOR, centre=None, email="operator@example.org"),
        **people(centre, ""),
        **people(other, "other_"),
    )


def sign_in(client, user: User):
    """Sign the client in as `user`, with a confirmed TOTP device verified for this session
    when the role needs two-factor."""
    client.force_login(user)
    if user.needs_two_factor:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def login(client):
    """login(user) -> the test client, signed in as user."""

    def _login(user: User):
        client.logout()
        return sign_in(client, user)

    return _login


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle counters (cccc.throttle) live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
