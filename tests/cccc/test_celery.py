"""Celery: configured from settings, one schedule in UTC, in-process without a broker, and a
real round trip through a real worker on the real Redis."""

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings

from cccc.celery import app
from cccc.tasks import ping
from tests.conftest import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]


def test_it_reads_its_configuration_from_django_settings():
    assert app.conf.timezone == "UTC"
    assert app.conf.enable_utc is True
    assert app.conf.task_serializer == "json"
    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE


def test_without_a_broker_tasks_run_in_process():
    assert app.conf.task_always_eager is True
    assert ping.delay(7).get() == {"pong": 7}


@pytest.mark.redis
def test_a_real_worker_runs_a_task_sent_through_redis():
    """The production command (`celery -A cccc worker`) in its own process, on the real
    Redis, runs our task; a private queue keeps other workers on that Redis out of it."""
    nonce = random.randint(1, 10**9)
    queue = f"test-{nonce}"
    env = {**os.environ, "DEBUG": "true", "CELERY_BROKER_URL": REDIS_URL}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cccc", "worker", "--pool", "solo", "-Q", queue,
         "--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    sender = Celery("sender", broker=REDIS_URL, backend=REDIS_URL)
    try:
        result = sender.send_task("cccc.tasks.ping", args=[nonce], queue=queue)
        assert result.get(timeout=60) == {"pong": nonce}
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert "Traceback" not in output, output
