"""Contact sessions: booking with keep-apart and room checks, recording a past session
afterwards. A series of bookings is families/series_views.py. Cancelling a session, or giving
it other times, tells the volunteers on its rota too: overview/session_change_views.py.

The session page (plan, attendance, notes, volunteer cover) and the day and week views show
volunteer cover, so they live in overview/session_views.py. Only the coordinators of the
family's centre reach these pages; everyone else gets a 404. Adults appear by role (and, on
the session page, first name): never a surname or a contact detail.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cccc.forms import add_service_errors
from cccc.models import Membership
from families import session_services
from families.access import get_family_for, sessions_for
from families.models import (
    ChildAttendance,
    ContactSession,
    KeepApart,
    SessionAttendance,
    SessionNote,
)
from families.session_forms import SessionBookForm, SessionPastForm
from families.session_rows import session_rows


def session_for(membership: Membership, pk: int) -> ContactSession:
    """The one way the session pages read a session (here and in overview/session_views.py):
    through the families the membership in use may see, with what the session page draws."""
    return get_object_or_404(
        sessions_for(membership)
        .select_related("family__data_key", "booked_by", "room", "series")
        .prefetch_related(
            Prefetch(
                "adults",
                queryset=SessionAttendance.objects.select_related(
                    "adult__family__data_key"
                ).order_by("arrives_at", "pk"),
            ),
            Prefetch(
                "children",
                queryset=ChildAttendance.objects.select_related("child__family__data_key").order_by(
                    "child_id"
                ),
            ),
            Prefetch("notes", queryset=SessionNote.objects.select_related("author")),
        ),
        pk=pk,
    )


def _session_form_page(request, family, form_class, service, *, success: str, **by):
    """The booking page and the page recording a past session: one form, one service."""
    form = form_class(request.POST if request.method == "POST" else None, family=family)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            session = service(
                family=family,
                date=data["date"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                contact_type=data["contact_type"],
                adults=list(data["adults"]),
                bringing=data["bringing"],
                room=data["room"],
                instructions=data["instructions"],
                children=list(data["children"]),
                **by,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("session_detail", pk=session.pk)
    flags = KeepApart.objects.touching(family.adults.values("pk")).select_related(
        "adult_a__family", "adult_b__family"
    )
    return render(
        request,
        "families/session_book.html",
        {
            "family": family,
            "form": form,
            "flags": flags,
            "past": form_class is SessionPastForm,
            "has_rooms": form.fields["room"].queryset.exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_book(request, pk):
    family = get_family_for(request.membership, pk)
    return _session_form_page(
        request,
        family,
        SessionBookForm,
        session_services.session_book,
        success="Session booked.",
        booked_by=request.user,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_record_past(request, pk):
    family = get_family_for(request.membership, pk)
    return _session_form_page(
        request,
        family,
        SessionPastForm,
        session_services.session_record_past,
        success="Past session recorded; now record who attended.",
        recorded_by=request.user,
    )


@login_required
@require_GET
def family_sessions(request, pk: int):
    """Every session of one family, newest first, on one page (the family page shows the next
    and the last ten): a family in contact for years has a hundred or more, and the
    coordinator reads them all here. The family's centre only; anyone else gets a 404."""
    family = get_family_for(request.membership, pk)
    # Read as values and drawn once each (families/session_rows.py).
    sessions = session_rows(family.sessions.order_by("-date", "-starts_at", "-pk"), labelled=True)
    return render(
        request, "families/family_sessions.html", {"family": family, "sessions": sessions}
    )
