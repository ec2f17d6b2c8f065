"""Account administration: the operator creates centres and first coordinators; coordinators
invite their own centre's chair, volunteers and referrers, and can deactivate them."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from cccc.models import Centre, Role, User
from tests.factories import membership_of

ms = membership_of

pytestmark = pytest.mark.django_db


def invitation_link() -> str:
    return re.search(r"http://testserver(/accounts/invitation/\S+)", mail.outbox[-1].body)[1]


def centre_form(**changes) -> dict:
    return {
        "name": "Newtown Contact Centre", "slug": "newtown", "code": "NEW",
        "policy_variant": "chesterfield", "keep_apart_gap_minutes": 15,
        "family_retention_years": 3, "volunteer_retention_years": 3, "dbs_renewal_years": 3,
        "dbs_visible_to": "both", "dbs_min_level": "enhanced_barred", "supervised_cover": 2,
        "supported_cover": 1, **changes,
    }  # fmt: skip


def test_the_operator_creates_a_centre_and_invites_its_coordinator(
    cast, login, django_capture_on_commit_callbacks
):
    client = login(cast.operator)
    response = client.post(reverse("centre_create"), centre_form())
    centre = Centre.objects.get(slug="newtown")
    assert response.url == reverse("coordinator_invite", args=[centre.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("coordinator_invite", args=[centre.pk]),
            {"full_name": "Nia Newtown", "email": "nia@newtown.example.org"},
        )
    nia = User.objects.get(email="nia@newtown.example.org")
    assert (nia.role, nia.centre, nia.has_usable_password()) == (Role.COORDINATOR, centre, False)
    assert mail.outbox[-1].to == ["nia@newtown.example.org"]


def test_a_centre_code_typed_in_lower_case_is_stored_in_capitals(cast, login):
    login(cast.operator).post(
        reverse("centre_create"),
        centre_form(name="Lowtown Contact Centre", slug="lowtown", code="low"),
    )
    assert Centre.objects.get(slug="lowtown").code == "LOW"  # family references start with it


def test_an_invitation_link_sets_a_password_once(
    client, cast, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.coordinator).post(
            reverse("people"),
            {"full_name": "Val Volunteer", "email": "val@example.org", "role": "volunteer"},
        )
    client.logout()
    link = invitation_link()
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    password = "tea and biscuits at ten"
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.url == reverse("login")
    val = User.objects.get(email="val@example.org")
    assert val.check_password(password)
    assert (val.role, val.centre) == (Role.VOLUNTEER, cast.centre)
    assert "has been used already" in client.get(link, follow=True).content.decode()


def test_the_invitation_email_names_no_family_and_only_the_centre(
    cast, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.coordinator).post(
            reverse("people"),
            {
                "full_name": "Rita Referrer",
                "email": "rita@example.org",
                "role": "referrer",
                "agency": "CAFCASS",
            },  # fmt: skip
        )
    body = mail.outbox[-1].body
    assert cast.centre.name in body
    assert "Rita" not in body and "CAFCASS" not in body


def test_a_coordinator_cannot_invite_a_coordinator_or_an_operator(cast, login):
    client = login(cast.coordinator)
    for role in ["coordinator", "operator"]:
        response = client.post(
            reverse("people"), {"full_name": "X", "email": f"{role}@x.example", "role": role}
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(email__endswith="@x.example").exists()


def test_an_invitation_form_keeps_what_was_typed_and_explains_the_error(cast, login):
    response = login(cast.coordinator).post(
        reverse("people"),
        {"full_name": "Dup Licate", "email": "not an address", "role": "volunteer"},
    )
    html = response.content.decode()
    assert "Enter a valid email address" in html
    assert 'value="Dup Licate"' in html


def test_a_coordinator_deactivates_and_reactivates_their_volunteer(cast, login):
    client = login(cast.coordinator)
    client.post(reverse("account_deactivate", args=[ms(cast.volunteer).pk]))
    assert not ms(cast.volunteer).is_active
    client.post(reverse("account_reactivate", args=[ms(cast.volunteer).pk]))
    assert ms(cast.volunteer).is_active


def test_the_operator_deactivates_a_coordinator(cast, login):
    login(cast.operator).post(reverse("account_deactivate", args=[ms(cast.coordinator).pk]))
    assert not ms(cast.coordinator).is_active


# --- outsiders -------------------------------------------------------------------------------


def test_another_centres_coordinator_cannot_touch_our_accounts(cast, login):
    client = login(cast.other_coordinator)
    for name in ["account_deactivate", "account_reactivate"]:
        assert client.post(reverse(name, args=[ms(cast.volunteer).pk])).status_code == 404
    assert ms(cast.volunteer).is_active
    assert cast.volunteer.email not in client.get(reverse("people")).content.decode()


def test_a_coordinator_cannot_deactivate_a_fellow_coordinator_or_operator(cast, login):
    client = login(cast.coordinator)
    for target in [cast.coordinator, cast.operator, cast.other_coordinator, cast.other_volunteer]:
        assert client.post(reverse("account_deactivate", args=[ms(target).pk])).status_code == 404


@pytest.mark.parametrize("role", ["chair", "volunteer", "referrer", "operator"])
def test_only_coordinators_reach_the_people_page(cast, login, role):
    assert login(getattr(cast, role)).get(reverse("people")).status_code == 404


def test_the_operators_page_lists_every_centre_through_the_access_helper(cast, login):
    html = login(cast.operator).get(reverse("operator")).content.decode()
    for centre in [cast.centre, cast.other_centre]:
        assert reverse("coordinator_invite", args=[centre.pk]) in html


@pytest.mark.parametrize("role", ["coordinator", "chair", "volunteer", "referrer"])
def test_only_the_operator_reaches_the_centre_pages(cast, login, role):
    client = login(getattr(cast, role))
    assert client.get(reverse("operator")).status_code == 404
    assert client.get(reverse("centre_create")).status_code == 404
    url = reverse("coordinator_invite", args=[cast.centre.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["chair", "volunteer", "referrer"])
def test_non_coordinators_cannot_deactivate_anyone(cast, login, role):
    client = login(getattr(cast, role))
    assert (
        client.post(reverse("account_deactivate", args=[ms(cast.volunteer).pk])).status_code == 404
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    for url in [
        reverse("people"), reverse("operator"), reverse("centre_create"),
        reverse("coordinator_invite", args=[cast.centre.pk]),
    ]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert (
        client.post(reverse("account_deactivate", args=[ms(cast.volunteer).pk])).status_code == 302
    )


def test_a_coordinator_resets_the_chairs_lost_authenticator(cast, login):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=cast.chair, name="old phone", confirmed=True)
    login(cast.coordinator).post(reverse("account_two_factor_reset", args=[ms(cast.chair).pk]))
    assert not TOTPDevice.objects.filter(user=cast.chair).exists()


def test_the_operator_resets_a_coordinators_authenticator(cast, login):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=cast.coordinator, name="old phone", confirmed=True)
    login(cast.operator).post(reverse("account_two_factor_reset", args=[ms(cast.coordinator).pk]))
    assert not TOTPDevice.objects.filter(user=cast.coordinator).exists()


@pytest.mark.parametrize("role", ["other_coordinator", "chair", "volunteer", "referrer"])
def test_nobody_else_resets_the_chairs_authenticator(cast, login, role):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=cast.chair, name="phone", confirmed=True)
    url = reverse("account_two_factor_reset", args=[ms(cast.chair).pk])
    assert login(getattr(cast, role)).post(url).status_code == 404
    assert TOTPDevice.objects.filter(user=cast.chair).exists()
