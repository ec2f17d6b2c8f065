"""The week's rota on one page (issue 17, point 5): sessions as rows, the volunteers who may work
as columns, many put on at once in one transaction, the cover shortfall shown, who is usually
available marked, and every DBS gate still holding: a volunteer who may not work is never
offered, and a forged POST with them is refused."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AppointedVolunteerFactory,
    ContactSessionFactory,
    VolunteerAvailabilityFactory,
    VolunteerFactory,
)
from tests.volunteers.conftest import book, put_on_rota
from volunteers import rota_services
from volunteers.models import RotaEntry, Volunteer, Weekday
from volunteers.rota_week_views import NOT_OFFERED

pytestmark = pytest.mark.django_db


def monday() -> datetime.date:
    """A Monday two or three weeks ahead: every day of its week is still to come."""
    day = timezone.localdate() + datetime.timedelta(days=14)
    return day - datetime.timedelta(days=day.weekday())


def on(weekday: int) -> datetime.date:
    return monday() + datetime.timedelta(days=weekday)


def url(day: datetime.date | None = None) -> str:
    return reverse("rota_week_for", args=[(day or monday()).isoformat()])


def box(session, volunteer) -> str:
    return f"{session.pk}:{volunteer.pk}"


def boxes(html: str) -> set[str]:
    return set(re.findall(r'name="assign" value="(\d+:\d+)"', html))


def row_of(html: str, session) -> str:
    """The HTML of the session's row on the page."""
    start = html.index(f'id="s{session.pk}"')
    return html[start : html.index("</tr>", start)]


@pytest.fixture
def week(cast):
    """Three supervised sessions (two volunteers each) on Tuesday, Thursday and Saturday of a
    week to come, and two appointed volunteers besides cast.volunteer's own record."""
    sessions = [book(cast.centre, day=on(d)).session for d in (1, 3, 5)]
    ada = AppointedVolunteerFactory(centre=cast.centre, first_name="Ada", last_name="Quist")
    ben = AppointedVolunteerFactory(centre=cast.centre, first_name="Ben", last_name="Rook")
    return sessions, ada, ben


# --- what the page shows ----------------------------------------------------------------------


def test_it_shows_the_weeks_sessions_with_their_cover_and_the_volunteers_who_may_work(
    cast, login, week, volunteer
):
    (tuesday, thursday, saturday), ada, ben = week
    next_week = book(cast.centre, day=on(8)).session
    cancelled = book(cast.centre, day=on(2), status="cancelled").session
    html = login(cast.coordinator).get(url()).content.decode()
    for session in (tuesday, thursday, saturday):
        assert session.family.reference in html
        assert "0 of 2" in row_of(html, session) and "2 short" in row_of(html, session)
    assert next_week.family.reference not in html
    assert cancelled.family.reference not in html
    for person in (ada, ben, volunteer):
        assert f'id="v{person.pk}"' in html and person.full_name in html
    assert boxes(html) == {
        box(s, v) for s in (tuesday, thursday, saturday) for v in (ada, ben, volunteer)
    }  # noqa: E501
    assert '<span id="rota-short-rows">3</span> of the 3 sessions' in html


def test_any_day_of_the_week_shows_its_week_and_a_bad_day_is_a_404(cast, login, week):
    client = login(cast.coordinator)
    thursday = client.get(url(on(3))).content.decode()
    assert boxes(thursday) == boxes(client.get(url()).content.decode())
    for bad in ("2026-02-30", "20260101", "0001-01-01"):
        assert client.get(f"/rota/{bad}/").status_code == 404
    assert client.get(reverse("rota_week")).status_code == 200


def test_nothing_is_ticked_and_who_is_on_the_rota_already_has_no_box(cast, login, week, volunteer):
    (tuesday, _, _), ada, _ = week
    put_on_rota(ada, tuesday)
    html = login(cast.coordinator).get(url()).content.decode()
    assert " checked" not in html
    assert box(tuesday, ada) not in boxes(html)
    assert "On rota" in row_of(html, tuesday)
    assert "1 of 2" in row_of(html, tuesday) and "1 short" in row_of(html, tuesday)


