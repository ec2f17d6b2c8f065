from django.urls import path

from overview import views

urlpatterns = [
    path("committee/", views.committee, name="committee"),
]
