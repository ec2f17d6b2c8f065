"""A centre's rooms: added and changed by its coordinator, each change audited in the same
transaction (a room's capacity is what stops it being double-booked)."""

from django.db import transaction

from cccc.audit import access_log_record
from cccc.models import AccessLog, Centre, User
from cccc.saving import validated_save
from families.models import Room


def _audit(room: Room, by: User) -> None:
    access_log_record(
        user=by,
        action=AccessLog.Action.ROOM,
        record=room,
        detail=f"capacity={room.capacity}, in_use={room.in_use}",
    )


@transaction.atomic
def room_create(*, centre: Centre, name: str, capacity: int, by: User) -> Room:
    room = validated_save(Room(centre=centre, name=name.strip(), capacity=capacity))
    _audit(room, by)
    return room


@transaction.atomic
def room_update(*, room: Room, name: str, capacity: int, in_use: bool, by: User) -> Room:
    """Rename a room, change its capacity, or mark it no longer used. Sessions booked
    already keep their room; a lower capacity applies to bookings from now on."""
    room.name, room.capacity, room.in_use = name.strip(), capacity, in_use
    validated_save(room)
    _audit(room, by)
    return room
