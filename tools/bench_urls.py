"""The project's URLs plus the benchmark's own admin site (tools/bench_admin.py). Used only by
`manage.py bench`, through override_settings(ROOT_URLCONF=...); never by the running site."""

from django.urls import path

from cccc.urls import urlpatterns as project_urlpatterns
from tools.bench_admin import bench_site

urlpatterns = [*project_urlpatterns, path("bench-admin/", bench_site.urls)]
