"""The canary: a distinctive address, phone and email entered for one adult never appear in
any response, email or log line, for anyone, except on the page a coordinator of that
adult's own centre gets back from an explicit, logged reveal. Its surname reaches nobody but
that centre's coordinators.

It walks every URL pattern of the project, filling each id in the path with every id the
data set has, as every role of both centres, and looks for the canary in each response."""

import datetime
import itertools
import logging
import re

import pytest
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from families.models import Adult
from tests.conftest import sign_in
from tests.factories import (
    AdultFactory,
    ChildFactory,
    ConcernFactory,
    ContactSessionFactory,
    FamilyFactory,
    KeepApartFactory,
    ReferralFactory,
    RulesAcknowledgementFactory,
    SessionAttendanceFactory,
    SessionNoteFactory,
)

pytestmark = pytest.mark.django_db

CANARY = {
    "address": "17 Quillon Wharf, Snodsbury",
    "phone": "07700 900417",
    "email": "quillon.canary@example.org",
    "surname": "Quillonby",
}
PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def routes(patterns=None, prefix=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            yield from routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def concrete_urls(ids: list[int], days: list[str]):
    for route in routes():
        if route.startswith("admin/") or "<path:" in route or route.startswith("^"):
            continue
        params = PARAM.findall(route)
        choices = [days if conv == "str" else ids for conv, _ in params]
        for values in itertools.product(*choices):
            url, it = "/" + route, iter(values)
            url = PARAM.sub(lambda _m, it=it: str(next(it)), url)
            yield url


@pytest.fixture
def world(cast):
    return make_world(cast)


def make_world(cast):
    """The canary's family at the cast's centre, with everything a family has."""
    family = FamilyFactory(centre=cast.centre)
    canary = AdultFactory(
        family=family, role=Adult.Role.RESIDENT_PARENT, last_name=CANARY["surname"],
        address=CANARY["address"], phone=CANARY["phone"], email=CANARY["email"],
    )  # fmt: skip
    other = AdultFactory(family=family, role=Adult.Role.NON_RESIDENT_PARENT)
    KeepApartFactory(adult_a=canary, adult_b=other, created_by=cast.coordinator)
    RulesAcknowledgementFactory(adult=canary, recorded_by=cast.coordinator)
    ChildFactory(family=family, last_name=CANARY["surname"])
    ReferralFactory(family=family, referrer=cast.referrer)
    session = ContactSessionFactory(
        family=family, date=timezone.localdate(), booked_by=cast.coordinator
    )
    SessionAttendanceFactory(session=session, adult=canary, brings_child=True)
    SessionAttendanceFactory(
        session=session, adult=other, arrives_at=datetime.time(10), departs_at=datetime.time(12)
    )
    SessionNoteFactory(session=session, author=cast.coordinator)
    ConcernFactory(family=family, session=session, raised_by=cast.coordinator)
    _put_volunteer_on_rota(cast, session)
    return {"family": family, "canary": canary, "session": session}


def _put_volunteer_on_rota(cast, session):
    """The volunteer sees the session in the portal, as the canary's most exposed reader."""
    try:
        from tests.factories import appointed_volunteer
        from volunteers.rota_services import rota_assign
    except ImportError:
        return
    rota_assign(session=session, volunteer=appointed_volunteer(cast.volunteer), by=cast.coordinator)


CONTACT = ("address", "phone", "email")


def assert_no_canary(text: str, where: str, labels=tuple(CANARY)):
    lowered = text.lower()
    for label in labels:
        value = CANARY[label]
        assert value.lower() not in lowered, f"{label} leaked in {where}"


def test_the_canary_never_leaks_to_anyone(cast, world, client, caplog):
    caplog.set_level(logging.DEBUG)
    # Every object of the data set has a small id; 9999 stands for one that does not exist.
    ids = sorted({o.pk for o in world.values()} | {1, 2, 3, 9999})
    days = [timezone.localdate().isoformat()]
    urls = sorted(set(concrete_urls(ids, days)))
    assert len(urls) > 50  # the walk really covers the site
    answered = 0
    for user in [None, *cast.everyone()]:
        client.logout()
        if user is not None:
            sign_in(client, user)
        for url in urls:
            response = client.get(url)
            assert response.status_code != 500, url
            if response.status_code == 200:
                answered += 1
                body = b"".join(response) if response.streaming else response.content
                # The centre's coordinator sees names (SPEC §2), never contact details
                # without the reveal; everyone else sees neither.
                labels = CONTACT if user == cast.coordinator else tuple(CANARY)
                assert_no_canary(body.decode(errors="replace"), f"GET {url} as {user}", labels)
    assert answered > 40
    for message in mail.outbox:
        assert_no_canary(message.subject + message.body, "an email")
    assert_no_canary(caplog.text, "the logs")


def test_only_the_reveal_shows_it_and_only_to_that_centres_coordinator(cast, world, client):
    family, canary = world["family"], world["canary"]
    url = reverse("contact_reveal", args=[family.pk, canary.pk])
    sign_in(client, cast.coordinator)
    response = client.post(url)
    assert_no_canary(response.url, "the URL after a reveal")  # post/redirect/get (issue 17)
    html = client.get(response.url).content.decode()
    assert CANARY["address"] in html and CANARY["phone"] in html and CANARY["email"] in html
    for user in [cast.other_coordinator, cast.chair, cast.volunteer, cast.referrer, cast.operator]:
        client.logout()
        sign_in(client, user)
        response = client.post(url)
        assert response.status_code == 404
        assert_no_canary(response.content.decode(), f"reveal as {user}")
