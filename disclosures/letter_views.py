"""An adult's arrangement letter (issue 18, point 1): the page, its PDF, and emailing it. Each
is a release to the adult of their own data, recorded through the policy
(disclosures/letter_services.py). The adult is reached through their family
(families/access.py): a 404 for anyone but the family centre's coordinator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from disclosures import letter_services
from disclosures.pdf import arrangement_pdf
from families.access import get_family_for
from families.arrangements import ON_ARRIVAL, RULES
from families.mail_services import has_email_consent


def _adult(request, pk: int, adult_pk: int):
    family = get_family_for(request.membership, pk)
    return family, get_object_or_404(family.adults.select_related("family__centre"), pk=adult_pk)


@login_required
@require_GET
def arrangement_letter(request, pk: int, adult_pk: int):
    family, adult = _adult(request, pk, adult_pk)
    release = letter_services.letter_release(adult=adult, by=request.user, how="page")
    return render(
        request,
        "disclosures/arrangement_letter.html",
        {
            "family": family,
            "adult": adult,
            "letter": release.letter,
            "request_id": release.request.pk,
            "email_consent": has_email_consent(adult),
            "on_arrival": ON_ARRIVAL,
            "rules": RULES,
        },
    )


@login_required
@require_GET
def arrangement_letter_pdf(request, pk: int, adult_pk: int):
    _, adult = _adult(request, pk, adult_pk)
    release = letter_services.letter_release(adult=adult, by=request.user, how="pdf")
    data = arrangement_pdf(release.letter, title=f"Arrangement letter, adult #{adult.pk}")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="arrangements-{adult.pk}.pdf"'
    return response


@login_required
@require_POST
def arrangement_letter_email(request, pk: int, adult_pk: int):
    family, adult = _adult(request, pk, adult_pk)
    try:
        letter_services.letter_release(adult=adult, by=request.user, how="email")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            "The letter is on its way to the adult's email, with their sessions as a calendar "
            "attachment. If it cannot be sent, this page says so.",
        )
    return redirect("family_detail", pk=family.pk)
