"""The volunteer portal: the volunteer's own sessions with only what a session needs
(SPEC §2: reference, first names, children's ages, supervision level, arrival and departure
plan, keep-apart flags, instructions), and the three things they record there: attendance,
factual notes, and requests for guidance or concerns (CHI-4.2).

Never shown here: surnames, addresses, phones, emails, referral details, other families,
other volunteers. There is no export, print or report of any kind (CHI-4.3).
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cccc.forms import add_service_errors
from families.models import ChildAttendance, Concern, SessionAttendance, SessionNote
from families.scheduling import flagged_pairs
from volunteers import access, forms, portal_services


def portal_page(view):
    """Signed in, a volunteer (404 for other roles), and allowed in today: otherwise the
    'access paused' page, whatever was asked for."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        volunteer = access.portal_volunteer_for(request.membership)
        if volunteer is None:
            return render(
                request,
                "volunteers/portal_paused.html",
                {"problems": access.portal_problems(request.membership)},
            )
        return view(request, volunteer, *args, **kwargs)

    return wrapper


@portal_page
def portal(request, volunteer):
    today = timezone.localdate()
    entries = list(
        access.portal_entries_for(volunteer, today)
        .select_related("session__family", "session__room")
        .order_by("session_date", "session__starts_at")
    )
    guidance = (
        access.portal_concerns_for(volunteer)
        .filter(kind=Concern.Kind.GUIDANCE)
        .select_related("family__data_key", "session")
        .order_by("-raised_at", "-pk")[: access.GUIDANCE_SHOWN]
    )
    return render(
        request,
        "volunteers/portal.html",
        {
            "upcoming": [e.session for e in entries if e.session_date >= today],
            "recent": [e.session for e in reversed(entries) if e.session_date < today],
            "recent_days": access.RECENT_DAYS,
            "centre": request.membership.centre,
            # Their own requests for guidance with the coordinator's answers (CHI-4.2),
            # readable here after the session has left the list.
            "guidance": _with_answers(guidance),
        },
    )


def _with_answers(concerns) -> list[dict]:
    return [{"concern": c, "answer": access.answer_for_volunteer(c)} for c in concerns]


def _recorded(outcome: str) -> str:
    """The outcome to show as chosen: none while it is only expected."""
    return "" if outcome == SessionAttendance.Outcome.EXPECTED else outcome


def _session_page(request, volunteer, session, **bound):
    attendances = list(
        SessionAttendance.objects.filter(session=session)
        .select_related("adult__family__data_key")
        .order_by("arrives_at", "pk")
    )
    adult_ids = [a.adult_id for a in attendances]
    flagged = {adult_id for pair in flagged_pairs(adult_ids) for adult_id in pair}
    adults = []
    for attendance in attendances:
        prefix = f"a{attendance.pk}"
        form = bound.get(prefix) or forms.AttendanceForm(
            prefix=prefix,
            initial={
                # Nothing preselected until something is recorded (issue 17).
                "outcome": _recorded(attendance.outcome),
                "actual_arrival": attendance.actual_arrival,
                "actual_departure": attendance.actual_departure,
            },
        )
        adults.append(
            {
                "attendance": attendance,
                "first_name": attendance.adult.first_name,
                "role": attendance.adult.get_role_display(),
                "keep_apart": attendance.adult_id in flagged,
                "form": form,
            }
        )
    children = [
        {
            "attendance": c,
            "first_name": c.child.first_name,
            "age": c.child.age_on(session.date),
            "form": bound.get(f"c{c.pk}")
            or forms.ChildAttendanceForm(
                prefix=f"c{c.pk}", initial={"outcome": _recorded(c.outcome)}
            ),
        }
        for c in ChildAttendance.objects.filter(session=session)
        .select_related("child__family__data_key")
        .order_by("child__pk")
    ]
    user = request.user
    context = {
        "session": session,
        "adults": adults,
        "children": children,
        "keep_apart": bool(flagged),
        "started": session.date <= timezone.localdate(),
        # A refused attendance is shown with its reason even before the day.
        "attendance_refused": any(key[0] in "ac" and key[1:].isdigit() for key in bound),
        "notes": SessionNote.objects.filter(session=session, author=user)
        .select_related("session__family__data_key")
        .order_by("written_at"),
        "concerns": _with_answers(
            access.portal_concerns_for(volunteer)
            .filter(session=session)
            .select_related("family__data_key")
            .order_by("raised_at", "pk")
        ),
        # Prefixes keep every input's id unique on the page (each label finds its own field).
        "note_form": bound.get("note") or forms.NoteForm(prefix="note"),
        "concern_form": bound.get("concern") or forms.ConcernForm(prefix="concern"),
    }
    return render(request, "volunteers/portal_session.html", context)


@portal_page
def portal_session(request, volunteer, pk: int):
    session = access.get_portal_session_for(volunteer, pk)
    return _session_page(request, volunteer, session)


@portal_page
@require_POST
def portal_attendance(request, volunteer, pk: int, attendance_pk: int):
    session = access.get_portal_session_for(volunteer, pk)
    attendance = get_object_or_404(
        SessionAttendance.objects.filter(session=session).select_related("session__family"),
        pk=attendance_pk,
    )
    prefix = f"a{attendance.pk}"
    form = forms.AttendanceForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            portal_services.portal_attendance_record(
                volunteer=volunteer, attendance=attendance, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Attendance recorded.")
            return redirect("portal_session", session.pk)
    return _session_page(request, volunteer, session, **{prefix: form})


@portal_page
@require_POST
def portal_child_attendance(request, volunteer, pk: int, attendance_pk: int):
    session = access.get_portal_session_for(volunteer, pk)
    attendance = get_object_or_404(
        ChildAttendance.objects.filter(session=session).select_related("session__family"),
        pk=attendance_pk,
    )
    prefix = f"c{attendance.pk}"
    form = forms.ChildAttendanceForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            portal_services.portal_child_attendance_record(
                volunteer=volunteer, attendance=attendance, outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Attendance recorded.")
            return redirect("portal_session", session.pk)
    return _session_page(request, volunteer, session, **{prefix: form})


@portal_page
@require_POST
def portal_note(request, volunteer, pk: int):
    session = access.get_portal_session_for(volunteer, pk)
    form = forms.NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            portal_services.portal_note_add(
                volunteer=volunteer, session=session, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Note saved for the centre.")
            return redirect("portal_session", session.pk)
    return _session_page(request, volunteer, session, note=form)


@portal_page
@require_POST
def portal_concern(request, volunteer, pk: int):
    session = access.get_portal_session_for(volunteer, pk)
    form = forms.ConcernForm(request.POST, prefix="concern")
    if form.is_valid():
        try:
            portal_services.portal_concern_raise(
                volunteer=volunteer, session=session, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Sent to the coordinator.")
            return redirect("portal_session", session.pk)
    return _session_page(request, volunteer, session, concern=form)
