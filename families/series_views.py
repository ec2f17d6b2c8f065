"""Repeat bookings: the coordinator enters the pattern, sees each date with "can be booked"
or the clash and why, and books the chosen dates in one step; a series' page lists its
sessions (cancelling the rest of them, which tells the volunteers on their rotas too, is
overview/session_change_views.py). Only the coordinators of the family's centre reach these
pages; everyone else gets a 404."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cccc.forms import add_service_errors
from families import series_services
from families.access import get_family_for, series_for
from families.models import ContactSession
from families.series_services import Pattern, Preview
from families.session_forms import SeriesForm


def _pattern(data: dict) -> Pattern:
    return Pattern(
        every=data["every"],
        first_date=data["date"],
        until=data["until"],
        count=data["count"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        room=data["room"],
        contact_type=data["contact_type"],
        adults=list(data["adults"]),
        bringing=data["bringing"],
        children=list(data["children"]),
        instructions=data["instructions"],
    )


def _chosen(request) -> tuple[list[datetime.date], bool]:
    """The dates ticked, and whether every value was a date (a tampered form is not)."""
    chosen, clean = [], True
    for value in request.POST.getlist("dates"):
        try:
            chosen.append(datetime.date.fromisoformat(value))
        except ValueError:
            clean = False
    return chosen, clean


def _sessions(count: int) -> str:
    return "session" if count == 1 else "sessions"


@login_required
@require_http_methods(["GET", "POST"])
def series_new(request, pk: int):
    family = get_family_for(request.membership, pk)
    form = SeriesForm(request.POST if request.method == "POST" else None, family=family)
    preview: Preview | None = None
    # Nothing is ticked until the coordinator has seen the dates; after a preview, the dates
    # that can be booked are (booking releases nothing); a date with a clash never has a box.
    ticked: set[datetime.date] = set()
    if form.is_bound and form.is_valid():
        pattern = _pattern(form.cleaned_data)
        booking = request.POST.get("action") == "book"
        if booking:
            chosen, clean = _chosen(request)
            ticked = set(chosen)
            try:
                if not clean:
                    raise ValidationError("Choose the dates from the list.")
                series = series_services.series_book(
                    family=family, pattern=pattern, dates=chosen, booked_by=request.user
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                booked = series.sessions.count()
                messages.success(request, f"{booked} {_sessions(booked)} booked in the series.")
                return redirect("series_detail", pk=series.pk)
        try:
            preview = series_services.series_preview(
                family=family, pattern=pattern, by=request.user
            )
        except ValidationError as exc:
            if not booking:  # a failed booking has put the same errors on the form
                add_service_errors(form, exc)
        else:
            if not booking:
                ticked = set(preview.bookable)
    bookable = set(preview.bookable) if preview else set()
    rows = [
        {
            "date": d.date,
            "value": d.date.isoformat(),
            "problems": d.problems,
            "bookable": d.date in bookable,
            "ticked": d.date in bookable and d.date in ticked,
        }
        for d in (preview.dates if preview else [])
    ]
    return render(
        request,
        "families/series_new.html",
        {
            "family": family,
            "form": form,
            "preview": preview,
            "rows": rows,
            "has_rooms": form.fields["room"].queryset.exists(),
        },
    )


@login_required
@require_GET
def series_detail(request, pk: int):
    series = get_object_or_404(
        series_for(request.membership).select_related(
            "family", "room", "created_by", "rest_cancelled_by"
        ),
        pk=pk,
    )
    sessions = series.sessions.select_related("room").order_by("date", "starts_at")
    return render(
        request,
        "families/series_detail.html",
        {
            "series": series,
            "sessions": sessions,
            "to_cancel": sessions.filter(
                status=ContactSession.Status.BOOKED, date__gte=timezone.localdate()
            ).exists(),
        },
    )
