"""An adult's email about a session is checked again when its turn comes to be sent
(families/mail_services.py, `overtaken`): new times or a reminder queued, then the session
cancelled or its day over before it went, is marked "withdrawn" and never sent, nor tried
again; the cancellation still goes. As the volunteers' rota emails
(tests/volunteers/test_rota_mail_recheck.py)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from families import mail_services, session_services
from families.models import ContactSession, FamilyMail
from families.session_move_services import session_move
from tests.factories import EmailConsentFactory
from tests.session_cases import book

pytestmark = pytest.mark.django_db
T = datetime.time
TOMORROW = datetime.timedelta(days=1)


@pytest.fixture
def booked(cast, case):
    """The case's session, tomorrow, both adults consenting to email."""
    for adult in (case.resident, case.other):
        EmailConsentFactory(adult=adult, recorded_by=cast.coordinator)
    day = timezone.localdate() + TOMORROW
    return book(case.family, [case.resident, case.other], by=cast.coordinator, date=day)


def subjects_to(adult) -> list[str]:
    prefix = "[Contact centre] "
    return [
        m.subject.removeprefix(prefix).split(":")[0] for m in mail.outbox if m.to == [adult.email]
    ]


def statuses(adult) -> list[tuple[str, str]]:
    return list(FamilyMail.objects.filter(adult=adult).order_by("pk").values_list("kind", "status"))


def test_new_times_overtaken_by_a_cancellation_are_not_sent(
    cast, case, booked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session_move(session=booked, starts_at=T(14), ends_at=T(15, 30), by=cast.coordinator)
        session_services.session_cancel(session=booked, by=cast.coordinator)
    for adult in (case.resident, case.other):
        assert subjects_to(adult) == ["Cancelled"]
        assert statuses(adult) == [("update", "withdrawn"), ("cancel", "sent")]


def test_a_reminder_overtaken_by_a_cancellation_is_not_sent(
    cast, case, booked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_services.reminders_queue(day=booked.date) == 2
        session_services.session_cancel(session=booked, by=cast.coordinator)
    for adult in (case.resident, case.other):
        assert subjects_to(adult) == ["Cancelled"]
        assert statuses(adult) == [("reminder", "withdrawn"), ("cancel", "sent")]


@pytest.mark.parametrize("kind", ["reminder", "update"])
def test_nothing_is_sent_about_a_session_whose_day_is_over(
    cast, case, booked, django_capture_on_commit_callbacks, kind
):
    """Queued the day before, sent once the day is over (the session's date is moved back
    here, as the clock cannot be): a reminder of "tomorrow" is not sent on the day itself
    either."""
    with django_capture_on_commit_callbacks() as callbacks:
        if kind == "reminder":
            mail_services.reminders_queue(day=booked.date)
        else:
            session_move(session=booked, starts_at=T(14), ends_at=T(15, 30), by=cast.coordinator)
    since = timezone.localdate() - (TOMORROW if kind == "update" else datetime.timedelta(0))
    booked_at = timezone.now() - datetime.timedelta(days=2)  # booked ahead of the new date
    ContactSession.objects.filter(pk=booked.pk).update(date=since, booked_at=booked_at)
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    assert set(FamilyMail.objects.values_list("kind", "status")) == {(kind, "withdrawn")}


def test_a_withdrawn_email_is_never_tried_even_with_the_mail_server_down(
    cast, case, booked, closed_port, retries_in_process, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail_services.reminders_queue(day=booked.date)
        session_services.session_cancel(session=booked, by=cast.coordinator)
    for reminder in FamilyMail.objects.filter(kind="reminder"):
        assert (reminder.status, reminder.attempts, reminder.last_try_at) == ("withdrawn", 0, None)
        assert mail_services.family_mail_send(mail_id=reminder.pk) == "withdrawn"
