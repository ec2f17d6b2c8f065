"""Volunteers for a person with memberships at two centres (issue 19): working as one
centre, nothing of the other shows, not even a count, and its records are a 404; a person
volunteering at two centres sees, in the portal and in each calendar feed, only the sessions
of one centre."""

import pytest
from django.urls import reverse

from cccc.models import Role
from tests.factories import (
    AppointedVolunteerFactory,
    MembershipFactory,
    RotaEntryFactory,
    membership_of,
)
from tests.two_memberships import main_of, seed, work_as
from volunteers import access, feed_services
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(cast):
    """cast.coordinator coordinates at centre A (cast.centre) and at B (cast.other_centre);
    cast.volunteer volunteers at A and coordinates at B. Both centres have records."""
    MembershipFactory(user=cast.coordinator, centre=cast.other_centre, role=Role.COORDINATOR)
    MembershipFactory(user=cast.volunteer, centre=cast.other_centre, role=Role.COORDINATOR)
    return seed(cast.centre), seed(cast.other_centre)


PAGES = ["volunteer_list", "dbs_list", "rota_week"]


@pytest.mark.parametrize("who", ["coordinator", "volunteer"])
def test_working_as_b_the_volunteer_pages_are_those_of_b_alone(cast, two, client, who):
    a, b = two
    person = getattr(cast, who)
    for name in PAGES:
        url = reverse(name)
        as_b = main_of(work_as(client, person, cast.other_centre).get(url))
        client.logout()
        only_b = main_of(work_as(client, cast.other_coordinator, cast.other_centre).get(url))
        client.logout()
        assert as_b == only_b, name
        assert a.volunteer.last_name not in as_b and a.family.reference not in as_b, name
    assert b.volunteer.last_name in main_of(
        work_as(client, person, cast.other_centre).get(reverse("volunteer_list"))
    )


@pytest.mark.parametrize("who", ["coordinator", "volunteer"])
def test_working_as_b_the_records_of_a_are_not_found(cast, two, client, who):
    a, b = two
    work_as(client, getattr(cast, who), cast.other_centre)
    for name, pk in [
        ("volunteer_detail", a.volunteer.pk),
        ("volunteer_edit", a.volunteer.pk),
        ("volunteer_account", a.volunteer.pk),
        ("volunteer_dbs", a.volunteer.pk),
        ("dbs_check_add", a.volunteer.pk),
        ("session_rota", a.session.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    assert client.get(reverse("volunteer_detail", args=[b.volunteer.pk])).status_code == 200
    assert client.get(reverse("volunteer_portal")).status_code == 404  # a coordinator, as B


def test_working_as_a_the_dual_coordinator_sees_a_and_not_b(cast, two, client):
    a, b = two
    work_as(client, cast.coordinator, cast.centre)
    page = main_of(client.get(reverse("volunteer_list")))
    assert a.volunteer.last_name in page and b.volunteer.last_name not in page
    assert client.get(reverse("volunteer_detail", args=[b.volunteer.pk])).status_code == 404


def test_working_as_a_volunteer_the_coordinator_of_b_reaches_no_volunteer_page(cast, two, client):
    a, _b = two
    work_as(client, cast.volunteer, cast.centre)
    assert client.get(reverse("volunteer_portal")).status_code == 200
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 404, name
    assert client.get(reverse("volunteer_detail", args=[a.volunteer.pk])).status_code == 404


@pytest.fixture
def twice(cast):
    """cast.volunteer volunteers at A (their record from `cast`) and at B (a second record),
    each on the rota of one session of their own centre."""
    MembershipFactory(user=cast.volunteer, centre=cast.other_centre, role=Role.VOLUNTEER)
    here = Volunteer.objects.get(user=cast.volunteer, centre=cast.centre)
    there = AppointedVolunteerFactory(user=cast.volunteer, centre=cast.other_centre)
    a, b = seed(cast.centre), seed(cast.other_centre)
    RotaEntryFactory(session=a.session, volunteer=here)
    RotaEntryFactory(session=b.session, volunteer=there)
    return here, there, a, b


def test_the_volunteer_record_is_the_one_at_the_centre_in_use(cast, twice):
    here, there, _a, _b = twice
    assert access.volunteer_of(membership_of(cast.volunteer, cast.centre)) == here
    assert access.volunteer_of(membership_of(cast.volunteer, cast.other_centre)) == there
    assert access.portal_volunteer_for(membership_of(cast.volunteer, cast.other_centre)) == there


def test_a_volunteer_at_two_centres_sees_in_the_portal_only_the_centre_in_use(cast, twice, client):
    _here, _there, a, b = twice
    for centre, mine, theirs in [(cast.centre, a, b), (cast.other_centre, b, a)]:
        work_as(client, cast.volunteer, centre)
        page = main_of(client.get(reverse("volunteer_portal")))
        assert reverse("portal_session", args=[mine.session.pk]) in page
        assert reverse("portal_session", args=[theirs.session.pk]) not in page
        assert mine.family.reference in page and theirs.family.reference not in page
        assert client.get(reverse("portal_session", args=[mine.session.pk])).status_code == 200
        assert client.get(reverse("portal_session", args=[theirs.session.pk])).status_code == 404
        client.logout()


def test_a_volunteer_at_two_centres_has_one_feed_per_centre_each_of_its_centre(cast, twice, client):
    here, there, _a, _b = twice
    tokens = {}
    for centre in (cast.centre, cast.other_centre):
        work_as(client, cast.volunteer, centre)
        client.post(reverse("portal_calendar_renew"))
        tokens[centre.pk] = (
            client.get(reverse("portal_calendar")).context["new_url"].split("key=")[1]
        )
        client.logout()
    assert tokens[cast.centre.pk] != tokens[cast.other_centre.pk]
    assert [feed.volunteer for feed in here.feeds.all()] == [here]
    assert [feed.volunteer for feed in there.feeds.all()] == [there]
    for centre, other in [(cast.centre, cast.other_centre), (cast.other_centre, cast.centre)]:
        feed = client.get(reverse("calendar_feed"), {"key": tokens[centre.pk]})
        assert feed.status_code == 200
        text = feed.content.decode()
        assert centre.name in text and other.name not in text
        assert text.count("BEGIN:VEVENT") == 1  # their one session there, not the other's


def test_a_feed_stops_when_its_centres_volunteer_membership_does(cast, twice):
    here, there, _a, _b = twice
    new = feed_services.calendar_feed_renew(volunteer=there, by=cast.volunteer)
    token = new.url.split("key=", 1)[1]
    assert feed_services.feed_volunteer(token) == there
    membership = membership_of(cast.volunteer, cast.other_centre)
    membership.is_active = False
    membership.save()
    # The person still volunteers at A: that does not keep B's feed alive.
    assert feed_services.feed_volunteer(token) is None
    assert here.status == Volunteer.Status.APPOINTED
