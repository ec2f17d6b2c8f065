from django.urls import path

from volunteers import (
    availability_views,
    dbs_assessment_views,
    dbs_views,
    feed_views,
    import_views,
    portal_views,
    rota_views,
    rota_week_views,
    views,
)

urlpatterns = [
    # coordinator: volunteers (volunteers/views.py)
    path("volunteers/", views.volunteer_list, name="volunteer_list"),
    path("volunteers/new/", views.volunteer_create, name="volunteer_create"),
    path("volunteers/import/", import_views.volunteer_import_page, name="volunteer_import"),
    path(
        "volunteers/import/template.csv",
        import_views.volunteer_import_template,
        name="volunteer_import_template",
    ),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("volunteers/<int:pk>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path(
        "volunteers/<int:pk>/dbs/requested/",
        views.dbs_check_requested,
        name="dbs_check_requested",
    ),
    path("volunteers/<int:pk>/training/new/", views.training_add, name="training_add"),
    path("volunteers/<int:pk>/agreement/", views.agreement_sign, name="agreement_sign"),
    path("volunteers/<int:pk>/appoint/", views.volunteer_appoint, name="volunteer_appoint"),
    path("volunteers/<int:pk>/resign/", views.volunteer_resign, name="volunteer_resign"),
    path("volunteers/<int:pk>/account/", views.volunteer_account, name="volunteer_account"),
    # coordinator and/or chair, as the centre says (CHE-8): DBS results (dbs_views.py)
    path("dbs/", dbs_views.dbs_list, name="dbs_list"),
    path("volunteers/<int:pk>/dbs/", dbs_views.volunteer_dbs, name="volunteer_dbs"),
    path("volunteers/<int:pk>/dbs/new/", dbs_views.dbs_check_add, name="dbs_check_add"),
    # a check with information disclosed: the coordinator's assessment, the chair's decision
    path(
        "dbs/checks/<int:pk>/assessment/",
        dbs_assessment_views.dbs_assessment_add,
        name="dbs_assessment_add",
    ),
    path(
        "dbs/assessments/<int:pk>/decide/",
        dbs_assessment_views.dbs_assessment_decide,
        name="dbs_assessment_decide",
    ),
    # coordinator: the rota of a session (rota_views.py)
    path("sessions/<int:pk>/rota/", rota_views.session_rota, name="session_rota"),
    path(
        "sessions/<int:pk>/rota/<int:entry_pk>/remove/",
        rota_views.rota_remove,
        name="rota_remove",
    ),
    # coordinator: the week's rota on one page (rota_week_views.py)
    path("rota/", rota_week_views.rota_week_page, name="rota_week"),
    path("rota/<str:day>/", rota_week_views.rota_week_page, name="rota_week_for"),
    # the volunteer portal (portal_views.py)
    path("portal/", portal_views.portal, name="volunteer_portal"),
    path("portal/sessions/<int:pk>/", portal_views.portal_session, name="portal_session"),
    path(
        "portal/sessions/<int:pk>/attendance/<int:attendance_pk>/",
        portal_views.portal_attendance,
        name="portal_attendance",
    ),
    path(
        "portal/sessions/<int:pk>/children/<int:attendance_pk>/",
        portal_views.portal_child_attendance,
        name="portal_child_attendance",
    ),
    path("portal/sessions/<int:pk>/notes/", portal_views.portal_note, name="portal_note"),
    path("portal/sessions/<int:pk>/concerns/", portal_views.portal_concern, name="portal_concern"),
    path(
        "portal/availability/", availability_views.portal_availability, name="portal_availability"
    ),
    path(
        "portal/availability/<int:pk>/remove/",
        availability_views.portal_availability_remove,
        name="portal_availability_remove",
    ),
    # the volunteer's private calendar feed (feed_views.py): made, renewed and stopped in the
    # portal; the feed itself opens with its token, without signing in
    path("portal/calendar/", feed_views.portal_calendar, name="portal_calendar"),
    path("portal/calendar/new/", feed_views.portal_calendar_renew, name="portal_calendar_renew"),
    path("portal/calendar/stop/", feed_views.portal_calendar_revoke, name="portal_calendar_revoke"),
    path("calendar/volunteer.ics", feed_views.calendar_feed, name="calendar_feed"),
]
