"""Volunteers: people details sealed under each volunteer's own data key (SPEC §4, §6)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import dateformat
from simple_history.models import HistoricalRecords

from cccc.fields import EncryptedCharField, EncryptedEmailField
from cccc.models import Centre, DataKey

VOLUNTEER_KEY = "volunteer.data_key"


class Volunteer(models.Model):
    """A volunteer's record, from application to resignation.

    applied → DBS check pending → DBS cleared → appointed → resigned. Appointment needs a
    current clear DBS check and a signed confidentiality agreement (CHI-4.1, CHI-4.7, CHE-2,
    CHE-8); the database refuses an appointed row without them. Resignation starts the
    retention clock (CHE-DP5).
    """

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        DBS_PENDING = "dbs_pending", "DBS check pending"
        CLEARED = "cleared", "DBS cleared"
        APPOINTED = "appointed", "Appointed"
        RESIGNED = "resigned", "Resigned"

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="volunteers")
    # The person's account, once invited; one volunteer record per person per centre (a
    # person may volunteer at two centres: two memberships, two records).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_records",
    )
    data_key = models.OneToOneField(DataKey, on_delete=models.PROTECT, related_name="volunteer")
    first_name = EncryptedCharField(key_path="data_key", max_length=100)
    last_name = EncryptedCharField(key_path="data_key", max_length=100)
    phone = EncryptedCharField(key_path="data_key", max_length=40)
    email = EncryptedEmailField(key_path="data_key", max_length=254)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.APPLIED, db_index=True
    )
    applied_on = models.DateField(null=True, blank=True)
    appointed_on = models.DateField(null=True, blank=True)
    resigned_on = models.DateField(
        null=True, blank=True, help_text="Starts the retention clock (CHE-DP5)."
    )
    agreement_signed_on = models.DateField(
        null=True, blank=True, help_text="Confidentiality agreement signed (CHI-4.1, CHE-2)."
    )
    agreement_policy_version = models.CharField(max_length=20, blank=True)
    clearance_expires = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Last day covered by the current clear DBS check; set by the services only.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        # The dashboard's DBS renewals, one centre at a time (issue 22).
        indexes = [models.Index(fields=["centre", "clearance_expires"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "centre"],
                condition=Q(user__isnull=False),
                name="volunteer_once_per_person_and_centre",
            ),
            models.CheckConstraint(
                condition=~Q(status="appointed")
                | (
                    Q(agreement_signed_on__isnull=False)
                    & Q(clearance_expires__isnull=False)
                    & Q(appointed_on__isnull=False)
                ),
                name="appointed_volunteer_is_cleared_and_signed",
                violation_error_message=(
                    "A volunteer can only be appointed with a current clear DBS check and a "
                    "signed confidentiality agreement."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="resigned") | Q(resigned_on__isnull=False),
                name="resigned_volunteer_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(agreement_signed_on__isnull=True) | ~Q(agreement_policy_version=""),
                name="agreement_names_its_policy_version",
            ),
        ]

    def __str__(self) -> str:
        # Never a name: this string can reach logs and error pages.
        return f"Volunteer #{self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def gate_problems(self, on: datetime.date) -> list[str]:
        """What stops this volunteer being appointed on `on` (empty when nothing does)."""
        if self.status == self.Status.RESIGNED:
            return ["they have resigned"]
        problems = []
        if self.clearance_expires is None:
            problems.append("no current clear DBS check")
        elif self.clearance_expires < on:
            problems.append(
                f"no clear DBS check covering {dateformat.format(on, 'j F Y')} (clearance runs "
                f"until {dateformat.format(self.clearance_expires, 'j F Y')})"
            )
        if self.agreement_signed_on is None:
            problems.append("no signed confidentiality agreement")
        return problems

    def work_problems(self, on: datetime.date) -> list[str]:
        """What stops this volunteer using the portal or being on a rota on `on`."""
        problems = self.gate_problems(on)
        if self.status not in (self.Status.APPOINTED, self.Status.RESIGNED):
            problems.insert(0, "they are not appointed")
        return problems


class TrainingRecord(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="training")
    course = models.CharField(max_length=200)
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("completed_on")),
                name="training_expires_after_completion",
            )
        ]

    def __str__(self) -> str:
        return f"training #{self.pk}"
