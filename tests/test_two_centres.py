"""The canary for a person in two centres (issue 19 point 1).

A person with a membership at the canary's centre (A) and another at a second centre (B),
working as B, must see nothing of A: not the canary's contact details or surname, not the
family's reference, on any page the project has. The walk is the canary's (tests/test_canary.py):
every URL pattern, every id of the data set. Then the same person working as A sees what that
role at A sees, so the test cannot pass by showing nobody anything.
"""

import logging

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cccc.middleware import SESSION_MEMBERSHIP
from cccc.models import Role
from tests.conftest import sign_in
from tests.factories import (
    MembershipFactory,
    ReferralFactory,
    UserFactory,
    membership_of,
)
from tests.test_canary import assert_no_canary, concrete_urls, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return make_world(cast)


def work_as(client, membership) -> None:
    session = client.session
    session[SESSION_MEMBERSHIP] = membership.pk
    session.save()


def two_centre_person(cast, role_at_a: str):
    """Someone who is `role_at_a` at the canary's centre and coordinator at the other."""
    person = UserFactory(role=role_at_a, centre=cast.centre)
    at_b = MembershipFactory(user=person, centre=cast.other_centre, role=Role.COORDINATOR)
    return person, membership_of(person, cast.centre), at_b


def walk(client, urls, where: str, family_reference: str) -> int:
    answered = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code != 500, url
        if response.status_code == 200:
            answered += 1
            body = b"".join(response) if response.streaming else response.content
            text = body.decode(errors="replace")
            assert_no_canary(text, f"GET {url} {where}")
            assert family_reference not in text, f"A's family reference in GET {url} {where}"
    return answered


@pytest.mark.parametrize("role_at_a", [Role.COORDINATOR, Role.VOLUNTEER, Role.REFERRER])
def test_nothing_of_centre_a_shows_while_working_as_centre_b(
    cast, world, client, caplog, role_at_a
):
    caplog.set_level(logging.DEBUG)
    person, _at_a, at_b = two_centre_person(cast, role_at_a)
    if role_at_a == Role.REFERRER:
        ReferralFactory(family=world["family"], referrer=person)
    ids = sorted({o.pk for o in world.values()} | {1, 2, 3, 9999})
    urls = sorted(set(concrete_urls(ids, [timezone.localdate().isoformat()])))
    sign_in(client, person)
    work_as(client, at_b)
    answered = walk(client, urls, f"as {role_at_a} at A working at B", world["family"].reference)
    assert answered > 20
    for message in mail.outbox:
        assert_no_canary(message.subject + message.body, "an email")
    assert_no_canary(caplog.text, "the logs")


def test_the_same_person_working_as_a_coordinator_of_a_sees_a(cast, world, client):
    person, at_a, _at_b = two_centre_person(cast, Role.COORDINATOR)
    sign_in(client, person)
    work_as(client, at_a)
    page = client.get(reverse("family_detail", args=[world["family"].pk]))
    assert page.status_code == 200
    assert world["family"].reference in page.content.decode()


def test_a_family_of_a_is_a_404_while_working_as_b_and_found_after_switching(cast, world, client):
    person, at_a, at_b = two_centre_person(cast, Role.COORDINATOR)
    sign_in(client, person)
    family_page = reverse("family_detail", args=[world["family"].pk])
    work_as(client, at_b)
    assert client.get(family_page).status_code == 404
    switched = client.post(reverse("membership_switch"), {"membership": at_a.pk})
    assert switched.status_code == 302
    assert client.session[SESSION_MEMBERSHIP] == at_a.pk
    assert client.get(family_page).status_code == 200


def test_the_switcher_offers_only_the_persons_own_usable_memberships(cast, client):
    person, at_a, at_b = two_centre_person(cast, Role.COORDINATOR)
    stranger = membership_of(cast.other_coordinator)
    sign_in(client, person)
    page = client.get(reverse("home"), follow=True).content.decode()
    assert f'value="{at_b.pk}"' in page and f'value="{at_a.pk}"' in page
    assert client.post(reverse("membership_switch"), {"membership": stranger.pk}).status_code == 404
    assert client.post(reverse("membership_switch"), {"membership": "x"}).status_code == 404
    at_b.is_active = False
    at_b.save()
    assert client.post(reverse("membership_switch"), {"membership": at_b.pk}).status_code == 404
    assert SESSION_MEMBERSHIP not in client.session


def test_a_chosen_membership_ended_since_falls_back_to_a_usable_one(cast, world, client):
    person, at_a, at_b = two_centre_person(cast, Role.COORDINATOR)
    sign_in(client, person)
    work_as(client, at_b)
    at_b.is_active = False
    at_b.save()
    page = client.get(reverse("family_detail", args=[world["family"].pk]))
    assert page.status_code == 200  # working as A, the only usable one left


def test_a_person_whose_last_membership_ends_is_signed_out(cast, client):
    sign_in(client, cast.coordinator)
    membership = membership_of(cast.coordinator)
    membership.is_active = False
    membership.save()
    response = client.get(reverse("family_list"))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_a_switcher_choice_is_posted_never_in_an_address(cast, client):
    person, _at_a, at_b = two_centre_person(cast, Role.COORDINATOR)
    sign_in(client, person)
    assert client.get(reverse("membership_switch"), {"membership": at_b.pk}).status_code == 405
