"""What every signed-in request pays (issue 22, "a signed-in request costs little"): the reads
behind the trivial page of the load benchmark (tools/bench_load_urls.py), and that the cheaper
ways of reading the session and the two-factor device keep every control they had."""

import re
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc.middleware import SESSION_LAST_SEEN
from cccc.services import sessions_end_for, two_factor_reset
from cccc.session_store import session_end
from retention.leftovers import sessions_forget_searches
from tests.cccc.test_settings import ROOT, manage
from tests.conftest import REDIS_URL
from tests.factories import membership_of

pytestmark = pytest.mark.django_db

FLOOR = "/bench/signed-in/"
DB = "django.contrib.sessions.backends.db"
CACHED_DB = "django.contrib.sessions.backends.cached_db"
STORED_SESSIONS = re.compile(r"sessions\.models import|\bSession\.objects|\bsession\.delete\(\)")


@pytest.fixture(autouse=True)
def _floor_urls(settings):
    settings.ROOT_URLCONF = "tools.bench_load_urls"


@pytest.fixture
def cached_sessions(settings):
    """The engine a shared cache (Redis) turns on; the tests' cache is this process's own."""
    settings.SESSION_ENGINE = CACHED_DB


def _verified(login, user):
    client = login(user)
    assert client.get(FLOOR).status_code == 200  # the first request records when it was seen
    return client


def _tables(queries) -> list[str]:
    return [q["sql"].split(" FROM ", 1)[1].split()[0] for q in queries.captured_queries]


def test_a_signed_in_request_reads_the_session_the_user_and_the_device_once_each(
    login, cast, settings
):
    settings.SESSION_ENGINE = DB  # no shared cache
    client = _verified(login, cast.coordinator)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(FLOOR).status_code == 200
    # The person comes with their usable memberships and centres: one query (issue 19).
    assert sorted(_tables(queries)) == [
        '"cccc_membership"',
        '"django_session"',
        '"otp_totp_totpdevice"',
    ], queries.captured_queries


def test_with_a_shared_cache_the_session_is_read_from_it_not_the_database(
    login, cast, cached_sessions, django_assert_num_queries
):
    client = _verified(login, cast.coordinator)
    with django_assert_num_queries(2) as queries:  # the user, the device
        assert client.get(FLOOR).status_code == 200
    assert not any("django_session" in q["sql"] for q in queries.captured_queries)


def test_the_device_is_read_by_its_primary_key_alone(login, cast):
    client = _verified(login, cast.coordinator)
    with CaptureQueriesContext(connection) as queries:
        client.get(FLOOR)
    (device_sql,) = [q["sql"] for q in queries.captured_queries if "otp_totp" in q["sql"]]
    assert "ORDER BY" not in device_sql and "LIMIT" not in device_sql, device_sql


# --- the two-factor gate still holds, with the device read the cheaper way ------------------


def _goes_to_two_factor(client) -> bool:
    response = client.get(FLOOR)
    return response.status_code == 302 and "/accounts/two-factor/" in response.url


def test_a_deleted_device_shuts_the_gate_at_the_next_request(login, cast):
    client = _verified(login, cast.coordinator)
    TOTPDevice.objects.filter(user=cast.coordinator).delete()
    assert _goes_to_two_factor(client)
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_an_unconfirmed_device_does_not_pass_the_gate(login, cast):
    client = _verified(login, cast.coordinator)
    TOTPDevice.objects.filter(user=cast.coordinator).update(confirmed=False)
    assert _goes_to_two_factor(client)


def test_another_users_device_does_not_pass_the_gate(login, cast):
    other = TOTPDevice.objects.create(user=cast.chair, name="chair's", confirmed=True)
    client = _verified(login, cast.coordinator)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = other.persistent_id
    session.save()
    assert _goes_to_two_factor(client)


@pytest.mark.parametrize(
    "persistent_id", ["otp_totp.totpdevice/x1", "otp_totp.totpdevice/", "otp_totp.totpdevice/²"]
)
def test_a_malformed_device_id_does_not_pass_the_gate(login, cast, persistent_id):
    client = _verified(login, cast.coordinator)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = persistent_id
    session.save()
    assert _goes_to_two_factor(client)


