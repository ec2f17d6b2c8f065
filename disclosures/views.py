"""The coordinator's disclosure pages (requests, decisions, break-glass) and the register of
the coordinator and the chair.

Requests are read through disclosures/access.py (a 404 outside the user's centre and role)
and every decision goes through disclosures/request_services.py (break-glass:
disclosures/break_glass_services.py), which asks the policy."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cccc.access import require_role
from cccc.csv_safe import csv_writer
from cccc.forms import add_service_errors
from cccc.models import Role
from disclosures import access, break_glass_services, policy, request_services
from disclosures.forms import (
    BreakGlassForm,
    DecisionForm,
    FamilyReferenceForm,
    RegisterFilterForm,
    RequestForm,
)
from disclosures.models import CategoryChoice, DisclosureRequest
from disclosures.notify import TOLD
from families.access import families_for, get_family_for

REQUESTS_PER_PAGE = 25
REGISTER_COLUMNS = [
    "request id", "family reference", "received", "decided", "requester type", "received via",
    "category", "outcome", "ground", "clauses", "subject told", "views",
]  # fmt: skip
ENCRYPTED = ["requester_name", "detail", "released", "refusal_text", "break_glass_reason"]


# --- the register (coordinator and chair) -------------------------------------------------------


def _register_rows(request, form):
    return (
        form.filter(access.register_for(request.membership))
        .select_related("family")
        .defer(*ENCRYPTED)
        .order_by("-received_at", "-pk")
    )


@login_required
@require_GET
def register(request):
    require_role(request.membership, Role.COORDINATOR, Role.CHAIR)
    form = RegisterFilterForm(request.GET or None)
    page = Paginator(_register_rows(request, form), REQUESTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "disclosures/register.html",
        {"form": form, "page": page, "is_coordinator": request.membership.role == Role.COORDINATOR},
    )


@login_required
@require_GET
def register_csv(request):
    """The register as CSV: IDs, dates and categories only, no personal data."""
    require_role(request.membership, Role.COORDINATOR, Role.CHAIR)
    form = RegisterFilterForm(request.GET or None)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="disclosure-register.csv"'
    writer = csv_writer(response)
    writer.writerow(REGISTER_COLUMNS)
    for req in _register_rows(request, form):
        writer.writerow(
            [
                req.pk,
                req.family.reference,
                timezone.localdate(req.received_at).isoformat(),
                timezone.localdate(req.decided_at).isoformat() if req.decided_at else "",
                req.get_requester_type_display(),
                req.get_received_via_display(),
                req.get_category_display(),
                req.get_outcome_display(),
                req.get_ground_display(),
                " ".join(req.clause_list),
                "" if req.is_open else req.get_subject_told_display(),
                req.views,
            ]
        )
    return response


# --- requests received by phone, letter, email or in person -----------------------------------


@login_required
@require_GET
def request_start(request):
    """Choose the family by its reference, then record a request or invoke an exception."""
    require_role(request.membership, Role.COORDINATOR)
    form = FamilyReferenceForm(request.GET or None, families=families_for(request.membership))
    if form.is_valid():
        family = form.cleaned_data["family"]
        if request.GET.get("go") == "break_glass":
            return redirect("break_glass", pk=family.pk)
        return redirect("disclosure_request_create", pk=family.pk)
    return render(request, "disclosures/request_start.html", {"form": form})


def _received_at(day: datetime.date) -> datetime.datetime:
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request, pk: int):
    family = get_family_for(request.membership, pk)
    form = RequestForm(
        request.POST or None, family=family, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        adult, child = form.subject(family)
        try:
            req = request_services.request_receive(
                family=family,
                by=request.user,
                requester_type=data["requester_type"],
                requester_name=data["requester_name"],
                requester_agency=data["requester_agency"],
                received_via=data["received_via"],
                received_at=_received_at(data["received_on"]),
                category=data["category"],
                contact_items=data["contact_items"],
                detail=data["detail"],
                subject_adult=adult,
                subject_child=child,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Request #{req.pk} recorded. Now decide it.")
            return redirect("disclosure_request_detail", pk=req.pk)
    return render(
        request,
        "disclosures/request_form.html",
        {"form": form, "family": family, "court_text": _court_text(family.centre)},
    )


def _court_text(centre) -> policy.Decision:
    return policy.decide(
        policy.Request(
            request_services.variant_of(centre),
            policy.Requester.COURT,
            policy.Category.COURT_REPORT,
        )
    )


def _detail_page(request, req: DisclosureRequest, form=None, status: int = 200):
    if req.is_open and form is None:
        form = DecisionForm(request=req)
    return render(
        request,
        "disclosures/request_detail.html",
        {
            "req": req,
            "form": form,
            "proposal": req.proposal,
            "court_report": req.category == CategoryChoice.COURT_REPORT,
        },
        status=status,
    )


@login_required
@require_GET
def request_detail(request, pk: int):
    req = access.get_request_for(request.membership, pk)
    return _detail_page(request, req)


@login_required
@require_POST
def request_decide(request, pk: int):
    req = access.get_request_for(request.membership, pk)
    if not req.is_open:
        messages.info(request, "This request has been decided already.")
        return redirect("disclosure_request_detail", pk=req.pk)
    form = DecisionForm(request.POST, request=req)
    if form.is_valid():
        data = form.cleaned_data
        try:
            request_services.request_decide(
                request=req,
                by=request.user,
                permitted=data["permitted"],
                released=data["released"],
                subject_told=data["subject_told"],
                subject_told_on=data["subject_told_on"],
                consent_grant=data.get("consent_grant"),
                required_by_law=data.get("required_by_law", False),
                exception=data.get("exception", ""),
                reason=data.get("reason", ""),
                legal_basis=data.get("legal_basis", ""),
                legal_reference=data.get("legal_reference", ""),
                legal_authority=data.get("legal_authority", ""),
                legal_reason=data.get("legal_reason", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            req = access.get_request_for(request.membership, pk)  # undo what the service set
        else:
            messages.success(request, f"The decision on request #{req.pk} was recorded.")
            return redirect("disclosure_request_detail", pk=req.pk)
    return _detail_page(request, req, form)


@login_required
@require_GET
def refusal_letter(request, pk: int):
    """The refusal letter on its own, to print or copy."""
    req = access.get_request_for(request.membership, pk)
    if req.is_open or req.permitted:
        raise Http404
    return render(request, "disclosures/refusal_letter.html", {"req": req})


# --- break-glass -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request, pk: int):
    family = get_family_for(request.membership, pk)
    form = BreakGlassForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        adult, child = form.subject(family)
        try:
            req = break_glass_services.break_glass_release(
                family=family,
                by=request.user,
                exception=data["exception"],
                recipient=data["recipient"],
                recipient_name=data["recipient_name"],
                recipient_agency=data["recipient_agency"],
                via=data["via"],
                category=data["category"],
                contact_items=data["contact_items"],
                subject_adult=adult,
                subject_child=child,
                reason=data["reason"],
                released=data["released"],
                subject_told=data["subject_told"],
                subject_told_on=data["subject_told_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # Who was told, truthfully (issue 14): the chair, the network safeguarding
            # contact when the centre has no active chair, or nobody.
            messages.success(request, f"Release #{req.pk} was recorded. {TOLD[req.notice_to]}")
            return redirect("disclosure_request_detail", pk=req.pk)
    return render(request, "disclosures/break_glass_form.html", {"form": form, "family": family})


@login_required
@require_POST
def break_glass_acknowledge(request, pk: int):
    req = access.get_break_glass_for_chair(request.membership, pk)
    try:
        break_glass_services.break_glass_acknowledge(request=req, by=request.user)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Release #{req.pk} acknowledged.")
    return redirect("committee")
