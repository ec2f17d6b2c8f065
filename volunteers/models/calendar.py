"""What volunteers are told (issue 18, point 3): the log of the emails about their rota, and
their private calendar feed.

The feed's address holds a secret token; only its SHA-256 is stored, so the address cannot be
read back from the database (it is shown once, when made). A volunteer has at most one live
feed; renewing it revokes the old one, whose address then answers 404 like any unknown one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from families.models import ContactSession
from volunteers.models.volunteer import Volunteer


class CalendarFeed(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="feeds")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_live_per_volunteer",
            )
        ]

    def __str__(self) -> str:
        return f"calendar feed #{self.pk} of volunteer #{self.volunteer_id}"


class RotaMail(models.Model):
    """One email to a volunteer about one session: put on its rota, taken off it, the
    reminder the day before, or the session cancelled or given other times while they are on
    its rota. Date, time and room only: never a family."""

    class Kind(models.TextChoices):
        ADDED = "added", "Put on the rota"
        REMOVED = "removed", "Taken off the rota"
        REMINDER = "reminder", "Reminder"
        CANCELLED = "cancelled", "Session cancelled"
        MOVED = "moved", "Session given other times"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent: failed"
        # Checked again when its turn came, it was no longer true: the session cancelled or
        # its day over, the volunteer taken off, or a later email saying otherwise
        # (volunteers/rota_mail_services.py, `overtaken`). Never sent, never tried again.
        WITHDRAWN = "withdrawn", "Not sent: no longer true when its turn came"

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="mails")
    session = models.ForeignKey(ContactSession, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Counts the emails about this session to this volunteer: on, off and on again are three
    # (and, separately, each change of its times).
    sequence = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure = models.CharField(max_length=200, blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-queued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "volunteer", "kind", "sequence"],
                name="rota_mail_once_per_session_kind_and_sequence",
            )
        ]

    def __str__(self) -> str:
        return f"rota mail #{self.pk} ({self.kind})"
