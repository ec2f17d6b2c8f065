"""Email to the adults of a family (issue 18, point 2, and its bad input): reminders the day
before from the beat task, once; a cancelled session's calendar cancellation; a real SMTP
server receives them; a server that is down or refuses leaves everything saved, shows on the
family page, and is tried again with backoff; no personal value in a task's arguments or a
log line."""

import datetime
import logging
import re

import pytest
from celery.signals import task_prerun, task_retry
from django.conf import settings
from django.core import mail
from django.urls import reverse

from families import mail_services, session_services, tasks
from families.models import ContactSession, FamilyMail
from tests.mail_cases import events_of, mine_and_theirs, raw_calendar, sent_to

pytestmark = pytest.mark.django_db


def tomorrow_is(pair, day_field="session"):
    """Move the pair's first session to tomorrow (and the later one out of the way)."""
    session = getattr(pair, day_field)
    session.date = datetime.date.today() + datetime.timedelta(days=1)
    session.save()
    return session


def run_reminders(capture):
    with capture(execute=True):
        return tasks.family_reminders_daily()


def test_the_beat_task_reminds_each_consenting_adult_of_tomorrows_session_once(
    pair, django_capture_on_commit_callbacks
):
    tomorrow_is(pair)
    pair.father.email_consents.update(
        withdrawn_at=datetime.datetime.now(datetime.UTC), how_withdrawn="phone"
    )
    assert run_reminders(django_capture_on_commit_callbacks) == 1
    assert run_reminders(django_capture_on_commit_callbacks) == 0  # the beat fires again
    (message,) = mail.outbox
    assert message.to == [pair.mother.email]
    assert "Reminder: your contact session on" in message.subject
    assert "Arrive with the children at 9:07am" in message.body
    assert "Come back at 12:41pm" in message.body
    (event,) = events_of(message)
    assert int(event["sequence"]) == 0
    assert event.decoded("dtstart").astimezone().time() == datetime.time(9, 7)
    assert event.decoded("dtend").astimezone().time() == datetime.time(12, 58)
    mine, never = mine_and_theirs(pair, pair.mother)
    for other in never:
        assert other not in message.body


def test_the_beat_schedule_has_the_reminders_once_in_utc():
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if "reminders" in e["task"]]
    assert sorted(e["task"] for e in entries) == [
        "families.reminders_daily",
        "volunteers.reminders_daily",
    ]
    assert settings.CELERY_TIMEZONE == "UTC"


def test_a_cancelled_session_sends_a_cancellation_of_the_same_event_one_version_higher(
    cast, pair, django_capture_on_commit_callbacks
):
    tomorrow_is(pair)
    run_reminders(django_capture_on_commit_callbacks)
    (reminder,) = sent_to(pair.father.email)
    with django_capture_on_commit_callbacks(execute=True):
        session_services.session_cancel(session=pair.session, by=cast.coordinator)
    cancellation = sent_to(pair.father.email)[-1]
    assert "Cancelled: your contact session on" in cancellation.subject
    assert "METHOD:CANCEL" in raw_calendar(cancellation)
    (before,), (after,) = events_of(reminder), events_of(cancellation)
    assert str(after["uid"]) == str(before["uid"])
    assert int(after["sequence"]) == int(before["sequence"]) + 1 == 1
    assert str(after["status"]) == "CANCELLED"
    # Each adult's event has its own UID: nothing links the two parents' calendars.
    (mothers,) = events_of(sent_to(pair.mother.email)[-1])
    assert str(mothers["uid"]) != str(after["uid"])
    assert re.fullmatch(r"[0-9a-f]{32}@127\.0\.0\.1", str(after["uid"]))  # a keyed hash
    # A cancelled session is not reminded of.
    FamilyMail.objects.filter(kind="reminder").delete()
    assert run_reminders(django_capture_on_commit_callbacks) == 0


def test_a_real_smtp_server_receives_the_letter_with_its_calendar(
    cast, login, pair, smtp_sink, django_capture_on_commit_callbacks
):
    client = login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("arrangement_letter_email", args=[pair.family.pk, pair.mother.pk]))
    (message,) = smtp_sink.to(pair.mother.email)
    assert smtp_sink.to(pair.father.email) == []
    assert message["To"] == pair.mother.email
    assert message["Subject"] == "[Contact centre] Your contact sessions at Home Centre"
    assert message["Reply-To"] == "bookings@home-centre.example"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Dear Philippa Marchbanks," in body and "Leave the building by 9:23am" in body
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    calendar = attachment.get_content()
    calendar = calendar if isinstance(calendar, str) else calendar.decode()
    assert calendar.count("BEGIN:VEVENT") == 2
    mine, never = mine_and_theirs(pair, pair.mother)
    for other in never[:7]:  # names, email, address, reference
        assert other not in body and other not in calendar
    assert FamilyMail.objects.get(kind="letter").status == "sent"


