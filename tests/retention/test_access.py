"""retention/access.py called directly: the register and the annual view for the chair and
the coordinators, the accident book for its coordinators and, for 24 hours, the volunteer who
wrote an entry; the network's statistics for the operator."""

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from retention import access
from retention.models import AccidentEntry
from tests.factories import (
    AccidentEntryFactory,
    DestructionRecordFactory,
    appointed_volunteer,
    membership_of,
)
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "chair", "volunteer", "referrer", "operator"]


def test_a_visitor_not_signed_in_reaches_no_register_and_no_accident_entry(cast, client):
    """A visitor has no membership (request.membership is None): the pages send them to sign
    in, and the helpers that are given None refuse it."""
    entry = AccidentEntryFactory(centre=cast.centre)
    DestructionRecordFactory(centre=cast.centre)
    for url in [
        reverse("retention_screen"),
        reverse("retention_annual"),
        reverse("accident_list"),
        reverse("accident_edit", args=[entry.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    for check in [access.require_annual_reader, access.accident_writer]:
        with pytest.raises(Http404):
            check(None)


def test_the_annual_view_is_for_the_chair_and_the_coordinator_of_the_centre(cast):
    ours = DestructionRecordFactory(centre=cast.centre)
    DestructionRecordFactory(centre=cast.other_centre)
    for role in ROLES:
        user = getattr(cast, role)
        readers = {"coordinator", "chair"}
        assert list(access.register_for(membership_of(user))) == (
            [ours] if role in readers else []
        ), role
        if role in readers:
            access.require_annual_reader(membership_of(user))
        else:
            with pytest.raises(Http404):
                access.require_annual_reader(membership_of(user))


def test_the_networks_statistics_are_for_the_operator_alone(cast):
    access.require_network_reader(membership_of(cast.operator))
    for user in [getattr(cast, role) for role in ROLES if role != "operator"]:
        with pytest.raises(Http404):
            access.require_network_reader(membership_of(user))
    with pytest.raises(Http404):
        access.require_network_reader(None)


def test_who_writes_in_the_accident_book(cast):
    assert access.accident_writer(membership_of(cast.coordinator)) is True
    appointed_volunteer(cast.volunteer)
    assert access.accident_writer(membership_of(cast.volunteer)) is True
    for role in ["chair", "referrer", "operator"]:
        with pytest.raises(Http404):
            access.accident_writer(membership_of(getattr(cast, role)))


def test_a_volunteer_whose_access_is_paused_may_not_write_in_the_book(cast):
    volunteer = appointed_volunteer(cast.volunteer)
    Volunteer.objects.filter(pk=volunteer.pk).update(
        status=Volunteer.Status.RESIGNED, resigned_on=timezone.localdate()
    )
    account = type(cast.volunteer).objects.get(pk=cast.volunteer.pk)
    assert access.accident_writer(membership_of(account)) is False
    AccidentEntryFactory(centre=cast.centre, recorded_by=account)
    assert not access.accident_entries_for(membership_of(account)).exists()


def test_the_coordinator_reads_the_whole_book_of_their_centre_in_one_query(cast):
    mine = AccidentEntryFactory(centre=cast.centre)
    old = AccidentEntryFactory(
        centre=cast.centre,
        recorded_by=cast.volunteer,
        recorded_at=timezone.now() - datetime.timedelta(days=400),
    )
    AccidentEntryFactory(centre=cast.other_centre)

    coordinator = membership_of(cast.coordinator)

    def read():
        entries = list(access.accident_entries_for(coordinator))
        assert set(entries) == {mine, old}
        assert [(e.centre.data_key.pk, e.recorded_by.pk) for e in entries]

    with CaptureQueriesContext(connection) as captured:
        read()
    assert len(captured) == 1
    assert access.get_accident_entry_for(membership_of(cast.coordinator), old.pk) == old


def test_a_volunteer_sees_only_their_own_entries_of_the_last_24_hours(cast):
    appointed_volunteer(cast.volunteer)
    now = timezone.now()

    def written(ago: datetime.timedelta) -> AccidentEntry:
        return AccidentEntryFactory(
            centre=cast.centre, recorded_by=cast.volunteer, recorded_at=now - ago
        )

    fresh = written(datetime.timedelta(0))
    closing = written(datetime.timedelta(hours=23, minutes=55))
    closed = written(datetime.timedelta(hours=24, minutes=5))
    AccidentEntryFactory(centre=cast.centre)  # the coordinator's
    assert set(access.accident_entries_for(membership_of(cast.volunteer))) == {fresh, closing}
    assert access.get_accident_entry_for(membership_of(cast.volunteer), fresh.pk) == fresh
    with pytest.raises(Http404):
        access.get_accident_entry_for(membership_of(cast.volunteer), closed.pk)


def test_no_other_role_reads_the_accident_book(cast):
    AccidentEntryFactory(centre=cast.centre, recorded_by=cast.chair)
    for role in ["chair", "referrer", "operator"]:
        assert not access.accident_entries_for(membership_of(getattr(cast, role))).exists(), role
