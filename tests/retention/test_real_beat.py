"""The real path: `celery -A cccc beat` fires the retention entry, `celery -A cccc worker`
takes it from the real Redis and runs it against the same PostgreSQL database; the due family
goes, the family used last week stays."""

import datetime
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from families.models import Family
from retention.models import DestructionRecord
from tests.conftest import REDIS_URL
from tests.retention.conftest import family_history, years_ago

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict  # NAME is the test database's here
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{auth}@{host}/{db['NAME']}"


def _celery(*args, env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cccc", *args, "-l", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_beat_and_a_worker_destroy_a_due_family_through_redis_in_postgresql(cast, tmp_path):
    today = timezone.localdate()
    due = family_history(cast.centre, years_ago(4, today=today), by=cast.coordinator)
    used = family_history(cast.centre, today - datetime.timedelta(days=7), by=cast.coordinator)
    queue = f"retention-test-{random.randint(1, 10**9)}"
    env = {
        **os.environ,
        "DEBUG": "true",
        "CELERY_BROKER_URL": REDIS_URL,
        "DATABASE_URL": _database_url(),
        # Only for this test: the entry fires every 2 seconds, on a queue of its own.
        "RETENTION_BEAT_EVERY_SECONDS": "2",
        "RETENTION_QUEUE": queue,
    }
    worker = _celery(
        "worker", "--pool", "solo", "-Q", queue, "--without-heartbeat", "--without-mingle",
        "--without-gossip", env=env,
    )  # fmt: skip
    beat = _celery("beat", "-s", str(tmp_path / "beat-schedule"), env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if DestructionRecord.objects.filter(record_id=due.family.pk).exists():
                break
            assert worker.poll() is None and beat.poll() is None, "a celery process died"
            time.sleep(0.5)
    finally:
        outputs = []
        for process in (beat, worker):
            process.terminate()
            outputs.append(process.communicate(timeout=30)[0])
    assert not Family.objects.filter(pk=due.family.pk).exists(), outputs
    entry = DestructionRecord.objects.get(record_id=due.family.pk)
    assert entry.reference == due.family.reference
    assert Family.objects.filter(pk=used.family.pk).exists()
    for output in outputs:
        assert "Traceback" not in output, output
