"""The rota: the coordinator puts volunteers on sessions; cover needed depends on the
supervision level (centre settings) and is counted for any number of sessions in one query."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AppointedVolunteerFactory, ContactSessionFactory
from tests.volunteers.conftest import book, put_on_rota
from volunteers import rota_services
from volunteers.models import RotaEntry, Volunteer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_a_coordinator_puts_a_volunteer_on_a_session(cast, login, volunteer, booked):
    client = login(cast.coordinator)
    url = reverse("session_rota", args=[booked.session.pk])
    response = client.post(url, {"volunteer": volunteer.pk})
    assert response.url == url
    entry = RotaEntry.objects.get()
    assert (entry.session, entry.volunteer, entry.assigned_by) == (
        booked.session,
        volunteer,
        cast.coordinator,
    )
    assert entry.session_date == booked.session.date
    html = client.get(url).content.decode()
    assert volunteer.last_name in html and "Below cover: 1 of the 2" in html


def test_the_rota_page_offers_only_this_centres_volunteers(cast, login, booked):
    theirs = Volunteer.objects.get(user=cast.other_volunteer)
    client = login(cast.coordinator)
    html = client.get(reverse("session_rota", args=[booked.session.pk])).content.decode()
    assert theirs.last_name not in html
    client.post(reverse("session_rota", args=[booked.session.pk]), {"volunteer": theirs.pk})
    assert not RotaEntry.objects.exists()


def test_a_past_or_cancelled_session_takes_no_new_volunteers(cast, volunteer):
    past = book(cast.centre, day=TODAY() - datetime.timedelta(days=1))
    cancelled = book(cast.centre, status="cancelled")
    for session, message in [(past.session, "taken place"), (cancelled.session, "cancelled")]:
        with pytest.raises(Exception, match=message):
            rota_services.rota_assign(session=session, volunteer=volunteer, by=cast.coordinator)


def test_a_coordinator_takes_a_volunteer_off(cast, login, volunteer, booked):
    entry = put_on_rota(volunteer, booked.session)
    login(cast.coordinator).post(reverse("rota_remove", args=[booked.session.pk, entry.pk]))
    assert not RotaEntry.objects.exists()


def test_an_entry_is_removed_only_through_its_own_session(cast, login, volunteer, booked):
    entry = put_on_rota(volunteer, booked.session)
    other = book(cast.centre)
    response = login(cast.coordinator).post(
        reverse("rota_remove", args=[other.session.pk, entry.pk])
    )
    assert response.status_code == 404
    assert RotaEntry.objects.filter(pk=entry.pk).exists()


def test_cover_needed_follows_the_supervision_level_and_centre_settings(cast, volunteer):
    cast.centre.supervised_cover, cast.centre.supported_cover = 3, 1
    cast.centre.save()
    supervised = book(cast.centre, contact_type="supervised").session
    supported = book(cast.centre, contact_type="supported").session
    put_on_rota(volunteer, supervised)
    put_on_rota(volunteer, supported)
    assert rota_services.cover_for_sessions([supervised, supported]) == {
        supervised.pk: (1, 3),
        supported.pk: (1, 1),
    }


def test_cover_is_counted_in_one_query_for_any_number_of_sessions(cast, django_assert_num_queries):
    sessions = [ContactSessionFactory(family__centre=cast.centre) for _ in range(8)]
    for session in sessions[:5]:
        RotaEntry.objects.create(
            session=session,
            volunteer=AppointedVolunteerFactory(centre=cast.centre),
            session_date=session.date,
            volunteer_cleared_until=session.date,
            assigned_by=cast.coordinator,
        )
    with django_assert_num_queries(1):
        cover = rota_services.cover_for_sessions(sessions)
    assert [cover[s.pk][0] for s in sessions] == [1] * 5 + [0] * 3
    with django_assert_num_queries(0):
        assert rota_services.cover_for_sessions([]) == {}


def test_the_volunteers_page_lists_sessions_below_cover(cast, login, volunteer):
    covered = book(cast.centre, contact_type="supported")
    short = book(cast.centre, contact_type="supervised")
    put_on_rota(volunteer, covered.session)
    put_on_rota(volunteer, short.session)
    html = login(cast.coordinator).get(reverse("volunteer_list")).content.decode()
    assert short.session.family.reference in html
    assert covered.session.family.reference not in html


def test_the_volunteers_page_does_not_grow_in_queries_with_the_data(
    cast, login, django_assert_max_num_queries
):
    client = login(cast.coordinator)
    put_on_rota(AppointedVolunteerFactory(centre=cast.centre), book(cast.centre).session)
    client.get(reverse("volunteer_list"))  # warm up sessions and the like

    def fetch():
        return client.get(reverse("volunteer_list"))

    with django_assert_max_num_queries(30) as few:
        fetch()
    for _ in range(6):
        put_on_rota(AppointedVolunteerFactory(centre=cast.centre), book(cast.centre).session)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert fetch().status_code == 200


def test_the_rota_page_does_not_grow_in_queries_with_the_rota(
    cast, login, booked, django_assert_max_num_queries
):
    client = login(cast.coordinator)
    url = reverse("session_rota", args=[booked.session.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _ in range(5):
        put_on_rota(AppointedVolunteerFactory(centre=cast.centre), booked.session)
        AppointedVolunteerFactory(centre=cast.centre)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
