"""The risk assessment of a DBS check with information disclosed: the coordinator writes it,
the chair approves or refuses it with a reason (issue 14). Reached only by those who see the
centre's DBS results (volunteers/access.py); a 404 for everyone else."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cccc.forms import add_service_errors
from volunteers import access
from volunteers.dbs_assessment_services import (
    dbs_risk_assessment_decide,
    dbs_risk_assessment_record,
)
from volunteers.forms import AssessmentDecisionForm, AssessmentForm
from volunteers.models import DbsCheck, DbsRiskAssessment


@login_required
@require_http_methods(["GET", "POST"])
def dbs_assessment_add(request: HttpRequest, pk: int) -> HttpResponse:
    checks = DbsCheck.objects.filter(volunteer__in=access.dbs_volunteers_for(request.membership))
    check = get_object_or_404(checks.select_related("volunteer__centre"), pk=pk)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dbs_risk_assessment_record(
                check=check, by=request.user, assessment=form.cleaned_data["assessment"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Risk assessment recorded; the chair has been asked.")
            return redirect("volunteer_dbs", check.volunteer_id)
    return render(request, "volunteers/dbs_assessment_form.html", {"form": form, "check": check})


@login_required
@require_POST
def dbs_assessment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    assessments = DbsRiskAssessment.objects.filter(
        check_record__volunteer__in=access.dbs_volunteers_for(request.membership)
    )
    assessment = get_object_or_404(assessments.select_related("check_record__volunteer"), pk=pk)
    form = AssessmentDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to approve or refuse, and give the reason.")
    else:
        try:
            dbs_risk_assessment_decide(
                assessment=assessment,
                by=request.user,
                approved=form.cleaned_data["approved"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Your decision on the risk assessment was recorded.")
    return redirect("volunteer_dbs", assessment.check_record.volunteer_id)
