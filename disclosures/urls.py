from django.urls import path

from disclosures import (
    attendance_views,
    consent_views,
    legal_views,
    letter_views,
    sar_views,
    views,
)

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
    # coordinator: an adult's arrangement letter, on screen, as a PDF, by email (letter_views.py)
    path(
        "families/<int:pk>/adults/<int:adult_pk>/letter/",
        letter_views.arrangement_letter,
        name="arrangement_letter",
    ),
    path(
        "families/<int:pk>/adults/<int:adult_pk>/letter.pdf",
        letter_views.arrangement_letter_pdf,
        name="arrangement_letter_pdf",
    ),
    path(
        "families/<int:pk>/adults/<int:adult_pk>/letter/email/",
        letter_views.arrangement_letter_email,
        name="arrangement_letter_email",
    ),
    # coordinator and chair: the legal records (legal_views.py)
    path("legal/", legal_views.legal_home, name="legal_home"),
    path("legal/summonses/", legal_views.summons_list, name="summons_list"),
    path("legal/summonses/new/", legal_views.summons_create, name="summons_create"),
    path("legal/summonses/<int:pk>/", legal_views.summons_detail, name="summons_detail"),
    path(
        "legal/summonses/<int:pk>/checklist/",
        legal_views.summons_checklist,
        name="summons_checklist",
    ),
    path("legal/summonses/<int:pk>/letter/", legal_views.summons_letter, name="summons_letter"),
    path(
        "legal/summonses/<int:pk>/letter.pdf",
        legal_views.summons_letter_pdf,
        name="summons_letter_pdf",
    ),
    path("legal/police/", legal_views.police_list, name="police_list"),
    path("legal/police/new/", legal_views.police_create, name="police_create"),
    path("legal/police/<int:pk>/", legal_views.police_detail, name="police_detail"),
    # coordinator: assessment agreements (legal_views.py)
    path("legal/assessments/", legal_views.assessment_list, name="assessment_list"),
    path("legal/assessments/new/", legal_views.assessment_create, name="assessment_create"),
    path("legal/assessments/<int:pk>/end/", legal_views.assessment_end, name="assessment_end"),
    # coordinator: subject access requests (sar_views.py)
    path("legal/sar/", sar_views.sar_list, name="sar_list"),
    path("legal/sar/new/", sar_views.sar_start, name="sar_start"),
    path("legal/sar/families/<int:pk>/new/", sar_views.sar_create_adult, name="sar_create_adult"),
    path(
        "legal/sar/volunteers/new/",
        sar_views.sar_create_volunteer,
        name="sar_create_volunteer",
    ),
    path("legal/sar/<int:pk>/", sar_views.sar_detail, name="sar_detail"),
    path("legal/sar/<int:pk>/identity/", sar_views.sar_identity, name="sar_identity"),
    path("legal/sar/<int:pk>/extend/", sar_views.sar_extend, name="sar_extend"),
    path("legal/sar/<int:pk>/review/", sar_views.sar_review, name="sar_review"),
    path(
        "legal/sar/<int:pk>/reviews/<int:item_pk>/undo/",
        sar_views.sar_restore,
        name="sar_restore",
    ),
    path("legal/sar/<int:pk>/close/", sar_views.sar_close, name="sar_close"),
    path("legal/sar/<int:pk>/export.json", sar_views.sar_export_json, name="sar_export_json"),
    path("legal/sar/<int:pk>/export.pdf", sar_views.sar_export_pdf, name="sar_export_pdf"),
]
