"""volunteers/access.py called directly: volunteer records, DBS outcomes (CHE-8), the rota and
the portal, each for exactly the people who may see them."""

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cccc.models import DbsVisibility
from tests.factories import (
    AppointedVolunteerFactory,
    ContactSessionFactory,
    FamilyFactory,
    RotaEntryFactory,
    VolunteerFactory,
    appointed_volunteer,
    membership_of,
)
from volunteers import access
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


def test_a_visitor_not_signed_in_reaches_no_volunteer_dbs_outcome_rota_or_portal(cast, client):
    """A visitor has no membership (request.membership is None): every page sends them to
    sign in, and the helpers that are given None refuse it."""
    volunteer = VolunteerFactory(centre=cast.centre)
    session = ContactSessionFactory(family=FamilyFactory(centre=cast.centre))
    for url in [
        reverse("volunteer_list"),
        reverse("volunteer_detail", args=[volunteer.pk]),
        reverse("dbs_list"),
        reverse("volunteer_dbs", args=[volunteer.pk]),
        reverse("session_rota", args=[session.pk]),
        reverse("volunteer_portal"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    with pytest.raises(Http404):
        access.portal_volunteer_for(None)


@pytest.mark.parametrize(
    ("visible_to", "who"),
    [
        (DbsVisibility.COORDINATOR, {"coordinator"}),
        (DbsVisibility.CHAIR, {"chair"}),
        (DbsVisibility.BOTH, {"coordinator", "chair"}),
    ],
)
def test_dbs_outcomes_are_seen_by_whom_the_centre_says(cast, visible_to, who):
    cast.centre.dbs_visible_to = visible_to
    cast.centre.save()
    volunteer = VolunteerFactory(centre=cast.centre)
    for role in ["coordinator", "chair", "volunteer", "referrer", "operator"]:
        user = getattr(cast, role)
        user.centre = cast.centre if user.centre_id else None
        assert access.can_see_dbs(membership_of(user)) is (role in who), role
        if role in who:
            assert volunteer in access.dbs_volunteers_for(membership_of(user))
        else:
            assert not access.dbs_volunteers_for(membership_of(user)).exists()


def test_a_user_of_no_centre_sees_no_dbs_outcome(cast):
    cast.operator.role = "coordinator"  # even with a role that could, without a centre
    assert cast.operator.centre_id is None
    assert access.can_see_dbs(membership_of(cast.operator)) is False


def test_a_centre_whose_dbs_setting_holds_no_known_value_shows_the_outcome_to_nobody(cast):
    # The column has choices but no database constraint: a value outside them (an old one,
    # or one written around the form) fails closed, for every role.
    cast.centre.dbs_visible_to = "trustees"
    cast.centre.save()
    for role in ["coordinator", "chair"]:
        user = getattr(cast, role)
        user.centre = cast.centre
        assert access.can_see_dbs(membership_of(user)) is False
        assert not access.dbs_volunteers_for(membership_of(user)).exists()


def test_a_dbs_outcome_opens_with_its_volunteers_name_and_centre_in_one_query(cast):
    volunteer = VolunteerFactory(centre=cast.centre, last_name="Okonjo")
    other = VolunteerFactory(centre=cast.other_centre)
    with pytest.raises(Http404):
        access.get_dbs_volunteer_for(membership_of(cast.coordinator), other.pk)

    coordinator = membership_of(cast.coordinator)

    def read():
        found = access.get_dbs_volunteer_for(coordinator, volunteer.pk)
        assert (found.last_name, found.centre) == ("Okonjo", cast.centre)

    assert queries(read) == 1


def test_the_rota_of_a_session_is_for_its_own_centres_coordinator(cast):
    ours = ContactSessionFactory(family=FamilyFactory(centre=cast.centre))
    theirs = ContactSessionFactory(family=FamilyFactory(centre=cast.other_centre))

    coordinator = membership_of(cast.coordinator)

    def read():
        assert access.get_rota_session_for(coordinator, ours.pk).family.reference

    assert queries(read) == 1
    with pytest.raises(Http404):
        access.get_rota_session_for(membership_of(cast.coordinator), theirs.pk)
    for role in ["chair", "volunteer", "referrer", "operator"]:
        with pytest.raises(Http404):
            access.get_rota_session_for(membership_of(getattr(cast, role)), ours.pk)


def test_an_account_with_no_volunteer_record_is_told_why_it_cannot_use_the_portal(cast):
    assert access.volunteer_of(membership_of(cast.referrer)) is None
    assert access.portal_problems(membership_of(cast.referrer)) == [
        "no volunteer record is linked to this account"
    ]


def test_a_cleared_volunteer_uses_the_portal_and_a_paused_one_does_not(cast):
    volunteer = appointed_volunteer(cast.volunteer)
    assert access.portal_problems(membership_of(cast.volunteer)) == []
    assert access.portal_volunteer_for(membership_of(cast.volunteer)) == volunteer
    Volunteer.objects.filter(pk=volunteer.pk).update(
        status=Volunteer.Status.RESIGNED, resigned_on=timezone.localdate()
    )
    account = type(cast.volunteer).objects.get(pk=cast.volunteer.pk)
    assert access.portal_problems(membership_of(account)) == ["they have resigned"]
    assert access.portal_volunteer_for(membership_of(account)) is None
    with pytest.raises(Http404):
        access.portal_volunteer_for(membership_of(cast.coordinator))


@pytest.mark.parametrize(("days_ago", "shown"), [(-3, True), (0, True), (14, True), (15, False)])
def test_the_portal_shows_a_volunteers_sessions_of_the_last_fourteen_days(cast, days_ago, shown):
    volunteer = appointed_volunteer(cast.volunteer)
    today = timezone.localdate() - datetime.timedelta(days=20)
    day = today - datetime.timedelta(days=days_ago)
    session = ContactSessionFactory(family=FamilyFactory(centre=cast.centre), date=day)
    entry = RotaEntryFactory(session=session, volunteer=volunteer)
    RotaEntryFactory(session=session, volunteer=AppointedVolunteerFactory(centre=cast.centre))
    expected = [entry] if shown else []
    assert list(access.portal_entries_for(volunteer, today)) == expected


def test_the_portal_counts_its_fourteen_days_back_from_today_by_default(cast):
    volunteer = appointed_volunteer(cast.volunteer)
    today = timezone.localdate()
    family = FamilyFactory(centre=cast.centre)
    kept = RotaEntryFactory(
        session=ContactSessionFactory(family=family, date=today - datetime.timedelta(days=14)),
        volunteer=volunteer,
    )
    RotaEntryFactory(
        session=ContactSessionFactory(family=family, date=today - datetime.timedelta(days=15)),
        volunteer=volunteer,
    )
    assert list(access.portal_entries_for(volunteer)) == [kept]


def test_a_volunteer_opens_only_a_session_they_are_on_the_rota_of_in_one_query(cast):
    volunteer = appointed_volunteer(cast.volunteer)
    family = FamilyFactory(centre=cast.centre)
    mine = RotaEntryFactory(session=ContactSessionFactory(family=family), volunteer=volunteer)
    other = RotaEntryFactory(
        session=ContactSessionFactory(family=family),
        volunteer=AppointedVolunteerFactory(centre=cast.centre),
    )

    def read():
        session = access.get_portal_session_for(volunteer, mine.session_id)
        assert (session.family.reference, session.centre) == (family.reference, cast.centre)
        assert session.family.data_key.pk

    assert queries(read) == 1
    with pytest.raises(Http404):
        access.get_portal_session_for(volunteer, other.session_id)
