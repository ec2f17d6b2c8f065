"""Production refuses to start without its secrets; development runs on embedded defaults."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "centre.example.org",
    "DATABASE_URL": "sqlite:////tmp/cccc-settings-test.sqlite3",
    "FIELD_ENCRYPTION_KEYS": "k1:" + base64.urlsafe_b64encode(os.urandom(32)).decode(),
    "BLIND_INDEX_KEY": secrets.token_hex(32),
    "AUDIT_HMAC_KEY": secrets.token_hex(32),
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "missing",
    [
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "FIELD_ENCRYPTION_KEYS",
        "BLIND_INDEX_KEY",
        "AUDIT_HMAC_KEY",
        "CELERY_BROKER_URL",
    ],  # fmt: skip
)
def test_it_refuses_to_start_without_a_production_variable(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Refusing to start with DEBUG off" in result.stderr
    assert missing in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECRET_KEY", "change-me-to-50-plus-random-characters-from-the-command-above-0123456789"),
        ("BLIND_INDEX_KEY", "change-me-blind-index-key-32-plus-random-characters"),
        ("AUDIT_HMAC_KEY", "change-me-audit-hmac-key-32-plus-random-characters"),
        ("FIELD_ENCRYPTION_KEYS", "dev1:ZGV2LW9ubHktbWFzdGVyLWtleS0zMi1ieXRlcyEhISE="),
        ("FIELD_ENCRYPTION_KEYS", PRODUCTION["FIELD_ENCRYPTION_KEYS"]
         + ",dev1:ZGV2LW9ubHktbWFzdGVyLWtleS0zMi1ieXRlcyEhISE="),
        # The development key filed under another id is still the development key.
        ("FIELD_ENCRYPTION_KEYS", "prod1:ZGV2LW9ubHktbWFzdGVyLWtleS0zMi1ieXRlcyEhISE="),
    ],
)  # fmt: skip
def test_it_refuses_the_published_placeholders_and_development_keys(name, value):
    result = manage("check", env={**PRODUCTION, name: value})
    assert result.returncode != 0
    assert "still hold a published placeholder or development value: " + name in result.stderr


def test_it_refuses_the_proxy_counts_old_name():
    result = manage("check", env={**PRODUCTION, "AXES_IPWARE_PROXY_COUNT": "1"})
    assert result.returncode != 0
    assert "AXES_IPWARE_PROXY_COUNT is now TRUSTED_PROXY_COUNT" in result.stderr


def test_the_env_example_placeholders_are_all_refused():
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#") and "=" in line
    )
    secrets_ = ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "AUDIT_HMAC_KEY"]
    result = manage("check", env={**PRODUCTION, **{k: example[k] for k in secrets_}})
    assert result.returncode != 0
    assert ", ".join(secrets_) in result.stderr


def test_it_refuses_a_malformed_key_ring():
    result = manage("check", env={**PRODUCTION, "FIELD_ENCRYPTION_KEYS": "k1:not-32-bytes"})
    assert result.returncode != 0
    assert "Master key 'k1'" in result.stderr


def test_it_refuses_short_hmac_keys():
    result = manage("check", env={**PRODUCTION, "BLIND_INDEX_KEY": "short"})
    assert result.returncode != 0
    assert "BLIND_INDEX_KEY must be at least 32 characters" in result.stderr


def test_check_deploy_passes_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_runs_on_embedded_defaults():
    result = manage(
        "shell", "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.EMAIL_BACKEND, s.CELERY_TASK_ALWAYS_EAGER)",
        env={"DEBUG": "true"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.db.backends.sqlite3",
        "django.core.mail.backends.console.EmailBackend",
        "True",
    ]


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_compiles_no_statement_just_in_time():
    """PostgreSQL's JIT compiles any statement whose estimated cost passes jit_above_cost: on
    a page's statement (the quarterly figures of a busy centre) that was 29 ms of compiling
    for 20 ms of work. The application's connections turn it off."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
