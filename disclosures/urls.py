from django.urls import path

from disclosures import attendance_views, consent_views, views

urlpatterns = [
    # referrer: dates and times of attendance (attendance_views.py)
    path("attendance/", attendance_views.attendance_families, name="attendance_families"),
    path("attendance/<int:pk>/", attendance_views.attendance_request, name="attendance_request"),
    # coordinator and chair: the register (views.py)
    path("disclosures/", views.register, name="disclosure_register"),
    path("disclosures/register.csv", views.register_csv, name="disclosure_register_csv"),
    # coordinator: requests, decisions, break-glass (views.py)
    path("disclosures/new/", views.request_start, name="disclosure_request_start"),
    path(
        "disclosures/families/<int:pk>/new/",
        views.request_create,
        name="disclosure_request_create",
    ),
    path("disclosures/<int:pk>/", views.request_detail, name="disclosure_request_detail"),
    path("disclosures/<int:pk>/decide/", views.request_decide, name="disclosure_request_decide"),
    path("disclosures/<int:pk>/letter/", views.refusal_letter, name="disclosure_refusal_letter"),
    path("disclosures/families/<int:pk>/break-glass/", views.break_glass, name="break_glass"),
    # chair: acknowledge a break-glass release (views.py)
    path(
        "disclosures/<int:pk>/acknowledge/",
        views.break_glass_acknowledge,
        name="break_glass_acknowledge",
    ),
    # coordinator: an adult's consent grants (consent_views.py)
    path(
        "families/<int:pk>/adults/<int:adult_pk>/consents/",
        consent_views.consent_list,
        name="consent_list",
    ),
    path(
        "families/<int:pk>/adults/<int:adult_pk>/consents/<int:grant_pk>/revoke/",
        consent_views.consent_revoke,
        name="consent_revoke",
    ),
]
