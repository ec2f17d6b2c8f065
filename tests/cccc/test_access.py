"""The access helpers: one per record type, scoped by centre and role, 404 outside reach."""

import pytest
from django.http import Http404

from cccc.access import accounts_for, get_account_for, get_centre_for
from families.access import families_for, get_family_for
from tests.factories import FamilyFactory, VolunteerFactory, membership_of
from volunteers.access import get_volunteer_for, volunteers_for

pytestmark = pytest.mark.django_db


def test_a_coordinator_reaches_only_their_own_centres_families(cast):
    ours = FamilyFactory(centre=cast.centre)
    theirs = FamilyFactory(centre=cast.other_centre)
    assert list(families_for(m(cast.coordinator))) == [ours]
    assert get_family_for(m(cast.coordinator), ours.pk) == ours
    with pytest.raises(Http404):
        get_family_for(m(cast.coordinator), theirs.pk)


@pytest.mark.parametrize("role", ["chair", "volunteer", "referrer", "operator"])
def test_no_other_role_reaches_a_family_through_the_general_helper(cast, role):
    family = FamilyFactory(centre=cast.centre)
    with pytest.raises(Http404):
        get_family_for(m(getattr(cast, role)), family.pk)
    assert not families_for(m(getattr(cast, role))).exists()


def test_volunteer_records_are_for_their_centres_coordinator_only(cast):
    ours = VolunteerFactory(centre=cast.centre)
    assert get_volunteer_for(cast.coordinator, ours.pk) == ours
    for user in [cast.other_coordinator, cast.chair, cast.volunteer, cast.operator]:
        with pytest.raises(Http404):
            get_volunteer_for(user, ours.pk)
        assert ours not in volunteers_for(user)


def test_centres_are_the_users_own_except_for_the_operator(cast):
    assert get_centre_for(cast.coordinator, cast.centre.pk) == cast.centre
    with pytest.raises(Http404):
        get_centre_for(cast.coordinator, cast.other_centre.pk)
    assert get_centre_for(cast.operator, cast.other_centre.pk) == cast.other_centre


def m(user):
    return membership_of(user)


def test_accounts_a_coordinator_administers(cast):
    # Memberships, each of one centre (issue 19): the account pages act on them.
    assert set(accounts_for(m(cast.coordinator))) == {
        m(cast.chair),
        m(cast.volunteer),
        m(cast.referrer),
    }
    assert set(accounts_for(m(cast.operator))) == {
        m(cast.coordinator), m(cast.other_coordinator), m(cast.chair), m(cast.other_chair),
    }  # fmt: skip
    with pytest.raises(Http404):
        get_account_for(m(cast.chair), m(cast.volunteer).pk)


def test_sessions_referrals_and_concerns_are_reached_only_through_reachable_families(cast):
    from families.access import concerns_for, referrals_for, sessions_for
    from tests.factories import ConcernFactory, ContactSessionFactory, ReferralFactory

    ours = FamilyFactory(centre=cast.centre)
    theirs = FamilyFactory(centre=cast.other_centre)
    for make, scoped in [
        (lambda f: ContactSessionFactory(family=f), sessions_for),
        (lambda f: ReferralFactory(family=f, referrer=cast.referrer), referrals_for),
        (lambda f: ConcernFactory(family=f), concerns_for),
    ]:
        mine, other = make(ours), make(theirs)
        assert list(scoped(m(cast.coordinator))) == [mine]
        assert other not in scoped(m(cast.coordinator))
        for role in ["chair", "volunteer", "referrer", "operator"]:
            assert not scoped(m(getattr(cast, role))).exists()


# --- the guards: a visitor who is not signed in, and each role ------------------------------


def test_a_visitor_not_signed_in_reaches_no_page_of_any_role():
    from django.contrib.auth.models import AnonymousUser

    from cccc.access import require_role

    with pytest.raises(Http404):
        # A visitor's request has no membership in use (cccc.middleware).
        assert getattr(AnonymousUser(), "membership", None) is None
        require_role(None, "coordinator", "chair")


def test_a_page_of_some_roles_lets_in_exactly_those_roles(cast):
    from cccc.access import require_role

    require_role(cast.chair, "coordinator", "chair")
    require_role(cast.coordinator, "coordinator", "chair")
    for user in [cast.volunteer, cast.referrer, cast.operator]:
        with pytest.raises(Http404):
            require_role(user, "coordinator", "chair")