# --- sessions kept in the cache end as they did in the database -----------------------------


def _signed_out(client) -> bool:
    response = client.get(FLOOR)
    return response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_cached_session_ends_at_logout_everywhere(login, cast, cached_sessions):
    client = _verified(login, cast.coordinator)
    elsewhere = Client()  # the same session cookie, as a second tab or a copied cookie
    elsewhere.cookies = client.cookies
    key = client.session.session_key
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert cache.get("django.contrib.sessions.cached_db" + key) is None
    assert _signed_out(elsewhere)


def test_ending_an_accounts_sessions_ends_the_cached_copies(login, cast, cached_sessions):
    client = _verified(login, cast.coordinator)
    assert sessions_end_for(user=cast.coordinator) == 1
    assert _signed_out(client)


def test_a_two_factor_reset_signs_the_account_out(login, cast, cached_sessions):
    client = _verified(login, cast.coordinator)
    two_factor_reset(actor=cast.operator, membership=membership_of(cast.coordinator))
    assert _signed_out(client)


def test_session_end_takes_the_session_from_both_stores(login, cast, cached_sessions):
    client = _verified(login, cast.coordinator)
    session_end(client.session.session_key)
    assert _signed_out(client)


def test_a_forgotten_search_is_gone_from_the_cached_copy_too(login, cast, cached_sessions):
    from families.views import SEARCH_SESSION_KEY

    client = _verified(login, cast.coordinator)
    session = client.session
    session[SEARCH_SESSION_KEY] = "sealed search term"
    session.save()
    assert sessions_forget_searches() == 1
    assert SEARCH_SESSION_KEY not in client.session  # read through the engine: cache first
    assert client.get(FLOOR).status_code == 200  # still signed in


def test_the_idle_timeout_holds_for_a_cached_session(login, cast, cached_sessions, settings):
    client = _verified(login, cast.coordinator)
    session = client.session
    session[SESSION_LAST_SEEN] = time.time() - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    assert _signed_out(client)
    assert SESSION_KEY not in client.session


def test_nothing_changes_stored_sessions_but_the_session_engine_and_cccc_session_store():
    """A session row deleted or rewritten in the table alone would live on in the cache."""
    offenders = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/", "cccc/session_store.py")):
            continue
        if STORED_SESSIONS.search(path.read_text()):
            offenders.append(relative)
    assert offenders == []


# --- which engine, which cache -------------------------------------------------------------


@pytest.mark.parametrize(
    ("cache_url", "engine", "backend"),
    [
        ("redis://127.0.0.1:6379/4", CACHED_DB, "cccc.redis_cache.RedisCache"),
        ("locmemcache://", DB, "django.core.cache.backends.locmem.LocMemCache"),
        ("dummycache://", DB, "django.core.cache.backends.dummy.DummyCache"),
    ],
)
def test_sessions_are_cached_only_in_a_cache_every_web_process_shares(cache_url, engine, backend):
    result = manage(
        "shell", "-c",
        "from django.conf import settings as s; "
        "print(s.SESSION_ENGINE, s.CACHES['default']['BACKEND'])",
        env={"DEBUG": "true", "CACHE_URL": cache_url},
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1].split() == [engine, backend], result.stderr


@pytest.fixture
def redis_sessions(settings):
    settings.CACHES = {"default": {"BACKEND": "cccc.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
    settings.SESSION_ENGINE = CACHED_DB


@pytest.mark.redis
def test_on_redis_a_signed_in_request_reads_the_user_and_the_device_only(
    login, cast, redis_sessions, django_assert_num_queries
):
    client = _verified(login, cast.coordinator)
    elsewhere = Client()
    elsewhere.cookies = client.cookies
    with django_assert_num_queries(2):
        assert client.get(FLOOR).status_code == 200
    client.post("/accounts/logout/")
    assert _signed_out(elsewhere)


def test_the_redis_cache_makes_one_client_not_one_per_operation():
    from cccc.redis_cache import RedisCache

    cache = RedisCache(REDIS_URL, {})  # no connection is opened until a command is sent
    assert cache._cache.get_client() is cache._cache.get_client()
    assert cache._cache.get_client(write=True) is cache._cache.get_client()
