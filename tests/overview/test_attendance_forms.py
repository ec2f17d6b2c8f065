"""The coordinator's attendance form on the session page (issue 17, point 6): no outcome is
chosen for anyone until the coordinator chooses it, and "did not attend" with a time is refused
with a message, keeping what was typed."""

import re

import pytest
from django.urls import reverse

from families import session_services
from families.models import SessionAttendance

pytestmark = pytest.mark.django_db

DNA = SessionAttendance.Outcome.DID_NOT_ATTEND


def selected_outcomes(html: str, name: str) -> list[str]:
    """The values of the selected options of the select called `name`."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)[0]
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select)


def test_the_session_page_preselects_no_outcome_for_adults_or_children(cast, login, case, session):
    html = login(cast.coordinator).get(reverse("session_detail", args=[session.pk])).content
    html = html.decode()
    names = [f"adult-{a.pk}-outcome" for a in session.adults.all()]
    names += [f"child-{c.pk}-outcome" for c in session.children.all()]
    assert len(names) == 3
    for name in names:
        assert selected_outcomes(html, name) in ([], [""]), name
        assert "Not recorded yet" in html


def test_an_outcome_already_recorded_is_shown_as_it_was_recorded(cast, login, case, session):
    other = session.adults.get(adult=case.other)
    session_services.attendance_record(attendance=other, outcome=DNA)
    html = login(cast.coordinator).get(reverse("session_detail", args=[session.pk])).content
    assert selected_outcomes(html.decode(), f"adult-{other.pk}-outcome") == [DNA]


def test_submitting_the_untouched_form_records_nothing(cast, login, case, session):
    login(cast.coordinator).post(reverse("attendance_record", args=[session.pk]), {})
    assert set(SessionAttendance.objects.values_list("outcome", flat=True)) == {"expected"}
    assert set(session.children.values_list("outcome", flat=True)) == {"expected"}


def test_did_not_attend_with_times_is_refused_and_the_form_keeps_them(cast, login, case, session):
    other = session.adults.get(adult=case.other)
    response = login(cast.coordinator).post(
        reverse("attendance_record", args=[session.pk]),
        {
            f"adult-{other.pk}-outcome": DNA,
            f"adult-{other.pk}-actual_arrival": "10:02",
            f"adult-{other.pk}-actual_departure": "11:58",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "did not attend" in html and "has no arrival or departure time" in html
    assert 'value="10:02"' in html and 'value="11:58"' in html
    assert selected_outcomes(html, f"adult-{other.pk}-outcome") == [DNA]
    other.refresh_from_db()
    assert other.outcome == "expected" and other.actual_arrival is None


def test_a_time_without_an_outcome_asks_for_attended(cast, login, case, session):
    resident = session.adults.get(adult=case.resident)
    response = login(cast.coordinator).post(
        reverse("attendance_record", args=[session.pk]),
        {f"adult-{resident.pk}-actual_arrival": "09:40"},
    )
    assert response.status_code == 200
    assert "Choose “Attended”" in response.content.decode()
    resident.refresh_from_db()
    assert resident.actual_arrival is None
