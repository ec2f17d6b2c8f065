"""Volunteers: people details sealed under each volunteer's own data key (SPEC §4, §6)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cccc.fields import EncryptedCharField, EncryptedEmailField
from cccc.models import Centre, DataKey

VOLUNTEER_KEY = "volunteer.data_key"


class Volunteer(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="volunteers")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
    )
    data_key = models.OneToOneField(DataKey, on_delete=models.PROTECT, related_name="volunteer")
    first_name = EncryptedCharField(key_path="data_key", max_length=100)
    last_name = EncryptedCharField(key_path="data_key", max_length=100)
    phone = EncryptedCharField(key_path="data_key", max_length=40)
    email = EncryptedEmailField(key_path="data_key", max_length=254)
    applied_on = models.DateField(null=True, blank=True)
    resigned_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Volunteer #{self.pk}"
