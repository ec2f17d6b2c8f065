"""The day and week views, and the session cards they (and the dashboard) draw."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from families import session_services
from families.models import Adult, ContactSession
from families.timeline import add_plans, session_cards
from tests.factories import AdultFactory, ChildFactory, FamilyFactory, KeepApartFactory
from tests.families.session_cases import DAY, DAY_TEXT, book, queries, text_of

pytestmark = pytest.mark.django_db


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
    assert "Rosalind" not in html  # roles only


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
        family = FamilyFactory(centre=cast.centre)
        resident = AdultFactory(family=family, role=Adult.Role.RESIDENT_PARENT)
        other = AdultFactory(family=family, role=Adult.Role.NON_RESIDENT_PARENT)
        KeepApartFactory(adult_a=resident, adult_b=other)
        ChildFactory(family=family)
        book(family, [resident, other], by=cast.coordinator, date=date, start=f"{9 + n:02d}:00")


@pytest.mark.parametrize("name", ["day_view_for", "week_view_for"])
def test_the_day_and_week_views_take_as_many_queries_for_many_sessions_as_for_few(
    cast, login, django_assert_max_num_queries, name
):
    client = login(cast.coordinator)
    url = reverse(name, args=[DAY_TEXT])
    _fill(cast, DAY, 1)
    few = queries(client, url)
    _fill(cast, DAY, 2)
    _fill(cast, DAY + datetime.timedelta(days=1), 2)
    session_services.session_cancel(session=ContactSession.objects.last(), by=cast.coordinator)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert text_of(response).count("Arrivals and departures") >= 2


def test_session_cards_read_two_queries_whatever_the_number_of_sessions(cast, case, session):
    """The dashboard, day and week views draw sessions with `session_cards`: plain values, roles
    and times only (no name, so no data key is opened), in two queries for any number."""
    later = book(
        case.family, [case.resident, case.other], by=cast.coordinator, start="14:00", end="15:00"
    )
    sessions = ContactSession.objects.filter(pk__in=[session.pk, later.pk]).order_by("starts_at")
    with CaptureQueriesContext(connection) as queries:
        cards = session_cards(sessions, cover=True)
    assert len(queries) == 2
    first, second = cards
    assert (first.hours, first.reference, first.room) == (
        "10:00–12:00",
        case.family.reference,
        "Blue room",
    )
    assert [
        (row.role, row.arrives, row.leaves, row.returns, row.departs) for row in first.plan
    ] == [
        ("Resident parent", "09:35", "09:45", "12:15", "12:25"),
        ("Non-resident parent", "10:00", "", "", "12:00"),
    ]
    assert first.plan[0].brings_child and first.plan[0].kept_apart
    assert not first.plan[1].kept_apart
    assert second.cover == (0, 2) and second.below_cover  # supervised: two needed, none yet
    assert session_cards(sessions)[0].cover is None  # where the page shows no cover
    html = render_to_string("families/session_card.html", {"card": first})
    assert "Resident parent" in html and "09:35" in html and "kept apart" in html
    assert "Rosalind" not in html and "Quillfeather" not in html


def test_session_cards_can_leave_the_plans_for_the_cards_that_show_them(cast, case, session):
    later = book(
        case.family, [case.resident, case.other], by=cast.coordinator, start="14:00", end="15:00"
    )
    sessions = ContactSession.objects.filter(pk__in=[session.pk, later.pk]).order_by("starts_at")
    first, second = session_cards(sessions, plans=False)
    assert first.plan == [] and second.plan == []
    # The timeline in brief comes with the cards, without the plans.
    assert first.in_building == "09:35–12:25" and first.handover
    assert second.in_building == "13:35–15:25" and second.handover
    with CaptureQueriesContext(connection) as queries:
        add_plans([second])
    assert len(queries) == 1
    assert first.plan == [] and [row.role for row in second.plan] == [
        "Resident parent", "Non-resident parent"
    ]  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        add_plans([])
    assert len(queries) == 0
