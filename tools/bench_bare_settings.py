"""A bare Django project in one module, for the load benchmark's lowest floor: no middleware,
no apps, no database; one view answering "ok" (`make bench-load` serves it with the same
gunicorn as the project). It is its own URLconf."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

DEBUG = False
SECRET_KEY = "bench-bare-floor-not-a-secret"  # noqa: S105 - serves one constant page
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tools.bench_bare_settings"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_TZ = True


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bare/", bare)]