def test_a_past_week_shows_its_cover_and_offers_nothing(cast, login, volunteer):
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    past = ContactSessionFactory(
        family__centre=cast.centre,
        date=last_week,
        booked_at=timezone.now() - datetime.timedelta(days=14),
    )
    html = login(cast.coordinator).get(url(last_week)).content.decode()
    assert past.family.reference in html and "Taken place" in row_of(html, past)
    assert boxes(html) == set()
    assert "Save the rota" not in html


# --- the DBS gate -------------------------------------------------------------------------


def test_a_volunteer_whose_dbs_clearance_has_run_out_is_not_offered_and_a_forged_post_is_refused(  # noqa: E501
    cast, login, week
):
    (tuesday, _, _), ada, _ = week
    lapsed = AppointedVolunteerFactory(
        centre=cast.centre, first_name="Lapsed", clearance_expires=timezone.localdate()
    )
    pending = VolunteerFactory(
        centre=cast.centre, first_name="Pending", status=Volunteer.Status.DBS_PENDING
    )
    client = login(cast.coordinator)
    html = client.get(url()).content.decode()
    assert f'id="v{lapsed.pk}"' not in html and f'id="v{pending.pk}"' not in html
    assert not any(value.endswith((f":{lapsed.pk}", f":{pending.pk}")) for value in boxes(html))
    # Appointed but not cleared for the week: listed with the reason, never a box.
    assert "cannot be put on this week's sessions" in html
    assert "no clear DBS check covering" in html
    for forged in (lapsed, pending):
        response = client.post(url(), {"assign": [box(tuesday, ada), box(tuesday, forged)]})
        assert response.status_code == 200
        assert NOT_OFFERED.replace("'", "&#x27;") in response.content.decode()
    assert not RotaEntry.objects.exists()


def test_a_volunteer_cleared_until_midweek_is_offered_only_before_it(cast, login, week):
    (tuesday, thursday, saturday), _, _ = week
    midweek = AppointedVolunteerFactory(centre=cast.centre, clearance_expires=on(2))
    client = login(cast.coordinator)
    offered = boxes(client.get(url()).content.decode())
    assert box(tuesday, midweek) in offered
    assert box(thursday, midweek) not in offered and box(saturday, midweek) not in offered
    client.post(url(), {"assign": [box(thursday, midweek)]})
    assert not RotaEntry.objects.exists()


def test_one_refused_assignment_makes_none_and_says_which(cast, week):
    (tuesday, thursday, _), ada, _ = week
    lapsed = AppointedVolunteerFactory(centre=cast.centre, clearance_expires=on(2))
    with pytest.raises(ValidationError) as refused:
        rota_services.rota_assign_many(
            assignments=[(tuesday, ada), (thursday, lapsed)], by=cast.coordinator
        )
    message = " ".join(refused.value.messages)
    assert lapsed.full_name in message and thursday.family.reference in message
    assert "no clear DBS check covering" in message
    assert not RotaEntry.objects.exists()


# --- assigning ------------------------------------------------------------------------------


def test_a_coordinator_puts_many_volunteers_on_in_one_submit(cast, login, week, volunteer):
    (tuesday, thursday, saturday), ada, ben = week
    client = login(cast.coordinator)
    chosen = [box(tuesday, ada), box(tuesday, ben), box(thursday, ada), box(saturday, volunteer)]
    response = client.post(url(), {"assign": chosen})
    assert response.status_code == 302 and response.url == url()
    entries = RotaEntry.objects.order_by("pk")
    assert [(e.session, e.volunteer) for e in entries] == [
        (tuesday, ada), (tuesday, ben), (thursday, ada), (saturday, volunteer),
    ]  # fmt: skip
    assert {e.assigned_by for e in entries} == {cast.coordinator}
    html = client.get(url()).content.decode()
    assert "4 places on the rota filled, on 3 sessions." in html
    assert "2 of 2" in row_of(html, tuesday) and "covered" in row_of(html, tuesday)
    assert "1 of 2" in row_of(html, thursday) and "1 short" in row_of(html, thursday)
    assert '<span id="rota-short-rows">2</span> of the 3 sessions' in html
    # Each assignment is in the rota's history, by whom.
    assert RotaEntry.history.filter(history_type="+").count() == 4


