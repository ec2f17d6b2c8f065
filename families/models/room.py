"""A centre's rooms: where a session is held, and how many families can use it at once."""

from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from cccc.models import Centre


class Room(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(max_length=60, help_text="For example: Garden room, Hall.")
    capacity = models.PositiveSmallIntegerField(
        default=1,
        help_text="How many families can use the room at the same time.",
    )
    in_use = models.BooleanField(
        default=True,
        help_text="A room no longer used keeps its past sessions but cannot be booked.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["centre", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="room_holds_someone"),
            models.UniqueConstraint(
                "centre",
                Lower("name"),
                name="room_name_once_per_centre",
                violation_error_message="The centre has a room of that name already.",
            ),
        ]

    def __str__(self) -> str:
        # Templates print {{ session.room }}: the room's name, nothing else.
        return self.name
