"""The operators' admin manages centres and accounts, but gives no way to become someone
else: no setting another person's password or authenticator, no accounts made with a
password chosen by the operator."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD


def inline(user) -> dict[str, str]:
    """The read-only memberships inline's management form, as the change page posts it."""
    ids = list(user.memberships.values_list("pk", flat=True))
    data = {
        "memberships-TOTAL_FORMS": str(len(ids)),
        "memberships-INITIAL_FORMS": str(len(ids)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for n, pk in enumerate(ids):
        data |= {f"memberships-{n}-id": str(pk), f"memberships-{n}-user": str(user.pk)}
    return data


pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(cast):
    cast.operator.is_superuser = True  # as the demo's and a real installation's operator is
    cast.operator.save()
    return cast.operator


def test_authenticators_are_not_in_the_admin():
    assert not admin.site.is_registered(TOTPDevice)


def test_groups_are_not_in_the_admin(login, operator):
    # The project gives permissions by role, never by group: a group page would be a second,
    # unused way to grant them.
    assert not admin.site.is_registered(Group)
    assert login(operator).get("/admin/auth/group/").status_code == 404


def test_an_operator_cannot_set_a_coordinators_password_or_authenticator(cast, login, operator):
    client = login(operator)
    coordinator = cast.coordinator
    assert client.get(f"/admin/cccc/user/{coordinator.pk}/change/").status_code == 200
    page = client.get(f"/admin/cccc/user/{coordinator.pk}/password/", follow=True)
    assert 'name="password1"' not in page.content.decode()  # the admin's catch-all, no form
    client.post(
        f"/admin/cccc/user/{coordinator.pk}/password/",
        {"password1": "operator-knows-this-1", "password2": "operator-knows-this-1"},
    )
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 404
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)
    page = client.get(f"/admin/cccc/user/{coordinator.pk}/change/").content.decode()
    assert 'name="password' not in page


def test_accounts_are_not_made_in_the_admin(login, operator):
    assert login(operator).get("/admin/cccc/user/add/").status_code == 403


def test_an_operator_cannot_change_who_an_account_is_or_what_it_may_do(cast, login, operator):
    client = login(operator)
    coordinator = cast.coordinator
    email = coordinator.email
    page = client.get(f"/admin/cccc/user/{coordinator.pk}/change/").content.decode()
    for field in ["email", "role", "centre", "is_staff", "is_superuser"]:
        assert f'name="{field}"' not in page
    for account, changes in [
        (coordinator, {"email": operator.email.replace("@", "+taken@")}),
        (operator, {"role": "coordinator", "centre": cast.centre.pk, "is_staff": ""}),
    ]:
        client.post(
            f"/admin/cccc/user/{account.pk}/change/",
            {"full_name": account.full_name, "agency": "", "is_active": "on", **changes}
            | inline(account),
        )
    coordinator.refresh_from_db()
    operator.refresh_from_db()
    assert coordinator.email == email
    assert operator.role == "operator" and operator.centre is None and operator.is_staff


def test_an_operator_can_still_correct_a_name_but_not_switch_an_account_on_or_off(
    cast, login, operator
):
    coordinator = cast.coordinator
    response = login(operator).post(
        f"/admin/cccc/user/{coordinator.pk}/change/",
        {"full_name": "Corrected Name", "agency": ""} | inline(coordinator),
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    # Deactivation is the app's (cccc.services.user_deactivate: audited, the centre told).
    assert coordinator.full_name == "Corrected Name" and coordinator.is_active


def test_the_admin_log_never_holds_a_persons_name(cast, login, operator):
    from axes.models import AccessAttempt
    from django.contrib.admin.models import LogEntry

    client = login(operator)
    volunteer = cast.volunteer
    client.post(
        f"/admin/cccc/user/{volunteer.pk}/change/",
        {"full_name": "Philippa Qzandersen", "agency": "", "is_active": "on"} | inline(volunteer),
    )
    volunteer.refresh_from_db()
    assert volunteer.full_name == "Philippa Qzandersen"
    attempt = AccessAttempt.objects.create(
        username=volunteer.email, ip_address="192.0.2.7", failures_since_start=3
    )
    client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert not AccessAttempt.objects.exists()
    entries = list(LogEntry.objects.order_by("pk"))
    assert len(entries) == 2
    logged = " ".join(f"{e.object_repr} {e.change_message}" for e in entries)
    assert "Qzandersen" not in logged and volunteer.email not in logged
    assert entries[0].object_repr == f"user #{volunteer.pk}"


def test_every_model_in_the_admin_logs_without_names():
    from cccc.admin import NamelessAdminLog

    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, NamelessAdminLog), model


def test_an_operator_cannot_restore_an_old_version_of_an_account(cast, login, operator):
    # A revert saves the whole old row, read-only fields and all (simple_history's form).
    coordinator = cast.coordinator
    coordinator.full_name = "Renamed Since"
    coordinator.save()
    oldest = coordinator.history.order_by("history_id").first()
    url = f"/admin/cccc/user/{coordinator.pk}/history/{oldest.history_id}/"
    client = login(operator)
    assert client.get(url).status_code == 200  # history is for reading
    response = client.post(url, {"full_name": oldest.full_name, "agency": "", "is_active": "on"})
    assert response.status_code == 403
    coordinator.refresh_from_db()
    assert coordinator.full_name == "Renamed Since"


def test_the_operator_reads_every_membership_but_changes_none_in_the_admin(cast, login, operator):
    from tests.factories import membership_of

    client = login(operator)
    page = client.get("/admin/cccc/membership/").content.decode()
    assert cast.volunteer.full_name in page and cast.other_chair.full_name in page
    membership = membership_of(cast.volunteer)
    url = f"/admin/cccc/membership/{membership.pk}/change/"
    assert client.get(url).status_code == 200
    client.post(url, {"role": "coordinator", "is_active": ""})
    membership.refresh_from_db()
    assert (membership.role, membership.is_active) == ("volunteer", True)
    assert client.post(f"/admin/cccc/membership/{membership.pk}/delete/").status_code == 403
    assert client.get("/admin/cccc/membership/add/").status_code == 403
