"""Requests waiting on the coordinator, on the dashboard (issue 17, point 6): undecided
disclosure requests with their age (the policy sets them no deadline), and open subject access
requests with their age and their deadline (one month from receipt, CHE-DP6)."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count, Window
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from overview.dashboard_views import LIST_LIMIT
from tests.factories import DisclosureRequestFactory, SubjectAccessRequestFactory, membership_of

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def requests_list(client) -> str:
    return section(client.get(reverse("dashboard")).content.decode(), "requests-heading")


def sar_list(client) -> str:
    return section(client.get(reverse("dashboard")).content.decode(), "sar-heading")


def test_undecided_disclosure_requests_appear_on_the_dashboard(cast, login):
    # Reproduction: "Undecided disclosure requests do not appear on the dashboard."
    waiting = DisclosureRequestFactory(family__centre=cast.centre, received_at=days_ago(5))
    listed = requests_list(login(cast.coordinator))
    assert reverse("disclosure_request_detail", args=[waiting.pk]) in listed
    assert waiting.family.reference in listed
    assert "5 days" in listed


def test_decided_requests_are_not_listed(cast, login):
    decided = DisclosureRequestFactory(family__centre=cast.centre, decided=True)
    listed = requests_list(login(cast.coordinator))
    assert reverse("disclosure_request_detail", args=[decided.pk]) not in listed
    assert "None waiting" in listed


def test_the_oldest_request_comes_first_and_the_list_links_to_every_open_one(cast, login):
    newer = DisclosureRequestFactory(family__centre=cast.centre, received_at=days_ago(1))
    older = DisclosureRequestFactory(family__centre=cast.centre, received_at=days_ago(20))
    listed = requests_list(login(cast.coordinator))
    first = listed.index(reverse("disclosure_request_detail", args=[older.pk]))
    assert first < listed.index(reverse("disclosure_request_detail", args=[newer.pk]))
    assert "20 days" in listed and "1 day" in listed
    assert reverse("disclosure_register") + "?outcome=open" in listed


def test_the_requests_and_how_many_more_are_one_query(cast, login):
    for n in range(LIST_LIMIT + 3):
        DisclosureRequestFactory(family__centre=cast.centre, received_at=days_ago(n))
    DisclosureRequestFactory(family__centre=cast.other_centre)  # not ours: not counted
    client = login(cast.coordinator)
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as queries:
        listed = requests_list(client)
    status_open = '"disclosures_disclosurerequest"."status" = \'open\''
    reads = [q["sql"] for q in queries if status_open in q["sql"]]
    assert len(reads) == 1, reads
    assert "And 3 more" in listed


def test_a_request_received_today_is_waiting_since_today(cast, login):
    DisclosureRequestFactory(family__centre=cast.centre)
    assert "received today" in requests_list(login(cast.coordinator))


def test_the_requests_list_says_there_is_no_deadline(cast, login):
    DisclosureRequestFactory(family__centre=cast.centre)
    assert "no deadline" in requests_list(login(cast.coordinator))


def test_the_requests_list_stops_at_its_limit_and_counts_the_rest(cast, login):
    for n in range(LIST_LIMIT + 2):
        DisclosureRequestFactory(family__centre=cast.centre, received_at=days_ago(n))
    listed = requests_list(login(cast.coordinator))
    assert listed.count('<li class="list-group-item') == LIST_LIMIT + 1
    assert "And 2 more" in listed


def test_the_requests_list_shows_no_requester_name_or_detail(cast, login):
    DisclosureRequestFactory(
        family__centre=cast.centre, requester_name="Quentin Canaryfield", detail="Canary-detail"
    )
    html = login(cast.coordinator).get(reverse("dashboard")).content.decode()
    assert "Canaryfield" not in html and "Canary-detail" not in html


def test_another_centres_requests_are_not_listed(cast, login):
    theirs = DisclosureRequestFactory(family__centre=cast.other_centre)
    their_sar = SubjectAccessRequestFactory(adult__family__centre=cast.other_centre)
    html = login(cast.coordinator).get(reverse("dashboard")).content.decode()
    assert reverse("disclosure_request_detail", args=[theirs.pk]) not in html
    assert theirs.family.reference not in html
    assert reverse("sar_detail", args=[their_sar.pk]) not in html


def test_open_subject_access_requests_show_their_age_and_deadline(cast, login):
    received = today() - datetime.timedelta(days=12)
    sar = SubjectAccessRequestFactory(adult__family__centre=cast.centre, received_on=received)
    listed = sar_list(login(cast.coordinator))
    assert reverse("sar_detail", args=[sar.pk]) in listed
    assert f"received {received:%-d %b %Y} (12 days ago)" in listed
    assert f"due {sar.due_on:%-d %b %Y}" in listed
    assert f"{sar.days_left()} days left" in listed


def test_the_query_count_does_not_grow_with_the_requests(
    cast, login, django_assert_max_num_queries
):
    client = login(cast.coordinator)
    DisclosureRequestFactory(family__centre=cast.centre)
    SubjectAccessRequestFactory(adult__family__centre=cast.centre)
    client.get(reverse("dashboard"))
    with django_assert_max_num_queries(100) as captured:
        client.get(reverse("dashboard"))
    few = len(captured.captured_queries)
    for n in range(6):
        DisclosureRequestFactory(family__centre=cast.centre, received_at=days_ago(n))
        SubjectAccessRequestFactory(adult__family__centre=cast.centre)
    with django_assert_max_num_queries(few):
        client.get(reverse("dashboard"))


@pytest.mark.postgres
def test_the_waiting_requests_are_read_through_an_index_led_by_the_centre(cast):
    from disclosures.access import requests_for
    from tests.overview.test_query_plans import _index_columns, _problems

    DisclosureRequestFactory(family__centre=cast.other_centre)
    undecided = requests_for(membership_of(cast.coordinator)).open()
    # As the dashboard reads them: the first ten, each with the count of them all (a window).
    rows = (
        undecided.select_related("family")
        .annotate(waiting=Window(Count("pk")))
        .order_by("received_at", "pk")[:LIST_LIMIT]
    )
    for sql, params in [rows.query.sql_with_params()]:
        assert _problems(sql, params, _index_columns()) == [], sql


def test_the_panels_empty_on_most_days_cost_one_query_until_they_have_rows(cast, login):
    """Break-glass releases awaiting the chair, open summonses, open subject access requests
    and waiting disclosure requests are asked about in one query (with the policy's review
    date); each list is read only when it has rows, and then shows them."""
    from tests.disclosures.test_access import break_glass
    from tests.factories import AdultFactory, FamilyFactory, WitnessSummonsFactory

    client = login(cast.coordinator)
    family = FamilyFactory(centre=cast.centre)
    adult = AdultFactory(family=family)  # listed without a rules acknowledgement, named
    client.get(reverse("dashboard"))

    def draw() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            html = client.get(reverse("dashboard")).content.decode()
        return len(captured.captured_queries), html

    quiet, html = draw()
    assert "None waiting." in section(html, "requests-heading")
    assert "Open witness summonses" not in html and "Confidentiality exceptions" not in html
    released = break_glass(family)
    summons = WitnessSummonsFactory(centre=cast.centre, family=family)
    sar = SubjectAccessRequestFactory(adult=adult)
    waiting = DisclosureRequestFactory(family=family)
    busy, html = draw()
    assert busy == quiet + 4
    for shown in (released, waiting):
        assert reverse("disclosure_request_detail", args=[shown.pk]) in html
    assert reverse("summons_detail", args=[summons.pk]) in html
    assert reverse("sar_detail", args=[sar.pk]) in html
    # Another centre's are not counted as ours: our panels stay shut.
    theirs = FamilyFactory(centre=cast.other_centre)
    break_glass(theirs)
    WitnessSummonsFactory(centre=cast.other_centre, family=theirs)
    SubjectAccessRequestFactory(adult__family=theirs)
    DisclosureRequestFactory(family=theirs)
    for record in (released, summons, sar, waiting):
        record.delete()
    assert draw()[0] == quiet
