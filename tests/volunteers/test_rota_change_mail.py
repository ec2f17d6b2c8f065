"""Volunteers on a session's rota are told when it is cancelled (alone, or with the rest of its
series) or given other times, as its adults are (issue 18): what, when and at which centre,
and nothing of the family, not even its reference (the volunteers' emails never carry one).
A volunteer taken off the rota before, or on another session, is not told."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from families.arrangements import clock
from tests.factories import AppointedVolunteerFactory, SeriesFactory
from tests.volunteers.conftest import book, put_on_rota
from tests.volunteers.test_rota_mail import family_values
from volunteers import rota_services
from volunteers.models import RotaEntry, RotaMail
from volunteers.rota_mail_services import time_in_building

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_rota(cast, booked, volunteer):
    """The booked session's rota (cast's volunteer and another), a volunteer taken off it
    before, and a volunteer on another session of the same day."""
    other = AppointedVolunteerFactory(centre=cast.centre)
    put_on_rota(volunteer, booked.session)
    put_on_rota(other, booked.session)
    gone = AppointedVolunteerFactory(centre=cast.centre)
    rota_services.rota_remove(entry=put_on_rota(gone, booked.session))
    elsewhere = AppointedVolunteerFactory(centre=cast.centre)
    put_on_rota(elsewhere, book(cast.centre, day=booked.session.date).session)
    mail.outbox.clear()
    RotaMail.objects.all().delete()
    return [volunteer, other], [gone, elsewhere]


def told(booked, on_rota, subject: str) -> list:
    """The emails sent: one to each volunteer on the rota, with the subject, nothing of the
    family; none to the others."""
    told_ones, others = on_rota
    assert sorted(m.to[0] for m in mail.outbox) == sorted(v.email for v in told_ones)
    for other in others:
        assert all(other.email not in m.to for m in mail.outbox)
    for message in mail.outbox:
        assert message.subject.startswith(f"[Contact centre] {subject}")
        assert "Home Centre" in message.body
        for value in family_values(booked):
            assert value not in message.body and value not in message.subject
    return mail.outbox


def test_cancelling_a_session_tells_each_volunteer_on_its_rota(
    cast, login, booked, on_rota, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.coordinator).post(reverse("session_cancel", args=[booked.session.pk]))
    assert response.status_code == 302
    day = booked.session.date
    for message in told(booked, on_rota, "Session cancelled"):
        assert f"{day:%A} {day.day} {day:%B %Y}" in message.subject
        assert "is cancelled: you are not needed for it" in message.body
        assert "From 9:45am to 12:15pm" in message.body
    kinds = set(RotaMail.objects.values_list("kind", "status"))
    assert kinds == {("cancelled", "sent")}


def test_new_times_tell_each_volunteer_on_the_rota_the_new_times(
    cast, login, booked, on_rota, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.coordinator).post(
            reverse("session_move", args=[booked.session.pk]),
            {"starts_at": "14:00", "ends_at": "15:30"},
        )
    assert response.status_code == 302, response.content.decode()
    booked.session.refresh_from_db()
    assert booked.session.starts_at == datetime.time(14)
    # From the first arrival to the last departure of the plan made again for 14:00-15:30.
    first, last = time_in_building(booked.session)
    assert (first, last) != (datetime.time(9, 45), datetime.time(12, 15))
    for message in told(booked, on_rota, "New times"):
        assert "The times of this contact session have changed" in message.body
        assert f"From {clock(first)} to {clock(last)}" in message.body
    assert set(RotaMail.objects.values_list("kind", flat=True)) == {"moved"}


def test_moving_twice_tells_twice(cast, login, booked, on_rota, django_capture_on_commit_callbacks):
    client = login(cast.coordinator)
    url = reverse("session_move", args=[booked.session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"starts_at": "14:00", "ends_at": "15:30"})
        client.post(url, {"starts_at": "15:00", "ends_at": "16:30"})
    assert len(mail.outbox) == 4
    assert sorted(RotaMail.objects.values_list("sequence", flat=True)) == [1, 1, 2, 2]


def test_cancelling_the_rest_of_a_series_tells_the_rota_of_each_session(
    cast, login, booked, on_rota, django_capture_on_commit_callbacks
):
    series = SeriesFactory(family=booked.session.family)
    booked.session.series = series
    booked.session.save()
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.coordinator).post(reverse("series_cancel_rest", args=[series.pk]))
    booked.session.refresh_from_db()
    assert booked.session.status == "cancelled"
    told(booked, on_rota, "Session cancelled")


def test_a_refused_cancellation_tells_nobody(
    cast, login, booked, on_rota, django_capture_on_commit_callbacks
):
    client = login(cast.coordinator)
    url = reverse("session_cancel", args=[booked.session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)  # cancelled already: refused
    assert mail.outbox == []
    assert RotaMail.objects.count() == 2


def test_a_volunteer_who_resigned_is_not_told(
    cast, login, volunteer, django_capture_on_commit_callbacks
):
    """Resigning takes a volunteer off the sessions still to come only: one that started
    today keeps them on its rota. Cancelled or given other times later that day, it must not
    write to the person who has left (nor tell them "you are still on its rota")."""
    from volunteers import services

    now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    started = book(
        cast.centre, day=now.date(), starts_at=datetime.time(11, 30), ends_at=datetime.time(23, 0)
    )
    stays = AppointedVolunteerFactory(centre=cast.centre)
    put_on_rota(volunteer, started.session)
    put_on_rota(stays, started.session)
    services.volunteer_resign(
        volunteer=volunteer, resigned_on=now.date(), by=cast.coordinator, now=now
    )
    assert RotaEntry.objects.filter(volunteer=volunteer, session=started.session).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.coordinator).post(
            reverse("session_cancel", args=[started.session.pk])
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox if "Session cancelled" in m.subject] == [[stays.email]]
    assert not RotaMail.objects.filter(volunteer=volunteer, kind="cancelled").exists()
