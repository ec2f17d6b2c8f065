"""When a volunteer is usually free to help: days of the week and times, recorded by the
volunteer in the portal. The weekly rota page marks who is available for each session; it
never decides anything (the DBS gate does)."""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from volunteers.models.volunteer import Volunteer


class Weekday(models.IntegerChoices):
    # datetime.date.weekday() numbering, so a session's date finds its windows directly.
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class VolunteerAvailability(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField()
    ends_at = models.TimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["weekday", "starts_at", "pk"]
        verbose_name = "volunteer availability"
        verbose_name_plural = "volunteer availability"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="availability_ends_after_it_starts",
                violation_error_message="The end of the time must be after its start.",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="availability_known_weekday"
            ),
            models.UniqueConstraint(
                fields=["volunteer", "weekday", "starts_at"],
                name="availability_once_per_start",
                violation_error_message="You have a time starting then on that day already.",
            ),
        ]

    def __str__(self) -> str:
        return f"availability #{self.pk}"
