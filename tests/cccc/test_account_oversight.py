"""No silent accounts, and no switching the chair off from inside (issue 14, points 1 and 2):
an extra coordinator waits for the chair; the People page lists every account; a coordinator
cannot deactivate or change a chair; every account event is an audit entry."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from cccc import services
from cccc.models import AccessLog, Role, User
from tests.factories import CentreFactory, UserFactory, membership_of

ms = membership_of


def state(user: User, centre=None) -> tuple[bool, bool]:
    """(active, waiting) of the person's membership (at `centre`), as it is now."""
    membership = membership_of(user, centre)
    return membership.is_active, membership.awaiting_approval


pytestmark = pytest.mark.django_db

PASSWORD = "tea and biscuits at ten"


def invite_extra_coordinator(cast, login, capture, email="extra@operator.example"):
    with capture(execute=True):
        login(cast.operator).post(
            reverse("coordinator_invite", args=[cast.centre.pk]),
            {"full_name": "Xavier Extra", "email": email},
        )
    return User.objects.get(email=email)


def accept_invitation(client, user: User):
    link = re.search(
        r"http://testserver(/accounts/invitation/\S+)",
        next(m for m in mail.outbox if m.to == [user.email]).body,
    )[1]
    client.logout()
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})


def signs_in(client, user: User) -> bool:
    client.logout()
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    return response.status_code == 302


# --- 1. no silent accounts -------------------------------------------------------------------


def test_an_extra_coordinator_made_by_the_operator_cannot_sign_in_until_the_chair_approves(
    client, cast, login, django_capture_on_commit_callbacks
):
    extra = invite_extra_coordinator(cast, login, django_capture_on_commit_callbacks)
    accept_invitation(client, extra)
    extra.refresh_from_db()
    assert extra.has_usable_password() and extra.awaiting_approval
    assert not signs_in(client, extra)
    login(cast.chair).post(reverse("account_approve", args=[ms(extra).pk]))
    extra.refresh_from_db()
    assert extra.is_active and not extra.awaiting_approval
    assert signs_in(client, extra)


def test_the_chair_is_emailed_with_no_personal_data(
    cast, login, django_capture_on_commit_callbacks
):
    invite_extra_coordinator(cast, login, django_capture_on_commit_callbacks)
    to_chair = [m for m in mail.outbox if m.to == [cast.chair.email]]
    assert len(to_chair) == 1
    body = to_chair[0].subject + to_chair[0].body
    assert "approv" in body and cast.centre.name in body
    assert "Xavier" not in body and "extra@operator.example" not in body


def test_the_people_page_lists_every_account_including_the_operators_and_waiting_ones(
    cast, login, django_capture_on_commit_callbacks
):
    fellow = UserFactory(role=Role.COORDINATOR, centre=cast.centre)
    invite_extra_coordinator(cast, login, django_capture_on_commit_callbacks)
    html = login(cast.coordinator).get(reverse("people")).content.decode()
    for account in [fellow, cast.chair, cast.volunteer, cast.referrer, cast.coordinator]:
        assert account.email in html
    assert "extra@operator.example" in html
    assert "Waiting for the chair's approval" in html


def test_a_new_centres_first_coordinator_is_active_at_once(
    cast, login, django_capture_on_commit_callbacks
):
    centre = CentreFactory()
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.operator).post(
            reverse("coordinator_invite", args=[centre.pk]),
            {"full_name": "Nia First", "email": "nia@first.example"},
        )
    nia = User.objects.get(email="nia@first.example")
    assert nia.is_active and not nia.awaiting_approval


def test_the_chair_refuses_and_the_account_never_signs_in(
    client, cast, login, django_capture_on_commit_callbacks
):
    extra = invite_extra_coordinator(cast, login, django_capture_on_commit_callbacks)
    accept_invitation(client, extra)
    login(cast.chair).post(reverse("account_refuse", args=[ms(extra).pk]))
    extra.refresh_from_db()
    assert state(extra) == (False, False)
    assert not signs_in(client, extra)


def test_the_operator_cannot_activate_a_waiting_account_round_the_chair(
    cast, login, django_capture_on_commit_callbacks
):
    extra = invite_extra_coordinator(cast, login, django_capture_on_commit_callbacks)
    response = login(cast.operator).post(
        reverse("account_reactivate", args=[ms(extra).pk]), follow=True
    )
    assert "waiting for the chair" in response.content.decode()
    assert state(extra) == (False, True)


def test_a_coordinator_reactivated_by_the_operator_waits_for_the_chair_again(
    cast, login, django_capture_on_commit_callbacks
):
    fellow = UserFactory(role=Role.COORDINATOR, centre=cast.centre)
    type(ms(fellow)).objects.filter(user=fellow).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.operator).post(reverse("account_reactivate", args=[ms(fellow).pk]))
    assert state(fellow) == (False, True)
    assert any(m.to == [cast.chair.email] for m in mail.outbox)


