"""Contact sessions and what happened at them."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cccc.fields import EncryptedTextField
from cccc.models import Centre
from families.models.family import Adult, Child, Family
from families.models.referral import ContactType
from families.models.room import Room
from families.models.series import Series

SESSION_KEY = "session.family.data_key"


def minutes(t: datetime.time) -> int:
    return t.hour * 60 + t.minute


class ContactSession(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="sessions")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    starts_at = models.TimeField(help_text="When contact begins.")
    ends_at = models.TimeField(help_text="When contact ends.")
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    contact_type = models.CharField(max_length=20, choices=ContactType.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    instructions = EncryptedTextField(
        key_path="family.data_key", help_text="What the volunteers on the session need to know."
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(default=timezone.now)
    recorded_afterwards = models.BooleanField(
        default=False,
        help_text="Recorded after it took place (families.session_services."
        "session_record_past), not booked ahead.",
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "starts_at"]
        indexes = [
            models.Index(fields=["centre", "date"]),
            models.Index(fields=["family", "date"]),
            models.Index(fields=["room", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_it_starts"
            ),
            # A booking is for its own day or later; only a session recorded afterwards
            # (its own path, marked) is dated before the day it was entered. The day is
            # taken in UTC, which is never later than the day in the UK.
            models.CheckConstraint(
                condition=Q(recorded_afterwards=True)
                | Q(date__gte=TruncDate("booked_at", tzinfo=datetime.UTC)),
                name="session_booked_ahead_unless_recorded_afterwards",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family.reference} {self.date:%Y-%m-%d} {self.starts_at:%H:%M}"


class SessionAttendance(models.Model):
    """One adult's plan and attendance for a session.

    The adult bringing the child arrives first and leaves last. When they must be kept apart
    from someone at the session they are not in the building during contact: they leave after
    the handover (`leaves_at`) and come back to collect (`returns_at`).
    """

    class Outcome(models.TextChoices):
        EXPECTED = "expected", "Expected"
        ATTENDED = "attended", "Attended"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"

    session = models.ForeignKey(ContactSession, on_delete=models.CASCADE, related_name="adults")
    adult = models.ForeignKey(Adult, on_delete=models.CASCADE, related_name="attendances")
    brings_child = models.BooleanField(default=False)
    arrives_at = models.TimeField()
    leaves_at = models.TimeField(null=True, blank=True)
    returns_at = models.TimeField(null=True, blank=True)
    departs_at = models.TimeField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.EXPECTED)
    actual_arrival = models.TimeField(null=True, blank=True)
    actual_departure = models.TimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "arrives_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "adult"], name="attendance_once_per_adult"),
            models.CheckConstraint(
                condition=Q(departs_at__gt=F("arrives_at")), name="attendance_departs_after_arrival"
            ),
            models.CheckConstraint(
                condition=(Q(leaves_at__isnull=True) & Q(returns_at__isnull=True))
                | (
                    Q(leaves_at__gt=F("arrives_at"))
                    & Q(returns_at__gt=F("leaves_at"))
                    & Q(departs_at__gt=F("returns_at"))
                ),
                name="attendance_away_window_inside_visit",
            ),
            # Someone who did not attend has no actual arrival or departure (issue 17).
            models.CheckConstraint(
                condition=~Q(outcome="did_not_attend")
                | (Q(actual_arrival__isnull=True) & Q(actual_departure__isnull=True)),
                name="attendance_no_times_when_absent",
            ),
        ]

    def __str__(self) -> str:
        return f"attendance #{self.pk}"

    def windows(self) -> list[tuple[int, int]]:
        """Minutes-of-day intervals the adult is in the building."""
        if self.leaves_at and self.returns_at:
            return [
                (minutes(self.arrives_at), minutes(self.leaves_at)),
                (minutes(self.returns_at), minutes(self.departs_at)),
            ]
        return [(minutes(self.arrives_at), minutes(self.departs_at))]


class ChildAttendance(models.Model):
    session = models.ForeignKey(ContactSession, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="attendances")
    outcome = models.CharField(
        max_length=20,
        choices=SessionAttendance.Outcome.choices,
        default=SessionAttendance.Outcome.EXPECTED,
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "child"], name="attendance_once_per_child")
        ]

    def __str__(self) -> str:
        return f"child attendance #{self.pk}"


class SessionNote(models.Model):
    """A factual note about a session (what happened, not opinions: CHI-4.3)."""

    session = models.ForeignKey(ContactSession, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    text = EncryptedTextField(key_path=SESSION_KEY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["written_at"]

    def __str__(self) -> str:
        return f"note #{self.pk}"
