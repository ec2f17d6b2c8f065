"""Subject access requests (CHE-DP6, CHE-SAR): a person asks for everything the centre holds
about them. The subject is an adult of a family, or a volunteer.

The deadline is one month from receipt by the ICO's rule (cccc.dates.add_months), extended by
up to two further months with a reason. The coordinator's review of each item is recorded one
by one (SarItemReview): released, or withheld (held to prevent violence, or another person's
data that cannot be separated out) with its reason. Reasons are sealed under the family's key,
or the volunteer's.

An open request is a legal hold (`SubjectAccessRequest.objects.open()`): retention never
destroys the family, or the volunteer, meanwhile.
"""

import datetime
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cccc.dates import add_months
from cccc.fields import EncryptedTextField
from cccc.models import Centre, DataKey
from disclosures.models.choices import Via
from disclosures.models.request import DisclosureRequest
from families.models import Adult, Family
from volunteers.models import Volunteer

MAX_EXTENSION_MONTHS = 2


def due_date(received_on: datetime.date, extension_months: int = 0) -> datetime.date:
    """One month from receipt (the same date next month, or that month's last day when it has
    no such date), plus any extension."""
    return add_months(received_on, 1 + extension_months)


class SubjectKey(models.Model):
    """The key a request's personal fields are sealed under: the family's, else the
    volunteer's. Also a base of the history model."""

    class Meta:
        abstract = True

    @property
    def sealing_key(self) -> DataKey | None:
        if self.family_id:
            return self.family.data_key
        return self.volunteer.data_key if self.volunteer_id else None


class SubjectAccessRequestQuerySet(models.QuerySet["SubjectAccessRequest"]):
    def open(self) -> Self:
        """Requests not yet answered or closed: each is a legal hold on its family, or its
        volunteer (SPEC §8)."""
        return self.filter(status=SubjectAccessRequest.Status.OPEN)


class SubjectAccessRequest(SubjectKey):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RELEASED = "released", "Released"
        CLOSED = "closed", "Closed without release"

    class IdentityCheck(models.TextChoices):
        PHOTO_ID = "photo_id", "Photo ID seen in person"
        KNOWN = "known", "Known to the centre and seen in person"
        DOCUMENTS = "documents", "Identity documents sent to the centre"
        SOLICITOR = "solicitor", "Confirmed by their solicitor"

    class CloseReason(models.TextChoices):
        WITHDRAWN = "withdrawn", "Withdrawn by the person"
        IDENTITY = "identity", "Their identity could not be confirmed"
        NOTHING_HELD = "nothing_held", "Nothing is held about them"

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey(
        Family,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subject_access_requests",
    )
    adult = models.ForeignKey(
        Adult, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    volunteer = models.ForeignKey(
        Volunteer,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subject_access_requests",
    )
    received_on = models.DateField()
    received_via = models.CharField(
        max_length=20, choices=[c for c in Via.choices if c[0] != Via.PORTAL]
    )
    identity_checked_on = models.DateField(null=True, blank=True)
    identity_check = models.CharField(max_length=20, choices=IdentityCheck.choices, blank=True)
    extension_months = models.PositiveSmallIntegerField(default=0)
    extension_reason = EncryptedTextField(key_path="sealing_key")
    due_on = models.DateField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    clauses = models.CharField(
        max_length=100, blank=True, help_text="The policy's clauses behind the release."
    )
    disclosure = models.ForeignKey(
        DisclosureRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The release as recorded in the disclosure register (families only).",
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(bases=[SubjectKey])

    objects = SubjectAccessRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "subject access request"
        indexes = [models.Index(fields=["centre", "status", "due_on"])]
        constraints = [
            # The subject is an adult of a family, or a volunteer.
            models.CheckConstraint(
                condition=(
                    Q(family__isnull=False) & Q(adult__isnull=False) & Q(volunteer__isnull=True)
                )
                | (Q(family__isnull=True) & Q(adult__isnull=True) & Q(volunteer__isnull=False)),
                name="sar_subject_is_an_adult_or_a_volunteer",
            ),
            models.CheckConstraint(
                condition=Q(extension_months__lte=MAX_EXTENSION_MONTHS),
                name="sar_extension_at_most_two_months",
            ),
            models.CheckConstraint(
                condition=~Q(status="released")
                | (Q(released_at__isnull=False) & Q(identity_checked_on__isnull=False)),
                name="sar_released_after_identity_check",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_at__isnull=False) & ~Q(close_reason="")),
                name="sar_closed_with_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"subject access request #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_volunteer(self) -> bool:
        return self.volunteer_id is not None

    def days_left(self, today: datetime.date | None = None) -> int:
        return (self.due_on - (today or timezone.localdate())).days

    def age_days(self, today: datetime.date | None = None) -> int:
        """Whole days since receipt."""
        return ((today or timezone.localdate()) - self.received_on).days

    def subject_label(self) -> str:
        """Who, without a name: fit for lists, logs and file names."""
        if self.is_volunteer:
            return f"Volunteer #{self.volunteer_id}"
        return f"{self.family.reference} {self.adult.get_role_display().lower()}"


class SarItemReview(models.Model):
    """The coordinator's decision on one item of a subject access export (CHE-DP6, CHE-SAR):
    released, or withheld on a ground with a reason. An item that can hold someone else's
    data or data held to prevent violence stays out of the export until it has one
    (disclosures/sar_export.py, `sar_pending`); any other item can be withheld too."""

    class Decision(models.TextChoices):
        RELEASE = "release", "Released"
        WITHHOLD = "withhold", "Withheld"

    class Ground(models.TextChoices):
        VIOLENCE = "violence", "Held to prevent violence (CHE-SAR exemption)"
        THIRD_PARTY = "third_party", "Another person's data that cannot be separated out"

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="reviews"
    )
    item_key = models.CharField(max_length=60)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    ground = models.CharField(max_length=20, choices=Ground.choices, blank=True)
    reason = EncryptedTextField(key_path="request.sealing_key")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # sha256 of the item as exported when it was reviewed (disclosures/sar_export.py,
    # `item_digest`): a release holds for that content only. Empty on rows from before.
    content_digest = models.CharField(max_length=64, blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "item_key"], name="sar_item_reviewed_once"),
            # Withheld on a ground; released on none.
            models.CheckConstraint(
                condition=(Q(decision="withhold") & ~Q(ground=""))
                | (Q(decision="release") & Q(ground="")),
                name="sar_item_withheld_on_a_ground",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} {self.item_key} of subject access request #{self.request_id}"

    @property
    def is_withheld(self) -> bool:
        return self.decision == self.Decision.WITHHOLD
