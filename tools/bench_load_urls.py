"""The project's URLs plus one trivial page behind all of the project's middleware, for a
signed-in coordinator: the floor that every signed-in request pays (`make bench-load`)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from cccc.urls import urlpatterns as project_urlpatterns


@login_required
def signed_in_floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


# First, as the bare view is in its own URLconf: the floor is what every signed-in request
# pays, not the matching of the ~160 patterns before it (which each page pays in part).
urlpatterns = [path("bench/signed-in/", signed_in_floor), *project_urlpatterns]
