"""DBS renewal reminders to the coordinators at 60, 30 and 7 days before renewal is due:
once per threshold, nothing outside the thresholds, no personal data in the email."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import AppointedVolunteerFactory, DbsCheckFactory
from volunteers import dbs_services, services, tasks
from volunteers.models import DbsReminder, Volunteer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def due_in(centre, days: int) -> Volunteer:
    return AppointedVolunteerFactory(
        centre=centre, clearance_expires=TODAY() + datetime.timedelta(days=days)
    )


def run(capture, day: datetime.date | None = None) -> list[DbsReminder]:
    with capture(execute=True):
        return dbs_services.dbs_reminders_send(today=day or TODAY())


@pytest.mark.parametrize(
    ("days", "threshold"), [(60, 60), (45, 60), (30, 30), (8, 30), (7, 7), (0, 7)]
)
def test_it_sends_the_threshold_reached(cast, django_capture_on_commit_callbacks, days, threshold):
    volunteer = due_in(cast.centre, days)
    sent = run(django_capture_on_commit_callbacks)
    assert [(r.check_record.volunteer_id, r.threshold) for r in sent] == [(volunteer.pk, threshold)]
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("days", [61, 200, -1])
def test_it_sends_nothing_outside_the_thresholds(cast, django_capture_on_commit_callbacks, days):
    due_in(cast.centre, days)
    assert run(django_capture_on_commit_callbacks) == []
    assert mail.outbox == []


def test_each_threshold_is_sent_once_as_the_days_go_by(cast, django_capture_on_commit_callbacks):
    volunteer = due_in(cast.centre, 60)
    renewal = volunteer.clearance_expires
    sent = []
    for days_left in range(60, -1, -1):
        sent += run(
            django_capture_on_commit_callbacks, renewal - datetime.timedelta(days=days_left)
        )
    assert [r.threshold for r in sent] == [60, 30, 7]
    assert len(mail.outbox) == 3
    assert DbsReminder.objects.count() == 3


def test_running_twice_on_the_same_day_sends_nothing_new(cast, django_capture_on_commit_callbacks):
    due_in(cast.centre, 30)
    assert len(run(django_capture_on_commit_callbacks)) == 1
    assert run(django_capture_on_commit_callbacks) == []
    assert len(mail.outbox) == 1


def test_the_database_holds_one_reminder_per_threshold(cast):
    from django.db import IntegrityError, transaction

    volunteer = due_in(cast.centre, 30)
    check = volunteer.dbs_checks.get()
    DbsReminder.objects.create(check_record=check, threshold=30)
    with pytest.raises(IntegrityError), transaction.atomic():
        DbsReminder.objects.create(check_record=check, threshold=30)


def test_a_renewed_check_is_not_reminded_about(cast, django_capture_on_commit_callbacks):
    volunteer = due_in(cast.centre, 20)
    renewal = DbsCheckFactory(volunteer=volunteer, issued_on=TODAY())
    volunteer.clearance_expires = renewal.renewal_due
    volunteer.save()
    assert run(django_capture_on_commit_callbacks) == []


def test_resigned_volunteers_are_not_reminded_about(cast, django_capture_on_commit_callbacks):
    volunteer = due_in(cast.centre, 20)
    services.volunteer_resign(volunteer=volunteer, resigned_on=TODAY())
    assert run(django_capture_on_commit_callbacks) == []


def test_the_email_goes_to_the_centres_coordinators_and_names_nobody(
    cast, django_capture_on_commit_callbacks
):
    volunteer = due_in(cast.centre, 30)
    run(django_capture_on_commit_callbacks)
    email = mail.outbox[0]
    assert cast.coordinator.email in email.to
    assert cast.other_coordinator.email not in email.to and cast.chair.email not in email.to
    assert "due for renewal in 30 days" in email.body and "Sign in to see who" in email.body
    check = volunteer.dbs_checks.get()
    for secret in [
        volunteer.first_name,
        volunteer.last_name,
        volunteer.email,
        check.certificate_number,
    ]:
        assert secret not in email.body and secret not in email.subject


def test_the_daily_task_sends_the_reminders(cast, django_capture_on_commit_callbacks):
    due_in(cast.centre, 7)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.dbs_daily.delay().get() == {"lapsed": 0, "reminders": 1}
    assert len(mail.outbox) == 1


def test_the_daily_task_is_on_the_utc_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["volunteers-dbs-daily"]
    assert entry["task"] == tasks.dbs_daily.name
    assert settings.CELERY_TIMEZONE == "UTC"


def test_the_dashboard_gets_the_renewals_due_of_its_own_centre(cast, django_assert_num_queries):
    soon = due_in(cast.centre, 10)
    later = due_in(cast.centre, 50)
    due_in(cast.centre, 90)
    due_in(cast.other_centre, 10)
    with django_assert_num_queries(1):
        due = dbs_services.dbs_reminders_due(cast.centre)
        names = [item.volunteer.last_name for item in due]
    assert [item.volunteer for item in due] == [soon, later]
    assert [item.days_left for item in due] == [10, 50]
    assert names == [soon.last_name, later.last_name]