def test_only_the_operator_sees_every_centre(cast):
    from cccc.access import centres_for

    assert set(centres_for(cast.operator)) == {cast.centre, cast.other_centre}
    for role in ["coordinator", "chair", "volunteer", "referrer"]:
        assert list(centres_for(getattr(cast, role))) == [cast.centre]


def test_accounts_are_administered_only_by_coordinators_and_the_operator(cast):
    assert get_account_for(m(cast.coordinator), m(cast.chair).pk) == m(cast.chair)
    assert get_account_for(m(cast.operator), m(cast.other_coordinator).pk) == m(
        cast.other_coordinator
    )
    with pytest.raises(Http404):
        get_account_for(m(cast.coordinator), m(cast.other_volunteer).pk)
    for role in ["chair", "volunteer", "referrer"]:
        assert not accounts_for(m(getattr(cast, role))).exists()
    assert [account.centre for account in accounts_for(m(cast.operator))]  # centres come along


def test_a_person_with_two_memberships_is_administered_at_each_centre_apart(cast):
    """A volunteer at Home who is also a referrer at Other: Home's coordinator reaches their
    Home membership only, Other's their Other membership only (issue 19)."""
    from tests.factories import MembershipFactory

    elsewhere = MembershipFactory(user=cast.volunteer, centre=cast.other_centre, role="referrer")
    home = membership_of(cast.volunteer, cast.centre)
    assert home in accounts_for(m(cast.coordinator))
    assert elsewhere not in accounts_for(m(cast.coordinator))
    with pytest.raises(Http404):
        get_account_for(m(cast.coordinator), elsewhere.pk)
    assert get_account_for(m(cast.other_coordinator), elsewhere.pk) == elsewhere
    with pytest.raises(Http404):
        get_account_for(m(cast.other_coordinator), home.pk)


def test_the_operator_reads_the_accounts_they_administer_with_their_centres_in_one_query(
    cast, django_assert_num_queries
):
    operator = m(cast.operator)
    with django_assert_num_queries(1):
        centres = {account.centre.code for account in accounts_for(operator)}
    assert centres == {"HOM", "OTH"}


# --- the People page and the accounts waiting for approval (issue 14) ------------------------


def test_the_people_page_lists_every_account_of_the_coordinators_centre_and_who_invited_it(
    cast, django_assert_num_queries
):
    from cccc.access import people_of
    from tests.factories import UserFactory

    waiting = UserFactory(
        role="volunteer", centre=cast.centre, awaiting_approval=True, is_active=False,
        invited_by=cast.chair,
    )  # fmt: skip
    coordinator = m(cast.coordinator)
    with django_assert_num_queries(1):
        inviters = {
            (one.user, one.user.full_name): one.invited_by for one in people_of(coordinator)
        }
    people = {person for person, _ in inviters}
    assert people == {cast.coordinator, cast.chair, cast.volunteer, cast.referrer, waiting}
    assert inviters[(waiting, waiting.full_name)] == cast.chair
    for role in ["chair", "volunteer", "referrer", "operator", "other_chair"]:
        assert not people_of(m(getattr(cast, role))).exists()
    assert m(cast.coordinator) not in people_of(m(cast.other_coordinator))


def test_accounts_waiting_for_approval_are_seen_by_their_own_centres_chair_and_coordinator(cast):
    from cccc.access import get_waiting_account_for, waiting_accounts_for
    from tests.factories import UserFactory

    def waiting_in(centre):
        return UserFactory(role="volunteer", centre=centre, awaiting_approval=True, is_active=False)

    ours, theirs = m(waiting_in(cast.centre)), m(waiting_in(cast.other_centre))
    for user in [cast.chair, cast.coordinator]:
        assert list(waiting_accounts_for(m(user))) == [ours]
        assert get_waiting_account_for(m(user), ours.pk) == ours
        for out_of_reach in [theirs, m(cast.volunteer)]:  # another centre's; one not waiting
            with pytest.raises(Http404):
                get_waiting_account_for(m(user), out_of_reach.pk)
    for role in ["volunteer", "referrer", "operator"]:
        assert not waiting_accounts_for(m(getattr(cast, role))).exists()
        with pytest.raises(Http404):
            get_waiting_account_for(m(getattr(cast, role)), ours.pk)
