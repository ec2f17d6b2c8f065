"""Accounts per membership (issue 19): a person's account events act on their membership at
one centre; landing and navigation follow the membership in use; two-factor is per person."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc import services
from cccc.middleware import SESSION_MEMBERSHIP
from cccc.models import AccessLog, Role
from tests.conftest import sign_in
from tests.factories import PASSWORD, MembershipFactory, UserFactory, membership_of
from tests.factories.volunteers import AppointedVolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_hats(cast):
    """A coordinator of Other Centre who also volunteers at Home Centre."""
    person = UserFactory(role=Role.COORDINATOR, centre=cast.other_centre, full_name="Tess Qzhats")
    MembershipFactory(user=person, centre=cast.centre, role=Role.VOLUNTEER)
    AppointedVolunteerFactory(user=person, centre=cast.centre)
    return person


def work_as(client, membership) -> None:
    session = client.session
    session[SESSION_MEMBERSHIP] = membership.pk
    session.save()


def test_two_factor_is_per_person_even_when_working_as_a_volunteer(client, cast, two_hats):
    client.post(reverse("login"), {"username": two_hats.email, "password": PASSWORD})
    assert SESSION_KEY in client.session
    work_as(client, membership_of(two_hats, cast.centre))
    for page in ["home", "volunteer_portal"]:
        response = client.get(reverse(page))
        assert response.status_code == 302, page
        assert response.url.startswith(reverse("two_factor_verify")), page
    # a person with only a volunteer membership signs in with a password alone
    client.logout()
    client.post(reverse("login"), {"username": cast.volunteer.email, "password": PASSWORD})
    assert client.get(reverse("volunteer_portal")).status_code == 200


def test_home_and_the_navigation_follow_the_membership_in_use(client, cast, two_hats):
    sign_in(client, two_hats)
    work_as(client, membership_of(two_hats, cast.centre))
    assert client.get(reverse("home")).url == reverse("volunteer_portal")
    html = client.get(reverse("volunteer_portal")).content.decode()
    assert reverse("volunteer_list") not in html and reverse("people") not in html
    assert cast.other_centre.name not in html.split('id="membership-switch"')[0]
    work_as(client, membership_of(two_hats, cast.other_centre))
    assert client.get(reverse("home")).url == reverse("dashboard")
    assert client.get(reverse("people")).status_code == 200


def test_deactivating_a_membership_leaves_the_persons_other_membership(cast, two_hats):
    here = membership_of(two_hats, cast.centre)
    services.user_deactivate(actor=cast.coordinator, membership=here)
    here.refresh_from_db()
    assert not here.is_active
    elsewhere = membership_of(two_hats, cast.other_centre)
    assert elsewhere.is_active and not elsewhere.awaiting_approval
    two_hats.refresh_from_db()
    assert two_hats.is_active  # the person: the operator's switch, untouched
    entry = AccessLog.objects.get(action=AccessLog.Action.ACCOUNT_DEACTIVATE)
    assert (entry.centre, entry.detail) == (cast.centre, "volunteer")


def test_after_deactivation_the_person_works_only_in_their_other_membership(client, cast, two_hats):
    services.user_deactivate(
        actor=cast.coordinator, membership=membership_of(two_hats, cast.centre)
    )
    sign_in(client, two_hats)
    work_as(client, membership_of(two_hats, cast.centre))  # a stale choice is not honoured
    assert client.get(reverse("home")).url == reverse("dashboard")
    assert client.get(reverse("volunteer_portal")).status_code == 404


def test_deactivation_ends_the_persons_sessions(client, cast, two_hats):
    """Every session of the person ends (the simple, safe choice): the next request signs in
    again, and then works in the memberships left."""
    sign_in(client, two_hats)
    assert Session.objects.count() == 1
    services.user_deactivate(
        actor=cast.coordinator, membership=membership_of(two_hats, cast.centre)
    )
    assert Session.objects.count() == 0


def test_a_role_change_changes_the_membership_at_this_centre_only(cast, two_hats):
    services.user_role_change(
        actor=cast.coordinator, membership=membership_of(two_hats, cast.centre), role="referrer"
    )
    assert membership_of(two_hats, cast.centre).role == Role.REFERRER
    assert membership_of(two_hats, cast.other_centre).role == Role.COORDINATOR


def test_a_coordinator_cannot_act_on_a_membership_at_another_centre(cast, two_hats):
    elsewhere = membership_of(two_hats, cast.other_centre)
    with pytest.raises(PermissionDenied, match="not yours"):
        services.user_deactivate(actor=cast.coordinator, membership=elsewhere)
    assert membership_of(two_hats, cast.other_centre).is_active


def test_the_acting_membership_decides_what_a_coordinator_may_do(cast):
    """A person who is a referrer at Home and a coordinator at Other, acting as the referrer,
    changes nothing at Home, though they are a coordinator elsewhere."""
    person = UserFactory(role=Role.REFERRER, centre=cast.centre)
    MembershipFactory(user=person, centre=cast.other_centre, role=Role.COORDINATOR)
    with pytest.raises(PermissionDenied, match="not yours"):
        services.user_deactivate(
            actor=person,
            membership=membership_of(cast.volunteer),
            acting_as=membership_of(person, cast.centre),
        )
    assert membership_of(cast.volunteer).is_active


def test_a_two_factor_reset_that_would_weaken_another_centres_sign_in_is_the_operators(cast):
    """A chair of Home who coordinates Other: Home's coordinator cannot remove the
    authenticator Other relies on; the operator can."""
    MembershipFactory(user=cast.chair, centre=cast.other_centre, role=Role.COORDINATOR)
    TOTPDevice.objects.create(user=cast.chair, name="phone", confirmed=True)
    with pytest.raises(ValidationError, match="operator"):
        services.two_factor_reset(
            actor=cast.coordinator, membership=membership_of(cast.chair, cast.centre)
        )
    assert TOTPDevice.objects.filter(user=cast.chair).exists()
    services.two_factor_reset(
        actor=cast.operator, membership=membership_of(cast.chair, cast.centre)
    )
    assert not TOTPDevice.objects.filter(user=cast.chair).exists()


def test_a_coordinator_resets_no_two_factor_of_a_role_without_it(cast, two_hats):
    TOTPDevice.objects.create(user=two_hats, name="phone", confirmed=True)
    with pytest.raises(ValidationError, match="does not use two-factor"):
        services.two_factor_reset(
            actor=cast.coordinator, membership=membership_of(two_hats, cast.centre)
        )
    assert TOTPDevice.objects.filter(user=two_hats).exists()


def test_the_people_page_shows_the_role_here_only(client, cast, two_hats):
    html = sign_in(client, cast.coordinator).get(reverse("people")).content.decode()
    assert two_hats.email in html
    row = html.split(two_hats.email)[1].split("</tr>")[0]
    assert "Volunteer" in row and "Coordinator" not in row
    assert "Reset two-factor" not in row
    assert cast.other_centre.name not in html
    other = sign_in(client, cast.other_coordinator).get(reverse("people")).content.decode()
    assert cast.centre.name not in other


def test_a_coordinator_of_two_centres_working_as_one_reaches_nothing_of_the_other(client, cast):
    """Coordinator of Home and of Other, working as Other: Home's memberships are 404 on
    every account page, and Other's pages show nothing of Home."""
    MembershipFactory(user=cast.other_coordinator, centre=cast.centre, role=Role.COORDINATOR)
    sign_in(client, cast.other_coordinator)
    work_as(client, membership_of(cast.other_coordinator, cast.other_centre))
    home_volunteer = membership_of(cast.volunteer)
    for name in ["account_deactivate", "account_reactivate", "account_two_factor_reset"]:
        assert client.post(reverse(name, args=[home_volunteer.pk])).status_code == 404, name
    url = reverse("account_role_change", args=[home_volunteer.pk])
    assert client.post(url, {"role": "referrer"}).status_code == 404
    assert membership_of(cast.volunteer).is_active
    for page in ["people", "audit_trail", "dashboard"]:
        html = client.get(reverse(page)).content.decode()
        body = html.split('id="membership-switch"')[-1].split("</form>", 1)[-1]
        assert cast.volunteer.email not in body and "Home Centre" not in body, page
    # ... and working as Home, Home's volunteer is theirs to administer
    work_as(client, membership_of(cast.other_coordinator, cast.centre))
    assert cast.volunteer.email in client.get(reverse("people")).content.decode()
