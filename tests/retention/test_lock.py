"""The retention lock knows when its holder is gone: a run killed mid-way frees it at once
(not after an hour) and is marked "died"; a run that finds a live lock says so and fails;
a second beat firing the job while it runs is a logged no-op."""

import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from families.models import Family
from retention import lock
from retention.models import RetentionLock, RetentionRun
from retention.services import retention_run
from retention.tasks import retention_nightly
from tests.retention.conftest import TODAY, family_history, years_ago

ROOT = Path(__file__).resolve().parents[2]


def _dead_pid() -> int:
    """The id of a process that has just ended."""
    done = subprocess.run([sys.executable, "-c", "pass"], check=True)
    assert done.returncode == 0
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _left_by_a_dead_run() -> RetentionRun:
    """The lock row and run log as a run killed with SIGKILL leaves them."""
    run = RetentionRun.objects.create(today=TODAY)
    RetentionLock.objects.update_or_create(
        name=lock.LOCK_NAME,
        defaults={
            "holder": "a" * 32,
            "pid": _dead_pid(),
            "host": lock.this_host(),
            "backend_pid": 0,  # no database session has this id
            "taken_at": timezone.now(),
        },
    )
    return run


@pytest.mark.django_db
def test_a_lock_whose_process_is_gone_is_taken_over_at_once_and_its_run_marked_died(cast):
    story = family_history(cast.centre, years_ago(4), by=cast.coordinator)
    dead = _left_by_a_dead_run()
    report = retention_run(today=TODAY)
    assert report.locked_out is False
    assert [item.record_id for item in report.destroyed] == [story.family.pk]
    dead.refresh_from_db()
    assert dead.outcome == RetentionRun.Outcome.DIED and dead.finished_at is not None
    assert RetentionLock.objects.get().holder == ""  # released at the end of the run


@pytest.mark.django_db
def test_a_run_that_finds_a_live_lock_exits_non_zero_and_says_who_holds_it(cast):
    story = family_history(cast.centre, years_ago(4), by=cast.coordinator)
    token = lock.lock_acquire()
    try:
        with pytest.raises(CommandError, match=r"holds the lock.*nothing was done") as raised:
            call_command("retention_run", today=TODAY.isoformat())
        assert f"process {os.getpid()} on {lock.this_host()}" in str(raised.value)
    finally:
        lock.lock_release(token)
    assert Family.objects.filter(pk=story.family.pk).exists()
    assert RetentionRun.objects.get().outcome == RetentionRun.Outcome.LOCKED_OUT


@pytest.mark.django_db
def test_the_retention_screen_shows_a_dead_run_as_died(cast, login):
    _left_by_a_dead_run()
    page = login(cast.coordinator).get(reverse("retention_screen")).content.decode()
    assert "died" in page and "running" not in page.lower()
    assert RetentionRun.objects.get().outcome == RetentionRun.Outcome.DIED


@pytest.mark.django_db
def test_a_second_beat_firing_the_job_during_a_run_is_a_logged_no_op(cast, caplog):
    stories = [family_history(cast.centre, years_ago(4), by=cast.coordinator) for _ in range(2)]
    second = []

    def second_beat_fires(item):
        if not second:
            second.append(retention_nightly.delay().get())

    with caplog.at_level(logging.WARNING, logger="retention"):
        first = retention_run(today=TODAY, on_record=second_beat_fires)
    assert second[0]["locked_out"] is True and second[0]["destroyed"] == 0
    assert len(first.destroyed) == 2
    assert not Family.objects.filter(pk__in=[s.family.pk for s in stories]).exists()
    assert any("another run holds the lock" in r.getMessage() for r in caplog.records)
    assert RetentionRun.objects.filter(outcome=RetentionRun.Outcome.LOCKED_OUT).count() == 1


def test_compose_runs_exactly_one_beat_and_the_readme_says_why():
    compose = (ROOT / "docker-compose.yml").read_text()
    beat = re.search(r"^  beat:\n((?:    .*\n|\n)+)", compose, flags=re.MULTILINE)
    assert beat, "docker-compose.yml has no beat service"
    assert re.search(r"replicas: 1\b", beat.group(1))
    assert len(re.findall(r"celery -A cccc beat", compose)) == 1
    readme = (ROOT / "README.md").read_text()
    assert "Exactly one beat" in readme


# --- the real thing: a run killed with SIGKILL, on PostgreSQL ------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_run_killed_mid_way_frees_the_lock_at_once_on_postgresql(cast):
    from tests.retention.test_real_beat import _database_url

    today = timezone.localdate()
    story = family_history(cast.centre, years_ago(4, today=today), by=cast.coordinator)
    script = (
        "import time; from retention.services import retention_run; "
        "retention_run(on_record=lambda item: time.sleep(600))"
    )
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": _database_url()}
    killed = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while not RetentionRun.objects.filter(outcome=RetentionRun.Outcome.RUNNING).exists():
            assert killed.poll() is None, "the run ended on its own"
            assert time.monotonic() < deadline, "the run did not start"
            time.sleep(0.5)
        time.sleep(1)  # inside its first batch now, asleep
        with pytest.raises(CommandError, match="holds the lock"):
            call_command("retention_run")
    finally:
        killed.kill()
        killed.wait()
    started = time.monotonic()
    report = retention_run()
    while report.locked_out and time.monotonic() - started < 10:  # the server notices
        time.sleep(0.5)
        report = retention_run()
    assert report.locked_out is False
    assert [item.record_id for item in report.destroyed] == [story.family.pk]
    dead = RetentionRun.objects.exclude(outcome=RetentionRun.Outcome.LOCKED_OUT).earliest("pk")
    assert dead.outcome == RetentionRun.Outcome.DIED
