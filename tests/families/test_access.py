"""families/access.py: a family and its sessions, referrals and concerns reach only the
coordinators of its centre; a referrer reaches only the referrals they made, at the centre of
the membership in use. Every helper takes the membership, never the person."""

import pytest
from django.http import Http404
from django.urls import reverse

from families.access import (
    concerns_for,
    families_for,
    get_family_for,
    own_referrals_for,
    referrals_for,
    sessions_for,
)
from tests.factories import (
    ConcernFactory,
    ContactSessionFactory,
    FamilyFactory,
    ReferralFactory,
    membership_of,
)

pytestmark = pytest.mark.django_db


def test_a_visitor_not_signed_in_reaches_no_family_and_nothing_of_one(cast, client):
    """A visitor has no membership: every family page sends them to sign in first."""
    family = FamilyFactory(centre=cast.centre)
    session = ContactSessionFactory(family=family)
    referral = ReferralFactory(family=family, referrer=cast.referrer)
    for url in [
        reverse("family_list"),
        reverse("family_detail", args=[family.pk]),
        reverse("referral_detail", args=[referral.pk]),
        reverse("referral_list"),
        reverse("referrer_portal"),
        reverse("room_list"),
        reverse("session_detail", args=[session.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_no_role_but_a_centres_coordinator_reaches_its_families(cast):
    family = FamilyFactory(centre=cast.centre)
    ContactSessionFactory(family=family)
    ReferralFactory(family=family, referrer=cast.referrer)
    ConcernFactory(family=family)
    for who in [cast.chair, cast.volunteer, cast.referrer, cast.operator, cast.other_coordinator]:
        membership = membership_of(who)
        for scoped in [families_for, sessions_for, referrals_for, concerns_for]:
            assert not scoped(membership).exists()
        with pytest.raises(Http404):
            get_family_for(membership, family.pk)


def test_a_referrer_sees_only_the_referrals_they_made(cast):
    family = FamilyFactory(centre=cast.centre)
    mine = ReferralFactory(family=family, referrer=cast.referrer)
    ReferralFactory(family=family, referrer=cast.other_referrer)
    assert list(own_referrals_for(membership_of(cast.referrer))) == [mine]
    for role in ["coordinator", "chair", "volunteer", "operator"]:
        assert not own_referrals_for(membership_of(getattr(cast, role))).exists()


def test_a_coordinator_opens_their_own_centres_family_by_its_id(cast):
    ours, another = FamilyFactory(centre=cast.centre), FamilyFactory(centre=cast.centre)
    mine = membership_of(cast.coordinator)
    assert get_family_for(mine, another.pk) == another
    assert get_family_for(mine, ours.pk) == ours
    assert set(families_for(mine)) == {ours, another}


def test_a_referral_whose_stored_centre_disagrees_with_its_familys_is_shown_to_neither(cast):
    """The review of issue 22: lists read referrals and concerns by their stored centre, and
    by their family's centre too."""
    from families.access import concerns_for, referrals_for
    from families.models import Concern, Referral

    referral = ReferralFactory(family=FamilyFactory(centre=cast.centre))
    concern = ConcernFactory(family=referral.family)
    Referral.objects.filter(pk=referral.pk).update(centre=cast.other_centre)
    Concern.objects.filter(pk=concern.pk).update(centre=cast.other_centre)
    assert not referrals_for(membership_of(cast.other_coordinator)).exists()
    assert not concerns_for(membership_of(cast.other_coordinator)).exists()


def test_flash_messages_are_kept_on_the_server_not_in_a_cookie(settings):
    assert settings.MESSAGE_STORAGE.endswith("SessionStorage")
