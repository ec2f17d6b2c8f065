"""Legal holds (SPEC §8, retention/holds.py): each hold holds its own record and no other, and
only while it is open."""

import pytest
from django.utils import timezone

from disclosures.models import DisclosureRequest, SubjectAccessRequest, WitnessSummons
from families.models import Concern
from retention.holds import holds_for
from tests.factories import (
    AdultFactory,
    ConcernFactory,
    DisclosureRequestFactory,
    FamilyFactory,
    SubjectAccessRequestFactory,
    VolunteerFactory,
    WitnessSummonsFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_families(cast):
    return FamilyFactory(centre=cast.centre), FamilyFactory(centre=cast.centre)


@pytest.fixture
def two_volunteers(cast):
    return VolunteerFactory(centre=cast.centre), VolunteerFactory(centre=cast.centre)


def test_an_open_subject_access_request_holds_only_its_own_family(two_families):
    held, other = two_families
    sar = SubjectAccessRequestFactory(adult=AdultFactory(family=held))
    assert holds_for("family", [held.pk, other.pk]) == {
        held.pk: [f"open subject access request #{sar.pk}"]
    }
    assert holds_for("family", [other.pk]) == {}


def test_an_open_concern_holds_only_its_own_family(cast, two_families):
    held, other = two_families
    concern = ConcernFactory(family=held, raised_by=cast.coordinator)
    assert holds_for("family", [held.pk, other.pk]) == {held.pk: [f"open concern #{concern.pk}"]}
    assert holds_for("family", [other.pk]) == {}


def test_an_undecided_disclosure_request_holds_only_its_own_family(two_families):
    held, other = two_families
    request = DisclosureRequestFactory(family=held)
    assert holds_for("family", [held.pk, other.pk]) == {
        held.pk: [f"undecided disclosure request #{request.pk}"]
    }
    assert holds_for("family", [other.pk]) == {}


def test_a_witness_summons_holds_only_the_family_it_names(cast, two_families):
    held, other = two_families
    summons = WitnessSummonsFactory(centre=cast.centre, family=held)
    assert holds_for("family", [held.pk, other.pk]) == {held.pk: [f"witness summons #{summons.pk}"]}
    assert holds_for("family", [other.pk]) == {}


def test_a_summons_and_a_subject_access_request_hold_only_their_own_volunteer(cast, two_volunteers):
    held, other = two_volunteers
    summons = WitnessSummonsFactory(
        centre=cast.centre, served=WitnessSummons.Served.VOLUNTEER, volunteer=held
    )
    sar = SubjectAccessRequestFactory(adult=None, volunteer=held)
    assert holds_for("volunteer", [held.pk, other.pk]) == {
        held.pk: [f"witness summons #{summons.pk}", f"open subject access request #{sar.pk}"]
    }
    assert holds_for("volunteer", [other.pk]) == {}


def test_every_hold_on_a_family_is_listed_in_order(cast, two_families):
    held, _ = two_families
    concerns = ConcernFactory.create_batch(2, family=held, raised_by=cast.coordinator)
    request = DisclosureRequestFactory(family=held)
    summons = WitnessSummonsFactory(centre=cast.centre, family=held)
    sar = SubjectAccessRequestFactory(adult=AdultFactory(family=held))
    reasons = holds_for("family", [held.pk])[held.pk]
    assert sorted(reasons[:2]) == [f"open concern #{c.pk}" for c in concerns]
    assert reasons[2:] == [
        f"undecided disclosure request #{request.pk}",
        f"witness summons #{summons.pk}",
        f"open subject access request #{sar.pk}",
    ]


def test_a_familys_holds_are_not_a_volunteers_with_the_same_id(cast):
    family = FamilyFactory(centre=cast.centre)
    ConcernFactory(family=family, raised_by=cast.coordinator)
    DisclosureRequestFactory(family=family)
    WitnessSummonsFactory(centre=cast.centre, family=family)
    SubjectAccessRequestFactory(adult=AdultFactory(family=family))
    assert holds_for("volunteer", [family.pk]) == {}


def test_a_volunteers_holds_are_not_a_familys_with_the_same_id(cast):
    volunteer = VolunteerFactory(centre=cast.centre)
    WitnessSummonsFactory(
        centre=cast.centre, served=WitnessSummons.Served.VOLUNTEER, volunteer=volunteer
    )
    SubjectAccessRequestFactory(adult=None, volunteer=volunteer)
    assert holds_for("family", [volunteer.pk]) == {}


def test_closed_and_decided_records_hold_nothing(cast, two_families):
    family, _ = two_families
    ConcernFactory(family=family, raised_by=cast.coordinator, status=Concern.Status.CLOSED)
    DisclosureRequestFactory(family=family, decided=True)
    WitnessSummonsFactory(
        centre=cast.centre, family=family, closed_at=timezone.now(),
        outcome=WitnessSummons.Outcome.SET_ASIDE,
    )  # fmt: skip
    SubjectAccessRequestFactory(
        adult=AdultFactory(family=family),
        status=SubjectAccessRequest.Status.CLOSED,
        closed_at=timezone.now(),
        close_reason=SubjectAccessRequest.CloseReason.WITHDRAWN,
    )
    assert holds_for("family", [family.pk]) == {}
    assert DisclosureRequest.objects.filter(family=family).exists()


@pytest.mark.parametrize("record_type", ["family", "volunteer"])
def test_asking_about_no_records_holds_nothing_and_asks_the_database_nothing(
    record_type, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert holds_for(record_type, []) == {}


def test_the_holds_are_a_plain_dict(two_families):
    held, _ = two_families
    SubjectAccessRequestFactory(adult=AdultFactory(family=held))
    found = holds_for("family", [held.pk])
    assert type(found) is dict
    assert found.get(12345678) is None