def test_nobody_approves_their_own_account(cast):
    waiting = UserFactory(
        role=Role.CHAIR, centre=cast.centre, is_active=False, awaiting_approval=True
    )
    with pytest.raises(ValidationError, match="You cannot approve your own account"):
        services.account_approve(by=waiting, membership=ms(waiting))
    assert state(waiting) == (False, True)


def test_a_coordinator_does_not_approve_when_the_centre_has_a_chair(
    cast, login, django_capture_on_commit_callbacks
):
    extra = invite_extra_coordinator(cast, login, django_capture_on_commit_callbacks)
    response = login(cast.coordinator).post(
        reverse("account_approve", args=[ms(extra).pk]), follow=True
    )
    assert "The centre&#x27;s chair approves" in response.content.decode()
    assert state(extra) == (False, True)


def test_without_an_active_chair_a_coordinator_of_the_centre_approves(
    cast, login, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=cast.chair.pk).update(is_active=False)
    extra = invite_extra_coordinator(cast, login, django_capture_on_commit_callbacks)
    assert any(m.to == [cast.coordinator.email] for m in mail.outbox)
    login(cast.coordinator).post(reverse("account_approve", args=[ms(extra).pk]))
    extra.refresh_from_db()
    assert extra.is_active


@pytest.mark.parametrize("role", ["other_chair", "other_coordinator", "volunteer", "operator"])
def test_nobody_outside_the_centre_approves(cast, login, django_capture_on_commit_callbacks, role):
    extra = invite_extra_coordinator(cast, login, django_capture_on_commit_callbacks)
    client = login(getattr(cast, role))
    assert client.post(reverse("account_approve", args=[ms(extra).pk])).status_code == 404
    assert client.post(reverse("account_refuse", args=[ms(extra).pk])).status_code == 404
    extra.refresh_from_db()
    assert extra.awaiting_approval


def test_the_waiting_list_shows_on_the_chairs_page_with_the_approval_buttons(
    cast, login, django_capture_on_commit_callbacks
):
    extra = invite_extra_coordinator(cast, login, django_capture_on_commit_callbacks)
    html = login(cast.chair).get(reverse("committee")).content.decode()
    assert reverse("account_approve", args=[ms(extra).pk]) in html
    assert reverse("account_refuse", args=[ms(extra).pk]) in html


# --- every account event is an audit entry ---------------------------------------------------


def entry_for(account: User, action: str) -> AccessLog:
    return AccessLog.objects.get(record_type="cccc.User", record_id=account.pk, action=action)


def test_invite_approval_and_refusal_are_audit_entries(
    cast, login, django_capture_on_commit_callbacks
):
    extra = invite_extra_coordinator(cast, login, django_capture_on_commit_callbacks)
    other = invite_extra_coordinator(
        cast, login, django_capture_on_commit_callbacks, email="other@operator.example"
    )
    login(cast.chair).post(reverse("account_approve", args=[ms(extra).pk]))
    login(cast.chair).post(reverse("account_refuse", args=[ms(other).pk]))
    invite = entry_for(extra, AccessLog.Action.ACCOUNT_INVITE)
    assert (invite.user, invite.centre) == (cast.operator, cast.centre)
    assert entry_for(extra, AccessLog.Action.ACCOUNT_APPROVE).user == cast.chair
    assert entry_for(other, AccessLog.Action.ACCOUNT_REFUSE).user == cast.chair
    assert "Xavier" not in " ".join(AccessLog.objects.values_list("detail", flat=True))


def test_deactivation_activation_role_change_and_two_factor_reset_are_audit_entries(cast, login):
    client = login(cast.coordinator)
    client.post(reverse("account_deactivate", args=[ms(cast.volunteer).pk]))
    client.post(reverse("account_reactivate", args=[ms(cast.volunteer).pk]))
    client.post(reverse("account_role_change", args=[ms(cast.referrer).pk]), {"role": "chair"})
    client.post(reverse("account_two_factor_reset", args=[ms(cast.chair).pk]))
    assert entry_for(cast.volunteer, AccessLog.Action.ACCOUNT_DEACTIVATE).user == cast.coordinator
    assert entry_for(cast.volunteer, AccessLog.Action.ACCOUNT_ACTIVATE).user == cast.coordinator
    role = entry_for(cast.referrer, AccessLog.Action.ACCOUNT_ROLE)
    assert role.detail == "from=referrer to=chair"
    assert entry_for(cast.chair, AccessLog.Action.ACCOUNT_TWO_FACTOR).centre == cast.centre


# --- 2. the chair cannot be switched off from inside -----------------------------------------


