"""Retention, the accident book and the statistics for a person with memberships at two
centres (issue 19): working as centre B, the pages are B's alone (the same page as for
someone only at B: not even a count of A's), A's records are a 404, and the network's
statistics count a person coordinating two centres once at each."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cccc.models import Role
from retention.quarterly import centre_staff, quarter_of
from tests.factories import MembershipFactory, membership_of
from tests.two_memberships import main_of, seed, work_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(cast):
    """cast.coordinator coordinates at A and at B; cast.volunteer volunteers at A and
    coordinates at B; cast.chair chairs A and B."""
    MembershipFactory(user=cast.coordinator, centre=cast.other_centre, role=Role.COORDINATOR)
    MembershipFactory(user=cast.volunteer, centre=cast.other_centre, role=Role.COORDINATOR)
    MembershipFactory(user=cast.chair, centre=cast.other_centre, role=Role.CHAIR)
    return seed(cast.centre), seed(cast.other_centre)


def _same(client, person, alone, centre, url) -> str:
    """The page as `person` working as `centre`, checked to be the page `alone` (someone
    only at that centre) gets."""
    as_b = main_of(work_as(client, person, centre).get(url))
    client.logout()
    only_b = main_of(work_as(client, alone, centre).get(url))
    client.logout()
    assert as_b == only_b, url
    return as_b


@pytest.mark.parametrize("who", ["coordinator", "volunteer"])
def test_working_as_b_the_retention_pages_are_those_of_b_alone(cast, two, client, who):
    a, _b = two
    for name in [
        "retention_screen",
        "retention_annual",
        "quarterly_statistics",
        "quarterly_statistics_csv",
        "accident_list",
    ]:
        url = reverse(name)
        if name.endswith("_csv"):
            as_b = work_as(client, getattr(cast, who), cast.other_centre).get(url).content
            client.logout()
            only_b = work_as(client, cast.other_coordinator, cast.other_centre).get(url).content
            client.logout()
            assert as_b == only_b
            continue
        page = _same(client, getattr(cast, who), cast.other_coordinator, cast.other_centre, url)
        assert a.family.reference not in page, name


def test_working_as_b_the_chair_of_both_reads_bs_annual_view_and_statistics(cast, two, client):
    for name in ["retention_annual", "quarterly_statistics"]:
        _same(client, cast.chair, cast.other_chair, cast.other_centre, reverse(name))


@pytest.mark.parametrize("who", ["coordinator", "volunteer"])
def test_working_as_b_the_records_of_a_are_not_found(cast, two, client, who):
    a, b = two
    work_as(client, getattr(cast, who), cast.other_centre)
    for name, pk in [
        ("keep_family", a.family.pk),
        ("keep_volunteer", a.volunteer.pk),
        ("accident_edit", a.accident.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    assert client.get(reverse("accident_edit", args=[b.accident.pk])).status_code == 200


def test_working_as_a_volunteer_the_coordinator_of_b_reaches_no_retention_page(cast, two, client):
    a, _b = two
    work_as(client, cast.volunteer, cast.centre)
    for name in ["retention_screen", "retention_annual", "quarterly_statistics", "accident_list"]:
        assert client.get(reverse(name)).status_code == 404, name
    assert client.get(reverse("accident_edit", args=[a.accident.pk])).status_code == 404


@pytest.fixture
def staff_of_two(cast):
    """Only cast's people: the coordinator of A also coordinates B, the volunteer of A
    coordinates B."""
    MembershipFactory(user=cast.coordinator, centre=cast.other_centre, role=Role.COORDINATOR)
    MembershipFactory(user=cast.volunteer, centre=cast.other_centre, role=Role.COORDINATOR)


def test_a_person_coordinating_two_centres_is_staff_at_each(cast, staff_of_two):
    quarter = quarter_of(timezone.localdate())
    staff = centre_staff([cast.centre.pk, cast.other_centre.pk], quarter)
    # cast's coordinator of each centre, the dual coordinator at B, the volunteer at A who
    # coordinates B.
    assert staff == {cast.centre.pk: 1, cast.other_centre.pk: 3}


def test_a_person_deactivated_as_a_whole_is_no_ones_staff(cast, staff_of_two):
    quarter = quarter_of(timezone.localdate())
    cast.coordinator.is_active = False
    cast.coordinator.save()
    staff = centre_staff([cast.centre.pk, cast.other_centre.pk], quarter)
    assert staff == {cast.other_centre.pk: 2}
    assert membership_of(cast.coordinator, cast.centre).is_active  # the membership stays


def test_the_network_statistics_are_the_operators_membership_alone(cast, two, client):
    """An operator who also coordinates B reads the network's statistics, anonymous, as the
    operator; working as B they are a 404, and B's own statistics are B's alone."""
    MembershipFactory(user=cast.operator, centre=cast.other_centre, role=Role.COORDINATOR)
    work_as(client, cast.operator, None)
    response = client.get(reverse("network_statistics"))
    assert response.status_code == 200
    page = main_of(response)
    assert cast.centre.name not in page and cast.other_centre.name not in page
    assert client.get(reverse("quarterly_statistics")).status_code == 404
    client.logout()
    work_as(client, cast.operator, cast.other_centre)
    assert client.get(reverse("network_statistics")).status_code == 404
    assert client.get(reverse("network_statistics_csv")).status_code == 404
    _same(
        client, cast.operator, cast.other_coordinator, cast.other_centre,
        reverse("quarterly_statistics"),
    )  # fmt: skip
