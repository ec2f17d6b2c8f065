"""Every retention and accident book page is a 404 to everyone outside its reach and sends
anonymous visitors to sign in; nothing is written by an outsider's POST."""

import pytest
from django.urls import reverse

from retention.models import AccidentEntry, KeepLonger
from tests.factories import AccidentEntryFactory, FamilyFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

KEEP = {"reason": "outsider", "review_on": "2030-01-01"}
ACCIDENT = {
    "occurred_at": "2026-01-10T10:15", "place": "Hall", "people_involved": "x",
    "what_happened": "x",
}  # fmt: skip

# (url name, target, method, data, who may reach it)
PAGES = [
    ("retention_screen", None, "get", None, {"coordinator"}),
    ("keep_family", "family", "get", None, {"coordinator"}),
    ("keep_family", "family", "post", KEEP, {"coordinator"}),
    ("keep_volunteer", "volunteer", "get", None, {"coordinator"}),
    ("keep_volunteer", "volunteer", "post", KEEP, {"coordinator"}),
    ("retention_annual", None, "get", None, {"coordinator", "chair"}),
    ("quarterly_statistics", None, "get", None, {"coordinator", "chair"}),
    ("quarterly_statistics_csv", None, "get", None, {"coordinator", "chair"}),
    ("network_statistics", None, "get", None, {"operator"}),
    ("network_statistics_csv", None, "get", None, {"operator"}),
    ("accident_list", None, "get", None, {"coordinator"}),
    ("accident_print", None, "get", None, {"coordinator"}),
    ("accident_new", None, "get", None, {"coordinator", "volunteer"}),
    ("accident_new", None, "post", ACCIDENT, {"coordinator", "volunteer"}),
    ("accident_edit", "entry", "get", None, {"coordinator"}),
    ("accident_edit", "entry", "post", ACCIDENT, {"coordinator"}),
]
ROLES = ["coordinator", "chair", "volunteer", "referrer", "operator", "other_coordinator",
         "other_chair", "other_volunteer"]  # fmt: skip


@pytest.fixture
def targets(cast):
    return {
        "family": [FamilyFactory(centre=cast.centre).pk],
        "volunteer": [VolunteerFactory(centre=cast.centre).pk],
        "entry": [AccidentEntryFactory(centre=cast.centre, recorded_by=cast.coordinator).pk],
        None: [],
    }


def _fetch(client, name, args, method, data):
    url = reverse(name, args=args)
    return client.post(url, data) if method == "post" else client.get(url)


CASES = [
    (role, *page)
    for role in ROLES
    for page in PAGES
    if role not in page[4]
    # the other centre's staff have pages of their own without an id: their own centre's
    and not (page[1] is None and role.removeprefix("other_") in page[4])
]


@pytest.mark.parametrize(("role", "name", "target", "method", "data", "allowed"), CASES)
def test_outsiders_get_a_404(cast, login, targets, role, name, target, method, data, allowed):
    entries = AccidentEntry.objects.count()
    response = _fetch(login(getattr(cast, role)), name, targets[target], method, data)
    assert response.status_code == 404
    assert not KeepLonger.objects.exists()
    assert AccidentEntry.objects.count() == entries


@pytest.mark.parametrize(("name", "target", "method", "data", "allowed"), PAGES)
def test_insiders_reach_each_page(cast, login, targets, name, target, method, data, allowed):
    for role in allowed:
        response = _fetch(login(getattr(cast, role)), name, targets[target], method, data)
        assert response.status_code in (200, 302), (role, name)


@pytest.mark.parametrize(("name", "target", "method", "data", "allowed"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, targets, name, target, method, data,
                                                allowed):  # fmt: skip
    response = _fetch(client, name, targets[target], method, data)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not KeepLonger.objects.exists()


def test_the_other_centres_coordinator_sees_only_their_own_book(cast, login):
    AccidentEntryFactory(centre=cast.centre, place="Home hall Qz1")
    html = login(cast.other_coordinator).get(reverse("accident_list")).content.decode()
    assert "Home hall Qz1" not in html
