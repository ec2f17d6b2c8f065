"""Disclosures and legal records for a person with memberships at two centres (issue 19):
working as centre B, the register, the requests and the legal pages are B's alone (the same
page as for someone only at B: not even a count of A's), and A's records are a 404."""

import pytest
from django.urls import reverse

from cccc.models import Role
from families.models import Referral
from tests.factories import FamilyFactory, MembershipFactory, ReferralFactory
from tests.two_memberships import main_of, seed, work_as

pytestmark = pytest.mark.django_db

PAGES = ["disclosure_register", "legal_home", "summons_list", "police_list", "sar_list"]


@pytest.fixture
def two(cast):
    """cast.coordinator coordinates at A and at B; cast.volunteer volunteers at A and
    coordinates at B; cast.chair chairs A and B."""
    MembershipFactory(user=cast.coordinator, centre=cast.other_centre, role=Role.COORDINATOR)
    MembershipFactory(user=cast.volunteer, centre=cast.other_centre, role=Role.COORDINATOR)
    return seed(cast.centre), seed(cast.other_centre)


@pytest.mark.parametrize("who", ["coordinator", "volunteer"])
def test_working_as_b_the_disclosure_and_legal_pages_are_those_of_b_alone(cast, two, client, who):
    a, b = two
    for name in PAGES:
        url = reverse(name)
        as_b = main_of(work_as(client, getattr(cast, who), cast.other_centre).get(url))
        client.logout()
        only_b = main_of(work_as(client, cast.other_coordinator, cast.other_centre).get(url))
        client.logout()
        assert as_b == only_b, name
        assert a.family.reference not in as_b, name
    page = main_of(work_as(client, cast.coordinator, cast.other_centre).get(reverse("sar_list")))
    assert reverse("sar_detail", args=[b.sar.pk]) in page
    assert reverse("sar_detail", args=[a.sar.pk]) not in page


def test_working_as_b_a_chair_of_both_reads_only_bs_register(cast, two, client):
    a, b = two
    MembershipFactory(user=cast.chair, centre=cast.other_centre, role=Role.CHAIR)
    for name in ["disclosure_register", "legal_home", "summons_list", "police_list"]:
        url = reverse(name)
        as_b = main_of(work_as(client, cast.chair, cast.other_centre).get(url))
        client.logout()
        only_b = main_of(work_as(client, cast.other_chair, cast.other_centre).get(url))
        client.logout()
        assert as_b == only_b, name


@pytest.mark.parametrize("who", ["coordinator", "volunteer"])
def test_working_as_b_the_records_of_a_are_not_found(cast, two, client, who):
    a, b = two
    work_as(client, getattr(cast, who), cast.other_centre)
    for name, pk in [
        ("disclosure_request_detail", a.request.pk),
        ("disclosure_refusal_letter", a.request.pk),
        ("break_glass", a.family.pk),
        ("sar_detail", a.sar.pk),
        ("summons_detail", a.summons.pk),
        ("summons_letter", a.summons.pk),
        ("police_detail", a.police.pk),
        ("sar_create_adult", a.family.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    assert client.post(reverse("sar_export_json", args=[a.sar.pk])).status_code == 404
    for name, pk in [
        ("disclosure_request_detail", b.request.pk),
        ("sar_detail", b.sar.pk),
        ("summons_detail", b.summons.pk),
        ("police_detail", b.police.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 200, name


def test_working_as_a_volunteer_the_coordinator_of_b_reaches_no_disclosure(cast, two, client):
    a, _b = two
    work_as(client, cast.volunteer, cast.centre)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 404, name
    assert client.get(reverse("sar_detail", args=[a.sar.pk])).status_code == 404


def test_a_coordinator_of_a_and_b_decides_only_through_the_membership_in_use(cast, two, client):
    """The service checks the role at the record's centre: working as A, a request of A is
    reachable; working as B the same request is a 404 before any service runs."""
    a, _b = two
    work_as(client, cast.coordinator, cast.centre)
    assert client.get(reverse("disclosure_request_detail", args=[a.request.pk])).status_code == 200
    client.logout()
    work_as(client, cast.coordinator, cast.other_centre)
    assert (
        client.post(reverse("disclosure_request_decide", args=[a.request.pk]), {}).status_code
        == 404
    )


def test_a_referrer_at_two_centres_sees_at_each_only_their_families_there(cast, client):
    MembershipFactory(user=cast.referrer, centre=cast.other_centre, role=Role.REFERRER)
    here = FamilyFactory(centre=cast.centre)
    there = FamilyFactory(centre=cast.other_centre)
    for family in (here, there):
        ReferralFactory(family=family, referrer=cast.referrer, status=Referral.Status.ACCEPTED)
    for centre, mine, theirs in [(cast.centre, here, there), (cast.other_centre, there, here)]:
        work_as(client, cast.referrer, centre)
        page = main_of(client.get(reverse("attendance_families")))
        assert mine.reference in page and theirs.reference not in page
        assert client.get(reverse("attendance_request", args=[mine.pk])).status_code == 200
        assert client.get(reverse("attendance_request", args=[theirs.pk])).status_code == 404
        client.logout()
