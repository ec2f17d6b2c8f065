"""DBS results: visible to the coordinator and/or the chair as the centre's setting says
(CHE-8), to nobody else; every outcome shown is written to the access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cccc.forms import add_service_errors
from cccc.models import Role
from volunteers import access, dbs_services, forms


def _require_dbs_viewer(membership) -> None:
    if membership is None or not access.can_see_dbs(membership):
        raise Http404


@login_required
def dbs_list(request):
    """The centre's volunteers and their clearance dates; outcomes are one click further,
    where each view is logged."""
    _require_dbs_viewer(request.membership)
    volunteers = (
        access.dbs_volunteers_for(request.membership)
        .select_related("data_key")
        .order_by("status", "clearance_expires", "pk")
    )
    return render(
        request,
        "volunteers/dbs_list.html",
        {"volunteers": volunteers, "today": timezone.localdate()},
    )


@login_required
def volunteer_dbs(request, pk: int):
    volunteer = access.get_dbs_volunteer_for(request.membership, pk)
    checks = dbs_services.dbs_checks_view(volunteer=volunteer, by=request.user)
    return render(
        request,
        "volunteers/volunteer_dbs.html",
        {"volunteer": volunteer, "checks": checks, "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def dbs_check_add(request, pk: int):
    volunteer = access.get_dbs_volunteer_for(request.membership, pk)
    form = forms.DbsCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _check, lost = dbs_services.dbs_check_record(
                volunteer=volunteer, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "DBS check recorded.")
            if lost and request.membership.role == Role.COORDINATOR:
                for item in lost:
                    messages.warning(request, f"Taken off the rota: {item.line()}.")
            elif lost:
                # The chair does not see family sessions: a count, and the coordinators know.
                messages.warning(
                    request,
                    f"They were taken off the rota of {len(lost)} future session(s); "
                    "the coordinators have been told which.",
                )
            return redirect("volunteer_dbs", volunteer.pk)
    return render(request, "volunteers/dbs_check_form.html", {"volunteer": volunteer, "form": form})
