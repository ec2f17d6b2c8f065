"""A volunteer records the days and times they are usually available, in the portal (issue 17,
point 5); only their own, and only while they may work."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import AppointedVolunteerFactory, VolunteerAvailabilityFactory
from tests.volunteers.test_gate import NO_GATE
from volunteers import availability_services
from volunteers.models import VolunteerAvailability, Weekday

pytestmark = pytest.mark.django_db

URL = "/portal/availability/"


def test_the_page_is_where_the_portal_says(cast, login):
    assert reverse("portal_availability") == URL
    html = login(cast.volunteer).get(reverse("volunteer_portal")).content.decode()
    assert f'href="{URL}"' in html  # in the volunteer's navigation


def test_a_volunteer_adds_a_time_and_sees_it(cast, login, volunteer):
    client = login(cast.volunteer)
    response = client.post(URL, {"weekday": "5", "starts_at": "09:30", "ends_at": "13:00"})
    assert response.status_code == 302 and response.url == URL
    window = VolunteerAvailability.objects.get()
    assert (window.volunteer, window.weekday) == (volunteer, Weekday.SATURDAY)
    assert (window.starts_at, window.ends_at) == (datetime.time(9, 30), datetime.time(13, 0))
    html = client.get(URL).content.decode()
    assert "Saturday" in html and "09:30" in html and "13:00" in html


def test_no_day_is_chosen_for_the_volunteer(cast, login):
    html = login(cast.volunteer).get(URL).content.decode()
    assert '<option value="" selected>Choose a day</option>' in html
    assert html.count(" selected>") == 1


def test_an_end_before_the_start_is_refused_and_what_was_typed_stays(cast, login):
    response = login(cast.volunteer).post(
        URL, {"weekday": "2", "starts_at": "14:00", "ends_at": "10:00"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The end of the time must be after its start." in html
    assert 'value="14:00"' in html and '<option value="2" selected>' in html
    assert not VolunteerAvailability.objects.exists()


def test_an_overlapping_time_is_refused_naming_the_one_it_overlaps(cast, login, volunteer):
    VolunteerAvailabilityFactory(
        volunteer=volunteer, weekday=Weekday.TUESDAY,
        starts_at=datetime.time(9), ends_at=datetime.time(12),
    )  # fmt: skip
    response = login(cast.volunteer).post(
        URL, {"weekday": "1", "starts_at": "11:00", "ends_at": "15:00"}
    )
    assert response.status_code == 200
    assert "overlaps the time you gave for Tuesday already (09:00–12:00)" in (
        response.content.decode()
    )
    assert VolunteerAvailability.objects.count() == 1


def test_the_same_time_on_another_day_is_fine(cast, volunteer):
    for day in (Weekday.MONDAY, Weekday.TUESDAY):
        availability_services.availability_add(
            volunteer=volunteer, weekday=day,
            starts_at=datetime.time(9), ends_at=datetime.time(12),
        )  # fmt: skip
    assert VolunteerAvailability.objects.count() == 2


def test_a_volunteer_removes_a_time(cast, login, volunteer):
    window = VolunteerAvailabilityFactory(volunteer=volunteer)
    client = login(cast.volunteer)
    response = client.post(reverse("portal_availability_remove", args=[window.pk]))
    assert response.url == URL
    assert not VolunteerAvailability.objects.exists()


def test_another_volunteers_time_is_a_404(cast, login):
    theirs = VolunteerAvailabilityFactory(volunteer=AppointedVolunteerFactory(centre=cast.centre))
    client = login(cast.volunteer)
    response = client.post(reverse("portal_availability_remove", args=[theirs.pk]))
    assert response.status_code == 404
    assert VolunteerAvailability.objects.filter(pk=theirs.pk).exists()
    assert "You have not said when you are usually available" in client.get(URL).content.decode()


@pytest.mark.parametrize(
    "role", ["coordinator", "chair", "referrer", "operator", "other_coordinator"]
)
def test_the_pages_are_a_404_to_every_other_role(cast, login, volunteer, role):
    window = VolunteerAvailabilityFactory(volunteer=volunteer)
    client = login(getattr(cast, role))
    assert client.get(URL).status_code == 404
    assert (
        client.post(URL, {"weekday": "1", "starts_at": "09:00", "ends_at": "10:00"}).status_code
        == 404
    )  # noqa: E501
    assert client.post(reverse("portal_availability_remove", args=[window.pk])).status_code == 404
    assert VolunteerAvailability.objects.count() == 1


def test_a_volunteer_whose_access_is_paused_records_nothing(cast, login, volunteer, settings):
    volunteer.clearance_expires = timezone.localdate() - datetime.timedelta(days=1)
    volunteer.save()
    client = login(cast.volunteer)
    response = client.post(URL, {"weekday": "1", "starts_at": "09:00", "ends_at": "10:00"})
    assert response.status_code == 302  # signed out by the sign-in gate
    # Without the sign-in gate, the portal's own check still keeps them out.
    settings.AUTHENTICATION_BACKENDS = [NO_GATE]
    client.force_login(cast.volunteer)
    response = client.post(URL, {"weekday": "1", "starts_at": "09:00", "ends_at": "10:00"})
    assert "access to the volunteer portal is paused" in response.content.decode()
    with pytest.raises(ValidationError, match="access is paused"):
        availability_services.availability_add(
            volunteer=volunteer, weekday=1,
            starts_at=datetime.time(9), ends_at=datetime.time(10),
        )  # fmt: skip
    assert not VolunteerAvailability.objects.exists()


def test_the_database_refuses_a_time_that_ends_before_it_starts(cast, volunteer):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        VolunteerAvailability.objects.create(
            volunteer=volunteer, weekday=1,
            starts_at=datetime.time(12), ends_at=datetime.time(9),
        )  # fmt: skip