def test_a_coordinator_cannot_deactivate_the_chair(cast, login):
    response = login(cast.coordinator).post(
        reverse("account_deactivate", args=[ms(cast.chair).pk]), follow=True
    )
    assert "Only the installation&#x27;s operator changes a chair&#x27;s account" in (
        response.content.decode()
    )
    cast.chair.refresh_from_db()
    assert cast.chair.is_active
    assert not AccessLog.objects.filter(action=AccessLog.Action.ACCOUNT_DEACTIVATE).exists()


def test_a_coordinator_cannot_demote_the_chair(cast, login):
    response = login(cast.coordinator).post(
        reverse("account_role_change", args=[ms(cast.chair).pk]), {"role": "volunteer"}, follow=True
    )
    assert "Only the installation&#x27;s operator changes a chair&#x27;s account" in (
        response.content.decode()
    )
    cast.chair.refresh_from_db()
    assert cast.chair.role == Role.CHAIR


def test_a_coordinator_cannot_make_someone_a_coordinator(cast, login):
    login(cast.coordinator).post(
        reverse("account_role_change", args=[ms(cast.referrer).pk]), {"role": "coordinator"}
    )
    cast.referrer.refresh_from_db()
    assert cast.referrer.role == Role.REFERRER


def test_the_operator_deactivates_a_chair_and_the_centres_chairs_and_coordinators_are_told(
    cast, login, django_capture_on_commit_callbacks
):
    second_chair = UserFactory(role=Role.CHAIR, centre=cast.centre)
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.operator).post(reverse("account_deactivate", args=[ms(cast.chair).pk]))
    assert state(cast.chair) == (False, False)
    assert cast.chair.is_active  # the person: their other memberships would stay usable
    told = {address for m in mail.outbox for address in m.to}
    assert {cast.coordinator.email, second_chair.email} <= told
    assert cast.other_coordinator.email not in told
    for message in mail.outbox:
        assert cast.chair.full_name not in message.body
        assert cast.chair.email not in message.body


def test_the_operator_demotes_a_chair(cast, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.operator).post(
            reverse("account_role_change", args=[ms(cast.chair).pk]), {"role": "volunteer"}
        )
    cast.chair.refresh_from_db()
    assert cast.chair.role == Role.VOLUNTEER
    assert any(m.to == [cast.coordinator.email] for m in mail.outbox)


def test_the_operators_page_lists_the_chairs(cast, login):
    html = login(cast.operator).get(reverse("operator")).content.decode()
    assert cast.chair.email in html
    assert reverse("account_deactivate", args=[ms(cast.chair).pk]) in html


def test_a_centre_without_an_active_chair_warns_on_every_coordinator_page(cast, login):
    client = login(cast.coordinator)
    warning = "has no active chair"
    assert warning not in client.get(reverse("people")).content.decode()
    User.objects.filter(pk=cast.chair.pk).update(is_active=False)
    for name in ["people", "family_list", "volunteer_list", "audit_trail"]:
        assert warning in client.get(reverse(name)).content.decode(), name
    assert warning not in login(cast.other_coordinator).get(reverse("people")).content.decode()


# --- forms preselect nothing that grants access ----------------------------------------------


def test_the_invitation_form_preselects_no_role(cast, login):
    html = login(cast.coordinator).get(reverse("people")).content.decode()
    role_select = re.search(r'<select name="role"[^>]*id="id_role".*?</select>', html, re.S)[0]
    assert "selected" not in role_select.replace('value="" selected', "")
    assert '<option value="" selected>' in role_select
    response = login(cast.coordinator).post(
        reverse("people"), {"full_name": "No Role", "email": "norole@example.org"}
    )
    assert "This field is required" in response.content.decode()
    assert not User.objects.filter(email="norole@example.org").exists()


# --- issue 20, item 3: the invitation form says nothing about who has an account ------------


def _invite(client, email):
    return client.post(
        reverse("people"),
        {"full_name": "Sam Someone", "email": email, "role": "volunteer"},
        follow=True,
    )


def _page_without(html: str, email: str) -> str:
    # The page lists accounts it may show; compare what the form itself answered.
    return re.search(r'<div aria-live="polite">.*?</div>\s*</div>', html, re.S)[0].replace(
        email, "EMAIL"
    )


def test_the_invitation_form_answers_the_same_for_known_and_unknown_addresses(
    cast, login, django_capture_on_commit_callbacks
):
    client = login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        unknown = _invite(client, "new.person@example.org")
        known = _invite(client, cast.other_chair.email)
        operator = _invite(client, cast.operator.email)
    assert unknown.redirect_chain == known.redirect_chain == operator.redirect_chain
    answers = {
        _page_without(unknown.content.decode(), "new.person@example.org"),
        _page_without(known.content.decode(), cast.other_chair.email),
        _page_without(operator.content.decode(), cast.operator.email),
    }
    assert len(answers) == 1
    assert "already has an account" not in known.content.decode()


