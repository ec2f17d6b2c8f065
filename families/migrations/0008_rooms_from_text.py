"""The rooms that sessions named in free text become the centre's Room records, so that no
session loses its room: one room per centre and name (spaces trimmed, the same name in
another case is the same room, spelt as first seen), for the live sessions and their history
rows alike. A name found only in history rows (a session deleted or changed since) makes a
room marked not in use, so it is not offered for new bookings. Every room starts with a
capacity of one family: the coordinator sets the real capacity (README, Rooms).

Sessions dated before the day they were entered were recorded afterwards, whatever the form
said then: they are marked so here, before the next migration adds the constraint that only
such sessions may be dated in the past."""

import datetime

from django.db import migrations
from django.db.models.functions import TruncDate


def _rooms_of(Room, centre_id, names, *, in_use, known):
    for name in names:
        key = (centre_id, name.casefold())
        if key in known:
            continue
        room = Room.objects.filter(centre_id=centre_id, name__iexact=name).first()
        if room is None:
            room = Room.objects.create(centre_id=centre_id, name=name, capacity=1, in_use=in_use)
        known[key] = room.pk


def forward(apps, schema_editor):
    Room = apps.get_model("families", "Room")
    ContactSession = apps.get_model("families", "ContactSession")
    History = apps.get_model("families", "HistoricalContactSession")
    known: dict[tuple[int, str], int] = {}
    for model, in_use in ((ContactSession, True), (History, False)):
        pairs = model.objects.exclude(room="").values_list("centre_id", "room").distinct()
        by_centre: dict[int, list[str]] = {}
        for centre_id, name in pairs.order_by("centre_id", "room"):
            if centre_id is not None and name.strip():
                by_centre.setdefault(centre_id, []).append(name.strip())
        for centre_id, names in by_centre.items():
            _rooms_of(Room, centre_id, names, in_use=in_use, known=known)
    for model in (ContactSession, History):
        for centre_id, name in list(
            model.objects.exclude(room="").values_list("centre_id", "room").distinct()
        ):
            key = (centre_id, name.strip().casefold())
            if key in known:
                model.objects.filter(centre_id=centre_id, room=name).update(room_ref_id=known[key])
    ContactSession.objects.filter(date__lt=TruncDate("booked_at", tzinfo=datetime.UTC)).update(
        recorded_afterwards=True
    )


def backward(apps, schema_editor):
    ContactSession = apps.get_model("families", "ContactSession")
    History = apps.get_model("families", "HistoricalContactSession")
    Room = apps.get_model("families", "Room")
    for room in Room.objects.all():
        for model in (ContactSession, History):
            model.objects.filter(room_ref_id=room.pk).update(room=room.name)


class Migration(migrations.Migration):
    dependencies = [("families", "0007_rooms_and_series")]

    operations = [migrations.RunPython(forward, backward)]
