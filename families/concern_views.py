"""Concerns about a family: the coordinator raises one and closes it with its outcome.
Volunteers raise theirs from the portal (volunteers/portal_services.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from cccc.access import require_role
from cccc.forms import add_service_errors
from cccc.models import Role
from families import services
from families.access import concerns_for, get_family_for
from families.forms import ConcernCloseForm, ConcernForm
from families.models import Concern
from families.views import form_page


@login_required
@require_http_methods(["GET", "POST"])
def concern_add(request, pk: int):
    family = get_family_for(request.membership, pk)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_raise(family=family, raised_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The concern was recorded.")
            return redirect("family_detail", pk=family.pk)
    return form_page(
        request, form, family=family, title=f"Raise a concern about {family.reference}",
        submit="Record the concern",
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def concern_close(request, pk: int):
    require_role(request.membership, Role.COORDINATOR)
    concern = get_object_or_404(
        concerns_for(request.membership).select_related("family__data_key", "raised_by"),
        pk=pk,
    )
    family = concern.family
    if concern.status != Concern.Status.OPEN:
        messages.info(request, "That concern is closed already.")
        return redirect("family_detail", pk=family.pk)
    form = ConcernCloseForm(request.POST or None, answer_to_volunteer=concern.answers_a_volunteer)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_close(
                concern=concern, by=request.user, outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The concern was closed.")
            return redirect("family_detail", pk=family.pk)
    return render(
        request,
        "families/family_concern_close.html",
        {"form": form, "concern": concern, "family": family},
    )
