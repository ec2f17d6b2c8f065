"""Families (cases) and the people in them. Everything personal is sealed under the family's
own data key (SPEC §4); the reference is deliberately non-identifying."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cccc.fields import BlindIndexField, EncryptedCharField, EncryptedEmailField, EncryptedTextField
from cccc.models import Centre, DataKey

FAMILY_KEY = "family.data_key"


class FamilyQuerySet(models.QuerySet):
    def in_centre(self, centre):
        return self.filter(centre=centre)


class Family(models.Model):
    class Status(models.TextChoices):
        REFERRED = "referred", "Referred"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="families")
    reference = models.CharField(max_length=20, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REFERRED)
    last_activity = models.DateTimeField(default=timezone.now, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    data_key = models.OneToOneField(DataKey, on_delete=models.PROTECT, related_name="family")

    history = HistoricalRecords()
    objects = FamilyQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return self.reference


class Adult(models.Model):
    class Role(models.TextChoices):
        RESIDENT_PARENT = "resident", "Resident parent"
        NON_RESIDENT_PARENT = "non_resident", "Non-resident parent"
        CARER = "carer", "Carer"
        NAMED_VISITOR = "visitor", "Named visitor"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="adults")
    role = models.CharField(max_length=20, choices=Role.choices)
    first_name = EncryptedCharField(key_path=FAMILY_KEY, max_length=100)
    last_name = EncryptedCharField(key_path=FAMILY_KEY, max_length=100)
    last_name_index = BlindIndexField(source="last_name", purpose="surname")
    address = EncryptedTextField(key_path=FAMILY_KEY)
    phone = EncryptedCharField(key_path=FAMILY_KEY, max_length=40)
    email = EncryptedEmailField(key_path=FAMILY_KEY, max_length=254)

    history = HistoricalRecords()

    class Meta:
        ordering = ["family", "pk"]

    def __str__(self) -> str:
        return f"{self.family.reference}: {self.get_role_display()}"
