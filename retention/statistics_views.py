"""Quarterly statistics in NACCC's shape (issue 19): a centre's own, for its coordinator and
chair (page and CSV), and the network's, anonymous, for the operator (page and CSV). Counts
only: nothing here reads a family's or a volunteer's record."""

import re

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cccc.csv_safe import csv_writer
from cccc.form_drawing import draw_fields
from retention import access
from retention.forms import QuarterForm
from retention.network import network_statistics
from retention.quarterly import quarter_figures, quarter_name


def _csv(filename: str, header: list[str], rows: list[list[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv_writer(response)  # a cell that looks like a formula is written as text
    writer.writerow(header)
    writer.writerows(rows)
    return response


def _centre_quarter(request):
    access.require_annual_reader(request.membership)
    today = timezone.localdate()
    form = QuarterForm(request.GET or None, today=today)
    quarter = form.chosen()
    centre = request.membership.centre
    figures = quarter_figures([centre.pk], quarter, today)[centre.pk]
    return form, quarter, centre, figures


@login_required
@require_GET
def quarterly(request):
    form, quarter, centre, figures = _centre_quarter(request)
    return render(
        request,
        "retention/quarterly.html",
        {
            "form": form,
            # The quarter's choice drawn without the widget templates (forty options), as
            # crispy drew it; crispy still draws it when it has an error.
            "fields": draw_fields(form),
            "quarter": quarter,
            "quarter_name": quarter_name(quarter),
            "centre": centre,
            "rows": figures.rows(totals=True),
            "figures": figures,
        },
    )


@login_required
@require_GET
def quarterly_csv(request):
    _form, quarter, centre, figures = _centre_quarter(request)
    name = quarter_name(quarter)
    code = re.sub(r"[^A-Za-z0-9]", "", centre.code)
    return _csv(
        f"statistics-{code}-{name.replace(' ', '-')}.csv",
        ["Centre", "Quarter", "Measure", "Referral type", "Count"],
        [[centre.name, name, *row] for row in figures.rows(totals=True)],
    )


def _network(request):
    access.require_network_reader(request.membership)
    today = timezone.localdate()
    form = QuarterForm(request.GET or None, today=today, complete_only=True)
    return form, network_statistics(form.chosen(), today)


@login_required
@require_GET
def network(request):
    form, statistics = _network(request)
    return render(
        request,
        "retention/network.html",
        {
            "form": form,
            "statistics": statistics,
            "quarter_name": quarter_name(statistics.quarter),
            "totals": list(zip(statistics.measures, statistics.total, strict=True)),
        },
    )


@login_required
@require_GET
def network_csv(request):
    _form, statistics = _network(request)
    name = quarter_name(statistics.quarter)
    return _csv(
        f"network-statistics-{name.replace(' ', '-')}.csv",
        ["Quarter", "Centre", "Measure", "Referral type", "Count"],
        [[name, *row] for row in statistics.rows()],
    )
