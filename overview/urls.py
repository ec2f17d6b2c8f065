from django.urls import path

from overview import dashboard_views, views

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("committee/", views.committee, name="committee"),
]
