"""Cancelling a session, cancelling the rest of a series, and giving a session other times on
its day: the coordinator of the family's centre only, through the access helpers (a 404 for
anyone else). Here rather than in families/ because the volunteers on the rota are told too
(volunteers/session_change_services.py), and families/ cannot reach the rota."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cccc.forms import add_service_errors
from families.access import series_for, sessions_for
from families.session_views import session_for
from volunteers.session_change_services import (
    series_cancel_rest_telling_rota,
    session_cancel_telling_rota,
    session_move_telling_rota,
)

TIME = {"attrs": {"type": "time"}, "format": "%H:%M"}


class SessionMoveForm(forms.Form):
    starts_at = forms.TimeField(label="Contact starts", widget=forms.TimeInput(**TIME))
    ends_at = forms.TimeField(label="Contact ends", widget=forms.TimeInput(**TIME))


@login_required
@require_POST
def session_cancel(request, pk):
    session = session_for(request.membership, pk)
    try:
        session_cancel_telling_rota(session=session, by=request.user)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, "Session cancelled.")
    return redirect("session_detail", pk=session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def session_move_view(request, pk: int):
    session = get_object_or_404(sessions_for(request.membership).select_related("family"), pk=pk)
    form = SessionMoveForm(
        request.POST or None,
        initial={"starts_at": session.starts_at, "ends_at": session.ends_at},
    )
    if request.method == "POST" and form.is_valid():
        try:
            session_move_telling_rota(session=session, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "The session's times were changed and every adult's arrival and departure "
                "planned again. Adults who agreed to email, and the volunteers on its rota, "
                "are sent the new times.",
            )
            return redirect("session_detail", pk=session.pk)
    return render(request, "families/session_move.html", {"session": session, "form": form})


@login_required
@require_POST
def series_cancel_rest(request, pk: int):
    series = get_object_or_404(series_for(request.membership).select_related("family"), pk=pk)
    try:
        cancelled = series_cancel_rest_telling_rota(series=series, by=request.user)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        noun = "session" if cancelled == 1 else "sessions"
        messages.success(request, f"{cancelled} {noun} of the series cancelled.")
    return redirect("series_detail", pk=series.pk)
