"""The tamper-evident audit trail's rows (SPEC §5): each access log entry chained to the one
before by a keyed hash (cccc/audit.py writes and verifies them), and the chain's head."""

import datetime
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from cccc.models.centre import Centre


class AuditQuerySet(models.QuerySet["AccessLog"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit log is append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("The audit log is append-only.")


class AccessLog(models.Model):
    """The audit trail: who looked at or released which sensitive record, and when.

    IDs and categories only, never personal values. Entries are chained: each holds a keyed
    hash (AUDIT_HMAC_KEY, from the environment) over its own content and the previous entry's
    hash, so `manage.py verify_audit_chain` finds the first altered, missing or inserted entry.
    Append-only for the application (save refuses updates; the queryset refuses update and
    delete; on PostgreSQL a trigger refuses UPDATE and DELETE).
    """

    class Action(models.TextChoices):
        REVEAL_CONTACT = "reveal_contact", "Revealed contact details"
        VIEW_DBS = "view_dbs", "Viewed a DBS outcome"
        DISCLOSURE = "disclosure", "Decided a disclosure request"
        BREAK_GLASS = "break_glass", "Invoked a confidentiality exception"
        CONSENT = "consent", "Recorded or revoked a consent"
        VIEW_SAR_EXPORT = "view_sar_export", "Downloaded a subject access export"
        VIEW_AUDIT = "view_audit", "Read the audit trail"
        ACCOUNT_INVITE = "account_invite", "Invited an account"
        ACCOUNT_APPROVE = "account_approve", "Approved an account"
        ACCOUNT_REFUSE = "account_refuse", "Refused an account"
        ACCOUNT_ACTIVATE = "account_activate", "Activated an account"
        ACCOUNT_DEACTIVATE = "account_deactivate", "Deactivated an account"
        ACCOUNT_ROLE = "account_role", "Changed an account's role"
        ACCOUNT_TWO_FACTOR = "account_two_factor", "Reset an account's two-factor"
        DBS_ASSESSMENT = "dbs_assessment", "Recorded or decided a DBS risk assessment"
        SAR_REVIEW = "sar_review", "Reviewed an item of a subject access export"
        SUMMONS = "summons", "Recorded or updated a witness summons"
        POLICE_VISIT = "police_visit", "Logged a police visit"
        ASSESSMENT_AGREEMENT = "assessment_agreement", "Recorded or ended an assessment agreement"
        VOLUNTEER_STATUS = "volunteer_status", "Appointed or resigned a volunteer"
        DBS_RESULT = "dbs_result", "Recorded a DBS result"
        RETENTION_KEEP = "retention_keep", "Kept a record past its retention date"
        CENTRE_SETTINGS = "centre_settings", "Changed a centre's setting"
        VIEW_DAY_SHEET = "view_day_sheet", "Viewed or printed a day sheet"
        IMPORT = "import", "Imported records from a spreadsheet"
        ROOM = "room", "Added or changed a room"
        SESSION_PAST = "session_past", "Recorded a past session afterwards"
        SERIES = "series", "Booked or cancelled a repeat series"
        CALENDAR_FEED = "calendar_feed", "Made, renewed or revoked a calendar feed"

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    centre = models.ForeignKey(
        Centre,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    record_type = models.CharField(max_length=60)
    record_id = models.BigIntegerField()
    detail = models.CharField(
        max_length=200, blank=True, help_text="Categories and IDs such as 'address', never values."
    )
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        # A centre's trail, newest first (the access log page), read without walking others'.
        indexes = [models.Index(fields=["centre", "seq"], name="accesslog_centre_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.record_type}#{self.record_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit log is append-only.")

    def canonical(self) -> str:
        return "|".join(
            str(v)
            for v in (
                self.seq,
                self.at.astimezone(datetime.UTC).isoformat(),
                self.user_id,
                self.centre_id or "",
                self.action,
                self.record_type,
                self.record_id,
                self.detail,
            )
        )


class AuditHead(models.Model):
    """The chain's last link: one row, locked while an entry is appended. `mac` is a keyed
    hash of seq and entry_hash (cccc.audit), so cutting entries off the end and moving the
    head back to an earlier entry cannot be made to verify without the key."""

    seq = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)
    mac = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"audit head #{self.seq}"


class AuditCheckpoint(models.Model):
    """How far the chain was last found intact: one row. The access log page walks only the
    entries after it (cccc.audit.verify_chain(since_checkpoint=True)); the nightly
    `verify_audit_chain` still walks the whole chain. `mac` is a keyed hash of seq and
    entry_hash, as the head's: a checkpoint moved on by someone without the key to skip
    altered entries does not verify, and the page walks the whole chain instead."""

    seq = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)
    mac = models.CharField(max_length=64, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"audit checked to #{self.seq}"
