"""When a check lapses, turns out not clear, or the volunteer resigns: they lose the portal,
come off future rotas (past ones stay), and the coordinator is told which sessions lost
cover, by family reference and time only."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import AppointedVolunteerFactory
from tests.volunteers.conftest import book, put_on_rota
from volunteers import dbs_services, services, tasks
from volunteers.models import DbsOutcome, RotaEntry, Volunteer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def rotas(cast, volunteer):
    """The volunteer on one past and two future sessions."""
    past = book(cast.centre, day=TODAY() - datetime.timedelta(days=3))
    soon = book(cast.centre, day=TODAY() + datetime.timedelta(days=2))
    later = book(cast.centre, day=TODAY() + datetime.timedelta(days=9), contact_type="supported")
    for booked in (past, soon, later):
        put_on_rota(volunteer, booked.session)
    return past, soon, later


def test_resigning_takes_them_off_future_rotas_only(cast, volunteer, rotas):
    past, soon, later = rotas
    lost = services.volunteer_resign(volunteer=volunteer, resigned_on=TODAY())
    assert [item.session for item in lost] == [soon.session, later.session]
    assert list(
        RotaEntry.objects.filter(volunteer=volunteer).values_list("session", flat=True)
    ) == [past.session.pk]


def test_resigning_tells_the_coordinator_which_sessions_lost_cover_without_names(
    cast, login, volunteer, rotas, django_capture_on_commit_callbacks
):
    _past, soon, later = rotas
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.coordinator).post(
            reverse("volunteer_resign", args=[volunteer.pk]),
            {"resigned_on": TODAY().isoformat()},
            follow=True,
        )
    page = response.content.decode()
    assert soon.session.family.reference in page and later.session.family.reference in page
    assert "now 0 of 2 volunteers" in page  # supervised needs 2, supported 1
    assert "now 0 of 1 volunteers" in page
    email = mail.outbox[-1]
    assert cast.coordinator.email in email.to and cast.other_coordinator.email not in email.to
    assert cast.volunteer.email not in email.to and cast.chair.email not in email.to
    assert soon.session.family.reference in email.body
    assert f"{soon.session.starts_at:%H:%M}" in email.body
    for secret in [
        volunteer.first_name,
        volunteer.last_name,
        soon.resident.first_name,
        soon.resident.last_name,
        volunteer.email,
    ]:
        assert secret not in email.body and secret not in email.subject


def test_a_session_later_today_counts_as_future_and_one_that_started_does_not(cast, volunteer):
    # Midday today, whatever the clock says: "later today" and "started" are both today.
    now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    started = book(
        cast.centre,
        day=now.date(),
        starts_at=(now - datetime.timedelta(minutes=30)).time().replace(microsecond=0),
        ends_at=datetime.time(23, 59),
    )
    to_come = book(
        cast.centre,
        day=now.date(),
        starts_at=(now + datetime.timedelta(minutes=30)).time().replace(microsecond=0),
        ends_at=datetime.time(23, 59),
    )
    put_on_rota(volunteer, started.session)
    put_on_rota(volunteer, to_come.session)
    services.volunteer_resign(volunteer=volunteer, resigned_on=TODAY(), now=now)
    assert list(RotaEntry.objects.values_list("session", flat=True)) == [started.session.pk]


def test_a_resigned_volunteer_loses_the_portal_at_the_next_request(cast, login, volunteer, rotas):
    client = login(cast.volunteer)
    assert client.get(reverse("volunteer_portal")).status_code == 200
    services.volunteer_resign(volunteer=volunteer, resigned_on=TODAY())
    response = client.get(reverse("portal_session", args=[rotas[0].session.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_undisclosed_outcome_withdraws_clearance_and_future_rotas(
    cast, volunteer, rotas, django_capture_on_commit_callbacks
):
    past, soon, later = rotas
    with django_capture_on_commit_callbacks(execute=True):
        _check, lost = dbs_services.dbs_check_record(
            volunteer=volunteer,
            level="enhanced",
            certificate_number="001234567890",
            outcome=DbsOutcome.DISCLOSED,
            issued_on=TODAY(),
            by=cast.coordinator,
        )
    volunteer.refresh_from_db()
    assert (volunteer.status, volunteer.clearance_expires) == (Volunteer.Status.DBS_PENDING, None)
    assert [item.session for item in lost] == [soon.session, later.session]
    assert list(RotaEntry.objects.values_list("session", flat=True)) == [past.session.pk]
    assert later.session.family.reference in mail.outbox[-1].body
    assert "Information disclosed" not in mail.outbox[-1].body


def test_the_daily_task_withdraws_lapsed_clearances(
    cast, login, django_capture_on_commit_callbacks
):
    lapsed = AppointedVolunteerFactory(
        centre=cast.centre, clearance_expires=TODAY() - datetime.timedelta(days=1)
    )
    current = AppointedVolunteerFactory(centre=cast.centre)
    # Sessions before the clearance ran out stay on the record.
    past = book(cast.centre, day=TODAY() - datetime.timedelta(days=5))
    put_on_rota(lapsed, past.session)
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.dbs_daily.delay().get()
    assert result["lapsed"] == 1
    lapsed.refresh_from_db()
    current.refresh_from_db()
    assert (lapsed.status, lapsed.clearance_expires) == (Volunteer.Status.DBS_PENDING, None)
    assert current.status == Volunteer.Status.APPOINTED
    assert RotaEntry.objects.filter(volunteer=lapsed).count() == 1
    email = next(m for m in mail.outbox if "lapsed" in m.subject)
    assert lapsed.last_name not in email.body and "1 volunteer" in email.body


def test_the_lapse_run_is_idempotent(cast, django_capture_on_commit_callbacks):
    AppointedVolunteerFactory(
        centre=cast.centre, clearance_expires=TODAY() - datetime.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert len(dbs_services.clearances_lapse()) == 1
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert dbs_services.clearances_lapse() == []
    assert len(mail.outbox) == sent


def test_a_lapsed_volunteer_is_signed_out_and_cannot_sign_back_in(cast, login, volunteer):
    from tests.volunteers.test_gate import sign_in_with_password

    client = login(cast.volunteer)
    Volunteer.objects.filter(pk=volunteer.pk).update(
        clearance_expires=TODAY() - datetime.timedelta(days=1)
    )
    assert client.get(reverse("volunteer_portal")).status_code == 302
    sign_in_with_password(client, cast.volunteer)
    assert client.get(reverse("volunteer_portal")).status_code == 302


def test_removing_a_volunteer_from_a_rota_by_hand_keeps_history(cast, login, volunteer, rotas):
    _past, soon, _later = rotas
    entry = RotaEntry.objects.get(volunteer=volunteer, session=soon.session)
    login(cast.coordinator).post(reverse("rota_remove", args=[soon.session.pk, entry.pk]))
    assert not RotaEntry.objects.filter(pk=entry.pk).exists()
    assert RotaEntry.history.filter(id=entry.pk, history_type="-").exists()
