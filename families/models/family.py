"""Families (cases) and the people in them. Everything personal is sealed under the family's
own data key (SPEC §4); the reference is deliberately non-identifying."""

import datetime
from collections.abc import Iterable
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cccc.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedEmailField,
    EncryptedTextField,
)
from cccc.models import Centre, DataKey

FAMILY_KEY = "family.data_key"


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
    # The names of its adults and children for the coordinator's lists (families/names.py),
    # sealed like every other value: one value to open per family on a list, rather than
    # each person's. Derived from the people, rewritten with the search hashes on every write
    # of a name (families/name_index_services.py); empty until then.
    people_names = EncryptedTextField(key_path="data_key", null=True, default=None, editable=False)

    history = HistoricalRecords(excluded_fields=["people_names"])

    class Meta:
        ordering = ["reference"]
        verbose_name_plural = "families"
        indexes = [
            models.Index(fields=["centre", "status", "reference"]),
            # One centre's families in reference order: the family list, the dashboard's lists.
            models.Index(fields=["centre", "reference"]),
        ]

    def __str__(self) -> str:
        return self.reference


class AdultQuerySet(models.QuerySet["Adult"]):
    def unacknowledged(self, version: str) -> Self:
        """Adults without an acknowledgement of this version of the centre rules (CHE-1)."""
        return self.exclude(
            models.Exists(
                RulesAcknowledgement.objects.filter(
                    adult=models.OuterRef("pk"), policy_version=version
                )
            )
        )


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

    objects = AdultQuerySet.as_manager()

    class Meta:
        ordering = ["family", "pk"]

    def __str__(self) -> str:
        # Never a name: this string can reach logs, admin messages and error pages.
        return f"{self.family.reference} {self.get_role_display().lower()}"

    @property
    def brings_children(self) -> bool:
        return self.role in (self.Role.RESIDENT_PARENT, self.Role.CARER)


class Child(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="children")
    first_name = EncryptedCharField(key_path=FAMILY_KEY, max_length=100)
    last_name = EncryptedCharField(key_path=FAMILY_KEY, max_length=100)
    date_of_birth = EncryptedDateField(key_path=FAMILY_KEY)
    needs = EncryptedTextField(
        key_path=FAMILY_KEY, help_text="Health, language or access needs the session needs."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["family", "pk"]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return f"{self.family.reference} child #{self.pk}"

    def age_on(self, day: datetime.date) -> int | None:
        born = self.date_of_birth
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class KeepApartQuerySet(models.QuerySet["KeepApart"]):
    def touching(self, adults: Iterable[int] | models.QuerySet[Any, Any]) -> Self:
        """Flags with either adult among `adults` (ids, or a queryset of ids)."""
        return self.filter(Q(adult_a_id__in=adults) | Q(adult_b_id__in=adults))


DESTROYED_SIDE = "an adult of a destroyed record"


class KeepApart(models.Model):
    """Two adults who must not meet at the centre (SPEC §7). Stored once per pair, lower id
    first; the adults may belong to different families of the same centre.

    When retention destroys the family of one of them, the flag stays on the other's family:
    adult_a is the adult still here, adult_b is empty and `other_destroyed_on` says when
    ("kept apart from an adult of a destroyed record"). Scheduling still treats that adult as
    flagged (families/scheduling.py), since the other person may come back under a new
    record that nothing links to the old one."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    adult_a = models.ForeignKey(Adult, on_delete=models.CASCADE, related_name="+")
    adult_b = models.ForeignKey(
        Adult, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    other_destroyed_on = models.DateField(
        null=True, blank=True, help_text="The day the other adult's record was destroyed."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    objects = KeepApartQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(adult_b__isnull=True) | Q(adult_a__lt=F("adult_b")),
                name="keep_apart_ordered",
            ),
            models.CheckConstraint(
                condition=(Q(adult_b__isnull=True) & Q(other_destroyed_on__isnull=False))
                | (Q(adult_b__isnull=False) & Q(other_destroyed_on__isnull=True)),
                name="keep_apart_other_side_or_its_destruction",
            ),
            models.UniqueConstraint(fields=["adult_a", "adult_b"], name="keep_apart_once"),
        ]

    def __str__(self) -> str:
        return f"keep apart #{self.adult_a_id} / #{self.adult_b_id or 'destroyed'}"

    def describe(self) -> str:
        """References and roles, never names: "CHI-2026-0042 resident parent and ..."."""
        if self.adult_b_id is None:
            since = self.other_destroyed_on
            return f"{self.adult_a} kept apart from {DESTROYED_SIDE} (destroyed {since})"
        return f"{self.adult_a} and {self.adult_b}"


class RulesAcknowledgement(models.Model):
    """An adult accepted the centre rules: no cameras or recording, and no talking about other
    users outside the centre (CHE-1), in a given version of the rules."""

    adult = models.ForeignKey(Adult, on_delete=models.CASCADE, related_name="acknowledgements")
    acknowledged_on = models.DateField()
    policy_version = models.CharField(max_length=20)
    no_recording = models.BooleanField(
        "No cameras, phones or other recording at the centre", default=False
    )
    no_discussing_others = models.BooleanField(
        "Will not discuss or disclose anything about other users", default=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-acknowledged_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(no_recording=True) & Q(no_discussing_others=True),
                name="acknowledgement_accepts_both_rules",
            )
        ]

    def __str__(self) -> str:
        return f"rules v{self.policy_version} acknowledged {self.acknowledged_on}"


class ReferenceCounter(models.Model):
    """Last family number issued per centre and year, so a reference is never reused, even
    after the family it named has been destroyed."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["centre", "year"], name="one_counter_per_centre_year")
        ]

    def __str__(self) -> str:
        return f"{self.centre_id}/{self.year}: {self.last}"
