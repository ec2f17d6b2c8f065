"""The portal's attendance forms (issue 17, point 6): no outcome is preselected (saving an
untouched form used to record "Attended"), "did not attend" with a time is refused with a
message that keeps what was typed, and the children's attendance is recorded too."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import ChildAttendance, SessionAttendance
from tests.factories import ChildAttendanceFactory, UserFactory
from tests.volunteers.conftest import book, put_on_rota
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

DNA = SessionAttendance.Outcome.DID_NOT_ATTEND


@pytest.fixture
def today_session(cast, volunteer):
    booked = book(cast.centre, day=timezone.localdate())
    put_on_rota(volunteer, booked.session)
    return booked.session


def selected_outcomes(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)[0]
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select)


def page(client, session) -> str:
    return client.get(reverse("portal_session", args=[session.pk])).content.decode()


def test_no_outcome_is_preselected_for_an_adult(cast, login, today_session):
    html = page(login(cast.volunteer), today_session)
    for attendance in today_session.adults.all():
        assert selected_outcomes(html, f"a{attendance.pk}-outcome") in ([], [""])


def test_an_untouched_form_records_nothing_and_asks_for_a_choice(cast, login, today_session):
    attendance = today_session.adults.first()
    response = login(cast.volunteer).post(
        reverse("portal_attendance", args=[today_session.pk, attendance.pk]),
        {f"a{attendance.pk}-outcome": ""},
    )
    assert response.status_code == 200
    assert "Choose whether they attended." in response.content.decode()
    attendance.refresh_from_db()
    assert attendance.outcome == "expected"


def test_did_not_attend_with_a_time_is_refused_and_the_form_keeps_it(cast, login, today_session):
    attendance = today_session.adults.first()
    response = login(cast.volunteer).post(
        reverse("portal_attendance", args=[today_session.pk, attendance.pk]),
        {f"a{attendance.pk}-outcome": DNA, f"a{attendance.pk}-actual_arrival": "09:41"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "did not attend" in html and "has no arrival or departure time" in html
    assert 'value="09:41"' in html
    assert selected_outcomes(html, f"a{attendance.pk}-outcome") == [DNA]
    attendance.refresh_from_db()
    assert attendance.outcome == "expected" and attendance.actual_arrival is None


# --- the children -----------------------------------------------------------------------------


def child_url(session, attendance):
    return reverse("portal_child_attendance", args=[session.pk, attendance.pk])


def test_a_volunteer_records_a_childs_attendance(cast, login, today_session):
    child = today_session.children.get()
    html = page(login(cast.volunteer), today_session)
    assert selected_outcomes(html, f"c{child.pk}-outcome") in ([], [""])
    response = login(cast.volunteer).post(
        child_url(today_session, child), {f"c{child.pk}-outcome": "attended"}
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.outcome == "attended"
    today_session.family.refresh_from_db()
    assert today_session.family.last_activity.date() == timezone.localdate()
    html = page(login(cast.volunteer), today_session)
    assert selected_outcomes(html, f"c{child.pk}-outcome") == ["attended"]


def test_a_childs_attendance_needs_a_choice(cast, login, today_session):
    child = today_session.children.get()
    response = login(cast.volunteer).post(
        child_url(today_session, child), {f"c{child.pk}-outcome": ""}
    )
    assert response.status_code == 200
    assert "Choose whether they attended." in response.content.decode()
    child.refresh_from_db()
    assert child.outcome == "expected"


def test_a_childs_attendance_waits_for_the_day_of_the_session(cast, login, volunteer):
    later = book(cast.centre, day=timezone.localdate() + datetime.timedelta(days=2))
    put_on_rota(volunteer, later.session)
    child = later.session.children.get()
    response = login(cast.volunteer).post(
        child_url(later.session, child), {f"c{child.pk}-outcome": DNA}
    )
    assert "recorded on the day of the session" in response.content.decode()
    child.refresh_from_db()
    assert child.outcome == "expected"


# --- outsiders ----------------------------------------------------------------------------------


def test_a_volunteer_not_on_the_rota_gets_a_404(cast, login, today_session):
    child = today_session.children.get()
    colleague = UserFactory(role="volunteer", centre=cast.centre)
    assert Volunteer.objects.get(user=colleague)  # appointed, cleared: only not on this rota
    for user in [colleague, cast.other_volunteer]:
        response = login(user).post(
            child_url(today_session, child), {f"c{child.pk}-outcome": "attended"}
        )
        assert response.status_code == 404
    child.refresh_from_db()
    assert child.outcome == "expected"


def test_a_child_of_another_session_cannot_be_recorded_through_this_one(cast, login, today_session):
    elsewhere = ChildAttendanceFactory(session=book(cast.centre).session)
    response = login(cast.volunteer).post(
        child_url(today_session, elsewhere), {f"c{elsewhere.pk}-outcome": "attended"}
    )
    assert response.status_code == 404
    assert ChildAttendance.objects.get(pk=elsewhere.pk).outcome == "expected"


@pytest.mark.parametrize("role", ["coordinator", "chair", "referrer", "operator"])
def test_other_roles_get_a_404(cast, login, today_session, role):
    child = today_session.children.get()
    response = login(getattr(cast, role)).post(
        child_url(today_session, child), {f"c{child.pk}-outcome": "attended"}
    )
    assert response.status_code == 404
    assert ChildAttendance.objects.get(pk=child.pk).outcome == "expected"
