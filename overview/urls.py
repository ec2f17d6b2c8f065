from django.urls import path

from overview import dashboard_views, day_sheet_views, session_change_views, session_views, views

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("committee/", views.committee, name="committee"),
    # the session page and the day and week views, with volunteer cover
    path("sessions/<int:pk>/", session_views.session_detail, name="session_detail"),
    path(
        "sessions/<int:pk>/attendance/", session_views.attendance_record, name="attendance_record"
    ),
    path("sessions/<int:pk>/notes/new/", session_views.note_add, name="session_note_add"),
    # cancelling and moving, with the volunteers on the rota told (session_change_views.py)
    path("sessions/<int:pk>/cancel/", session_change_views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/times/", session_change_views.session_move_view, name="session_move"),
    path(
        "series/<int:pk>/cancel-rest/",
        session_change_views.series_cancel_rest,
        name="series_cancel_rest",
    ),
    path("sessions/day/", session_views.day_view, name="day_view"),
    path("sessions/day/<str:day>/", session_views.day_view, name="day_view_for"),
    # the coordinator's day sheet, to print or as a PDF (day_sheet_views.py)
    path("sessions/day/<str:day>/sheet/", day_sheet_views.day_sheet, name="day_sheet"),
    path(
        "sessions/day/<str:day>/sheet.pdf",
        day_sheet_views.day_sheet_download,
        name="day_sheet_pdf",
    ),
    path("sessions/week/", session_views.week_view, name="week_view"),
    path("sessions/week/<str:day>/", session_views.week_view, name="week_view_for"),
]
