"""The day sheet, as a page to print (with its print stylesheet) and as a PDF
(overview/day_sheet_services.py). Coordinators only: a 404 for everyone else, volunteers
included (CHI-4.3: no export for volunteers). Each one read is an audit entry."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from overview.day_sheet_pdf import day_sheet_pdf
from overview.day_sheet_services import CONFIDENTIAL, day_sheet_view

# One way to read a day in a URL for the app's day pages (a bad one is a 404).
from overview.session_views import _parse_day as parse_day


@login_required
@require_GET
def day_sheet(request, day: str):
    sheet = day_sheet_view(membership=request.membership, day=parse_day(day), fmt="page")
    context = {"sheet": sheet, "confidential": CONFIDENTIAL}
    return render(request, "overview/day_sheet.html", context)


@login_required
@require_GET
def day_sheet_download(request, day: str):
    sheet = day_sheet_view(membership=request.membership, day=parse_day(day), fmt="pdf")
    response = HttpResponse(day_sheet_pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="day-sheet-{sheet.day}.pdf"'
    return response
