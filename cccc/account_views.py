"""Approving or refusing an account that waits, and changing an account's role (issue 14).

The waiting list is an include (`cccc/_accounts_waiting.html`) that the chair's committee page
and the coordinator's People page show, fed by `waiting_panel`.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from cccc import access, services
from cccc.models import Membership, Role, User


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="New role")

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        # Nothing preselected: a role grants access, so it is always chosen.
        self.fields["role"].choices = [("", "Choose a role")] + [
            (r.value, r.label) for r in Role if r in roles
        ]


def waiting_panel(membership: Membership) -> dict:
    """The memberships waiting at the reader's centre (`request.membership`'s), and whether
    the reader decides on them."""
    waiting = list(access.waiting_accounts_for(membership).order_by("created_at", "pk"))
    approvers = services.approvers_of(membership.centre_id) if waiting else User.objects.none()
    return {
        "waiting_accounts": waiting,
        "decides_waiting": bool(waiting) and approvers.filter(pk=membership.user_id).exists(),
    }


def _back(request):
    return redirect("committee" if request.membership.role == Role.CHAIR else "people")


def _decide(request, pk: int, service, done: str):
    account = access.get_waiting_account_for(request.membership, pk)
    try:
        service(by=request.user, membership=account, acting_as=request.membership)
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
    else:
        messages.success(request, done)
    return _back(request)


@login_required
@require_POST
def account_approve(request, pk: int):
    return _decide(request, pk, services.account_approve, "The account can now sign in.")


@login_required
@require_POST
def account_refuse(request, pk: int):
    return _decide(request, pk, services.account_refuse, "The account was refused.")


@login_required
@require_POST
def account_role_change(request, pk: int):
    acting = request.membership
    if acting is None or acting.role not in services.ROLES_SET_BY:
        raise Http404
    account = access.get_account_for(acting, pk)
    form = RoleForm(request.POST, roles=services.ROLES_SET_BY[acting.role])
    if not form.is_valid():
        messages.error(request, "Choose the new role.")
    else:
        try:
            services.user_role_change(
                actor=request.user,
                membership=account,
                role=form.cleaned_data["role"],
                acting_as=acting,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{account.user.full_name}'s role was changed.")
    return redirect("operator" if acting.role == Role.OPERATOR else "people")
