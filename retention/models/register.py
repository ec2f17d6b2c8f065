"""What retention leaves behind: the destruction register, the anonymous monthly statistics,
a log of runs, and the lock that keeps two runs apart. None of it holds personal data."""

from typing import Any, NoReturn

from django.db import models
from django.db.models import Q
from django.utils import timezone

from cccc.models import Centre


class RecordType(models.TextChoices):
    FAMILY = "family", "Family"
    VOLUNTEER = "volunteer", "Volunteer"
    POLICE_VISIT = "police_visit", "Police visit (no family)"
    WITNESS_SUMMONS = "witness_summons", "Witness summons (no family)"
    REFERRER_ACCOUNT = "referrer_account", "Referrer's account"


class AppendOnlyQuerySet(models.QuerySet["DestructionRecord"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("The destruction register is append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("The destruction register is append-only.")


class DestructionRecord(models.Model):
    """One destroyed record: what (type and reference or pseudonymous ID), when, under which
    rule. Never a name or anything else about the person (SPEC §3, §8)."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    record_id = models.BigIntegerField(help_text="The destroyed row's id; points at nothing now.")
    reference = models.CharField(
        max_length=30,
        help_text="The family reference, VOL-<id> for a volunteer, POL-<id> for a police "
        "visit, WS-<id> for a witness summons, ACC-<id> for a referrer's account.",
    )
    clock_started_on = models.DateField(help_text="Last activity, or resignation.")
    due_on = models.DateField()
    destroyed_at = models.DateTimeField(default=timezone.now, db_index=True)
    rule = models.CharField(max_length=120)
    keep_apart_kept = models.PositiveIntegerField(
        default=0,
        help_text="Keep-apart flags with an adult of a family still in use, kept on that family "
        "as 'kept apart from an adult of a destroyed record'.",
    )
    run = models.ForeignKey(
        "RetentionRun", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-destroyed_at", "-pk"]
        indexes = [models.Index(fields=["centre", "destroyed_at"])]
        constraints = [
            # Once per record and centre: a family or volunteer record belongs to one centre;
            # a referrer's account is destroyed at each centre where they were a member
            # (their membership there), the account itself with the last (issue 19).
            models.UniqueConstraint(
                fields=["record_type", "record_id", "centre"],
                name="destroyed_once_per_record_and_centre",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} destroyed {self.destroyed_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The destruction register is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The destruction register is append-only.")


class MonthlyStatistic(models.Model):
    """Counts that destroyed records contributed to one centre's month, kept so that annual
    figures survive destruction: the figure for a month is what live records show plus this.

    `families_first_seen` counts families in the month of their first held session of that
    year, so a year's distinct families is the sum over its months."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The first day of the month.")
    sessions_held = models.PositiveIntegerField(default=0)
    families_seen = models.PositiveIntegerField(default=0)
    families_first_seen = models.PositiveIntegerField(default=0)
    referrals = models.JSONField(default=dict, help_text="Referrals received, by agency type.")

    class Meta:
        ordering = ["centre", "month"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "month"], name="one_statistic_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="statistic_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.month:%Y-%m}"


class RetentionRun(models.Model):
    """One run of the nightly job (or the command): counts only."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed; every record is whole or gone"
        LOCKED_OUT = "locked_out", "Not run: another run held the lock"
        DIED = "died", "Died (its process was gone); every record whole or gone"

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    today = models.DateField()
    dry_run = models.BooleanField(default=False)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.RUNNING)
    destroyed = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    kept = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"retention run #{self.pk} ({self.outcome})"


class RetentionLock(models.Model):
    """A single row naming the run that holds the retention lock (retention/lock.py): its
    token, process id and host, and on PostgreSQL its database session, whose advisory lock
    the server frees the moment that session ends. Empty holder: free."""

    name = models.CharField(max_length=40, primary_key=True)
    holder = models.CharField(max_length=40, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    host = models.CharField(max_length=100, blank=True)
    backend_pid = models.IntegerField(null=True, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"lock {self.name}"
