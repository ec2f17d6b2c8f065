"""Moving a session to other times on its day (families/session_move_services.py): the
coordinator of the family's centre only, through sessions_for (a 404 for anyone else)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from cccc.forms import add_service_errors
from families.access import sessions_for
from families.session_move_services import session_move

TIME = {"attrs": {"type": "time"}, "format": "%H:%M"}


class SessionMoveForm(forms.Form):
    starts_at = forms.TimeField(label="Contact starts", widget=forms.TimeInput(**TIME))
    ends_at = forms.TimeField(label="Contact ends", widget=forms.TimeInput(**TIME))


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
            session_move(session=session, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "The session's times were changed and every adult's arrival and departure "
                "planned again. Adults who agreed to email are sent their new times.",
            )
            return redirect("session_detail", pk=session.pk)
    return render(request, "families/session_move.html", {"session": session, "form": form})