def test_a_mail_server_that_is_down_leaves_the_cancellation_saved_shows_and_retries_with_backoff(
    cast, login, pair, closed_port, retries_in_process, django_capture_on_commit_callbacks
):
    delays = []

    def retried(sender=None, request=None, reason=None, **kwargs):
        delays.append(reason.when)

    task_retry.connect(retried)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = login(cast.coordinator).post(
                reverse("session_cancel", args=[pair.session.pk])
            )
    finally:
        task_retry.disconnect(retried)
    assert response.status_code == 302
    pair.session.refresh_from_db()
    assert pair.session.status == ContactSession.Status.CANCELLED
    rows = FamilyMail.objects.filter(kind="cancel")
    assert {(m.status, m.attempts) for m in rows} == {("failed", mail_services.MAX_RETRIES + 1)}
    # Each adult's email was tried again six times, waiting twice as long each time.
    assert delays == [60, 120, 240, 480, 960, 1920] * 2
    page = login(cast.coordinator).get(reverse("family_detail", args=[pair.family.pk]))
    text = page.content.decode()
    assert "Emails that have not gone" in text
    assert text.count("Session cancelled") == 2
    assert "the centre stopped trying" in text


def test_while_it_retries_the_family_page_says_it_will_try_again(cast, login, pair, closed_port):
    row = FamilyMail.objects.create(adult=pair.mother, session=pair.session, kind="reminder")
    with pytest.raises(mail_services.MailServerUnavailable):
        mail_services.family_mail_send(mail_id=row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("queued", 1)
    text = login(cast.coordinator).get(reverse("family_detail", args=[pair.family.pk]))
    text = text.content.decode()
    assert "The mail server could not be reached." in text and "trying again" in text


def test_an_address_the_server_refuses_is_marked_failed_at_once_and_shown(
    cast, login, pair, smtp_sink, django_capture_on_commit_callbacks
):
    smtp_sink.refuse.add(pair.mother.email)
    with django_capture_on_commit_callbacks(execute=True):
        session_services.session_cancel(session=pair.session, by=cast.coordinator)
    mothers = FamilyMail.objects.get(adult=pair.mother)
    assert (mothers.status, mothers.attempts) == ("failed", 1)  # no retry for a refusal
    assert mothers.failure == "The mail server refused the address."
    assert FamilyMail.objects.get(adult=pair.father).status == "sent"
    assert len(smtp_sink.to(pair.father.email)) == 1
    text = login(cast.coordinator).get(reverse("family_detail", args=[pair.family.pk]))
    assert "The mail server refused the address." in text.content.decode()


def test_a_task_delivered_twice_sends_once(pair):
    row = FamilyMail.objects.create(adult=pair.mother, session=pair.session, kind="reminder")
    assert tasks.family_mail_send.delay(row.pk).get() == "sent"
    assert tasks.family_mail_send.delay(row.pk).get() == "sent"
    assert len(mail.outbox) == 1


def test_the_database_refuses_a_second_reminder_of_the_same_event(pair):
    from django.db import IntegrityError

    FamilyMail.objects.create(adult=pair.mother, session=pair.session, kind="reminder")
    with pytest.raises(IntegrityError):
        FamilyMail.objects.create(adult=pair.mother, session=pair.session, kind="reminder")


def test_tasks_get_ids_only_and_no_log_line_holds_a_personal_value(
    cast, login, pair, closed_port, caplog, django_capture_on_commit_callbacks
):
    arguments = []

    def started(sender=None, args=None, kwargs=None, **rest):
        arguments.append((sender.name, args, kwargs))

    task_prerun.connect(started)
    caplog.set_level(logging.DEBUG)
    try:
        tomorrow_is(pair)
        run_reminders(django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            login(cast.coordinator).post(
                reverse("arrangement_letter_email", args=[pair.family.pk, pair.father.pk])
            )
    finally:
        task_prerun.disconnect(started)
    assert arguments, "tasks ran"
    for name, args, kwargs in arguments:
        assert all(isinstance(a, int) for a in args) and not kwargs, (name, args, kwargs)
    logged = caplog.text
    for adult in (pair.mother, pair.father):
        for value in (adult.first_name, adult.last_name, adult.email, "Farwood", "Othertown"):
            assert value not in logged


def test_cancelling_the_rest_of_a_series_sends_each_adult_a_cancellation_of_each_session(
    cast, pair, django_capture_on_commit_callbacks
):
    from families.series_services import series_cancel_rest
    from tests.factories import SeriesFactory

    series = SeriesFactory(family=pair.family, created_by=cast.coordinator)
    ContactSession.objects.filter(pk__in=[pair.session.pk, pair.later.pk]).update(series=series)
    with django_capture_on_commit_callbacks(execute=True):
        assert series_cancel_rest(series=series, by=cast.coordinator) == 2
    for adult in (pair.mother, pair.father):
        sent = sent_to(adult.email)
        assert len(sent) == 2 and all("METHOD:CANCEL" in raw_calendar(m) for m in sent)
    assert set(FamilyMail.objects.values_list("kind", "sequence", "status")) == {
        ("cancel", 1, "sent")
    }
