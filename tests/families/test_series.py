"""Repeat bookings (issue 17, point 2): weekly or fortnightly, until a date or for N sessions;
each date checked as a single booking is; the chosen dates booked in one transaction, or none;
the rest of a series cancelled in one step."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cccc.models import AccessLog
from families import series_services, session_services
from families.models import Adult, ContactSession, Family, Series
from tests.factories import (
    AdultFactory,
    ChildFactory,
    ContactSessionFactory,
    FamilyFactory,
    KeepApartFactory,
    SeriesFactory,
    room_named,
)
from tests.session_cases import OUTSIDERS

pytestmark = pytest.mark.django_db

FIRST = datetime.date(2030, 3, 2)  # a Saturday
WEEKLY = [FIRST + datetime.timedelta(weeks=n) for n in range(4)]


def bookable(centre) -> Family:
    family = FamilyFactory(centre=centre, accepted=True)
    AdultFactory(family=family, role=Adult.Role.RESIDENT_PARENT)
    ChildFactory(family=family)
    return family


@pytest.fixture
def family(cast):
    family = bookable(cast.centre)
    Family.objects.filter(pk=family.pk).update(
        last_activity=timezone.now() - datetime.timedelta(days=90)
    )
    return family


@pytest.fixture
def blue(cast):
    return room_named(cast.centre, "Blue room")


def posted(family, room, **changes) -> dict:
    adult = family.adults.get(role=Adult.Role.RESIDENT_PARENT)
    data = {
        "date": FIRST.isoformat(), "every": "weekly", "until": "", "count": "4",
        "starts_at": "10:00", "ends_at": "11:30", "room": room.pk, "contact_type": "supported",
        "adults": [adult.pk], "bringing": adult.pk,
        "children": [c.pk for c in family.children.all()],
        "instructions": "Same time every Saturday.",
    }  # fmt: skip
    data.update(changes)
    return data


def ticked(html: str) -> list[datetime.date]:
    """The dates whose box is ticked on the page."""
    found = re.findall(r'name="dates" value="([\d-]+)" id="[^"]+" checked>', html)
    return [datetime.date.fromisoformat(value) for value in found]


def url(family) -> str:
    return reverse("series_new", args=[family.pk])


def book_one(family, room, day, *, by, start="10:00", end="11:30"):
    adult = family.adults.first()
    return session_services.session_book(
        family=family, date=day, starts_at=datetime.time.fromisoformat(start),
        ends_at=datetime.time.fromisoformat(end), contact_type="supported", adults=[adult],
        bringing=adult, booked_by=by, room=room,
    )  # fmt: skip


# --- the dates of a pattern -------------------------------------------------------------------


@pytest.mark.parametrize(
    "every, until, count, expected",
    [
        ("weekly", None, 4, WEEKLY),
        ("weekly", FIRST + datetime.timedelta(days=21), None, WEEKLY),  # the last day counts
        ("weekly", FIRST + datetime.timedelta(days=20), None, WEEKLY[:3]),
        ("fortnightly", None, 3, [FIRST + datetime.timedelta(weeks=n) for n in (0, 2, 4)]),
        ("fortnightly", FIRST + datetime.timedelta(days=27), None, [WEEKLY[0], WEEKLY[2]]),
        ("weekly", FIRST, None, [FIRST]),
    ],
)
def test_a_pattern_gives_its_dates(every, until, count, expected):
    series = Series(every=every, first_date=FIRST, until=until, count=count)
    assert series.dates() == expected


def test_a_pattern_stops_at_a_year_and_fifty_two_sessions():
    weekly = Series(every="weekly", first_date=FIRST, count=52)
    assert len(weekly.dates()) == 52
    far = Series(every="fortnightly", first_date=FIRST, until=FIRST + datetime.timedelta(800))
    assert far.dates()[-1] <= FIRST + datetime.timedelta(days=366)


def test_the_database_refuses_a_series_without_an_end_or_with_two(cast, family, blue):
    for end in [{}, {"until": FIRST, "count": 3}, {"count": 0}, {"count": 53}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            SeriesFactory(family=family, room=blue, first_date=FIRST, **{"count": None, **end})
    with pytest.raises(IntegrityError), transaction.atomic():
        SeriesFactory(
            family=family, room=blue, first_date=FIRST, until=FIRST - datetime.timedelta(1),
            count=None,
        )  # fmt: skip
    SeriesFactory(family=family, room=blue, first_date=FIRST, until=FIRST, count=None)


# --- the page: preview, then book ----------------------------------------------------------------


def test_the_preview_lists_each_date_with_its_clash_and_books_nothing(cast, login, family, blue):
    neighbour = bookable(cast.centre)
    book_one(neighbour, blue, WEEKLY[2], by=cast.coordinator, start="11:00", end="12:00")
    response = login(cast.coordinator).post(url(family), posted(family, blue, action="preview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Can be booked") == 3
    assert (
        f"Blue room holds one family at a time and is booked then: "
        f"{neighbour.reference} (11:00–12:00)."
    ) in html
    # Three free dates ticked; the clash has no box at all.
    for day in WEEKLY:
        box = f'name="dates" value="{day.isoformat()}"'
        assert (box in html) == (day != WEEKLY[2])
    assert ticked(html) == WEEKLY[:2] + WEEKLY[3:]
    assert 'value="Same time every Saturday.' not in html  # a textarea keeps it as text
    assert "Same time every Saturday." in html
    assert not ContactSession.objects.filter(family=family).exists()
    assert not Series.objects.exists()


def test_the_chosen_dates_are_booked_in_one_series(cast, login, family, blue):
    before = timezone.now()
    data = posted(family, blue, action="book", dates=[d.isoformat() for d in WEEKLY[:3]])
    response = login(cast.coordinator).post(url(family), data)
    series = Series.objects.get()
    assert response.url == reverse("series_detail", args=[series.pk])
    sessions = series.sessions.order_by("date")
    assert [s.date for s in sessions] == WEEKLY[:3]
    assert {(s.room, s.family, s.recorded_afterwards) for s in sessions} == {(blue, family, False)}
    assert all(s.adults.count() == 1 and s.children.count() == 1 for s in sessions)
    assert (series.every, series.count, series.created_by) == ("weekly", 4, cast.coordinator)
    assert Family.objects.get(pk=family.pk).last_activity >= before
    entry = AccessLog.objects.get()
    assert (entry.action, entry.record_id, entry.detail) == ("series", series.pk, "booked=3")


def test_a_date_taken_between_preview_and_booking_books_nothing_and_says_why(
    cast, login, family, blue
):
    client = login(cast.coordinator)
    client.post(url(family), posted(family, blue, action="preview"))
    neighbour = bookable(cast.centre)
    book_one(neighbour, blue, WEEKLY[1], by=cast.coordinator)
    data = posted(family, blue, action="book", dates=[d.isoformat() for d in WEEKLY])
    response = client.post(url(family), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was booked: a chosen date can no longer be booked." in html
    assert "Sat 9 Mar 2030: Blue room holds one family at a time and is booked then: " in html
    assert f"{neighbour.reference} (10:00–11:30)" in html
    assert not Series.objects.exists()
    assert not ContactSession.objects.filter(family=family).exists()
    # The page shows the dates again: the free ones still ticked, the taken one without a box.
    assert ticked(html) == WEEKLY[:1] + WEEKLY[2:]


def test_a_clash_date_sent_anyway_is_refused(cast, login, family, blue):
    book_one(bookable(cast.centre), blue, WEEKLY[0], by=cast.coordinator)
    data = posted(family, blue, action="book", dates=[WEEKLY[0].isoformat()])
    response = login(cast.coordinator).post(url(family), data)
    assert "Nothing was booked" in response.content.decode()
    assert not Series.objects.exists()


def test_a_keep_apart_clash_is_named_on_its_date(cast, login, family, blue):
    mother = family.adults.get()
    neighbour = bookable(cast.centre)
    stranger = neighbour.adults.get()
    KeepApartFactory(adult_a=mother, adult_b=stranger)
    book_one(neighbour, room_named(cast.centre, "Hall", 5), WEEKLY[3], by=cast.coordinator)
    html = login(cast.coordinator).post(url(family), posted(family, blue)).content.decode()
    assert "This booking would bring people who must be kept apart together." in html
    assert f"{neighbour.reference} resident parent" in html
    assert html.count("Can be booked") == 3


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"count": ""}, "Give the last date or the number of sessions."),
        ({"until": "2030-04-01"}, "Give the last date or the number of sessions, not both."),
        ({"count": "", "until": "2030-03-01"}, "The last date is before the first."),
        ({"count": "", "until": "2031-06-01"}, "A series runs for a year at most."),
        ({"count": "0"}, "greater than or equal to 1"),
        ({"count": "53"}, "less than or equal to 52"),
        ({"every": "daily"}, "Select a valid choice."),
        ({"date": "2030-02-30"}, "Enter a valid date."),
        ({"starts_at": "12:00", "ends_at": "11:00"}, "Contact must end after it starts."),
        ({"action": "book", "dates": []}, "Choose at least one date to book."),
        ({"action": "book", "dates": ["2030-03-03"]}, "Sun 3 Mar 2030 is not a date of this"),
        ({"action": "book", "dates": ["next week"]}, "Choose the dates from the list."),
    ],
)
def test_bad_input_is_a_message_that_keeps_what_was_typed(
    cast, login, family, blue, changes, message
):
    response = login(cast.coordinator).post(url(family), posted(family, blue, **changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Same time every Saturday." in html
    assert not Series.objects.exists() and not ContactSession.objects.exists()


def test_a_family_without_an_accepted_referral_has_no_date_to_book(cast, login, blue):
    family = FamilyFactory(centre=cast.centre)
    AdultFactory(family=family, role=Adult.Role.RESIDENT_PARENT)
    html = login(cast.coordinator).post(url(family), posted(family, blue)).content.decode()
    assert f"{family.reference} has no accepted referral" in html
    assert 'name="dates"' not in html and "No date of this pattern can be booked." in html
    with pytest.raises(ValidationError, match="has no accepted referral"):
        series_services.series_book(
            family=family,
            pattern=_pattern(family, blue),
            dates=WEEKLY[:1],
            booked_by=cast.coordinator,
        )


def _pattern(family, room) -> series_services.Pattern:
    adult = family.adults.first()
    return series_services.Pattern(
        every="weekly", first_date=WEEKLY[0], until=None, count=4,
        starts_at=datetime.time(10), ends_at=datetime.time(11, 30), room=room,
        contact_type="supported", adults=[adult], bringing=adult,
    )  # fmt: skip


# --- cancelling the rest ----------------------------------------------------------------------


def test_the_rest_of_a_series_is_cancelled_in_one_step_and_the_past_kept(cast, login, family, blue):
    today = timezone.localdate()
    pattern = series_services.Pattern(
        **{**_pattern(family, blue).__dict__, "first_date": today, "count": 3}
    )
    series = series_services.series_book(
        family=family, pattern=pattern, dates=pattern.series(family, cast.coordinator).dates(),
        booked_by=cast.coordinator,
    )  # fmt: skip
    held = ContactSessionFactory(
        family=family, series=series, room=blue, date=today - datetime.timedelta(days=7)
    )  # a session of the series held last week
    client = login(cast.coordinator)
    assert (
        "Cancel the rest of the series"
        in client.get(reverse("series_detail", args=[series.pk])).content.decode()
    )
    response = client.post(reverse("series_cancel_rest", args=[series.pk]), follow=True)
    assert "3 sessions of the series cancelled." in response.content.decode()
    statuses = dict(series.sessions.values_list("date", "status"))
    assert statuses.pop(held.date) == "booked"
    assert set(statuses.values()) == {"cancelled"}
    series.refresh_from_db()
    assert (series.rest_cancelled_by, series.rest_cancelled_at is not None) == (
        cast.coordinator, True
    )  # fmt: skip
    entry = AccessLog.objects.filter(action="series").latest("seq")
    assert (entry.record_id, entry.detail) == (series.pk, "cancelled=3")
    again = client.post(reverse("series_cancel_rest", args=[series.pk]), follow=True)
    assert "No session of this series is left to cancel." in again.content.decode()
    assert AccessLog.objects.filter(action="series").count() == 2


def test_cancelling_the_rest_is_refused_by_get(cast, login, family):
    series = SeriesFactory(family=family)
    assert (
        login(cast.coordinator).get(reverse("series_cancel_rest", args=[series.pk])).status_code
        == 405
    )


# --- outsiders ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_a_404_from_every_series_page(cast, login, family, blue, who):
    series = series_services.series_book(
        family=family, pattern=_pattern(family, blue), dates=WEEKLY[:2], booked_by=cast.coordinator
    )
    client = login(getattr(cast, who))
    data = posted(family, blue, action="book", dates=[WEEKLY[3].isoformat()])
    assert client.get(url(family)).status_code == 404
    assert client.post(url(family), data).status_code == 404
    assert client.get(reverse("series_detail", args=[series.pk])).status_code == 404
    assert client.post(reverse("series_cancel_rest", args=[series.pk])).status_code == 404
    assert Series.objects.count() == 1
    assert set(ContactSession.objects.values_list("status", flat=True)) == {"booked"}
    assert ContactSession.objects.count() == 2


def test_anonymous_visitors_are_sent_to_sign_in(client, cast, family):
    series = SeriesFactory(family=family)
    for url_ in [
        url(family),
        reverse("series_detail", args=[series.pk]),
    ]:
        response = client.get(url_)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post(reverse("series_cancel_rest", args=[series.pk]))
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("first", ["9999-12-01", "0001-01-01"])
def test_a_first_date_typed_with_a_wrong_year_gets_a_message_not_a_500(
    cast, login, family, blue, first
):
    data = posted(family, blue, action="preview")
    data["date"] = first
    response = login(cast.coordinator).post(url(family), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a date within" in html
    assert not Series.objects.exists()
