import datetime
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cccc.fields import EncryptedCharField, EncryptedTextField
from cccc.models import Centre
from families.models.family import FAMILY_KEY, Family

RISK_ANSWERS = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]


class ContactType(models.TextChoices):
    SUPERVISED = "supervised", "Supervised"
    SUPPORTED = "supported", "Supported"


class AgencyType(models.TextChoices):
    SOLICITOR = "solicitor", "Solicitor"
    CAFCASS = "cafcass", "CAFCASS"
    SOCIAL_WORKER = "social_worker", "Social worker / Children's Services"
    MEDIATOR = "mediator", "Mediator"
    SELF = "self", "Self-referral"
    OTHER = "other", "Other"


REVIEW_WARNING_DAYS = 14  # a review shows as due this long before its date


class ReferralQuerySet(models.QuerySet["Referral"]):
    def reviews_due(self, by: datetime.date) -> Self:
        """Accepted referrals whose six-monthly review falls on or before `by`, for families
        still open: the one definition behind the dashboard, the referral list and the
        family list's filter."""
        return self.filter(status=Referral.Status.ACCEPTED, review_due__lte=by).exclude(
            family__status=Family.Status.CLOSED
        )


class Referral(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="referrals")
    # The family's centre, stored again so that every list of a centre's referrals (the
    # pending queue, the reviews due) is read through an index that leads with the centre and
    # never walks other centres' rows (issue 22). The services set it from the family.
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+", editable=False)
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        help_text="The referrer of record: the only outsider who may ask for attendance.",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency_type = models.CharField(max_length=20, choices=AgencyType.choices)
    agency_name = models.CharField(max_length=200, blank=True)
    received_on = models.DateField(default=timezone.localdate)
    court_order = EncryptedTextField(
        key_path=FAMILY_KEY, help_text="Court order details, if there is one."
    )
    risk_domestic_abuse = EncryptedCharField(key_path=FAMILY_KEY, choices=RISK_ANSWERS)
    risk_abduction = EncryptedCharField(key_path=FAMILY_KEY, choices=RISK_ANSWERS)
    risk_substance_misuse = EncryptedCharField(key_path=FAMILY_KEY, choices=RISK_ANSWERS)
    risk_mental_health = EncryptedCharField(key_path=FAMILY_KEY, choices=RISK_ANSWERS)
    risk_details = EncryptedTextField(key_path=FAMILY_KEY)
    contact_type = models.CharField(max_length=20, choices=ContactType.choices)
    access_needs = EncryptedTextField(
        key_path=FAMILY_KEY, help_text="Interpreter, mobility or other access needs."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = EncryptedTextField(key_path=FAMILY_KEY)
    review_due = models.DateField(null=True, blank=True)
    last_reviewed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [
            # The pending queue and the reviews due, one centre at a time.
            models.Index(fields=["centre", "status", "received_on"]),
            models.Index(fields=["centre", "status", "review_due"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="accepted") | models.Q(review_due__isnull=False),
                name="accepted_referral_has_review_date",
            )
        ]

    def __str__(self) -> str:
        return f"referral #{self.pk} of {self.family.reference}"

    def clean(self) -> None:
        if self.family_id is not None and self.centre_id != self.family.centre_id:
            raise ValidationError("A referral belongs to its family's centre.")
