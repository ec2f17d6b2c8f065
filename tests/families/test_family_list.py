"""The coordinator's list of families: names, next session, filters, pages, and the search
by reference or by name (which never puts the name in an address; more in
test_family_search.py)."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cccc.models import Role
from families.models import Adult, ContactSession, Family
from tests.factories import (
    AdultFactory,
    ChildFactory,
    ConcernFactory,
    ContactSessionFactory,
    FamilyFactory,
    ReferralFactory,
    RulesAcknowledgementFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("family_list")
SEARCH = reverse("family_search")


def rows(response) -> list[Family]:
    return list(response.context["page"].object_list)


def references(response) -> list[str]:
    return [family.reference for family in rows(response)]


def busy_family(centre, reference: str, surname: str = "Fairweather") -> Family:
    family = FamilyFactory(centre=centre, reference=reference)
    adult = AdultFactory(family=family, last_name=surname)
    AdultFactory(family=family, role=Adult.Role.NON_RESIDENT_PARENT)
    ChildFactory(family=family)
    RulesAcknowledgementFactory(adult=adult, policy_version=centre.rules_version)
    ContactSessionFactory(family=family, date=timezone.localdate() + datetime.timedelta(days=2))
    ConcernFactory(family=family)
    return family


def test_it_lists_the_centres_families_with_counts_and_the_next_session(cast, login):
    today = timezone.localdate()
    family = FamilyFactory(centre=cast.centre, reference="HOM-2026-0001")
    AdultFactory(family=family)
    AdultFactory(family=family, role=Adult.Role.NON_RESIDENT_PARENT)
    for _ in range(3):
        ChildFactory(family=family)
    ContactSessionFactory(family=family, date=today - datetime.timedelta(days=3))
    ContactSessionFactory(
        family=family,
        date=today + datetime.timedelta(days=1),
        status=ContactSession.Status.CANCELLED,
    )
    ContactSessionFactory(family=family, date=today + datetime.timedelta(days=5))
    ContactSessionFactory(family=family, date=today + datetime.timedelta(days=9))
    FamilyFactory(centre=cast.other_centre, reference="OTH-2026-0001")

    response = login(cast.coordinator).get(LIST)

    assert response.status_code == 200
    [row] = rows(response)
    assert row == family
    assert (row.adult_count, row.child_count) == (2, 3)
    assert row.next_session == today + datetime.timedelta(days=5)
    html = response.content.decode()
    assert "HOM-2026-0001" in html and "OTH-2026-0001" not in html
    assert '<th scope="col">Next session</th>' in html


def test_a_family_without_people_or_sessions_shows_zeros_and_none_booked(cast, login):
    FamilyFactory(centre=cast.centre)
    response = login(cast.coordinator).get(LIST)
    [row] = rows(response)
    assert (row.adult_count, row.child_count, row.next_session) == (0, 0, None)
    assert "None booked" in response.content.decode()


def test_it_filters_by_status(cast, login):
    FamilyFactory(centre=cast.centre, reference="HOM-2026-0001", status=Family.Status.ACTIVE)
    FamilyFactory(centre=cast.centre, reference="HOM-2026-0002", status=Family.Status.CLOSED)
    client = login(cast.coordinator)
    assert references(client.get(LIST, {"status": "closed"})) == ["HOM-2026-0002"]
    assert references(client.get(LIST, {"status": "active"})) == ["HOM-2026-0001"]


def test_a_made_up_filter_value_is_ignored_not_an_error(cast, login):
    FamilyFactory(centre=cast.centre)
    response = login(cast.coordinator).get(LIST, {"status": "nonsense", "attention": "x"})
    assert response.status_code == 200
    assert len(rows(response)) == 1


def test_it_finds_families_whose_adults_have_not_acknowledged_the_current_rules(cast, login):
    cast.centre.rules_version = "2"
    cast.centre.save()
    done = FamilyFactory(centre=cast.centre, reference="HOM-2026-0001")
    RulesAcknowledgementFactory(adult=AdultFactory(family=done), policy_version="2")
    old = FamilyFactory(centre=cast.centre, reference="HOM-2026-0002")
    RulesAcknowledgementFactory(adult=AdultFactory(family=old), policy_version="1")
    never = FamilyFactory(centre=cast.centre, reference="HOM-2026-0003")
    AdultFactory(family=never)
    RulesAcknowledgementFactory(adult=AdultFactory(family=never), policy_version="2")

    response = login(cast.coordinator).get(LIST, {"attention": "rules"})

    assert references(response) == ["HOM-2026-0002", "HOM-2026-0003"]
    assert "Rules not acknowledged" in response.content.decode()


def test_it_finds_families_with_an_open_concern(cast, login):
    open_ = FamilyFactory(centre=cast.centre, reference="HOM-2026-0001")
    ConcernFactory(family=open_)
    closed = FamilyFactory(centre=cast.centre, reference="HOM-2026-0002")
    ConcernFactory(family=closed, status="closed")
    response = login(cast.coordinator).get(LIST, {"attention": "concern"})
    assert references(response) == ["HOM-2026-0001"]


def test_it_finds_families_whose_referral_review_is_due(cast, login):
    today = timezone.localdate()
    due = FamilyFactory(centre=cast.centre, reference="HOM-2026-0001")
    ReferralFactory(family=due, status="accepted", review_due=today - datetime.timedelta(days=1))
    later = FamilyFactory(centre=cast.centre, reference="HOM-2026-0002")
    ReferralFactory(family=later, status="accepted", review_due=today + datetime.timedelta(30))
    response = login(cast.coordinator).get(LIST, {"attention": "review"})
    assert references(response) == ["HOM-2026-0001"]


def test_it_finds_active_families_with_no_session_booked(cast, login):
    today = timezone.localdate()
    booked = FamilyFactory(centre=cast.centre, reference="HOM-2026-0001", status="active")
    ContactSessionFactory(family=booked, date=today + datetime.timedelta(days=3))
    FamilyFactory(centre=cast.centre, reference="HOM-2026-0002", status="active")
    FamilyFactory(centre=cast.centre, reference="HOM-2026-0003", status="closed")
    response = login(cast.coordinator).get(LIST, {"attention": "no_session"})
    assert references(response) == ["HOM-2026-0002"]


def test_it_shows_twenty_five_families_a_page(cast, login):
    for n in range(1, 28):
        FamilyFactory(centre=cast.centre, reference=f"HOM-2026-{n:04d}")
    client = login(cast.coordinator)
    first = client.get(LIST)
    assert len(rows(first)) == 25
    assert "?page=2" in first.content.decode()
    assert references(client.get(LIST, {"page": 2})) == ["HOM-2026-0026", "HOM-2026-0027"]
    assert client.get(LIST, {"page": "ninety"}).status_code == 200


def test_the_list_takes_the_same_number_of_queries_for_many_families(cast, login):
    client = login(cast.coordinator)
    busy_family(cast.centre, "HOM-2026-0001")
    client.get(LIST)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert len(rows(client.get(LIST))) == 1
    for n in range(2, 31):
        busy_family(cast.centre, f"HOM-2026-{n:04d}")
    with CaptureQueriesContext(connection) as many:
        assert len(rows(client.get(LIST, {"attention": "concern"}))) == 25
    assert len(many) <= len(few)


# --- search -------------------------------------------------------------------------------------


def test_a_reference_search_goes_to_the_list_filtered_by_that_reference(cast, login):
    FamilyFactory(centre=cast.centre, reference="HOM-2026-0042")
    FamilyFactory(centre=cast.centre, reference="HOM-2026-0043")
    client = login(cast.coordinator)
    response = client.post(SEARCH, {"q": " hom-2026-0042 "})
    assert response.url == f"{LIST}?ref=HOM-2026-0042"
    assert references(client.get(response.url)) == ["HOM-2026-0042"]


def test_the_start_of_a_reference_finds_every_family_it_begins(cast, login):
    FamilyFactory(centre=cast.centre, reference="HOM-2026-0042")
    FamilyFactory(centre=cast.centre, reference="HOM-2026-0043")
    FamilyFactory(centre=cast.centre, reference="HOM-2025-0001")
    client = login(cast.coordinator)
    response = client.post(SEARCH, {"q": "HOM-2026-004"})
    assert references(client.get(response.url)) == ["HOM-2026-0042", "HOM-2026-0043"]


def test_a_name_search_finds_the_family_without_the_name_in_any_address(cast, login):
    wanted = FamilyFactory(centre=cast.centre, reference="HOM-2026-0001")
    AdultFactory(family=wanted, last_name="Fairweather")
    other = FamilyFactory(centre=cast.centre, reference="HOM-2026-0002")
    AdultFactory(family=other, last_name="Fairbairn")
    elsewhere = FamilyFactory(centre=cast.other_centre, reference="OTH-2026-0001")
    AdultFactory(family=elsewhere, last_name="Fairweather")
    client = login(cast.coordinator)

    response = client.post(SEARCH, {"q": "  fairWEATHER "}, follow=True)

    for url, _status in response.redirect_chain:
        assert "fairweather" not in url.lower()
    assert response.redirect_chain[-1][0] == f"{LIST}?search=1"
    assert references(response) == ["HOM-2026-0001"]
    assert "Showing families found by the search" in response.content.decode()
    # The session row holds the term sealed, never as typed.
    held = Session.objects.get(pk=client.session.session_key).get_decoded()
    assert held["family_search"] and "fairweather" not in repr(held).lower()


def test_part_of_a_surname_finds_only_the_families_it_is_part_of(cast, login):
    AdultFactory(family=FamilyFactory(centre=cast.centre), last_name="Fairweather")
    AdultFactory(family=FamilyFactory(centre=cast.centre), last_name="Fairbairn")
    response = login(cast.coordinator).post(SEARCH, {"q": "airw"}, follow=True)
    assert [f.names.adults[0].split()[-1] for f in rows(response)] == ["Fairweather"]
    response = login(cast.coordinator).post(SEARCH, {"q": "Fairx"}, follow=True)
    assert references(response) == []
    assert "No families match." in response.content.decode()


def test_the_search_list_without_a_search_in_the_session_shows_nothing(cast, login):
    FamilyFactory(centre=cast.centre)
    response = login(cast.coordinator).get(LIST, {"search": "1"})
    assert references(response) == []
    assert "That search has expired" in response.content.decode()


def test_clearing_the_search_forgets_the_term(cast, login):
    client = login(cast.coordinator)
    client.post(SEARCH, {"q": "Fairweather"})
    assert "family_search" in client.session
    client.get(LIST)
    assert "family_search" not in client.session


def test_an_empty_search_goes_back_to_the_list_with_a_message(cast, login):
    response = login(cast.coordinator).post(SEARCH, {"q": "   "}, follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert "Type a name or a family reference" in response.content.decode()


def test_the_search_page_refuses_get(cast, login):
    assert login(cast.coordinator).get(SEARCH).status_code == 405


# --- outsiders ----------------------------------------------------------------------------------


def test_another_centres_coordinator_neither_lists_nor_finds_our_families(cast, login):
    ours = FamilyFactory(centre=cast.centre, reference="HOM-2026-0001")
    AdultFactory(family=ours, last_name="Fairweather")
    client = login(cast.other_coordinator)
    assert references(client.get(LIST)) == []
    assert references(client.post(SEARCH, {"q": "Fairweather"}, follow=True)) == []
    assert references(client.post(SEARCH, {"q": "HOM-2026-0001"}, follow=True)) == []


@pytest.mark.parametrize("role", ["chair", "volunteer", "referrer", "operator"])
def test_only_coordinators_reach_the_list_and_the_search(cast, login, role):
    FamilyFactory(centre=cast.centre)
    client = login(getattr(cast, role))
    assert getattr(cast, role).role != Role.COORDINATOR
    assert client.get(LIST).status_code == 404
    assert client.post(SEARCH, {"q": "Fairweather"}).status_code == 404
    assert "family_search" not in client.session


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for response in [client.get(LIST), client.post(SEARCH, {"q": "Fairweather"})]:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        assert "Fairweather" not in response.url
