"""A rota email is checked again when its turn comes to be sent (volunteers/rota_mail_services.py,
`overtaken`): one queued, then made untrue before it went (the session cancelled or its day
over, the volunteer taken off), is marked "withdrawn" and never sent, nor tried again; the
email that says what happened since goes instead.

Each test queues its emails in one transaction, so that none is sent before the last change,
as a busy queue or a mail server that is down would have it; the tasks then run in the order
they were queued, as the other rota mail tests run them."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from families.models import ContactSession
from tests.factories import RotaMailFactory
from tests.volunteers.conftest import book, put_on_rota
from volunteers import rota_mail_services, rota_services, session_change_services
from volunteers.models import RotaEntry, RotaMail

pytestmark = pytest.mark.django_db

TOMORROW = datetime.timedelta(days=1)


def subjects_to(volunteer) -> list[str]:
    """The subjects the volunteer received, without the prefix and the day."""
    prefix = "[Contact centre] "
    return [
        m.subject.removeprefix(prefix).split(":")[0]
        for m in mail.outbox
        if m.to == [volunteer.email]
    ]


def statuses() -> list[tuple[str, int, str]]:
    return list(RotaMail.objects.order_by("pk").values_list("kind", "sequence", "status"))


def assign(cast, volunteer, session) -> RotaEntry:
    return rota_services.rota_assign(session=session, volunteer=volunteer, by=cast.coordinator)


def cancel(cast, session) -> None:
    session_change_services.session_cancel_telling_rota(session=session, by=cast.coordinator)


def move(cast, session) -> None:
    session_change_services.session_move_telling_rota(
        session=session,
        starts_at=datetime.time(14),
        ends_at=datetime.time(15, 30),
        by=cast.coordinator,
    )


def test_put_on_the_rota_then_the_session_cancelled_sends_only_the_cancellation(
    cast, volunteer, booked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assign(cast, volunteer, booked.session)
        cancel(cast, booked.session)
    assert subjects_to(volunteer) == ["Session cancelled"]
    assert statuses() == [("added", 1, "withdrawn"), ("cancelled", 1, "sent")]


def test_put_on_then_taken_off_before_either_went_sends_neither(
    cast, volunteer, booked, django_capture_on_commit_callbacks
):
    """The volunteer never heard they were on it: "taken off" would tell them of a rota
    they never knew of."""
    with django_capture_on_commit_callbacks(execute=True):
        rota_services.rota_remove(entry=assign(cast, volunteer, booked.session))
    assert subjects_to(volunteer) == []
    assert statuses() == [("added", 1, "withdrawn"), ("removed", 2, "withdrawn")]


def test_on_off_and_on_again_before_any_went_sends_the_last_only(
    cast, volunteer, booked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rota_services.rota_remove(entry=assign(cast, volunteer, booked.session))
        assign(cast, volunteer, booked.session)
    assert subjects_to(volunteer) == ["You are on the rota"]
    assert statuses() == [
        ("added", 1, "withdrawn"),
        ("removed", 2, "withdrawn"),
        ("added", 3, "sent"),
    ]


def test_taken_off_after_being_told_is_told(
    cast, volunteer, booked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = assign(cast, volunteer, booked.session)
    with django_capture_on_commit_callbacks(execute=True):
        rota_services.rota_remove(entry=entry)
    assert subjects_to(volunteer) == ["You are on the rota", "Taken off the rota"]
    assert statuses() == [("added", 1, "sent"), ("removed", 2, "sent")]


def test_taken_off_and_put_back_before_either_went_tells_nothing_new(
    cast, volunteer, booked, django_capture_on_commit_callbacks
):
    """Told they are on it, and on it again: nothing they do not know."""
    with django_capture_on_commit_callbacks(execute=True):
        entry = assign(cast, volunteer, booked.session)
    with django_capture_on_commit_callbacks(execute=True):
        rota_services.rota_remove(entry=entry)
        assign(cast, volunteer, booked.session)
    assert subjects_to(volunteer) == ["You are on the rota"]
    assert statuses() == [
        ("added", 1, "sent"),
        ("removed", 2, "withdrawn"),
        ("added", 3, "withdrawn"),
    ]


def test_off_on_and_off_again_after_being_told_on_tells_them_off_once(
    cast, volunteer, booked, django_capture_on_commit_callbacks
):
    """The email before the last (put back on) never went: what counts is what they were
    last told (on), so the last (taken off) goes."""
    with django_capture_on_commit_callbacks(execute=True):
        entry = assign(cast, volunteer, booked.session)
    with django_capture_on_commit_callbacks(execute=True):
        rota_services.rota_remove(entry=entry)
        rota_services.rota_remove(entry=assign(cast, volunteer, booked.session))
    assert subjects_to(volunteer) == ["You are on the rota", "Taken off the rota"]
    assert [status for _, _, status in statuses()] == ["sent", "withdrawn", "withdrawn", "sent"]


def test_taken_off_a_rota_put_on_without_an_email_is_told(
    cast, volunteer, booked, django_capture_on_commit_callbacks
):
    """A rota entry older than the emails (or the demo's) has no "put on" email in the log:
    the volunteer knew of it some other way, and is told they were taken off."""
    entry = put_on_rota(volunteer, booked.session)
    with django_capture_on_commit_callbacks(execute=True):
        rota_services.rota_remove(entry=entry)
    assert subjects_to(volunteer) == ["Taken off the rota"]


@pytest.mark.parametrize("then", ["cancelled", "taken_off"])
def test_a_reminder_overtaken_by_a_cancellation_or_removal_is_not_sent(
    cast, volunteer, django_capture_on_commit_callbacks, then
):
    tomorrow = book(cast.centre, day=timezone.localdate() + TOMORROW).session
    entry = put_on_rota(volunteer, tomorrow)
    with django_capture_on_commit_callbacks(execute=True):
        assert rota_mail_services.rota_reminders_queue(day=tomorrow.date) == 1
        if then == "cancelled":
            cancel(cast, tomorrow)
        else:
            rota_services.rota_remove(entry=entry)
    told = "Session cancelled" if then == "cancelled" else "Taken off the rota"
    assert subjects_to(volunteer) == [told]
    assert RotaMail.objects.get(kind="reminder").status == "withdrawn"


def test_new_times_overtaken_by_a_cancellation_are_not_sent(
    cast, volunteer, booked, django_capture_on_commit_callbacks
):
    put_on_rota(volunteer, booked.session)
    with django_capture_on_commit_callbacks(execute=True):
        move(cast, booked.session)
        cancel(cast, booked.session)
    assert subjects_to(volunteer) == ["Session cancelled"]
    assert statuses() == [("moved", 1, "withdrawn"), ("cancelled", 1, "sent")]


def test_new_times_to_a_volunteer_taken_off_since_are_not_sent(
    cast, volunteer, booked, django_capture_on_commit_callbacks
):
    """They would say "you are still on its rota"."""
    entry = put_on_rota(volunteer, booked.session)
    with django_capture_on_commit_callbacks(execute=True):
        move(cast, booked.session)
        rota_services.rota_remove(entry=entry)
    assert subjects_to(volunteer) == ["Taken off the rota"]
    assert statuses() == [("moved", 1, "withdrawn"), ("removed", 1, "sent")]


@pytest.mark.parametrize("kind", ["added", "moved", "reminder"])
def test_nothing_is_sent_about_a_session_whose_day_is_over(
    cast, volunteer, django_capture_on_commit_callbacks, kind
):
    """Queued while the session was to come, sent once its day is over (the session's date
    is moved back here, as the clock cannot be): a reminder of "tomorrow" is not sent on the
    day itself either."""
    tomorrow = book(cast.centre, day=timezone.localdate() + TOMORROW).session
    with django_capture_on_commit_callbacks() as callbacks:
        if kind == "added":
            assign(cast, volunteer, tomorrow)
        else:
            put_on_rota(volunteer, tomorrow)
            if kind == "moved":
                move(cast, tomorrow)
            else:
                rota_mail_services.rota_reminders_queue(day=tomorrow.date)
    since = timezone.localdate() - (TOMORROW if kind != "reminder" else datetime.timedelta(0))
    booked_at = timezone.now() - datetime.timedelta(days=2)  # booked ahead of the new date
    ContactSession.objects.filter(pk=tomorrow.pk).update(date=since, booked_at=booked_at)
    RotaEntry.objects.filter(session=tomorrow).update(session_date=since)
    mail.outbox.clear()  # the adults' own emails about the move
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    assert statuses() == [(kind, 1 if kind != "reminder" else 0, "withdrawn")]


def test_a_withdrawn_email_is_never_tried_even_with_the_mail_server_down(
    cast, volunteer, booked, closed_port, retries_in_process, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assign(cast, volunteer, booked.session)
        cancel(cast, booked.session)
    added = RotaMail.objects.get(kind="added")
    assert (added.status, added.attempts, added.sent_at) == ("withdrawn", 0, None)
    # Sent again (a task delivered twice), it stays as it is.
    assert rota_mail_services.rota_mail_send(mail_id=added.pk) == "withdrawn"
    added.refresh_from_db()
    assert added.attempts == 0


@pytest.mark.django_db(transaction=True)
def test_taken_off_waits_for_the_put_on_being_sent_at_that_moment_and_then_goes():
    """Two workers at once: "put on" is being sent (its row locked, not yet saved as sent)
    when "taken off" comes to be sent. "Taken off" waits for it, sees it went, and goes; read
    without waiting, it would have found "put on" unsent and been withdrawn, leaving the
    volunteer believing they are on the rota."""
    added = RotaMailFactory(kind=RotaMail.Kind.ADDED, sequence=1)
    removed = RotaMailFactory(
        volunteer=added.volunteer, session=added.session, kind=RotaMail.Kind.REMOVED, sequence=2
    )
    locked, release = threading.Event(), threading.Event()
    outcome: list[str] = []

    def sending_put_on() -> None:
        try:
            with transaction.atomic():
                row = RotaMail.objects.select_for_update().get(pk=added.pk)
                locked.set()
                release.wait(10)
                row.status = RotaMail.Status.SENT
                row.save(update_fields=["status"])
        finally:
            connection.close()

    def sending_taken_off() -> None:
        try:
            outcome.append(rota_mail_services.rota_mail_send(mail_id=removed.pk))
        finally:
            connection.close()

    first = threading.Thread(target=sending_put_on)
    first.start()
    assert locked.wait(10)
    second = threading.Thread(target=sending_taken_off)
    second.start()
    second.join(0.5)
    assert second.is_alive()  # waiting for "put on"
    release.set()
    first.join(10)
    second.join(10)
    assert outcome == ["sent"]
    assert subjects_to(added.volunteer) == ["Taken off the rota"]
