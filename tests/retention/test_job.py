"""The nightly job: one beat entry in UTC, a thin task with no arguments, a lock so two runs
never overlap, and a run killed mid-way that leaves every record whole or gone."""

import datetime
import inspect

import pytest
from celery.schedules import crontab
from django.conf import settings

from cccc.celery import app
from families.models import Family
from retention import lock, services
from retention.models import DestructionRecord, MonthlyStatistic, RetentionRun
from retention.tasks import retention_nightly
from tests.retention.conftest import TODAY, any_rows, family_history, family_rows, years_ago

pytestmark = pytest.mark.django_db


def _retention_entries():
    return {
        name: entry
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"].startswith("retention.")
    }


def test_the_beat_schedule_has_exactly_one_retention_entry_in_utc():
    entries = _retention_entries()
    assert list(entries) == ["retention-nightly"]
    schedule = entries["retention-nightly"]["schedule"]
    assert isinstance(schedule, crontab)
    assert (schedule.hour, schedule.minute) == ({2}, {30})
    assert settings.CELERY_TIMEZONE == "UTC" and app.conf.timezone == "UTC"
    assert app.conf.enable_utc is True
    assert app.conf.beat_schedule["retention-nightly"] == entries["retention-nightly"]


def test_the_task_takes_no_arguments_so_nothing_personal_can_travel_in_them():
    entry = _retention_entries()["retention-nightly"]
    assert not entry.get("args") and not entry.get("kwargs")
    assert inspect.signature(retention_nightly.run).parameters == {}
    assert entry["task"] in app.tasks


def test_the_task_runs_the_service_and_returns_counts_only(cast):
    story = family_history(cast.centre, years_ago(4, today=datetime.date.today()),
                           by=cast.coordinator)  # fmt: skip
    result = retention_nightly.delay().get()
    assert result["destroyed"] == 1 and result["dry_run"] is False
    assert not Family.objects.filter(pk=story.family.pk).exists()
    assert all(isinstance(v, bool | int | str) for v in result.values())
    assert story.family.reference not in str(result)


def test_a_run_started_while_another_holds_the_lock_destroys_nothing(cast):
    stories = [family_history(cast.centre, years_ago(4), by=cast.coordinator) for _ in range(2)]
    second = []

    def start_another_run(item):
        if not second:
            second.append(services.retention_run(today=TODAY))

    first = services.retention_run(today=TODAY, on_record=start_another_run)
    assert second[0].locked_out is True and second[0].destroyed == []
    assert len(first.destroyed) == 2
    assert RetentionRun.objects.filter(outcome=RetentionRun.Outcome.LOCKED_OUT).count() == 1
    assert not Family.objects.filter(pk__in=[s.family.pk for s in stories]).exists()


def test_a_held_lock_stops_a_run_until_it_is_released_or_goes_stale(cast):
    story = family_history(cast.centre, years_ago(4), by=cast.coordinator)
    token = lock.lock_acquire()
    assert token is not None
    assert services.retention_run(today=TODAY).locked_out is True
    assert Family.objects.filter(pk=story.family.pk).exists()
    lock.lock_release(token)
    assert [i.record_id for i in services.retention_run(today=TODAY).destroyed] == [story.family.pk]
    stale = lock.lock_acquire(ttl=datetime.timedelta(seconds=-1))  # died an hour ago
    assert stale is not None
    assert services.retention_run(today=TODAY).locked_out is False


def test_a_run_killed_mid_way_leaves_every_record_whole_or_gone_and_a_rerun_finishes(cast):
    stories = [family_history(cast.centre, years_ago(4), by=cast.coordinator) for _ in range(5)]
    before = {s.family.pk: family_rows(s.family.pk) for s in stories}
    seen = []

    def die_on_the_third(item):
        seen.append(item.record_id)
        if len(seen) == 3:
            raise RuntimeError("killed")

    with pytest.raises(RuntimeError, match="killed"):
        services.retention_run(today=TODAY, batch_size=2, on_record=die_on_the_third)
    gone = {pk for pk in before if not Family.objects.filter(pk=pk).exists()}
    assert gone == set(seen[:2])  # the first batch landed; the third record's did not
    for pk, rows in before.items():
        now = family_rows(pk)
        if pk in gone:
            assert not any_rows(now), now
        else:
            assert now == rows  # whole: every live and history row, and its key
    assert DestructionRecord.objects.count() == 2
    assert RetentionRun.objects.get().outcome == RetentionRun.Outcome.FAILED
    statistics_after_crash = list(MonthlyStatistic.objects.values())

    rerun = services.retention_run(today=TODAY)
    assert len(rerun.destroyed) == 3
    assert not Family.objects.filter(pk__in=before).exists()
    assert all(not any_rows(family_rows(pk)) for pk in before)
    assert DestructionRecord.objects.count() == 5
    assert statistics_after_crash != list(MonthlyStatistic.objects.values())
