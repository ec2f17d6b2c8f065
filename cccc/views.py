"""Landing by role, the operator's page, and account administration."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cccc import access, centre_services, services
from cccc.account_views import RoleForm, waiting_panel
from cccc.forms import (
    SETTING_LABELS,
    CentreForm,
    CentreSettingsForm,
    CoordinatorInviteForm,
    InviteForm,
    add_service_errors,
)
from cccc.models import AccessLog, Centre, Membership, Role

LANDING = {
    Role.COORDINATOR: "dashboard",
    Role.CHAIR: "committee",
    Role.VOLUNTEER: "volunteer_portal",
    Role.REFERRER: "referrer_portal",
    Role.OPERATOR: "operator",
}


@login_required
def home(request):
    # The landing page of the membership in use (issue 19); the middleware signs out a person
    # with none usable, so a signed-in request always has one.
    return redirect(LANDING[request.membership.role])


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


# --- coordinator and chair: the centre's safety settings ---------------------------------------

SETTINGS_CHANGES_SHOWN = 50


def _settings_changes(centre: Centre) -> list[dict]:
    """The latest changes of the centre's settings, read back from their audit entries."""
    entries = (
        AccessLog.objects.filter(centre=centre, action=AccessLog.Action.CENTRE_SETTINGS)
        .select_related("user")
        .order_by("-seq")[:SETTINGS_CHANGES_SHOWN]
    )
    changes = []
    for entry in entries:
        field, _, values = entry.detail.partition(": ")
        old, _, new = values.partition(" -> ")
        label = SETTING_LABELS.get(field, field)
        changes.append({"at": entry.at, "by": entry.user, "label": label, "old": old, "new": new})
    return changes


@login_required
@require_http_methods(["GET", "POST"])
def centre_settings(request, pk: int):
    centre = access.get_centre_settings_for(request.membership, pk)
    # The form is checked against a copy, so the centre itself changes only in the service.
    form = CentreSettingsForm(request.POST or None, instance=Centre.objects.get(pk=centre.pk))
    if request.method == "POST" and form.is_valid():
        try:
            changed = centre_services.centre_settings_change(
                centre=centre, by=request.user, changes=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changed:
                messages.success(request, "The centre's settings are saved; the change is logged.")
            else:
                messages.info(request, "Nothing was changed.")
            return redirect("centre_settings", pk=centre.pk)
    context = {"centre": centre, "form": form, "changes": _settings_changes(centre)}
    return render(request, "cccc/centre_settings.html", context)


# --- coordinator: the centre's people ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def people(request):
    access.require_role(request.membership, Role.COORDINATOR)
    form = InviteForm(request.POST or None, roles=services.INVITABLE_BY[Role.COORDINATOR])
    if request.method == "POST" and form.is_valid():
        try:
            services.user_invite(
                inviter=request.user,
                membership=request.membership,
                base_url=_base_url(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # The same answer whether or not the address has an account, or a membership
            # elsewhere (issues 19, 20).
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("people")
    managed = set(access.accounts_for(request.membership).values_list("pk", flat=True))
    memberships = access.people_of(request.membership).order_by("role", "user__full_name", "pk")
    operators = _operator_ids()
    return render(
        request,
        "cccc/people.html",
        {
            "form": form,
            "accounts": [(m, m.pk in managed, m.invited_by_id in operators) for m in memberships],
            "role_form": RoleForm(roles=services.ROLES_SET_BY[Role.COORDINATOR]),
            **waiting_panel(request.membership),
        },
    )


def _operator_ids() -> set[int]:
    """The installation's operators, to say "made by the operator" of a membership they
    made (read from their memberships, never from the inviter's membership in use)."""
    return set(Membership.objects.filter(role=Role.OPERATOR).values_list("user_id", flat=True))


def _back(request):
    return redirect("operator" if request.membership.role == Role.OPERATOR else "people")


def _changed(request, pk: int, service, done: str) -> Membership | None:
    """Run an account service on the membership `pk` the reader administers (else a 404),
    telling the reader the outcome."""
    account = access.get_account_for(request.membership, pk)
    try:
        changed = service(actor=request.user, membership=account, acting_as=request.membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    messages.success(request, done.format(name=account.user.full_name))
    return changed if changed is not None else account


@login_required
@require_POST
def account_deactivate(request, pk: int):
    _changed(request, pk, services.user_deactivate, "{name} can no longer sign in to this centre.")
    return _back(request)


@login_required
@require_POST
def account_two_factor_reset(request, pk: int):
    _changed(
        request,
        pk,
        services.two_factor_reset,
        "{name} will set up a new authenticator at sign-in.",
    )
    return _back(request)


@login_required
@require_POST
def account_reactivate(request, pk: int):
    membership = access.get_account_for(request.membership, pk)
    try:
        membership = services.user_reactivate(
            actor=request.user, membership=membership, acting_as=request.membership
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if membership.awaiting_approval:
            messages.info(
                request, f"{membership.user.full_name} is waiting for the chair's approval."
            )
        else:
            messages.success(request, f"{membership.user.full_name} can sign in again.")
    return _back(request)


# --- operator --------------------------------------------------------------------------------


@login_required
def operator(request):
    access.require_role(request.membership, Role.OPERATOR)
    centres = access.centres_for(request.membership)
    accounts = access.accounts_for(request.membership).order_by(
        "centre__name", "role", "user__full_name", "pk"
    )
    return render(
        request,
        "cccc/operator.html",
        {
            "centres": centres,
            "coordinators": accounts,
            "role_form": RoleForm(roles=services.ROLES_SET_BY[Role.OPERATOR]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def centre_create(request):
    access.require_role(request.membership, Role.OPERATOR)
    form = CentreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            centre = centre_services.centre_create(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{centre.name} created. Now invite its first coordinator.")
            return redirect("coordinator_invite", pk=centre.pk)
    return render(request, "cccc/centre_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def coordinator_invite(request, pk: int):
    access.require_role(request.membership, Role.OPERATOR)
    centre = access.get_centre_for(request.membership, pk)
    form = CoordinatorInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_invite(
                inviter=request.user,
                membership=request.membership,
                role=Role.COORDINATOR,
                centre=centre,
                base_url=_base_url(request),
                **form.cleaned_data,
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(
                form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
            )
        else:
            # The same answer whether or not the address has an account (issue 20).
            messages.success(request, f"Invitation sent to the coordinator of {centre.name}.")
            return redirect("operator")
    return render(request, "cccc/coordinator_invite.html", {"form": form, "centre": centre})