def test_a_refused_post_keeps_the_boxes_ticked_and_saves_nothing(cast, login, week):
    (tuesday, thursday, _), ada, ben = week
    response = login(cast.coordinator).post(
        url(), {"assign": [box(tuesday, ada), box(thursday, ben), "99999:1", "junk", "²:1"]}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Nothing was saved" in html
    ticked = set(re.findall(r'value="(\d+:\d+)"[^>]* checked', html))
    assert ticked == {box(tuesday, ada), box(thursday, ben)}
    assert not RotaEntry.objects.exists()


def test_an_empty_submit_asks_for_a_tick(cast, login, week):
    html = login(cast.coordinator).post(url(), {}).content.decode()
    assert "Tick a box to put a volunteer on a session." in html


def test_a_volunteer_already_on_a_rota_cannot_be_put_on_twice(cast, login, week):
    (tuesday, _, _), ada, _ = week
    put_on_rota(ada, tuesday)
    login(cast.coordinator).post(url(), {"assign": [box(tuesday, ada)]})
    assert RotaEntry.objects.count() == 1


# --- availability ---------------------------------------------------------------------------


def test_who_is_usually_available_for_the_whole_visit_is_marked(cast, login, week):
    (tuesday, _, saturday), ada, ben = week
    # The family is in the building 09:45-12:15 (tests/volunteers/conftest.py: book).
    saturday_at = {"weekday": Weekday.SATURDAY}
    VolunteerAvailabilityFactory(
        volunteer=ada, starts_at=datetime.time(9, 30), ends_at=datetime.time(13), **saturday_at
    )
    VolunteerAvailabilityFactory(
        volunteer=ben, starts_at=datetime.time(10), ends_at=datetime.time(12), **saturday_at
    )
    html = login(cast.coordinator).get(url()).content.decode()

    def cell(session, volunteer) -> str:
        row = row_of(html, session)
        return re.search(rf'<td[^>]*><input[^>]*value="{box(session, volunteer)}"', row).group()

    assert "rota-available" in cell(saturday, ada)
    assert "rota-available" not in cell(saturday, ben)  # not for the handover
    assert "rota-available" not in cell(tuesday, ada)  # another day


# --- outsiders ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["chair", "volunteer", "referrer", "operator"])
def test_every_other_role_gets_a_404(cast, login, week, role):
    (tuesday, _, _), ada, _ = week
    client = login(getattr(cast, role))
    assert client.get(url()).status_code == 404
    assert client.get(reverse("rota_week")).status_code == 404
    assert client.post(url(), {"assign": [box(tuesday, ada)]}).status_code == 404
    assert not RotaEntry.objects.exists()


def test_another_centres_coordinator_sees_only_their_own_and_cannot_fill_ours(cast, login, week):
    (tuesday, _, _), ada, _ = week
    theirs = Volunteer.objects.get(user=cast.other_volunteer)
    client = login(cast.other_coordinator)
    html = client.get(url()).content.decode()
    assert tuesday.family.reference not in html and ada.full_name not in html
    for forged in (box(tuesday, ada), box(tuesday, theirs)):
        response = client.post(url(), {"assign": [forged]})
        assert response.status_code == 200 and "Nothing was saved" in response.content.decode()
    assert not RotaEntry.objects.exists()


# --- speed ----------------------------------------------------------------------------------


def test_the_page_reads_the_same_number_of_queries_whatever_the_size_of_the_week(
    cast, login, django_assert_max_num_queries
):
    client = login(cast.coordinator)

    def grow(sessions: int, volunteers: int) -> None:
        for n in range(sessions):
            session = book(cast.centre, day=on(n % 7)).session
            put_on_rota(AppointedVolunteerFactory(centre=cast.centre), session)
        for _ in range(volunteers):
            VolunteerAvailabilityFactory(volunteer__centre=cast.centre)

    grow(2, 1)
    client.get(url())  # warm up the session and the like
    with django_assert_max_num_queries(30) as small:
        assert client.get(url()).status_code == 200
    grow(12, 6)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        html = client.get(url()).content.decode()
    assert len(boxes(html)) > 100  # the larger week was drawn
    assert len(large.captured_queries) == len(small.captured_queries)
