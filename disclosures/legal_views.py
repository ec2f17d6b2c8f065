"""The centre's legal pages: witness summonses (CHE-WS), police visits (CHE-PO) and
assessment agreements (CHI-4.6, CHE-7). Records are read through disclosures/legal_access.py
(a 404 outside the user's centre and role) and written through disclosures/summons_services.py,
police_services.py and assessment_services.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cccc.access import require_role
from cccc.forms import add_service_errors
from cccc.models import Role
from disclosures import assessment_services, police_services, summons_services
from disclosures import legal_access as access
from disclosures.legal_forms import (
    AssessmentAgreementForm,
    ChecklistForm,
    PoliceVisitForm,
    SummonsForm,
)
from disclosures.models import WitnessSummons
from disclosures.pdf import letter_pdf
from families.access import families_for

LIST_LIMIT = 100


@login_required
@require_GET
def legal_home(request):
    require_role(request.membership, Role.COORDINATOR, Role.CHAIR)
    membership = request.membership
    coordinator = membership.role == Role.COORDINATOR
    context = {
        "is_coordinator": coordinator,
        "open_summonses": access.summonses_for(membership).holding().count(),
        "police_visits": access.police_visits_for(membership).count(),
        "guidance": police_services.POLICE_GUIDANCE,
    }
    if coordinator:
        context["live_agreements"] = access.agreements_for(membership).live().count()
        context["open_sars"] = access.sars_for(membership).open().count()
    return render(request, "disclosures/legal_home.html", context)


# --- witness summonses ------------------------------------------------------------------------


@login_required
@require_GET
def summons_list(request):
    require_role(request.membership, Role.COORDINATOR, Role.CHAIR)
    summonses = (
        access.summonses_for(request.membership)
        .select_related("family")
        .defer("case_number", "notes")
        .order_by("closed_at", "-received_on", "-pk")[:LIST_LIMIT]
    )
    return render(request, "disclosures/summons_list.html", {"summonses": summonses})


@login_required
@require_http_methods(["GET", "POST"])
def summons_create(request):
    require_role(request.membership, Role.COORDINATOR, Role.CHAIR)
    centre = request.membership.centre
    form = SummonsForm(
        request.POST or None,
        centre=centre,
        families=access.summons_families_for(request.membership),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            summons = summons_services.summons_record(
                centre=centre,
                by=request.user,
                court=data["court"],
                case_number=data["case_number"],
                received_on=data["received_on"],
                served=data["served"],
                volunteer=data["volunteer"],
                hearing_on=data["hearing_on"],
                recipient=data["recipient"],
                family=data.get("family"),
                notes=data["notes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            told = " The chair has been told." if summons.chair_notified_at else ""
            messages.success(request, f"Witness summons #{summons.pk} recorded.{told}")
            return redirect("summons_detail", pk=summons.pk)
    return render(request, "disclosures/summons_form.html", {"form": form})


def _summons_page(request, summons: WitnessSummons, form=None):
    if form is None and summons.is_open:
        form = ChecklistForm(summons=summons)
    return render(request, "disclosures/summons_detail.html", {"summons": summons, "form": form})


@login_required
@require_GET
def summons_detail(request, pk: int):
    return _summons_page(request, access.get_summons_for(request.membership, pk))


@login_required
@require_POST
def summons_checklist(request, pk: int):
    summons = access.get_summons_for(request.membership, pk)
    if not summons.is_open:
        messages.info(request, "This summons has been closed.")
        return redirect("summons_detail", pk=summons.pk)
    form = ChecklistForm(request.POST, summons=summons)
    if form.is_valid():
        try:
            summons_services.summons_checklist_update(
                summons=summons, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            summons = access.get_summons_for(request.membership, pk)
        else:
            messages.success(request, f"Witness summons #{summons.pk} updated.")
            return redirect("summons_detail", pk=summons.pk)
    return _summons_page(request, summons, form)


@login_required
@require_GET
def summons_letter(request, pk: int):
    """The letter as a page, to read and print."""
    summons = access.get_summons_for(request.membership, pk)
    return render(
        request,
        "disclosures/summons_letter.html",
        {"summons": summons, "letter": summons_services.summons_letter(summons)},
    )


@login_required
@require_GET
def summons_letter_pdf(request, pk: int):
    summons = access.get_summons_for(request.membership, pk)
    data = letter_pdf(
        summons_services.summons_letter(summons), title=f"Witness summons #{summons.pk}"
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="summons-{summons.pk}-letter.pdf"'
    return response


# --- police at the centre ----------------------------------------------------------------------


@login_required
@require_GET
def police_list(request):
    require_role(request.membership, Role.COORDINATOR, Role.CHAIR)
    visits = (
        access.police_visits_for(request.membership)
        .select_related("family__data_key", "data_key")
        .defer("purpose", "outcome")
        .order_by("-occurred_at", "-pk")[:LIST_LIMIT]
    )
    return render(
        request,
        "disclosures/police_list.html",
        {
            "visits": visits,
            "guidance": police_services.POLICE_GUIDANCE,
            "is_coordinator": request.membership.role == Role.COORDINATOR,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def police_create(request):
    require_role(request.membership, Role.COORDINATOR)
    centre = request.membership.centre
    form = PoliceVisitForm(request.POST or None, families=families_for(request.membership))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = police_services.police_visit_record(
                centre=centre,
                by=request.user,
                occurred_at=data["occurred_at"],
                officer_name=data["officer_name"],
                officer_number=data["officer_number"],
                emergency=data["emergency"],
                order_to_serve=data["order_to_serve"],
                purpose=data["purpose"],
                outcome=data["outcome"],
                family=data.get("family"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Police visit #{visit.pk} recorded.")
            return redirect("police_detail", pk=visit.pk)
    return render(
        request,
        "disclosures/police_form.html",
        {"form": form, "guidance": police_services.POLICE_GUIDANCE},
    )


@login_required
@require_GET
def police_detail(request, pk: int):
    visit = access.get_police_visit_for(request.membership, pk)
    return render(
        request,
        "disclosures/police_detail.html",
        {"visit": visit, "guidance": police_services.POLICE_GUIDANCE},
    )


# --- assessment agreements ---------------------------------------------------------------------


@login_required
@require_GET
def assessment_list(request):
    require_role(request.membership, Role.COORDINATOR)
    today = timezone.localdate()
    agreements = list(
        access.agreements_for(request.membership)
        .select_related("family")
        .defer("terms")
        .order_by("-valid_until", "-pk")[:LIST_LIMIT]
    )
    for agreement in agreements:
        agreement.live = agreement.is_live(today)
    return render(
        request, "disclosures/assessment_list.html", {"agreements": agreements, "today": today}
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request):
    require_role(request.membership, Role.COORDINATOR)
    form = AssessmentAgreementForm(request.POST or None, families=families_for(request.membership))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = assessment_services.assessment_agreement_record(
                family=data["family"],
                by=request.user,
                agency=data["agency"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                terms=data["terms"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Assessment agreement #{agreement.pk} recorded.")
            return redirect("assessment_list")
    return render(request, "disclosures/assessment_form.html", {"form": form})


@login_required
@require_POST
def assessment_end(request, pk: int):
    agreement = access.get_agreement_for(request.membership, pk)
    try:
        assessment_services.assessment_agreement_end(agreement=agreement, by=request.user)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Assessment agreement #{agreement.pk} ended.")
    return redirect("assessment_list")
