"""The rota of a session: the coordinator puts volunteers on it and takes them off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cccc.forms import add_service_errors
from volunteers import access, forms, rota_services
from volunteers.models import RotaEntry


@login_required
@require_http_methods(["GET", "POST"])
def session_rota(request, pk: int):
    session = access.get_rota_session_for(request.membership, pk)
    entries = list(
        RotaEntry.objects.filter(session=session)
        .select_related("volunteer__data_key")
        .order_by("pk")
    )
    form = forms.RotaAssignForm(
        request.POST or None,
        centre=session.centre_id,
        exclude_ids=[e.volunteer_id for e in entries],
    )
    if request.method == "POST" and form.is_valid():
        try:
            rota_services.rota_assign(
                session=session, volunteer=form.cleaned_data["volunteer"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Added to the rota.")
            return redirect("session_rota", session.pk)
    assigned, needed = rota_services.cover_for_sessions([session])[session.pk]
    return render(
        request,
        "volunteers/session_rota.html",
        {
            "session": session,
            "entries": entries,
            "form": form,
            "assigned": assigned,
            "needed": needed,
        },
    )


@login_required
@require_POST
def rota_remove(request, pk: int, entry_pk: int):
    session = access.get_rota_session_for(request.membership, pk)
    entry = get_object_or_404(RotaEntry.objects.filter(session=session), pk=entry_pk)
    rota_services.rota_remove(entry=entry)
    messages.success(request, "Taken off the rota.")
    return redirect("session_rota", session.pk)
