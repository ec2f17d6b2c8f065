"""Landing by role, the operator's page, and account administration."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cccc import access, services
from cccc.forms import CentreForm, CoordinatorInviteForm, InviteForm, add_service_errors
from cccc.models import Role

LANDING = {
    Role.COORDINATOR: "dashboard",
    Role.CHAIR: "committee",
    Role.VOLUNTEER: "volunteer_portal",
    Role.REFERRER: "referrer_portal",
    Role.OPERATOR: "operator",
}


@login_required
def home(request):
    return redirect(LANDING[request.user.role])


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


# --- coordinator: the centre's people ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def people(request):
    access.require_role(request.user, Role.COORDINATOR)
    form = InviteForm(request.POST or None, roles=services.INVITABLE_BY[Role.COORDINATOR])
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_invite(
                inviter=request.user, base_url=_base_url(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Invitation sent to {user.email}.")
            return redirect("people")
    accounts = access.accounts_for(request.user).order_by("role", "full_name")
    return render(request, "cccc/people.html", {"form": form, "accounts": accounts})


@login_required
@require_POST
def account_deactivate(request, pk: int):
    account = access.get_account_for(request.user, pk)
    try:
        services.user_deactivate(actor=request.user, user=account)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{account.full_name} can no longer sign in.")
    return redirect("operator" if request.user.role == Role.OPERATOR else "people")


@login_required
@require_POST
def account_two_factor_reset(request, pk: int):
    account = access.get_account_for(request.user, pk)
    services.two_factor_reset(actor=request.user, user=account)
    messages.success(request, f"{account.full_name} will set up a new authenticator at sign-in.")
    return redirect("operator" if request.user.role == Role.OPERATOR else "people")


@login_required
@require_POST
def account_reactivate(request, pk: int):
    account = access.get_account_for(request.user, pk)
    services.user_reactivate(actor=request.user, user=account)
    messages.success(request, f"{account.full_name} can sign in again.")
    return redirect("operator" if request.user.role == Role.OPERATOR else "people")


# --- operator --------------------------------------------------------------------------------


@login_required
def operator(request):
    access.require_role(request.user, Role.OPERATOR)
    centres = access.centres_for(request.user)
    coordinators = access.accounts_for(request.user).order_by("centre__name", "full_name")
    return render(request, "cccc/operator.html", {"centres": centres, "coordinators": coordinators})


@login_required
@require_http_methods(["GET", "POST"])
def centre_create(request):
    access.require_role(request.user, Role.OPERATOR)
    form = CentreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            centre = services.centre_create(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{centre.name} created. Now invite its first coordinator.")
            return redirect("coordinator_invite", pk=centre.pk)
    return render(request, "cccc/centre_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def coordinator_invite(request, pk: int):
    access.require_role(request.user, Role.OPERATOR)
    centre = access.get_centre_for(request.user, pk)
    form = CoordinatorInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_invite(
                inviter=request.user,
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
            messages.success(request, f"Invitation sent to the coordinator of {centre.name}.")
            return redirect("operator")
    return render(request, "cccc/coordinator_invite.html", {"form": form, "centre": centre})
