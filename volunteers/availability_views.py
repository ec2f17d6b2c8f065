"""The volunteer's "My availability" page in the portal: the days and times they are usually
free, which the coordinator's weekly rota marks. Only the volunteer's own times are reached
(another's is a 404); a volunteer whose access is paused sees the paused page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cccc.forms import add_service_errors
from volunteers import availability_services, forms
from volunteers.models import VolunteerAvailability
from volunteers.portal_views import portal_page


def _page(request, volunteer, form):
    return render(
        request,
        "volunteers/portal_availability.html",
        {
            "windows": VolunteerAvailability.objects.filter(volunteer=volunteer).order_by(
                "weekday", "starts_at", "pk"
            ),
            "form": form,
        },
    )


@portal_page
@require_http_methods(["GET", "POST"])
def portal_availability(request, volunteer):
    form = forms.AvailabilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            availability_services.availability_add(volunteer=volunteer, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Saved: the coordinator will see it on the rota.")
            return redirect("portal_availability")
    return _page(request, volunteer, form)


@portal_page
@require_POST
def portal_availability_remove(request, volunteer, pk: int):
    window = get_object_or_404(VolunteerAvailability.objects.filter(volunteer=volunteer), pk=pk)
    availability_services.availability_remove(availability=window)
    messages.success(request, "Removed.")
    return redirect("portal_availability")
