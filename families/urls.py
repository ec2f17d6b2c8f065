from django.urls import path

from families import (
    concern_views,
    import_views,
    mail_views,
    people_views,
    referral_views,
    reveal_views,
    room_views,
    series_views,
    session_views,
    views,
)

urlpatterns = [
    # coordinator: families (families/views.py, people_views.py, concern_views.py)
    path("families/", views.family_list, name="family_list"),
    path("families/search/", views.family_search, name="family_search"),
    path("families/new/", views.family_create, name="family_create"),
    path("families/import/", import_views.family_import_page, name="family_import"),
    path(
        "families/import/template.csv",
        import_views.family_import_template,
        name="family_import_template",
    ),
    path("families/<int:pk>/", views.family_detail, name="family_detail"),
    path("families/<int:pk>/edit/", views.family_edit, name="family_edit"),
    path("families/<int:pk>/sessions/", session_views.family_sessions, name="family_sessions"),
    path("families/<int:pk>/adults/new/", people_views.adult_add, name="adult_add"),
    path(
        "families/<int:pk>/adults/<int:adult_pk>/edit/", people_views.adult_edit, name="adult_edit"
    ),
    path(
        "families/<int:pk>/adults/<int:adult_pk>/reveal/",
        reveal_views.contact_reveal,
        name="contact_reveal",
    ),
    path(
        "families/<int:pk>/adults/<int:adult_pk>/acknowledgement/",
        people_views.acknowledgement_add,
        name="acknowledgement_add",
    ),
    path(
        "families/<int:pk>/adults/<int:adult_pk>/email-consent/",
        mail_views.email_consent,
        name="email_consent",
    ),
    path(
        "families/<int:pk>/adults/<int:adult_pk>/email-consent/<int:consent_pk>/withdraw/",
        mail_views.email_consent_withdraw,
        name="email_consent_withdraw",
    ),
    path("families/<int:pk>/children/new/", people_views.child_add, name="child_add"),
    path(
        "families/<int:pk>/children/<int:child_pk>/edit/",
        people_views.child_edit,
        name="child_edit",
    ),
    path("families/<int:pk>/keep-apart/new/", people_views.keep_apart_add, name="keep_apart_add"),
    path(
        "families/<int:pk>/keep-apart/<int:flag_pk>/remove/",
        people_views.keep_apart_remove,
        name="keep_apart_remove",
    ),
    path("families/<int:pk>/concerns/new/", concern_views.concern_add, name="concern_add"),
    path("concerns/<int:pk>/close/", concern_views.concern_close, name="concern_close"),
    # coordinator: booking and cancelling sessions (families/session_views.py); the session
    # page and the day and week views are in overview/
    path("families/<int:pk>/sessions/new/", session_views.session_book, name="session_book"),
    path(
        "families/<int:pk>/sessions/past/",
        session_views.session_record_past,
        name="session_record_past",
    ),
    # coordinator: repeat bookings (families/series_views.py)
    path("families/<int:pk>/series/new/", series_views.series_new, name="series_new"),
    path("series/<int:pk>/", series_views.series_detail, name="series_detail"),
    # coordinator: the centre's rooms (families/room_views.py)
    path("rooms/", room_views.room_list, name="room_list"),
    path("rooms/new/", room_views.room_add, name="room_add"),
    path("rooms/<int:pk>/edit/", room_views.room_edit, name="room_edit"),
    # coordinator: referrals (families/referral_views.py)
    path("referrals/", referral_views.referral_list, name="referral_list"),
    path("referrals/new/", referral_views.referral_create, name="referral_create"),
    path("referrals/<int:pk>/", referral_views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/decide/", referral_views.referral_decide, name="referral_decide"),
    path("referrals/<int:pk>/review/", referral_views.referral_review, name="referral_review"),
    # referrer portal (families/referral_views.py)
    path("referrer/", referral_views.portal, name="referrer_portal"),
    path("referrer/refer/", referral_views.referrer_refer, name="referrer_refer"),
]
