"""Every volunteers page is a 404 to everyone outside its reach and sends anonymous visitors
to sign in; nothing is written by an outsider's POST."""

import pytest
from django.urls import reverse

from families.models import Concern, SessionNote
from tests.factories import UserFactory, VolunteerFactory
from tests.volunteers.conftest import book, put_on_rota
from volunteers.models import RotaEntry, TrainingRecord, Volunteer

pytestmark = pytest.mark.django_db

# (url name, needs a volunteer id, needs a session id, method)
COORDINATOR_PAGES = [
    ("volunteer_list", None, "get"),
    ("volunteer_create", None, "get"),
    ("volunteer_detail", "volunteer", "get"),
    ("volunteer_edit", "volunteer", "get"),
    ("volunteer_account", "volunteer", "get"),
    ("dbs_check_requested", "volunteer", "post"),
    ("training_add", "volunteer", "post"),
    ("agreement_sign", "volunteer", "post"),
    ("volunteer_appoint", "volunteer", "post"),
    ("volunteer_resign", "volunteer", "post"),
    ("session_rota", "session", "get"),
    ("rota_remove", "entry", "post"),
]
OUTSIDERS = ["other_coordinator", "chair", "volunteer", "referrer", "operator"]


@pytest.fixture
def targets(cast, volunteer):
    applicant = VolunteerFactory(centre=cast.centre)
    booked = book(cast.centre)
    entry = put_on_rota(volunteer, booked.session)
    return {
        "volunteer": [applicant.pk],
        "session": [booked.session.pk],
        "entry": [booked.session.pk, entry.pk],
        None: [],
    }


def _fetch(client, name, args, method):
    url = reverse(name, args=args)
    data = {
        "course": "X",
        "completed_on": "2026-01-01",
        "resigned_on": "2026-01-01",
        "signed_on": "2026-01-01",
        "policy_version": "1",
        "confirmed": "on",
    }
    return client.post(url, data) if method == "post" else client.get(url)


@pytest.mark.parametrize(("name", "target", "method"), COORDINATOR_PAGES)
def test_the_home_coordinator_reaches_each_page(cast, login, targets, name, target, method):
    response = _fetch(login(cast.coordinator), name, targets[target], method)
    assert response.status_code in (200, 302)


# The other coordinator has list pages of their own (tested below for what they show).
OUTSIDER_CASES = [
    (role, *page)
    for role in OUTSIDERS
    for page in COORDINATOR_PAGES
    if not (role == "other_coordinator" and page[1] is None)
]


@pytest.mark.parametrize(("role", "name", "target", "method"), OUTSIDER_CASES)
def test_outsiders_get_a_404_on_coordinator_pages(cast, login, targets, role, name, target, method):
    response = _fetch(login(getattr(cast, role)), name, targets[target], method)
    assert response.status_code == 404
    assert not TrainingRecord.objects.exists()
    assert RotaEntry.objects.count() == 1
    assert not Volunteer.objects.filter(status__in=["resigned", "dbs_pending"]).exists()


@pytest.mark.parametrize(("name", "target", "method"), COORDINATOR_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in_from_coordinator_pages(
    client, targets, name, target, method
):
    response = _fetch(client, name, targets[target], method)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_other_coordinators_list_shows_none_of_ours(cast, login, targets, volunteer):
    html = login(cast.other_coordinator).get(reverse("volunteer_list")).content.decode()
    assert volunteer.last_name not in html


def test_posting_as_another_centre_changes_nothing(cast, login, volunteer):
    client = login(cast.other_coordinator)
    client.post(reverse("volunteer_resign", args=[volunteer.pk]), {"resigned_on": "2026-01-01"})
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.APPOINTED


# --- the portal ----------------------------------------------------------------------------------

PORTAL_PAGES = [
    ("portal_session", "get"),
    ("portal_attendance", "post"),
    ("portal_note", "post"),
    ("portal_concern", "post"),
]


@pytest.fixture
def on_rota(cast, volunteer):
    from django.utils import timezone

    booked = book(cast.centre, day=timezone.localdate())
    put_on_rota(volunteer, booked.session)
    return booked


def _portal_args(name, booked):
    attendance = booked.session.adults.first()
    if name == "portal_attendance":
        return [booked.session.pk, attendance.pk]
    return [booked.session.pk]


def _portal_fetch(client, name, booked, method):
    url = reverse(name, args=_portal_args(name, booked))
    data = {
        "note-text": "Something happened.",
        "concern-text": "Something happened.",
        "concern-kind": "guidance",
        f"a{booked.session.adults.first().pk}-outcome": "attended",
        f"a{booked.session.adults.first().pk}-actual_arrival": "10:00",
    }
    return client.post(url, data) if method == "post" else client.get(url)


def _nothing_written():
    return not SessionNote.objects.exists() and not Concern.objects.exists()


@pytest.mark.parametrize(("name", "method"), PORTAL_PAGES)
def test_the_volunteer_on_the_rota_reaches_each_portal_page(cast, login, on_rota, name, method):
    response = _portal_fetch(login(cast.volunteer), name, on_rota, method)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(("name", "method"), PORTAL_PAGES)
def test_a_volunteer_not_on_the_rota_gets_a_404(cast, login, on_rota, name, method):
    colleague = UserFactory(role="volunteer", centre=cast.centre)
    response = _portal_fetch(login(colleague), name, on_rota, method)
    assert response.status_code == 404
    assert _nothing_written()


@pytest.mark.parametrize(("name", "method"), PORTAL_PAGES)
def test_another_centres_volunteer_gets_a_404(cast, login, on_rota, name, method):
    response = _portal_fetch(login(cast.other_volunteer), name, on_rota, method)
    assert response.status_code == 404
    assert _nothing_written()


@pytest.mark.parametrize(
    "role", ["coordinator", "chair", "referrer", "operator", "other_coordinator"]
)
@pytest.mark.parametrize(("name", "method"), [*PORTAL_PAGES, ("volunteer_portal", "get")])
def test_other_roles_get_a_404_in_the_portal(cast, login, on_rota, role, name, method):
    client = login(getattr(cast, role))
    if name == "volunteer_portal":
        response = client.get(reverse(name))
    else:
        response = _portal_fetch(client, name, on_rota, method)
    assert response.status_code == 404
    assert _nothing_written()


@pytest.mark.parametrize(("name", "method"), [*PORTAL_PAGES, ("volunteer_portal", "get")])
def test_anonymous_visitors_are_sent_to_sign_in_from_the_portal(client, on_rota, name, method):
    if name == "volunteer_portal":
        response = client.get(reverse(name))
    else:
        response = _portal_fetch(client, name, on_rota, method)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert _nothing_written()


def test_an_attendance_of_another_session_is_a_404(cast, login, on_rota):
    other = book(cast.centre)
    attendance = other.session.adults.first()
    response = login(cast.volunteer).post(
        reverse("portal_attendance", args=[on_rota.session.pk, attendance.pk]),
        {f"a{attendance.pk}-outcome": "did_not_attend"},
    )
    assert response.status_code == 404
    attendance.refresh_from_db()
    assert attendance.outcome == "expected"


def test_an_old_session_drops_out_of_the_portal(cast, login, volunteer):
    import datetime

    from django.utils import timezone

    old = book(cast.centre, day=timezone.localdate() - datetime.timedelta(days=60))
    put_on_rota(volunteer, old.session)
    client = login(cast.volunteer)
    assert client.get(reverse("portal_session", args=[old.session.pk])).status_code == 404
    assert (
        old.session.family.reference not in client.get(reverse("volunteer_portal")).content.decode()
    )