def test_an_existing_person_is_given_a_membership_here_and_told_by_email(
    cast, login, django_capture_on_commit_callbacks
):
    """Issue 19: an address with an account gets a membership at the inviting centre, not a
    second account; their membership elsewhere is untouched, and the email names only the
    inviting centre, with no invitation link (they sign in with their own password)."""
    with django_capture_on_commit_callbacks(execute=True):
        _invite(login(cast.coordinator), cast.other_chair.email)
    assert User.objects.filter(email=cast.other_chair.email).count() == 1
    assert ms(cast.other_chair, cast.other_centre).role == Role.CHAIR
    assert state(cast.other_chair, cast.other_centre) == (True, False)
    here = ms(cast.other_chair, cast.centre)
    assert (here.role, here.is_active, here.invited_by) == (Role.VOLUNTEER, True, cast.coordinator)
    (note,) = [m for m in mail.outbox if m.to == [cast.other_chair.email]]
    assert cast.centre.name in note.subject + note.body and "volunteer" in note.body
    for other in [cast.other_centre.name, "chair", "Sam", cast.coordinator.full_name, "/accounts/"]:
        assert other not in note.body and other not in note.subject


def test_an_existing_members_address_changes_nothing_and_answers_the_same(
    cast, login, django_capture_on_commit_callbacks
):
    client = login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        unknown = _invite(client, "new.person@example.org")
        member = _invite(client, cast.referrer.email)
    assert _page_without(unknown.content.decode(), "new.person@example.org") == _page_without(
        member.content.decode(), cast.referrer.email
    )
    assert list(cast.referrer.memberships.values_list("role", "is_active")) == [
        (Role.REFERRER, True)
    ]
    (note,) = [m for m in mail.outbox if m.to == [cast.referrer.email]]
    assert "/accounts/" not in note.body
    entry = AccessLog.objects.filter(action=AccessLog.Action.ACCOUNT_INVITE).order_by("seq").last()
    assert entry.detail == "role=volunteer not made" and entry.centre == cast.centre


def test_the_inviting_centre_sees_nothing_of_the_persons_other_memberships(
    cast, login, django_capture_on_commit_callbacks
):
    """Invited at Home, a coordinator of Other: Home's pages show the role here only, the
    same status as for a new address, no two-factor button (that would tell a two-factor
    role elsewhere), and no word of Other in the page, the audit trail or its export."""
    client = login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        known = _invite(client, cast.other_coordinator.email)
        new = _invite(client, "new.person@example.org")
    assert _page_without(known.content.decode(), cast.other_coordinator.email) == (
        _page_without(new.content.decode(), "new.person@example.org")
    )
    pages = [
        client.get(reverse("people")).content.decode(),
        client.get(reverse("audit_trail")).content.decode(),
        client.get(reverse("audit_trail_csv")).content.decode(),
        login(cast.chair).get(reverse("committee")).content.decode(),
        login(cast.chair).get(reverse("audit_trail")).content.decode(),
    ]
    for html in pages:
        assert cast.other_centre.name not in html and "OTH" not in html
    people = pages[0]
    row = re.search(
        rf"<tr>(?:(?!</tr>).)*{re.escape(cast.other_coordinator.email)}.*?</tr>", people, re.S
    )[0]
    new_row = re.search(r"<tr>(?:(?!</tr>).)*new.person@example.org.*?</tr>", people, re.S)[0]
    assert "Invited" in row and "Invited" in new_row
    # The name the centre typed, not the account's own: a different spelling would tell it
    # that the address had an account.
    assert "Sam Someone" in row and cast.other_coordinator.full_name not in people
    assert "Volunteer" in row and "Coordinator" not in row
    assert "Reset two-factor" not in row
    entries = AccessLog.objects.filter(action=AccessLog.Action.ACCOUNT_INVITE, centre=cast.centre)
    assert {e.detail for e in entries} == {"role=volunteer"}


def test_the_operators_coordinator_form_answers_the_same_for_a_known_address(
    cast, login, django_capture_on_commit_callbacks
):
    centre = CentreFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.operator).post(
            reverse("coordinator_invite", args=[centre.pk]),
            {"full_name": "Known Person", "email": cast.volunteer.email},
        )
    assert response.status_code == 302 and response.url == reverse("operator")
    # The person's volunteering stays; they are the new centre's coordinator too, told.
    assert ms(cast.volunteer, cast.centre).role == Role.VOLUNTEER
    assert ms(cast.volunteer, centre).role == Role.COORDINATOR
    assert [m.to for m in mail.outbox] == [[cast.volunteer.email]]
    assert cast.centre.name not in mail.outbox[0].body
