"""DBS checks (CHI-4.7, CHE-8). Level, certificate number and outcome are sealed under the
volunteer's own data key; the dates stay plain so renewals can be queried."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cccc.fields import EncryptedCharField, EncryptedTextField
from cccc.models import DbsLevel
from volunteers.models.volunteer import VOLUNTEER_KEY, Volunteer


class DbsOutcome(models.TextChoices):
    CLEAR = "clear", "Clear: nothing disclosed"
    DISCLOSED = "disclosed", "Information disclosed"


class DbsCheck(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="dbs_checks")
    level = EncryptedCharField(key_path=VOLUNTEER_KEY, max_length=20, choices=DbsLevel.choices)
    certificate_number = EncryptedCharField(key_path=VOLUNTEER_KEY, max_length=20)
    outcome = EncryptedCharField(key_path=VOLUNTEER_KEY, max_length=20, choices=DbsOutcome.choices)
    issued_on = models.DateField()
    renewal_due = models.DateField(db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = "DBS check"
        constraints = [
            models.CheckConstraint(
                condition=Q(renewal_due__gt=F("issued_on")), name="dbs_renewal_after_issue"
            )
        ]

    def __str__(self) -> str:
        return f"DBS check #{self.pk}"

    @property
    def is_clear(self) -> bool:
        return self.outcome == DbsOutcome.CLEAR


class DbsRiskAssessment(models.Model):
    """A check with information disclosed clears only once the coordinator has assessed the
    risk in writing and the chair has approved it, with a reason (issue 14, CHI-4.7, CHE-8).
    The texts are sealed under the volunteer's key."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for the chair"
        APPROVED = "approved", "Approved by the chair"
        REFUSED = "refused", "Refused by the chair"

    check_record = models.OneToOneField(
        DbsCheck, on_delete=models.CASCADE, related_name="risk_assessment", db_column="check_id"
    )
    assessment = EncryptedTextField(key_path="check_record.volunteer.data_key")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = EncryptedTextField(key_path="check_record.volunteer.data_key")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = "DBS risk assessment"
        constraints = [
            models.CheckConstraint(
                condition=(Q(decision="pending") & Q(decided_at__isnull=True))
                | (~Q(decision="pending") & Q(decided_at__isnull=False)),
                name="dbs_assessment_decision_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"DBS risk assessment #{self.pk}"

    @property
    def is_approved(self) -> bool:
        return self.decision == self.Decision.APPROVED


REMINDER_THRESHOLDS = (60, 30, 7)  # days before renewal is due


class DbsReminder(models.Model):
    """A renewal reminder sent to the coordinators; one per check and threshold, ever."""

    THRESHOLDS = REMINDER_THRESHOLDS

    check_record = models.ForeignKey(
        DbsCheck, on_delete=models.CASCADE, related_name="reminders", db_column="check_id"
    )
    threshold = models.PositiveSmallIntegerField(
        choices=[(t, f"{t} days") for t in REMINDER_THRESHOLDS]
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["check_record", "threshold"], name="dbs_reminder_once_per_threshold"
            ),
            models.CheckConstraint(
                condition=Q(threshold__in=REMINDER_THRESHOLDS), name="dbs_reminder_known_threshold"
            ),
        ]

    def __str__(self) -> str:
        return f"reminder {self.threshold}d for DBS check #{self.check_record_id}"
