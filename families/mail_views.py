"""An adult's consent to email (issue 18, point 2): the coordinator records it, with how and
when it was given, and withdraws it. The adult is reached through their family
(families/access.py): a 404 for anyone but the family centre's coordinator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cccc.forms import add_service_errors
from families import email_consent_services
from families.access import get_family_for
from families.mail_forms import EmailConsentForm, EmailConsentWithdrawForm


def _adult(request, pk: int, adult_pk: int):
    family = get_family_for(request.membership, pk)
    return family, get_object_or_404(family.adults.all(), pk=adult_pk)


def _page(request, family, adult, *, form=None, withdraw_form=None):
    consents = adult.email_consents.select_related("recorded_by", "withdrawn_by")
    return render(
        request,
        "families/email_consent.html",
        {
            "family": family,
            "adult": adult,
            "consents": consents,
            "live": next((c for c in consents if c.is_live), None),
            "form": form or EmailConsentForm(),
            "withdraw_form": withdraw_form or EmailConsentWithdrawForm(),
            "has_address": bool(adult.email),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def email_consent(request, pk: int, adult_pk: int):
    family, adult = _adult(request, pk, adult_pk)
    if request.method != "POST":
        return _page(request, family, adult)
    form = EmailConsentForm(request.POST)
    if form.is_valid():
        try:
            email_consent_services.email_consent_give(
                adult=adult,
                given_on=form.cleaned_data["given_on"],
                how_given=form.cleaned_data["how_given"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Consent to email was recorded.")
            return redirect("email_consent", pk=family.pk, adult_pk=adult.pk)
    return _page(request, family, adult, form=form)


@login_required
@require_POST
def email_consent_withdraw(request, pk: int, adult_pk: int, consent_pk: int):
    family, adult = _adult(request, pk, adult_pk)
    consent = get_object_or_404(adult.email_consents.all(), pk=consent_pk)
    form = EmailConsentWithdrawForm(request.POST)
    if form.is_valid():
        try:
            email_consent_services.email_consent_withdraw(
                consent=consent, how_withdrawn=form.cleaned_data["how_withdrawn"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Consent to email was withdrawn: nothing more is emailed.")
            return redirect("email_consent", pk=family.pk, adult_pk=adult.pk)
    return _page(request, family, adult, withdraw_form=form)
