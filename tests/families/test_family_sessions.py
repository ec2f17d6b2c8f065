"""A family's sessions, all of them on one page (the family page shows ten either side of
today): for the coordinator of the family's centre only, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from families.models import ContactSession
from tests.factories import ContactSessionFactory, FamilyFactory

pytestmark = pytest.mark.django_db


def page(family):
    return reverse("family_sessions", args=[family.pk])


def _sessions(family, n, by):
    today = timezone.localdate()
    for i in range(n):
        ContactSessionFactory(
            family=family, date=today + datetime.timedelta(days=i - n // 2), booked_by=by,
            recorded_afterwards=True,
        )  # fmt: skip


def test_it_lists_every_session_newest_first_and_the_family_page_links_to_it(cast, login):
    family = FamilyFactory(centre=cast.centre)
    _sessions(family, 25, cast.coordinator)
    client = login(cast.coordinator)
    assert page(family) in client.get(reverse("family_detail", args=[family.pk])).content.decode()
    html = client.get(page(family)).content.decode()
    dates = list(family.sessions.order_by("-date").values_list("pk", "date"))
    assert "25 sessions" in html
    assert html.count('data-label="Date"') == 25  # all of them, where the family page shows 20
    positions = [html.index(reverse("session_detail", args=[pk]) + '"') for pk, _ in dates]
    assert positions == sorted(positions)


def test_its_query_count_does_not_grow_with_the_sessions(cast, login):
    small, large = FamilyFactory(centre=cast.centre), FamilyFactory(centre=cast.centre)
    _sessions(small, 2, cast.coordinator)
    _sessions(large, 30, cast.coordinator)
    client = login(cast.coordinator)
    counts = []
    for family in (small, large):
        client.get(page(family))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page(family)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_cancelled_session_is_listed_as_cancelled(cast, login):
    family = FamilyFactory(centre=cast.centre)
    ContactSessionFactory(family=family, status=ContactSession.Status.CANCELLED)
    assert "Cancelled" in login(cast.coordinator).get(page(family)).content.decode()


@pytest.mark.parametrize("who", ["other_coordinator", "chair", "volunteer", "referrer", "operator"])
def test_outsiders_get_a_404(cast, login, who):
    family = FamilyFactory(centre=cast.centre)
    _sessions(family, 1, cast.coordinator)
    response = login(getattr(cast, who)).get(page(family))
    assert response.status_code == 404
