"""Volunteers are told (issue 18, point 3): an email when put on or taken off a session's
rota, and a reminder the day before, each with the date, the time and the room, never a
family."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.volunteers.conftest import book, put_on_rota
from volunteers import rota_services, services, tasks
from volunteers.models import RotaMail

pytestmark = pytest.mark.django_db


def family_values(booked) -> list[str]:
    family = booked.session.family
    values = [family.reference]
    for adult in (booked.resident, booked.visitor):
        values += [adult.first_name, adult.last_name, adult.email]
    values += [c.child.first_name for c in booked.session.children.select_related("child")]
    return values


def test_putting_a_volunteer_on_the_rota_tells_them_the_date_time_and_room_only(
    cast, login, volunteer, booked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.coordinator).post(
            reverse("session_rota", args=[booked.session.pk]), {"volunteer": volunteer.pk}
        )
    (message,) = mail.outbox
    assert message.to == [volunteer.email]
    day = booked.session.date
    assert f"{day:%A} {day.day} {day:%B %Y}" in message.subject
    # From the first arrival (9:45) to the last departure (12:15) of the session's plan.
    assert "From 9:45am to 12:15pm" in message.body
    assert f"Room: {booked.session.room}" in message.body and "Home Centre" in message.body
    for value in family_values(booked):
        assert value not in message.body and value not in message.subject
    assert RotaMail.objects.get().status == "sent"


def test_taking_a_volunteer_off_tells_them(
    cast, login, volunteer, booked, django_capture_on_commit_callbacks
):
    entry = put_on_rota(volunteer, booked.session)
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.coordinator).post(reverse("rota_remove", args=[booked.session.pk, entry.pk]))
    (message,) = mail.outbox
    assert message.subject.startswith("[Contact centre] Taken off the rota")
    assert "you are not needed for it" in message.body
    for value in family_values(booked):
        assert value not in message.body


def test_on_off_and_on_again_is_three_emails(
    cast, volunteer, booked, django_capture_on_commit_callbacks
):
    """Each sent before the next change (all three before any went: the last one only,
    tests/volunteers/test_rota_mail_recheck.py)."""
    with django_capture_on_commit_callbacks(execute=True):
        entry = rota_services.rota_assign(
            session=booked.session, volunteer=volunteer, by=cast.coordinator
        )
    with django_capture_on_commit_callbacks(execute=True):
        rota_services.rota_remove(entry=entry)
    with django_capture_on_commit_callbacks(execute=True):
        rota_services.rota_assign(session=booked.session, volunteer=volunteer, by=cast.coordinator)
    kinds = list(RotaMail.objects.order_by("sequence").values_list("kind", "sequence", "status"))
    assert kinds == [("added", 1, "sent"), ("removed", 2, "sent"), ("added", 3, "sent")]
    assert len(mail.outbox) == 3


def test_a_resigning_volunteer_is_told_of_the_sessions_they_were_taken_off(
    cast, volunteer, django_capture_on_commit_callbacks
):
    soon = book(cast.centre, day=timezone.localdate() + datetime.timedelta(days=3))
    put_on_rota(volunteer, soon.session)
    with django_capture_on_commit_callbacks(execute=True):
        services.volunteer_resign(
            volunteer=volunteer, resigned_on=timezone.localdate(), by=cast.coordinator
        )
    told = [m for m in mail.outbox if m.to == [volunteer.email]]
    assert len(told) == 1 and "Taken off the rota" in told[0].subject


def test_the_day_before_each_volunteer_is_reminded_once(
    cast, volunteer, django_capture_on_commit_callbacks
):
    tomorrow = book(cast.centre, day=timezone.localdate() + datetime.timedelta(days=1))
    later = book(cast.centre, day=timezone.localdate() + datetime.timedelta(days=2))
    cancelled = book(
        cast.centre, day=timezone.localdate() + datetime.timedelta(days=1), status="cancelled"
    )
    for booked in (tomorrow, later, cancelled):
        put_on_rota(volunteer, booked.session)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.reminders_daily() == 1
        assert tasks.reminders_daily() == 0
    (message,) = mail.outbox
    assert "Reminder: you are on the rota tomorrow" in message.subject
    for value in family_values(tomorrow):
        assert value not in message.body


def test_a_mail_server_that_is_down_leaves_the_rota_saved_and_is_tried_again(
    cast, volunteer, booked, closed_port, retries_in_process, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = rota_services.rota_assign(
            session=booked.session, volunteer=volunteer, by=cast.coordinator
        )
    assert entry.pk is not None
    row = RotaMail.objects.get()
    assert (row.status, row.attempts) == ("failed", 7)
    assert row.failure == "The mail server could not be reached; the centre stopped trying."
