"""A parent's explicit consent to pass their contact details to one recipient (CHI-4.5, CHE-5).

The only way a former partner, or anyone, receives a parent's address, phone or email outside
the exceptions: per adult, per recipient, per item, from a date, until it expires or is
revoked.
"""

import datetime
from dataclasses import dataclass
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cccc.fields import EncryptedCharField
from disclosures.models.choices import ContactItem
from families.models import Adult

GRANT_KEY = "adult.family.data_key"


def _same(a: str, b: str) -> bool:
    a, b = " ".join(a.casefold().split()), " ".join(b.casefold().split())
    return bool(a) and a == b


@dataclass(frozen=True)
class Recipient:
    """Who would receive the details: a person's name, their agency, their account if any."""

    name: str
    agency: str = ""
    user_id: int | None = None


class ConsentGrantQuerySet(models.QuerySet["ConsentGrant"]):
    def live(self, on: datetime.date | None = None) -> Self:
        on = on or timezone.localdate()
        return self.filter(
            Q(given_on__lte=on),
            Q(expires_on__isnull=True) | Q(expires_on__gt=on),
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=on),
        )


class ConsentGrant(models.Model):
    class HowGiven(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        WRITTEN = "written", "In writing"
        EMAIL = "email", "By email"
        PHONE = "phone", "By phone"

    class Status(models.TextChoices):
        LIVE = "live", "Live"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"
        NOT_YET = "not_yet", "Not yet in force"

    adult = models.ForeignKey(Adult, on_delete=models.CASCADE, related_name="consent_grants")
    recipient_name = EncryptedCharField(
        key_path=GRANT_KEY,
        max_length=200,
        verbose_name="recipient's name",
        help_text="The person the details may be given to.",
    )
    recipient_agency = models.CharField(
        "recipient's agency",
        max_length=200,
        blank=True,
        help_text="Their organisation, if any. Leave blank for a private person.",
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="recipient's account",
        help_text="When the recipient is one of the centre's referrers.",
    )
    address = models.BooleanField("Address", default=False)
    phone = models.BooleanField("Phone", default=False)
    email = models.BooleanField("Email", default=False)
    given_on = models.DateField("given on")
    how_given = models.CharField("how it was given", max_length=20, choices=HowGiven.choices)
    expires_on = models.DateField(
        "expires on",
        null=True,
        blank=True,
        help_text="No longer valid from this day. Leave blank if the parent set no end.",
    )
    revoked_on = models.DateField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    objects = ConsentGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(address=True) | Q(phone=True) | Q(email=True),
                name="consent_names_at_least_one_item",
                violation_error_message="Tick at least one of address, phone and email.",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("given_on")),
                name="consent_expires_after_it_is_given",
                violation_error_message="The consent must expire after the day it was given.",
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=F("given_on")),
                name="consent_revoked_after_it_is_given",
                violation_error_message="A consent cannot be revoked before it was given.",
            ),
        ]

    def __str__(self) -> str:
        # Never a name: this string can reach logs and error pages.
        return f"consent #{self.pk} of adult #{self.adult_id}"

    @property
    def items(self) -> list[str]:
        return [item for item in ContactItem.values if getattr(self, item)]

    def items_display(self) -> str:
        return ", ".join(ContactItem(item).label.lower() for item in self.items)

    def status_on(self, on: datetime.date | None = None) -> str:
        on = on or timezone.localdate()
        if self.revoked_on is not None and self.revoked_on <= on:
            return self.Status.REVOKED
        if self.expires_on is not None and self.expires_on <= on:
            return self.Status.EXPIRED
        if self.given_on > on:
            return self.Status.NOT_YET
        return self.Status.LIVE

    def get_status_display(self) -> str:
        return self.Status(self.status_on()).label

    def is_live(self, on: datetime.date | None = None) -> bool:
        return self.status_on(on) == self.Status.LIVE

    def covers(self, recipient: Recipient, item: str, on: datetime.date | None = None) -> bool:
        """True when, on that day, this grant lets the centre give `item` (address, phone or
        email) to `recipient`: live, naming that item, and for that very recipient (their
        account, or their name and, where the grant names one, their agency)."""
        if item not in ContactItem.values or not getattr(self, item) or not self.is_live(on):
            return False
        if self.recipient_user_id is not None and recipient.user_id is not None:
            return self.recipient_user_id == recipient.user_id
        if self.recipient_agency and not _same(self.recipient_agency, recipient.agency):
            return False
        return _same(self.recipient_name, recipient.name)
