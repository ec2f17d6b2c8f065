"""A centre's rooms (issue 17, point 1): the coordinator lists, adds and changes them; each
change is audited; the database holds a room's capacity and its name once per centre; other
roles and centres get a 404."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cccc.models import AccessLog
from families.models import Room
from tests.factories import FamilyFactory, RoomFactory
from tests.session_cases import OUTSIDERS

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


def test_the_coordinator_sees_their_own_centres_rooms_only(cast, login):
    RoomFactory(centre=cast.centre, name="Garden room", capacity=2)
    RoomFactory(centre=cast.other_centre, name="Other hall")
    html = text_of(login(cast.coordinator).get(reverse("room_list")))
    assert "Garden room" in html and "<td>2</td>" in html
    assert "Other hall" not in html


def test_the_coordinator_adds_a_room_and_it_is_audited(cast, login):
    response = login(cast.coordinator).post(
        reverse("room_add"), {"name": "  Hall ", "capacity": "20"}
    )
    assert response.url == reverse("room_list")
    room = Room.objects.get()
    assert (room.centre, room.name, room.capacity, room.in_use) == (cast.centre, "Hall", 20, True)
    entry = AccessLog.objects.get()
    assert (entry.action, entry.user, entry.record_id) == ("room", cast.coordinator, room.pk)
    assert entry.detail == "capacity=20, in_use=True"


def test_the_coordinator_changes_a_room_and_one_no_longer_used_is_not_offered(cast, login):
    room = RoomFactory(centre=cast.centre, name="Blue room")
    client = login(cast.coordinator)
    response = client.post(
        reverse("room_edit", args=[room.pk]), {"name": "Blue room", "capacity": "3"}
    )
    assert response.url == reverse("room_list")
    room.refresh_from_db()
    assert (room.capacity, room.in_use) == (3, False)  # the box left unticked
    family = FamilyFactory(centre=cast.centre, accepted=True)
    form = client.get(reverse("session_book", args=[family.pk])).context["form"]
    assert list(form.fields["room"].queryset) == []
    assert "has no rooms to book yet" in text_of(
        client.get(reverse("session_book", args=[family.pk]))
    )
    assert AccessLog.objects.get().detail == "capacity=3, in_use=False"


@pytest.mark.parametrize("name", ["Garden room", "garden ROOM", " Garden room "])
def test_a_name_the_centre_has_already_is_refused(cast, login, name):
    RoomFactory(centre=cast.centre, name="Garden room")
    RoomFactory(centre=cast.other_centre, name="Hall")
    response = login(cast.coordinator).post(reverse("room_add"), {"name": name, "capacity": "1"})
    assert response.status_code == 200
    assert "The centre has a room of that name already." in text_of(response)
    assert Room.objects.filter(centre=cast.centre).count() == 1
    # Another centre's room of the same name is no clash.
    client = login(cast.coordinator)
    assert client.post(reverse("room_add"), {"name": "Hall", "capacity": "1"}).status_code == 302


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "Hall", "capacity": "0"}, "greater than or equal to 1"),
        ({"name": "Hall", "capacity": "-3"}, "greater than or equal to 1"),
        ({"name": "Hall", "capacity": "501"}, "less than or equal to 500"),
        ({"name": "Hall", "capacity": "lots"}, "Enter a whole number."),
        ({"name": "", "capacity": "2"}, "This field is required."),
        ({"name": "H" * 61, "capacity": "2"}, "at most 60 characters"),
    ],
)
def test_bad_input_is_a_form_error_that_keeps_what_was_typed(cast, login, data, message):
    response = login(cast.coordinator).post(reverse("room_add"), data)
    assert response.status_code == 200
    html = text_of(response)
    assert message in html
    assert f'value="{data["capacity"]}"' in html
    assert not Room.objects.exists()


def test_the_database_refuses_a_room_for_no_one_and_a_name_twice(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.create(centre=cast.centre, name="Cupboard", capacity=0)
    Room.objects.create(centre=cast.centre, name="Hall")
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.create(centre=cast.centre, name="HALL")


def test_a_room_prints_as_its_name(cast):
    assert str(RoomFactory(centre=cast.centre, name="Garden room")) == "Garden room"


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_a_404_from_every_room_page(cast, login, who):
    room = RoomFactory(centre=cast.centre, name="Garden room", capacity=2)
    client = login(getattr(cast, who))
    data = {"name": "Taken over", "capacity": "9", "in_use": "on"}
    edit = reverse("room_edit", args=[room.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, data).status_code == 404
    room.refresh_from_db()
    assert (room.name, room.capacity) == ("Garden room", 2)
    if who != "other_coordinator":  # a coordinator has rooms pages of their own
        assert client.get(reverse("room_list")).status_code == 404
        assert client.get(reverse("room_add")).status_code == 404
        assert client.post(reverse("room_add"), data).status_code == 404
    assert not Room.objects.filter(name="Taken over").exists()
    assert not AccessLog.objects.filter(action="room").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    room = RoomFactory(centre=cast.centre)
    for url in [reverse("room_list"), reverse("room_add"), reverse("room_edit", args=[room.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
