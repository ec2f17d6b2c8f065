"""The chair reads the audit trail (issue 14, point 5): the centre's chair and coordinator see
who did what to which record and when, with the chain's state above; nobody else sees it."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from cccc.models import AccessLog
from tests.cccc.test_audit_chain import raw
from tests.factories import AccessLogFactory, AdultFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def adult(cast):
    return AdultFactory(family__centre=cast.centre, address="9 Marker Mews")


def reveal(cast, adult, **kwargs):
    return AccessLogFactory(user=cast.coordinator, record=adult, centre=cast.centre, **kwargs)


@pytest.mark.parametrize("role", ["chair", "coordinator"])
def test_the_chair_and_the_coordinator_see_who_revealed_an_address(cast, login, adult, role):
    entry = reveal(cast, adult)
    html = login(getattr(cast, role)).get(reverse("audit_trail")).content.decode()
    assert cast.coordinator.full_name in html
    assert "Revealed contact details</td>" in html
    assert f"Adult #{adult.pk}" in html
    assert f"#{entry.seq}" in html


def test_the_page_holds_no_personal_values(cast, login, adult):
    reveal(cast, adult)
    html = login(cast.chair).get(reverse("audit_trail")).content.decode()
    assert "Marker" not in html
    assert adult.last_name not in html


def test_it_shows_the_chain_intact(cast, login, adult):
    reveal(cast, adult)
    html = login(cast.chair).get(reverse("audit_trail")).content.decode()
    assert "The audit chain is intact" in html


def test_it_names_the_first_altered_entry_as_verify_audit_chain_does(cast, login, adult):
    for _ in range(3):
        reveal(cast, adult)
    raw("UPDATE cccc_accesslog SET record_id = record_id + 1 WHERE seq = 2")
    html = login(cast.chair).get(reverse("audit_trail")).content.decode()
    assert "entry #2 has been altered" in html


def test_opening_the_page_is_an_audit_entry(cast, login):
    login(cast.chair).get(reverse("audit_trail"))
    entry = AccessLog.objects.get(action=AccessLog.Action.VIEW_AUDIT)
    assert (entry.user, entry.centre) == (cast.chair, cast.centre)


def test_another_centres_entries_are_not_listed(cast, login, adult):
    other_adult = AdultFactory(family__centre=cast.other_centre)
    AccessLogFactory(user=cast.other_coordinator, record=other_adult, centre=cast.other_centre)
    html = login(cast.chair).get(reverse("audit_trail")).content.decode()
    assert cast.other_coordinator.full_name not in html
    assert f"Adult #{other_adult.pk}" not in html


def test_it_filters_by_person_kind_and_dates(cast, login, adult):
    reveal(cast, adult)
    AccessLogFactory(
        user=cast.chair, record=adult, centre=cast.centre, action=AccessLog.Action.VIEW_DBS
    )
    client = login(cast.chair)
    url = reverse("audit_trail")
    by_person = client.get(url, {"person": cast.chair.pk}).content.decode()
    assert "Viewed a DBS outcome</td>" in by_person
    assert "Revealed contact details</td>" not in by_person
    by_kind = client.get(url, {"kind": "reveal_contact"}).content.decode()
    assert "Revealed contact details</td>" in by_kind
    assert "Viewed a DBS outcome</td>" not in by_kind
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    later = client.get(url, {"kind": "reveal_contact", "since": tomorrow}).content.decode()
    assert "Revealed contact details</td>" not in later
    today = timezone.localdate()
    until_today = client.get(url, {"kind": "reveal_contact", "until": today}).content.decode()
    assert "Revealed contact details</td>" in until_today


def test_a_start_after_the_end_is_refused_by_name(cast, login):
    today = timezone.localdate()
    response = login(cast.chair).get(
        reverse("audit_trail"), {"since": today, "until": today - datetime.timedelta(days=1)}
    )
    assert "The start date is after the end date." in response.content.decode()


def test_the_csv_download_lists_the_filtered_entries(cast, login, adult):
    reveal(cast, adult)
    response = login(cast.chair).get(reverse("audit_trail_csv"), {"kind": "reveal_contact"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Entry", "When", "Who", "Role"]
    assert len(rows) == 2
    assert rows[1][2] == cast.coordinator.full_name
    assert "families.Adult" in rows[1] and str(adult.pk) in rows[1]
    assert "Marker" not in response.content.decode()
    assert AccessLog.objects.filter(
        action=AccessLog.Action.VIEW_AUDIT, detail__contains="csv"
    ).exists()


def test_a_name_that_looks_like_a_formula_is_not_one_in_the_csv(cast, login, adult):
    cast.coordinator.full_name = "=HYPERLINK(1)"
    cast.coordinator.save()
    reveal(cast, adult)
    body = login(cast.chair).get(reverse("audit_trail_csv")).content.decode()
    assert "'=HYPERLINK(1)" in body


def test_the_page_is_paginated(cast, login, adult):
    for _ in range(55):
        reveal(cast, adult)
    client = login(cast.chair)
    first = client.get(reverse("audit_trail")).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(reverse("audit_trail"), {"page": 2}).content.decode()
    assert "Page 2 of 2" in second


def test_the_query_count_stays_the_same_as_the_log_grows(
    cast, login, adult, django_assert_num_queries, django_assert_max_num_queries
):
    client = login(cast.chair)
    reveal(cast, adult)
    client.get(reverse("audit_trail"))  # warm the session and the device
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("audit_trail"))
    for _ in range(60):
        reveal(cast, adult)
        AccessLogFactory(user=cast.volunteer, record=adult, centre=cast.centre)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("audit_trail"))


# --- outsiders -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["volunteer", "referrer", "operator"])
def test_other_roles_get_404(cast, login, role):
    client = login(getattr(cast, role))
    assert client.get(reverse("audit_trail")).status_code == 404
    assert client.get(reverse("audit_trail_csv")).status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.VIEW_AUDIT).exists()


def test_another_centres_chair_cannot_filter_for_our_coordinator(cast, login, adult):
    reveal(cast, adult)
    response = login(cast.other_chair).get(reverse("audit_trail"), {"person": cast.coordinator.pk})
    html = response.content.decode()
    assert cast.coordinator.full_name not in html
    assert f"Adult #{adult.pk}" not in html


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("audit_trail"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
