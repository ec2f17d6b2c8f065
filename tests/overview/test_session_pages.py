"""The session page (plan, attendance, notes) and the day and week views, with volunteer
cover (overview/session_views.py)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from families import session_services
from families.models import (
    Adult,
    ContactSession,
    SessionAttendance,
    SessionNote,
)
from tests.factories import (
    AdultFactory,
    ChildFactory,
    FamilyFactory,
    KeepApartFactory,
)
from tests.session_cases import (
    CENTRE_PAGES,
    DAY,
    DAY_TEXT,
    OUTSIDERS,
    book,
    text_of,
)

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


def test_the_day_view_shows_the_days_sessions_with_their_plan(cast, login, case, session):
    other_day = book(
        case.family,
        [case.resident],
        by=cast.coordinator,
        date=DAY + datetime.timedelta(days=1),
        start="15:00",
        end="16:00",
    )
    html = text_of(login(cast.coordinator).get(reverse("day_view_for", args=[DAY_TEXT])))
    assert reverse("session_detail", args=[session.pk]) in html
    assert reverse("session_detail", args=[other_day.pk]) not in html
    assert "09:35" in html and "12:25" in html  # the staggered plan
    assert reverse("day_view_for", args=["2030-03-05"]) in html
    assert reverse("day_view_for", args=["2030-03-07"]) in html
    assert f'href="{reverse("day_view")}"' in html
    assert "Rosalind" in html  # the family's names, above a plan by role


def test_the_day_view_without_a_day_is_today(cast, login, case):
    today = timezone.localdate()
    session = book(case.family, [case.resident], by=cast.coordinator, date=today)
    response = login(cast.coordinator).get(reverse("day_view"))
    assert response.context["day"] == today
    assert reverse("session_detail", args=[session.pk]) in text_of(response)


def test_the_day_view_strikes_through_cancelled_sessions(cast, login, session):
    session_services.session_cancel(session=session, by=cast.coordinator)
    html = text_of(login(cast.coordinator).get(reverse("day_view_for", args=[DAY_TEXT])))
    assert f'<del><a href="{reverse("session_detail", args=[session.pk])}">' in html
    assert "09:35" not in html


def test_the_day_view_shows_no_other_centres_sessions(cast, login, session):
    html = text_of(login(cast.other_coordinator).get(reverse("day_view_for", args=[DAY_TEXT])))
    assert reverse("session_detail", args=[session.pk]) not in html
    assert session.family.reference not in html


@pytest.mark.parametrize(
    "day", ["2030-13-01", "2030-02-30", "tomorrow", "20300306", "2030-W10-3", "0001-01-01"]
)
def test_a_bad_day_is_a_404(cast, login, day):
    client = login(cast.coordinator)
    assert client.get(reverse("day_view_for", args=[day])).status_code == 404
    assert client.get(reverse("week_view_for", args=[day])).status_code == 404


def test_the_week_view_runs_from_monday_to_sunday(cast, login, case, session):
    sunday = book(
        case.family,
        [case.resident],
        by=cast.coordinator,
        date=datetime.date(2030, 3, 10),
        start="15:00",
        end="16:00",
    )
    next_monday = book(
        case.family,
        [case.resident],
        by=cast.coordinator,
        date=datetime.date(2030, 3, 11),
        start="15:00",
        end="16:00",
    )
    response = login(cast.coordinator).get(reverse("week_view_for", args=[DAY_TEXT]))
    assert response.context["monday"] == datetime.date(2030, 3, 4)
    html = text_of(response)
    assert reverse("session_detail", args=[session.pk]) in html
    assert reverse("session_detail", args=[sunday.pk]) in html
    assert reverse("session_detail", args=[next_monday.pk]) not in html
    assert reverse("week_view_for", args=["2030-02-25"]) in html
    assert reverse("week_view_for", args=["2030-03-11"]) in html
    assert f'href="{reverse("week_view")}"' in html


def test_the_week_view_without_a_day_is_this_week(cast, login):
    response = login(cast.coordinator).get(reverse("week_view"))
    today = timezone.localdate()
    assert response.context["monday"] == today - datetime.timedelta(days=today.weekday())


@pytest.mark.parametrize("name", ["day_view_for", "week_view_for"])
def test_the_day_and_week_views_show_each_sessions_cover_and_warn_below_it(
    cast, login, session, name
):
    from tests.factories import RotaEntryFactory

    cleared = {"volunteer__clearance_expires": DAY + datetime.timedelta(days=365)}
    RotaEntryFactory(session=session, **cleared)  # supervised: one of the two needed
    html = text_of(login(cast.coordinator).get(reverse(name, args=[DAY_TEXT])))
    assert "Cover 1/2" in html and "Below cover" in html
    RotaEntryFactory(session=session, **cleared)
    html = text_of(login(cast.coordinator).get(reverse(name, args=[DAY_TEXT])))
    assert "Cover 2/2" in html and "Below cover" not in html


def _fill(cast, date, how_many):
    """how_many sessions that day, each of its own family, each with a kept-apart pair."""
    for n in range(how_many):
        family = FamilyFactory(centre=cast.centre, accepted=True)
        resident = AdultFactory(family=family, role=Adult.Role.RESIDENT_PARENT)
        other = AdultFactory(family=family, role=Adult.Role.NON_RESIDENT_PARENT)
        KeepApartFactory(adult_a=resident, adult_b=other)
        ChildFactory(family=family)
        book(family, [resident, other], by=cast.coordinator, date=date, start=f"{9 + n:02d}:00")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["day_view_for", "week_view_for"])
def test_the_day_and_week_views_take_as_many_queries_for_many_sessions_as_for_few(
    cast, login, django_assert_max_num_queries, name
):
    client = login(cast.coordinator)
    url = reverse(name, args=[DAY_TEXT])
    _fill(cast, DAY, 1)
    few = _queries(client, url)
    _fill(cast, DAY, 2)
    _fill(cast, DAY + datetime.timedelta(days=1), 2)
    session_services.session_cancel(session=ContactSession.objects.last(), by=cast.coordinator)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert text_of(response).count("Arrivals and departures") >= 2


def test_the_session_page_takes_a_fixed_number_of_queries(
    cast, login, case, session, django_assert_max_num_queries
):
    client = login(cast.coordinator)
    url = reverse("session_detail", args=[session.pk])
    few = _queries(client, url)
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


@pytest.mark.parametrize("who", [w for w in OUTSIDERS if w != "other_coordinator"])
@pytest.mark.parametrize("name, args", CENTRE_PAGES)
def test_only_coordinators_reach_the_day_and_week_views(cast, login, who, name, args):
    assert login(getattr(cast, who)).get(reverse(name, args=args)).status_code == 404
