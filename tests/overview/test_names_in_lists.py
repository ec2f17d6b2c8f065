"""The coordinator's lists name the people of each family (issue 17, point 3): the dashboard
(today's sessions, the week's, the lists of things to do) and the day and week views. Values
are opened for the page only (families/names.py), in the same number of queries however many
families the page lists, and never for another centre's families or another role."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from families.models import Adult, Referral
from tests.factories import (
    AdultFactory,
    ChildFactory,
    ConcernFactory,
    ContactSessionFactory,
    FamilyFactory,
    ReferralFactory,
    SessionAttendanceFactory,
)

pytestmark = pytest.mark.django_db


def named_session(centre, coordinator, n: int, *, day=None):
    """A family with an adult and a child, named after n, booked on `day` (today)."""
    family = FamilyFactory(centre=centre)
    adult = AdultFactory(family=family, first_name=f"Amira{n}", last_name="Holloway")
    ChildFactory(family=family, first_name=f"Lily{n}", last_name="Holloway")
    session = ContactSessionFactory(
        family=family, date=day or timezone.localdate(), starts_at=datetime.time(9 + n % 8),
        ends_at=datetime.time(10 + n % 8), booked_by=coordinator,
    )  # fmt: skip
    SessionAttendanceFactory(session=session, adult=adult, brings_child=True)
    return session


def things_to_do(centre, referrer, n: int):
    """A family on each of the dashboard's lists: pending referral, open concern, review due,
    no rules acknowledgement."""
    pending = ReferralFactory(family__centre=centre, referrer=referrer)
    AdultFactory(family=pending.family, first_name=f"Pending{n}", last_name="Quarrie")
    concern = ConcernFactory(family__centre=centre)
    AdultFactory(family=concern.family, first_name=f"Worried{n}", last_name="Quarrie")
    due = ReferralFactory(
        family__centre=centre, referrer=referrer, status=Referral.Status.ACCEPTED,
        review_due=timezone.localdate() + datetime.timedelta(days=2),
    )  # fmt: skip
    AdultFactory(family=due.family, first_name=f"Review{n}", last_name="Quarrie")


def test_the_dashboard_names_the_families_of_every_list(cast, login):
    named_session(cast.centre, cast.coordinator, 1)
    later = timezone.localdate() + datetime.timedelta(days=2)
    named_session(cast.centre, cast.coordinator, 2, day=later)
    things_to_do(cast.centre, cast.referrer, 1)
    html = login(cast.coordinator).get(reverse("dashboard")).content.decode()
    for name in [
        "Amira1 Holloway", "Lily1 Holloway",  # today's session
        "Amira2 Holloway",  # later this week
        "Pending1 Quarrie", "Worried1 Quarrie", "Review1 Quarrie",
    ]:  # fmt: skip
        assert name in html, name


def test_the_day_and_week_views_name_each_sessions_family(cast, login):
    session = named_session(cast.centre, cast.coordinator, 3)
    client = login(cast.coordinator)
    day = session.date.isoformat()
    for url in [reverse("day_view_for", args=[day]), reverse("week_view_for", args=[day])]:
        html = client.get(url).content.decode()
        assert "Amira3 Holloway" in html and "Lily3 Holloway" in html


def test_another_centres_names_are_never_on_our_pages(cast, login):
    theirs = named_session(cast.other_centre, cast.other_coordinator, 4)
    things_to_do(cast.other_centre, cast.other_referrer, 4)
    client = login(cast.coordinator)
    day = theirs.date.isoformat()
    for url in [
        reverse("dashboard"), reverse("day_view_for", args=[day]),
        reverse("week_view_for", args=[day]), reverse("family_list"),
    ]:  # fmt: skip
        html = client.get(url).content.decode()
        assert "Holloway" not in html and "Quarrie" not in html, url


@pytest.mark.parametrize("role", ["chair", "volunteer", "referrer", "operator"])
def test_no_other_role_sees_the_lists(cast, login, role):
    session = named_session(cast.centre, cast.coordinator, 5)
    client = login(getattr(cast, role))
    day = session.date.isoformat()
    for url in [
        reverse("dashboard"), reverse("day_view_for", args=[day]),
        reverse("week_view_for", args=[day]), reverse("family_list"),
    ]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 404
        assert "Holloway" not in response.content.decode()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


PAGES = ["dashboard", "day_view", "week_view", "family_list"]


def test_each_list_takes_the_same_queries_for_one_family_or_twenty_with_names(cast, login):
    client = login(cast.coordinator)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    named_session(cast.centre, cast.coordinator, 0)
    named_session(cast.centre, cast.coordinator, 0, day=tomorrow)
    things_to_do(cast.centre, cast.referrer, 0)
    client.get(reverse("dashboard"))  # the session exists
    few = {name: _count(client, reverse(name)) for name in PAGES}
    for n in range(1, 11):
        named_session(cast.centre, cast.coordinator, n)
        named_session(cast.centre, cast.coordinator, n, day=tomorrow)
        things_to_do(cast.centre, cast.referrer, n)
        AdultFactory(family__centre=cast.centre, role=Adult.Role.NAMED_VISITOR)
    many = {name: _count(client, reverse(name)) for name in PAGES}
    assert many == few
    assert "Amira10 Holloway" in client.get(reverse("day_view")).content.decode()
