from django.urls import path

from retention import accident_views, statistics_views, views

urlpatterns = [
    # coordinator: the retention screen and keep-longer decisions (views.py)
    path("retention/", views.retention_screen, name="retention_screen"),
    path("retention/keep/families/<int:pk>/", views.keep_family, name="keep_family"),
    path("retention/keep/volunteers/<int:pk>/", views.keep_volunteer, name="keep_volunteer"),
    # chair and coordinator: the year's register and statistics
    path("retention/annual/", views.annual, name="retention_annual"),
    # chair and coordinator: the quarterly statistics; the operator: the network's
    path("statistics/", statistics_views.quarterly, name="quarterly_statistics"),
    path("statistics.csv", statistics_views.quarterly_csv, name="quarterly_statistics_csv"),
    path("network/statistics/", statistics_views.network, name="network_statistics"),
    path("network/statistics.csv", statistics_views.network_csv, name="network_statistics_csv"),
    # the accident book (accident_views.py)
    path("accidents/", accident_views.accident_list, name="accident_list"),
    path("accidents/print/", accident_views.accident_print, name="accident_print"),
    path("accidents/new/", accident_views.accident_new, name="accident_new"),
    path("accidents/<int:pk>/edit/", accident_views.accident_edit, name="accident_edit"),
]
