"""The coordinator's weekly rota (volunteers/rota_week.py): tick boxes, one submit, every
assignment in one transaction through rota_services. Anyone but a coordinator gets a 404, and
a coordinator sees and fills only their own centre's sessions with their own volunteers."""

import datetime
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from volunteers import rota_services
from volunteers.access import rota_sessions_for
from volunteers.rota_week import RotaWeek, rota_week

DAY_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
# Far enough either way for any real diary, and far from the ends of datetime.date.
EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(2999, 12, 31)
NOT_OFFERED = (
    "A box ticked on the form is not one this page offers: a volunteer who may not work on "
    "that session's date, a session that has taken place or is not this centre's, or a "
    "volunteer already on that rota. Nothing was saved; the page below is up to date."
)


def _monday(day: str | None) -> datetime.date:
    """The Monday of the week holding `day` (YYYY-MM-DD), or of this week."""
    if day is None:
        chosen = timezone.localdate()
    elif not DAY_PATTERN.fullmatch(day):
        raise Http404
    else:
        try:
            chosen = datetime.date.fromisoformat(day)
        except ValueError:
            raise Http404 from None
        if not EARLIEST_DAY <= chosen <= LATEST_DAY:
            raise Http404
    return chosen - datetime.timedelta(days=chosen.weekday())


def _page(request, week: RotaWeek, *, error: str = "", status: int = 200):
    today = timezone.localdate()
    week.draw()  # after the boxes to keep ticked are known
    return render(
        request,
        "volunteers/rota_week.html",
        {
            "week": week,
            "today": today,
            "this_monday": today - datetime.timedelta(days=today.weekday()),
            "previous": week.monday - datetime.timedelta(days=7),
            "next": week.monday + datetime.timedelta(days=7),
            "error": error,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def rota_week_page(request, day: str | None = None):
    monday = _monday(day)
    week = rota_week(request.membership, monday, today=timezone.localdate())
    if request.method == "GET":
        return _page(request, week)
    chosen = list(dict.fromkeys(request.POST.getlist("assign")))  # each box once, in order
    offers = {value: week.offer(value) for value in chosen}
    week.ticked = {value for value, offer in offers.items() if offer is not None}
    if not chosen:
        return _page(request, week, error="Tick a box to put a volunteer on a session.")
    if len(week.ticked) < len(chosen):
        return _page(request, week, error=NOT_OFFERED)
    wanted = [offer for offer in offers.values() if offer is not None]
    sessions = rota_sessions_for(request.membership).select_related("family")
    by_id = sessions.in_bulk([session_id for session_id, _ in wanted])
    assignments = [(by_id[session_id], volunteer) for session_id, volunteer in wanted]
    try:
        entries = rota_services.rota_assign_many(assignments=assignments, by=request.user)
    except ValidationError as exc:
        return _page(request, week, error=f"{' '.join(exc.messages)} Nothing was saved.")
    filled = len({entry.session_id for entry in entries})
    messages.success(
        request,
        f"{len(entries)} place{'s' if len(entries) != 1 else ''} on the rota filled, "
        f"on {filled} session{'s' if filled != 1 else ''}.",
    )
    return redirect("rota_week_for", monday.isoformat())
