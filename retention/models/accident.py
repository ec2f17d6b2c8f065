"""The accident book (CHI-4.9): kept forever, sealed under the centre's own key."""

import datetime
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cccc.fields import EncryptedCharField, EncryptedTextField
from cccc.models import Centre

CENTRE_KEY = "centre.data_key"
EDIT_WINDOW_HOURS = 24


class AccidentEntryQuerySet(models.QuerySet["AccidentEntry"]):
    def delete(self) -> NoReturn:
        raise PermissionError("The accident book is kept forever (CHI-4.9): nothing is deleted.")

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Accident book entries are changed only through their service.")


class AccidentEntry(models.Model):
    """One entry of a centre's accident book.

    The text is sealed under the centre's data key, never a family's, so that it outlives
    every family it mentions. Its author or a coordinator may correct it for 24 hours after
    it was recorded, then nobody; nobody ever deletes it (the model, its queryset and, on
    PostgreSQL, a trigger refuse).
    """

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField("date and time of the accident", db_index=True)
    place = EncryptedCharField(
        key_path=CENTRE_KEY, max_length=200, help_text="Where in (or near) the centre."
    )
    people_involved = EncryptedTextField(
        "who was involved",
        key_path=CENTRE_KEY,
        help_text="As they would be written in the paper book: names, or adult / child.",
    )
    what_happened = EncryptedTextField(key_path=CENTRE_KEY)
    injury = EncryptedTextField(key_path=CENTRE_KEY, help_text="Any injury, or 'none'.")
    first_aid_and_action = EncryptedTextField("first aid and action taken", key_path=CENTRE_KEY)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    objects = AccidentEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name_plural = "accident entries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(updated_at__isnull=True)
                | models.Q(updated_at__gte=models.F("recorded_at")),
                name="accident_updated_after_recorded",
            )
        ]

    def __str__(self) -> str:
        # Never the text: this string can reach logs and error pages.
        return f"accident entry #{self.pk}"

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("The accident book is kept forever (CHI-4.9): nothing is deleted.")

    @property
    def editable_until(self):
        return self.recorded_at + datetime.timedelta(hours=EDIT_WINDOW_HOURS)

    def is_editable(self, now=None) -> bool:
        return (now or timezone.now()) < self.editable_until
