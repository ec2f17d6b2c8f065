"""The demo volunteer of each centre can sign in; coordinators find the volunteers pages."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from cccc.models import Role, User
from tools.demo import DEMO_PASSWORD
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def test_each_demo_volunteer_is_appointed_cleared_and_can_sign_in(settings):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    demo_volunteers = User.objects.filter(memberships__role=Role.VOLUNTEER)
    assert demo_volunteers.count() == 2
    for user in demo_volunteers:
        record = Volunteer.objects.get(user=user)
        assert record.status == Volunteer.Status.APPOINTED and record.clearance_expires
        assert record.centre == user.centre and record.dbs_checks.count() == 1
        request = RequestFactory().post(reverse("login"))
        assert authenticate(request, username=user.email, password=DEMO_PASSWORD) == user


def test_the_coordinator_navigation_offers_the_volunteers_page(cast, login):
    html = login(cast.coordinator).get(reverse("volunteer_list")).content.decode()
    assert f'href="{reverse("volunteer_list")}"' in html


def test_the_volunteer_navigation_offers_only_the_portal(cast, login):
    html = login(cast.volunteer).get(reverse("volunteer_portal")).content.decode()
    assert reverse("volunteer_portal") in html and reverse("volunteer_list") not in html
