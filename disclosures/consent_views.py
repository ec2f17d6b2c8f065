"""An adult's consent grants (CHI-4.5, CHE-5): the coordinator lists, adds and revokes them.
Each adult is reached through their family (families/access.py): a 404 outside the centre."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cccc.forms import add_service_errors
from cccc.models import Role, User
from disclosures import consent_services
from disclosures.consent_forms import ConsentGrantForm
from disclosures.models import ConsentGrant
from families.access import get_family_for


@login_required
@require_http_methods(["GET", "POST"])
def consent_list(request, pk: int, adult_pk: int):
    family = get_family_for(request.membership, pk)
    adult = get_object_or_404(family.adults, pk=adult_pk)
    referrers = User.objects.filter(
        memberships__centre_id=family.centre_id,
        memberships__role=Role.REFERRER,
        memberships__is_active=True,
        is_active=True,
    ).order_by("full_name")
    form = ConsentGrantForm(
        request.POST or None, instance=ConsentGrant(adult=adult), referrers=referrers
    )
    if request.method == "POST" and form.is_valid():
        try:
            consent_services.consent_grant_record(grant=form.instance, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The consent was recorded.")
            return redirect("consent_list", pk=family.pk, adult_pk=adult.pk)
    grants = adult.consent_grants.select_related("recipient_user", "recorded_by", "revoked_by")
    return render(
        request,
        "disclosures/consent_list.html",
        {"family": family, "adult": adult, "grants": grants, "form": form},
    )


@login_required
@require_POST
def consent_revoke(request, pk: int, adult_pk: int, grant_pk: int):
    family = get_family_for(request.membership, pk)
    adult = get_object_or_404(family.adults, pk=adult_pk)
    grant = get_object_or_404(adult.consent_grants, pk=grant_pk)
    try:
        consent_services.consent_grant_revoke(grant=grant, by=request.user)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, "The consent was revoked: from today it permits nothing.")
    return redirect("consent_list", pk=family.pk, adult_pk=adult.pk)
