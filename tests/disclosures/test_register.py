"""The disclosure register: the coordinator's and the chair's list of every request and its
decision, filtered by date, requester, ground and outcome; its CSV holds no personal data."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosures.models import DisclosureRequest
from disclosures.views import REQUESTS_PER_PAGE
from families.models import Family
from tests.disclosures.conftest import SECRETS
from tests.factories import AdultFactory, DisclosureRequestFactory, FamilyFactory

pytestmark = pytest.mark.django_db


def at(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day} 12:00"))


@pytest.fixture
def requests(cast, family, mum):
    """Three of the home centre's requests, one of the other centre's."""
    refused = DisclosureRequestFactory(
        family=family, decided=True, received_at=at("2026-01-10"), subject_adult=mum,
        requester_name="Ottoline Frobisher", requester_agency="Frobisher Law",
        detail="Zanzibar-detail about Rowena", released="",
    )  # fmt: skip
    permitted = DisclosureRequestFactory(
        family=family, decided=True, received_at=at("2026-02-10"),
        requester_type="referrer_of_record", category="attendance", received_via="portal",
        released="Quokka-released 3 sessions",
    )  # fmt: skip
    waiting = DisclosureRequestFactory(
        family=family, received_at=at("2026-03-10"), requester_type="court",
        category="court_report",
    )  # fmt: skip
    theirs = DisclosureRequestFactory(
        family=FamilyFactory(centre=cast.other_centre), received_at=at("2026-01-11")
    )
    return {"refused": refused, "permitted": permitted, "open": waiting, "theirs": theirs}


def rows_of(html: str, requests: dict) -> set[str]:
    return {name for name, req in requests.items() if f"#{req.pk}<" in html}


@pytest.mark.parametrize("who", ["coordinator", "chair"])
def test_the_coordinator_and_the_chair_see_their_centres_register(cast, login, requests, who):
    html = login(getattr(cast, who)).get(reverse("disclosure_register")).content.decode()
    assert rows_of(html, requests) == {"refused", "permitted", "open"}
    assert "CHI-4.1, CHI-4.4" in html and "Refused" in html and "Permitted" in html
    for secret in ["Ottoline", "Frobisher", "Zanzibar", "Quokka", *SECRETS]:
        assert secret not in html


def test_only_the_coordinator_gets_links_to_the_requests(cast, login, requests):
    url = reverse("disclosure_request_detail", args=[requests["refused"].pk])
    assert url in login(cast.coordinator).get(reverse("disclosure_register")).content.decode()
    assert url not in login(cast.chair).get(reverse("disclosure_register")).content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date_from": "2026-02-01"}, {"permitted", "open"}),
        ({"date_to": "2026-02-10"}, {"refused", "permitted"}),
        ({"date_from": "2026-02-01", "date_to": "2026-02-28"}, {"permitted"}),
        ({"requester_type": "court"}, {"open"}),
        ({"ground": "confidential"}, {"refused"}),
        ({"ground": "referrer_attendance"}, {"permitted"}),
        ({"outcome": "refused"}, {"refused"}),
        ({"outcome": "permitted"}, {"permitted"}),
        ({"outcome": "open"}, {"open"}),
    ],
)
def test_the_register_filters(cast, login, requests, params, expected):
    html = login(cast.coordinator).get(reverse("disclosure_register"), params).content.decode()
    assert rows_of(html, requests) == expected


def test_a_bad_filter_is_explained_not_a_500(cast, login, requests):
    response = login(cast.coordinator).get(
        reverse("disclosure_register"),
        {"date_from": "2026-13-45", "outcome": "maybe", "page": "x"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a date like 2026-03-31." in html
    assert "Select a valid choice." in html


def test_the_register_is_paginated(cast, login, family):
    DisclosureRequestFactory.create_batch(REQUESTS_PER_PAGE + 2, family=family)
    client = login(cast.coordinator)
    html = client.get(reverse("disclosure_register")).content.decode()
    assert "page 1 of 2" in html
    html = client.get(reverse("disclosure_register"), {"page": 2}).content.decode()
    assert html.count("<tr>") - 1 == 2


def test_the_csv_holds_only_ids_dates_and_categories(cast, login, requests):
    response = login(cast.chair).get(reverse("disclosure_register_csv"))
    assert response["Content-Disposition"] == 'attachment; filename="disclosure-register.csv"'
    body = response.content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == [
        "request id", "family reference", "received", "decided", "requester type",
        "received via", "category", "outcome", "ground", "clauses", "subject told", "views",
    ]  # fmt: skip
    refused = requests["refused"]
    assert [str(refused.pk), refused.family.reference, "2026-01-10",
            timezone.localdate(refused.decided_at).isoformat(),
            "Another referrer or agency (solicitor, CAFCASS, social worker...)", "Phone",
            "Other information about the family", "Refused", "Confidential", "CHI-4.1 CHI-4.4",
            "No", "1"] in rows  # fmt: skip
    assert len(rows) == 4
    for secret in ["Ottoline", "Frobisher", "Zanzibar", "Quokka", *SECRETS]:
        assert secret not in body


def test_the_csv_follows_the_filters(cast, login, requests):
    body = (
        login(cast.coordinator)
        .get(reverse("disclosure_register_csv"), {"outcome": "open"})
        .content.decode()
    )
    rows = list(csv.reader(io.StringIO(body)))
    assert [row[0] for row in rows[1:]] == [str(requests["open"].pk)]


def test_a_cell_that_looks_like_a_formula_is_written_as_text(cast, login, requests):
    """cccc/csv_safe.py: no reference, label or clause reaches a spreadsheet as a formula."""
    Family.objects.filter(pk=requests["refused"].family_id).update(reference='=HYPERLINK("x")')
    body = login(cast.chair).get(reverse("disclosure_register_csv")).content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert '\'=HYPERLINK("x")' in [row[1] for row in rows]
    assert '=HYPERLINK("x")' not in [row[1] for row in rows]


@pytest.mark.parametrize("url_name", ["disclosure_register", "disclosure_register_csv"])
def test_the_register_keeps_a_fixed_number_of_queries(
    cast, login, family, url_name, django_assert_max_num_queries
):
    client = login(cast.coordinator)
    DisclosureRequestFactory(family=family, decided=True)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse(url_name))
    for _ in range(3):
        other = FamilyFactory(centre=cast.centre)
        AdultFactory(family=other)
        DisclosureRequestFactory.create_batch(5, family=other, decided=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(url_name))
    assert DisclosureRequest.objects.count() == 16
    assert response.status_code == 200
