"""A volunteer's private calendar feed (issue 18, point 3): an address with a secret token,
made, renewed and stopped in the portal (audited), listing their sessions with times and room
and nothing about any family. It needs no sign-in; an unknown or revoked token is a 404; only
the token's hash is stored, and the token reaches no log line."""

import datetime
import hashlib
import logging
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cccc.gunicorn_conf import access_log_format
from cccc.models import AccessLog
from tests.factories import CalendarFeedFactory
from tests.volunteers.conftest import book, put_on_rota
from volunteers.models import CalendarFeed, Volunteer

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def make_address(client) -> str:
    """Make (or renew) the address in the portal; returns the URL the page shows once."""
    page = client.post(reverse("portal_calendar_renew"), follow=True).content.decode()
    found = re.search(r'<code class="text-break feed-url">([^<]+)</code>', page)
    assert found, "the page shows the new address"
    return found.group(1).replace("&amp;", "&")


def fetch(client, url: str):
    parts = urlsplit(url)
    return client.get(parts.path, parse_qs(parts.query))


def events(response) -> list:
    assert response["Content-Type"].startswith("text/calendar")
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_the_volunteer_makes_their_address_and_sees_it_once(cast, login, volunteer):
    client = login(cast.volunteer)
    assert "You have no calendar address" in client.get(reverse("portal_calendar")).content.decode()
    url = make_address(client)
    assert url.startswith("http://127.0.0.1:8000/calendar/volunteer.ics?key=")
    again = client.get(reverse("portal_calendar")).content.decode()
    assert url.split("key=")[1] not in again and "You have a calendar address" in again


def test_the_feed_lists_their_sessions_with_times_and_room_and_nothing_of_any_family(
    cast, login, client, volunteer
):
    mine = book(cast.centre, day=timezone.localdate() + datetime.timedelta(days=3))
    cancelled = book(cast.centre, day=timezone.localdate() + datetime.timedelta(days=4))
    not_mine = book(cast.centre, day=timezone.localdate() + datetime.timedelta(days=5))
    put_on_rota(volunteer, mine.session)
    put_on_rota(volunteer, cancelled.session)
    cancelled.session.status = "cancelled"
    cancelled.session.save()
    url = make_address(login(cast.volunteer))
    client.logout()
    response = fetch(client, url)  # no one signed in: the token is the credential
    assert response.status_code == 200
    found = events(response)
    assert len(found) == 2
    first = found[0]
    assert first.decoded("dtstart").astimezone().time() == datetime.time(9, 45)
    assert first.decoded("dtend").astimezone().time() == datetime.time(12, 15)
    assert str(first["location"]) == f"Home Centre, {mine.session.room}"
    assert [str(e["status"]) for e in found] == ["CONFIRMED", "CANCELLED"]
    text = response.content.decode()
    for booked in (mine, cancelled, not_mine):
        family = booked.session.family
        for value in [family.reference, booked.resident.first_name, booked.resident.last_name,
                      booked.visitor.first_name, booked.visitor.email]:  # fmt: skip
            assert value not in text
    assert not_mine.session.date.strftime("%Y%m%d") not in text


@pytest.mark.parametrize("key", [None, "", "not-a-token", "x" * 500])
def test_a_missing_or_unknown_token_is_a_404(client, volunteer, key):
    CalendarFeedFactory(volunteer=volunteer)
    data = {} if key is None else {"key": key}
    assert client.get(reverse("calendar_feed"), data).status_code == 404


def test_renewing_stops_the_old_address_and_stopping_stops_the_new(cast, login, client, volunteer):
    portal = login(cast.volunteer)
    old = make_address(portal)
    new = make_address(portal)
    assert old != new
    assert fetch(client, old).status_code == 404
    assert fetch(client, new).status_code == 200
    portal.post(reverse("portal_calendar_revoke"))
    assert fetch(client, new).status_code == 404
    assert "You have no calendar address" in portal.get(reverse("portal_calendar")).content.decode()
    entries = AccessLog.objects.filter(action=AccessLog.Action.CALENDAR_FEED).order_by("seq")
    assert [e.detail.split()[0] for e in entries] == ["made", "made", "revoked"]
    assert all(e.user == cast.volunteer for e in entries)
    for entry in entries:
        for url in (old, new):
            assert url.split("key=")[1] not in entry.detail


def test_only_the_tokens_hash_is_stored(cast, login, volunteer):
    token = make_address(login(cast.volunteer)).split("key=")[1]
    feed = CalendarFeed.objects.get()
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    with connection.cursor() as cursor:
        for table in ("volunteers_calendarfeed", "volunteers_historicalcalendarfeed"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            rows = repr(cursor.fetchall())
            assert token not in rows
            # The history rows keep who made and revoked a feed, not even its hash.
            assert (feed.token_hash in rows) == (table == "volunteers_calendarfeed")


def test_a_volunteer_no_longer_appointed_has_no_feed(cast, login, client, volunteer):
    url = make_address(login(cast.volunteer))
    volunteer.status = "resigned"
    volunteer.resigned_on = timezone.localdate()
    volunteer.save()
    assert fetch(client, url).status_code == 404


def test_the_token_reaches_no_log_line(cast, login, client, volunteer, caplog):
    url = make_address(login(cast.volunteer))
    token = url.split("key=")[1]
    caplog.set_level(logging.DEBUG)
    fetch(client, url)
    client.get(reverse("calendar_feed"), {"key": token + "x"})  # a 404
    assert token not in caplog.text
    # gunicorn writes the path of each request, never its query string, where the token is.
    assert "%(r)s" not in access_log_format and "%(q)s" not in access_log_format
    assert "%(U)s" in access_log_format
    for path in ("Dockerfile", "docker-compose.yml"):
        assert "python:cccc.gunicorn_conf" in (ROOT / path).read_text(), path


OTHER_ROLES = ["coordinator", "chair", "referrer", "operator", "other_coordinator"]


@pytest.mark.parametrize("who", OTHER_ROLES)
def test_other_roles_get_a_404_on_the_portal_calendar_pages(cast, login, who):
    client = login(getattr(cast, who))
    assert client.get(reverse("portal_calendar")).status_code == 404
    assert client.post(reverse("portal_calendar_renew")).status_code == 404
    assert client.post(reverse("portal_calendar_revoke")).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_a_volunteer_stops_only_their_own_address(cast, login, client, volunteer):
    theirs = CalendarFeedFactory(
        volunteer=Volunteer.objects.get(user=cast.other_volunteer),
        token="the-other-volunteers-token",
    )
    login(cast.volunteer).post(reverse("portal_calendar_revoke"))
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    response = client.get(reverse("calendar_feed"), {"key": "the-other-volunteers-token"})
    assert response.status_code == 200
