"""The accident book (CHI-4.9): coordinators and volunteers add entries; the author or a
coordinator corrects one within 24 hours; coordinators read and print it by date range.
There is no delete and no export: the book is printed, as the paper one was."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cccc.access import require_role
from cccc.forms import add_service_errors
from cccc.models import Role
from retention import access
from retention import accident_services as services
from retention.forms import AccidentForm, DateRangeForm
from retention.models import EDIT_WINDOW_HOURS
from volunteers.access import portal_problems

LIST_LIMIT = 200


def _paused(request):
    return render(
        request, "volunteers/portal_paused.html", {"problems": portal_problems(request.membership)}
    )


def _in_range(request):
    form = DateRangeForm(request.GET or None)
    start, end = form.range()
    tz = timezone.get_current_timezone()
    entries = access.accident_entries_for(request.membership).filter(
        occurred_at__gte=datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        occurred_at__lt=datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        ),
    )
    return form, start, end, entries


@login_required
def accident_list(request):
    require_role(request.membership, Role.COORDINATOR)
    form, start, end, entries = _in_range(request)
    shown = list(entries[: LIST_LIMIT + 1])
    return render(
        request,
        "retention/accident_list.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "entries": shown[:LIST_LIMIT],
            "more": len(shown) > LIST_LIMIT,
            "query": request.GET.urlencode(),
            "now": timezone.now(),
        },
    )


@login_required
def accident_print(request):
    require_role(request.membership, Role.COORDINATOR)
    form, start, end, entries = _in_range(request)
    return render(
        request,
        "retention/accident_print.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "entries": list(entries.order_by("occurred_at", "pk")),
            "centre": request.membership.centre,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def accident_new(request):
    if not access.accident_writer(request.membership):
        return _paused(request)
    form = AccidentForm(
        request.POST or None,
        initial={"occurred_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.accident_entry_add(
                centre=request.membership.centre, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Added to the accident book. You can correct it for {EDIT_WINDOW_HOURS} hours.",
            )
            if request.membership.role == Role.VOLUNTEER:
                return redirect("accident_new")
            return redirect("accident_list")
    recent = []
    if request.membership.role == Role.VOLUNTEER:
        recent = list(access.accident_entries_for(request.membership).order_by("-recorded_at"))
    return render(
        request,
        "retention/accident_form.html",
        {"form": form, "entry": None, "recent": recent, "window": EDIT_WINDOW_HOURS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def accident_edit(request, pk: int):
    if not access.accident_writer(request.membership):
        return _paused(request)
    entry = access.get_accident_entry_for(request.membership, pk)
    editable = services.may_edit(entry, request.user)
    form = AccidentForm.for_entry(entry, request.POST or None) if editable else None
    if request.method == "POST":
        if form is None:
            messages.error(request, f"Entries can be corrected for {EDIT_WINDOW_HOURS} hours only.")
            return redirect("accident_edit", entry.pk)
        if form.is_valid():
            try:
                services.accident_entry_update(entry=entry, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Entry corrected.")
                if request.membership.role == Role.VOLUNTEER:
                    return redirect("accident_new")
                return redirect("accident_list")
    return render(
        request,
        "retention/accident_form.html",
        {"form": form, "entry": entry, "recent": [], "window": EDIT_WINDOW_HOURS},
    )
