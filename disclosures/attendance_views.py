"""The referrer's attendance request (CHI-4.4, CHE-4): a family they referred, a date range,
and at once each session's date and contact time and each adult's attendance by role, nothing
else: no adult's own arrival or departure.

A family the referrer did not refer is a 404 (disclosures/access.py), and the answer itself
comes from disclosures/attendance_services.py, which asks the policy and records the disclosure. The
request is a POST: each answer is a recorded disclosure, a change of state."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cccc.access import require_role
from cccc.csv_safe import csv_writer
from cccc.models import Role
from disclosures import access, attendance_services, request_services
from disclosures.forms import AttendanceRangeForm

CSV_COLUMNS = [
    "date",
    "contact start",
    "contact end",
    "adult role",
    "outcome",
]


@login_required
@require_GET
def attendance_families(request):
    require_role(request.membership, Role.REFERRER)
    families = access.referred_families_for(request.membership).only("pk", "reference")
    return render(
        request,
        "disclosures/attendance_families.html",
        {"families": families.order_by("reference")},
    )


def _time(value) -> str:
    return value.strftime("%H:%M") if value else ""


def _csv(answer: attendance_services.AttendanceAnswer) -> HttpResponse:
    reference = answer.request.family.reference
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="attendance-{reference}-{answer.date_from}-{answer.date_to}.csv"'
    )
    writer = csv_writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in answer.rows:
        writer.writerow(
            [
                row.date.isoformat(),
                _time(row.contact_start),
                _time(row.contact_end),
                row.adult_role,
                row.outcome,
            ]
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def attendance_request(request, pk: int):
    require_role(request.membership, Role.REFERRER)
    family = access.get_referred_family_for(request.membership, pk)
    today = timezone.localdate()
    form = AttendanceRangeForm(
        request.POST or None,
        initial={"date_from": today.replace(day=1), "date_to": today},
    )
    answer = None
    if request.method == "POST" and form.is_valid():
        try:
            answer = attendance_services.attendance_answer(
                referrer=request.user,
                family=family,
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"],
            )
        except request_services.Refused as exc:
            raise Http404 from exc
        if request.POST.get("format") == "csv":
            return _csv(answer)
    return render(
        request,
        "disclosures/attendance_request.html",
        {"family": family, "form": form, "answer": answer},
    )
