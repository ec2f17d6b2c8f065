"""The session pages that show volunteer cover: a session's page (plan, attendance, notes)
and the day and week views. Booking and cancelling are in families/session_views.py.

Only the coordinators of the family's centre reach these pages; everyone else gets a 404.
Adults appear by role (and, on the session page, first name) in the plans; the day and week
views name each session's family (the coordinator's lists do: families/names.py), never a
contact detail.
"""

import datetime
import re
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cccc.access import require_role
from cccc.forms import add_service_errors
from cccc.models import Membership, Role
from families import session_services
from families.access import sessions_for
from families.models import ContactSession
from families.names import with_names
from families.session_forms import AttendanceForm, ChildAttendanceForm, NoteForm
from families.session_views import session_for
from families.timeline import SessionCard, hours, plan_rows, session_cards
from volunteers.rota_services import cover_annotations, cover_for_sessions

DAY_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
# Far enough either way for any real diary, and far from the ends of datetime.date, so that
# the previous and next links can always be computed.
EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(2999, 12, 31)


def _cards_between(
    membership: Membership, first: datetime.date, last: datetime.date
) -> list[SessionCard]:
    """Every session of the membership's centre in a date range, in the order the pages show
    them, with its volunteer cover."""
    sessions = sessions_for(membership).filter(date__range=(first, last))
    cards = session_cards(sessions.order_by("date", "starts_at", "pk"), cover=cover_annotations())
    return with_names(cards)


def _parse_day(day: str | None) -> datetime.date:
    if day is None:
        return timezone.localdate()
    if not DAY_PATTERN.fullmatch(day):
        raise Http404
    try:
        parsed = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    if not EARLIEST_DAY <= parsed <= LATEST_DAY:
        raise Http404
    return parsed


def _render_detail(
    request, session, *, adult_forms=None, child_forms=None, note_form=None
):  # one page, whichever of its forms was posted
    if adult_forms is None:
        adult_forms = [AttendanceForm(attendance=a) for a in session.adults.all()]
    if child_forms is None:
        child_forms = [ChildAttendanceForm(attendance=c) for c in session.children.all()]
    return render(
        request,
        "overview/session_detail.html",
        {
            "session": session,
            "cancelled": session.status == ContactSession.Status.CANCELLED,
            "hours": hours(session.starts_at, session.ends_at),
            "plan": plan_rows(session.adults.all()),
            "adult_forms": adult_forms,
            "child_forms": child_forms,
            "note_form": note_form or NoteForm(),
            "cover": cover_for_sessions([session]).get(session.pk),
        },
    )


@login_required
@require_GET
def session_detail(request, pk):
    return _render_detail(request, session_for(request.membership, pk))


def _record_attendance(adult_forms, child_forms) -> bool:
    """Record every changed form in one transaction: all of them, or none."""
    current = None
    try:
        with transaction.atomic():
            for form in adult_forms:
                if form.has_changed():
                    current = form
                    session_services.attendance_record(
                        attendance=form.attendance, **form.cleaned_data
                    )
            for form in child_forms:
                if form.has_changed():
                    current = form
                    session_services.child_attendance_record(
                        attendance=form.attendance, outcome=form.cleaned_data["outcome"]
                    )
    except ValidationError as exc:
        add_service_errors(current, exc)
        return False
    return True


@login_required
@require_POST
def attendance_record(request, pk):
    session = session_for(request.membership, pk)
    if session.status == ContactSession.Status.CANCELLED:
        messages.error(request, "This session was cancelled; there is no attendance to record.")
        return redirect("session_detail", pk=session.pk)
    adult_forms = [AttendanceForm(request.POST, attendance=a) for a in session.adults.all()]
    child_forms = [ChildAttendanceForm(request.POST, attendance=c) for c in session.children.all()]
    valid = [form.is_valid() for form in adult_forms + child_forms]
    if all(valid) and _record_attendance(adult_forms, child_forms):
        messages.success(request, "Attendance recorded.")
        return redirect("session_detail", pk=session.pk)
    return _render_detail(request, session, adult_forms=adult_forms, child_forms=child_forms)


@login_required
@require_POST
def note_add(request, pk):
    session = session_for(request.membership, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            session_services.note_add(
                session=session, author=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Note added.")
            return redirect("session_detail", pk=session.pk)
    return _render_detail(request, session, note_form=form)


@login_required
@require_GET
def day_view(request, day=None):
    require_role(request.membership, Role.COORDINATOR)
    current = _parse_day(day)
    return render(
        request,
        "overview/day.html",
        {
            "day": current,
            "today": timezone.localdate(),
            "previous": current - datetime.timedelta(days=1),
            "next": current + datetime.timedelta(days=1),
            "cards": _cards_between(request.membership, current, current),
        },
    )


@login_required
@require_GET
def week_view(request, day=None):
    require_role(request.membership, Role.COORDINATOR)
    monday = _parse_day(day)
    monday -= datetime.timedelta(days=monday.weekday())
    sunday = monday + datetime.timedelta(days=6)
    by_day = defaultdict(list)
    for card in _cards_between(request.membership, monday, sunday):
        by_day[card.date].append(card)
    days = [
        (date, by_day[date]) for date in (monday + datetime.timedelta(days=n) for n in range(7))
    ]
    return render(
        request,
        "overview/week.html",
        {
            "monday": monday,
            "sunday": sunday,
            "today": timezone.localdate(),
            "days": days,
            "previous": monday - datetime.timedelta(days=7),
            "next": monday + datetime.timedelta(days=7),
        },
    )
