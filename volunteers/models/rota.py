"""Who is on the rota of which session. The database itself refuses an entry for a session
after the volunteer's clearance runs out (CHI-4.7, CHE-8)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from families.models import ContactSession
from volunteers.models.volunteer import Volunteer


class RotaEntry(models.Model):
    session = models.ForeignKey(
        ContactSession, on_delete=models.CASCADE, related_name="rota_entries"
    )
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="rota")
    # Copies taken at assignment, so that the constraint below can be checked by the database.
    session_date = models.DateField(db_index=True)
    volunteer_cleared_until = models.DateField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session_date", "pk"]
        verbose_name_plural = "rota entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(session_date__lte=F("volunteer_cleared_until")),
                name="rota_volunteer_cleared_for_session",
                violation_error_message=(
                    "The volunteer's DBS clearance runs out before this session."
                ),
            ),
            models.UniqueConstraint(
                fields=["session", "volunteer"],
                name="rota_once_per_volunteer",
                violation_error_message="This volunteer is on the rota of this session already.",
            ),
        ]

    def __str__(self) -> str:
        return f"rota entry #{self.pk}"
