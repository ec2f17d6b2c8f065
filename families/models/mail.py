"""Email to the adults of a family (issue 18): their consent to be emailed, and the log of
every email queued for them.

An adult is emailed only while they have a live consent to email contact, recorded with how
and when they gave it; they can withdraw it, and from then nothing more is sent. Nothing is
preselected: an adult without a consent row gets no email.

The log (`FamilyMail`) is one row per email, written before the email is queued, so that a
task run twice sends once (the row's status says whether it went), a reminder is queued once
per session, adult and version of the event (a database constraint), and a failure shows on
the family page. It holds kinds, numbers and statuses, never an address or a name.
"""

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from families.models.family import Adult
from families.models.session import ContactSession


class HowGiven(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    WRITTEN = "written", "In writing"
    EMAIL = "email", "By email"
    PHONE = "phone", "By phone"


class EmailConsentQuerySet(models.QuerySet["EmailConsent"]):
    def live(self) -> Self:
        return self.filter(withdrawn_at__isnull=True)


class EmailConsent(models.Model):
    """An adult's consent to be emailed their own arrangements: letters, reminders, changes."""

    adult = models.ForeignKey(Adult, on_delete=models.CASCADE, related_name="email_consents")
    given_on = models.DateField("given on")
    how_given = models.CharField("how it was given", max_length=20, choices=HowGiven.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    how_withdrawn = models.CharField(
        "how it was withdrawn", max_length=20, choices=HowGiven.choices, blank=True
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    objects = EmailConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["adult"],
                condition=Q(withdrawn_at__isnull=True),
                name="email_consent_one_live_per_adult",
                violation_error_message="This adult has consented to email already.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(withdrawn_at__isnull=True, how_withdrawn="", withdrawn_by__isnull=True)
                    | (Q(withdrawn_at__isnull=False) & ~Q(how_withdrawn=""))
                ),
                name="email_consent_withdrawal_says_how",
            ),
        ]

    def __str__(self) -> str:
        # Never a name or an address: this string can reach logs and error pages.
        return f"email consent #{self.pk} of adult #{self.adult_id}"

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None


class FamilyMail(models.Model):
    class Kind(models.TextChoices):
        LETTER = "letter", "Arrangement letter"
        REMINDER = "reminder", "Reminder"
        UPDATE = "update", "Session changed"
        CANCEL = "cancel", "Session cancelled"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent: failed"
        NOT_SENT = "not_sent", "Not sent: no consent to email"
        # New times or a reminder checked again when its turn came, and no longer true: the
        # session cancelled or its day over (families/mail_services.py, `overtaken`).
        WITHDRAWN = "withdrawn", "Not sent: no longer true when its turn came"

    adult = models.ForeignKey(Adult, on_delete=models.CASCADE, related_name="mails")
    # Empty for a letter, which covers every upcoming session of the adult.
    session = models.ForeignKey(
        ContactSession, null=True, blank=True, on_delete=models.CASCADE, related_name="mails"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The version of the calendar event the email carries (iCalendar SEQUENCE): 0 when booked,
    # one more for each change or cancellation sent.
    sequence = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Why the last attempt failed, in words from families.mail_services.FAILURES: never the
    # server's own message, which can quote the address.
    failure = models.CharField(max_length=200, blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    last_try_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who asked for it; empty for what the centre sends on its own (reminders).",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-queued_at", "-pk"]
        indexes = [models.Index(fields=["adult", "status"])]
        constraints = [
            # Once per session, adult, kind and version of the event: a second reminder run,
            # or a task delivered twice, finds the row and sends nothing more.
            models.UniqueConstraint(
                fields=["session", "adult", "kind", "sequence"],
                condition=Q(session__isnull=False),
                name="family_mail_once_per_event_version",
            ),
            models.CheckConstraint(
                condition=Q(kind="letter", session__isnull=True)
                | (~Q(kind="letter") & Q(session__isnull=False)),
                name="family_mail_letter_or_one_session",
            ),
        ]

    def __str__(self) -> str:
        return f"family mail #{self.pk} ({self.kind})"
