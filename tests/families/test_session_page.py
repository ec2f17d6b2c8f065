"""The session page: the plan, attendance, notes and cancelling."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from families import session_services
from families.models import ContactSession, Family, SessionAttendance, SessionNote
from tests.factories import AdultFactory, ChildFactory
from tests.families.session_cases import DAY, book, queries, text_of

pytestmark = pytest.mark.django_db


def test_the_session_page_shows_the_plan_by_role_and_first_name_only(cast, login, case, session):
    html = text_of(login(cast.coordinator).get(reverse("session_detail", args=[session.pk])))
    assert "Wednesday 6 March 2030" in html
    assert "10:00–12:00" in html and "Blue room" in html and "Supervised" in html
    # The resident parent's plan: arrives, leaves after handover, returns, departs.
    row = re.search(r"Resident parent.*?</tr>", html, re.S)[0]
    assert [*re.findall(r"\d\d:\d\d", row)] == ["09:35", "09:45", "12:15", "12:25"]
    assert "Rosalind" in html and "Norbert" in html and "Poppy" in html
    for secret in [
        "Quillfeather", "Thistlewood", "Hidden Lane", "Far Road", "07700 900111",
        "07700 900222", "rosalind@private.example", "norbert@private.example",
    ]:  # fmt: skip
        assert secret not in html


def test_the_coordinator_records_attendance_for_adults_and_children(cast, login, case, session):
    resident = session.adults.get(adult=case.resident)
    other = session.adults.get(adult=case.other)
    child = session.children.get()
    response = login(cast.coordinator).post(
        reverse("attendance_record", args=[session.pk]),
        {
            f"adult-{resident.pk}-outcome": "attended",
            f"adult-{resident.pk}-actual_arrival": "09:36",
            f"adult-{resident.pk}-actual_departure": "12:30",
            f"adult-{other.pk}-outcome": "did_not_attend",
            f"child-{child.pk}-outcome": "attended",
        },
    )
    assert response.url == reverse("session_detail", args=[session.pk])
    resident.refresh_from_db()
    other.refresh_from_db()
    child.refresh_from_db()
    assert (resident.outcome, resident.actual_arrival, resident.actual_departure) == (
        "attended",
        datetime.time(9, 36),
        datetime.time(12, 30),
    )
    assert other.outcome == "did_not_attend"
    assert child.outcome == "attended"


def test_bad_attendance_keeps_what_was_typed_and_saves_nothing(cast, login, case, session):
    resident = session.adults.get(adult=case.resident)
    other = session.adults.get(adult=case.other)
    child = session.children.get()
    response = login(cast.coordinator).post(
        reverse("attendance_record", args=[session.pk]),
        {
            f"adult-{resident.pk}-outcome": "attended",
            f"adult-{resident.pk}-actual_arrival": "12:30",
            f"adult-{resident.pk}-actual_departure": "09:36",
            f"adult-{other.pk}-outcome": "attended",
            f"child-{child.pk}-outcome": "attended",
        },
    )
    assert response.status_code == 200
    html = text_of(response)
    assert "Departure must be after arrival." in html
    assert 'value="12:30"' in html
    assert set(SessionAttendance.objects.values_list("outcome", flat=True)) == {"expected"}
    child.refresh_from_db()
    assert child.outcome == "expected"


def test_a_nonsense_attendance_outcome_is_a_form_error(cast, login, case, session):
    resident = session.adults.get(adult=case.resident)
    response = login(cast.coordinator).post(
        reverse("attendance_record", args=[session.pk]),
        {f"adult-{resident.pk}-outcome": "teleported"},
    )
    assert response.status_code == 200
    assert "Select a valid choice." in text_of(response)


def test_the_coordinator_adds_a_factual_note(cast, login, session):
    client = login(cast.coordinator)
    response = client.post(
        reverse("session_note_add", args=[session.pk]), {"text": "  Contact went well.  "}
    )
    assert response.url == reverse("session_detail", args=[session.pk])
    note = SessionNote.objects.get()
    assert (note.text, note.author, note.session) == (
        "Contact went well.",
        cast.coordinator,
        session,
    )
    assert "Contact went well." in text_of(client.get(response.url))


def test_an_empty_note_is_refused_with_an_explanation(cast, login, session):
    response = login(cast.coordinator).post(
        reverse("session_note_add", args=[session.pk]), {"text": "   "}
    )
    assert response.status_code == 200
    assert "This field is required." in text_of(response)
    assert not SessionNote.objects.exists()


def test_the_coordinator_cancels_a_session(cast, login, session):
    client = login(cast.coordinator)
    response = client.post(reverse("session_cancel", args=[session.pk]))
    assert response.url == reverse("session_detail", args=[session.pk])
    session.refresh_from_db()
    assert session.status == ContactSession.Status.CANCELLED
    html = text_of(client.get(response.url))
    assert "Cancelled" in html and "Record attendance" not in html


def test_attendance_for_a_cancelled_session_is_refused_on_the_page(cast, login, case, session):
    session_services.session_cancel(session=session, by=cast.coordinator)
    resident = session.adults.get(adult=case.resident)
    response = login(cast.coordinator).post(
        reverse("attendance_record", args=[session.pk]),
        {f"adult-{resident.pk}-outcome": "attended"},
        follow=True,
    )
    assert "This session was cancelled" in text_of(response)
    resident.refresh_from_db()
    assert resident.outcome == "expected"


@pytest.mark.parametrize("name", ["session_cancel", "attendance_record", "session_note_add"])
def test_changes_are_refused_by_get(cast, login, session, name):
    response = login(cast.coordinator).get(reverse(name, args=[session.pk]))
    assert response.status_code == 405
    session.refresh_from_db()
    assert session.status == ContactSession.Status.BOOKED


def test_an_unknown_session_is_a_404(cast, login):
    assert login(cast.coordinator).get(reverse("session_detail", args=[987654])).status_code == 404


def test_the_session_page_takes_a_fixed_number_of_queries(
    cast, login, case, session, django_assert_max_num_queries
):
    client = login(cast.coordinator)
    url = reverse("session_detail", args=[session.pk])
    few = queries(client, url)
    family = session.family
    for role in ["visitor", "carer", "visitor"]:
        AdultFactory(family=family, role=role)
    ChildFactory.create_batch(3, family=family)
    session_services.note_add(session=session, author=cast.coordinator, text="One.")
    session_services.note_add(session=session, author=cast.chair, text="Two.")
    many = book(
        family,
        [case.resident, *family.adults.exclude(pk=case.resident.pk)],
        by=cast.coordinator,
        date=DAY + datetime.timedelta(days=7),
    )
    for text in ["One.", "Two.", "Three."]:
        session_services.note_add(session=many, author=cast.coordinator, text=text)
    with django_assert_max_num_queries(few):
        client.get(reverse("session_detail", args=[many.pk]))


def test_the_service_refuses_to_cancel_a_session_twice(cast, case, session):
    session_services.session_cancel(session=session, by=cast.coordinator)
    Family.objects.filter(pk=case.family.pk).update(
        last_activity=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    with pytest.raises(ValidationError, match="cancelled already"):
        session_services.session_cancel(
            session=ContactSession.objects.get(pk=session.pk), by=cast.chair
        )
