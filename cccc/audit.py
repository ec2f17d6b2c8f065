"""The audit trail: who looked at or released which sensitive record, never what they saw.

Each entry is chained to the one before by a keyed hash (SPEC §5); see `verify_chain`.
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from cccc.models import AccessLog, AuditCheckpoint, AuditHead, Centre, User

GENESIS = "0" * 64


def _mac(message: str) -> str:
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def _hash(prev_hash: str, entry: AccessLog) -> str:
    return _mac(f"{prev_hash}|{entry.canonical()}")


def _head_mac(seq: int, entry_hash: str) -> str:
    return _mac(f"head|{seq}|{entry_hash}")


def _checkpoint_mac(seq: int, entry_hash: str) -> str:
    return _mac(f"checkpoint|{seq}|{entry_hash}")


@transaction.atomic
def access_log_record(
    *, user: User, action: str, record: models.Model, detail: str = "", centre: Centre | None = None
) -> AccessLog:
    """Append one entry, in the caller's transaction (so it lands only if the action does)."""
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    entry = AccessLog(
        seq=head.seq + 1,
        user=user,
        centre=centre if centre is not None else getattr(record, "centre", None),
        action=action,
        record_type=record._meta.label,
        record_id=record.pk,
        detail=detail,
        prev_hash=head.entry_hash,
    )
    entry.entry_hash = _hash(head.entry_hash, entry)
    entry.save()
    head.seq, head.entry_hash = entry.seq, entry.entry_hash
    head.mac = _head_mac(head.seq, head.entry_hash)
    head.save(update_fields=["seq", "entry_hash", "mac"])
    return entry


def link(prev_hash: str, entry: AccessLog) -> str:
    """The entry's hash, chained to the one before: for loaders that write many entries at
    once (the benchmark's generator), which then move the head with `move_head`."""
    return _hash(prev_hash, entry)


def move_head(seq: int, entry_hash: str) -> None:
    """Point the chain's head at the last entry a loader wrote (see `link`)."""
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    head.seq, head.entry_hash, head.mac = seq, entry_hash, _head_mac(seq, entry_hash)
    head.save(update_fields=["seq", "entry_hash", "mac"])


@dataclass
class ChainReport:
    checked: int
    problem: str | None = None
    head_hash: str = GENESIS
    walked_from: int = 1  # the first entry this check read (after the checkpoint, if any)

    @property
    def ok(self) -> bool:
        return self.problem is None


def _checkpoint() -> tuple[int, str]:
    """(seq, entry hash) of the last intact check, or the chain's start if there is none or
    its MAC does not verify (moved on without the key)."""
    point = AuditCheckpoint.objects.filter(pk=1).first()
    if point is None or not point.seq:
        return 0, GENESIS
    if not hmac.compare_digest(point.mac, _checkpoint_mac(point.seq, point.entry_hash)):
        return 0, GENESIS
    return point.seq, point.entry_hash


def verify_chain(batch_size: int = 5000, *, since_checkpoint: bool = False) -> ChainReport:
    """Walk the chain in order; name the first entry that was altered, removed or inserted.
    `since_checkpoint`: start after the last intact check (`record_checkpoint`) rather than
    at the first entry: what was verified then is taken as verified."""
    done, prev_hash = _checkpoint() if since_checkpoint else (0, GENESIS)
    expected_seq, checked = done + 1, done
    entries = AccessLog.objects.filter(seq__gt=done).order_by("seq")
    for entry in entries.iterator(chunk_size=batch_size):
        if entry.seq > expected_seq:
            return ChainReport(
                checked, f"entry #{expected_seq} is missing (deleted)", walked_from=done + 1
            )
        if entry.seq < expected_seq or entry.prev_hash != prev_hash:
            return ChainReport(checked, f"entry #{entry.seq} does not follow #{expected_seq - 1}: "
                               "inserted or re-linked", walked_from=done + 1)  # fmt: skip
        if not hmac.compare_digest(entry.entry_hash, _hash(prev_hash, entry)):
            return ChainReport(
                checked, f"entry #{entry.seq} has been altered", walked_from=done + 1
            )
        expected_seq, prev_hash, checked = entry.seq + 1, entry.entry_hash, checked + 1
    return _check_head(checked, prev_hash, walked_from=done + 1)


def _check_head(checked: int, prev_hash: str, *, walked_from: int) -> ChainReport:
    head = AuditHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    problem = None
    if (
        head is not None
        and head_seq
        and not hmac.compare_digest(head.mac, _head_mac(head.seq, head.entry_hash))
    ):
        problem = "the chain's head was rewritten (entries cut off the end?)"
    elif head_seq > checked:
        problem = f"entries #{checked + 1} to #{head_seq} are missing (deleted)"
    elif head_seq < checked or (head and checked and head.entry_hash != prev_hash):
        problem = f"entry #{head_seq + 1} was inserted after the last link"
    if problem:
        return ChainReport(checked, problem, walked_from=walked_from)
    return ChainReport(checked, head_hash=prev_hash, walked_from=walked_from)


def record_checkpoint(report: ChainReport) -> None:
    """Remember an intact check, so the next page walks only the entries after it."""
    if not report.ok or not report.checked:
        return
    AuditCheckpoint.objects.update_or_create(
        pk=1,
        defaults={
            "seq": report.checked,
            "entry_hash": report.head_hash,
            "mac": _checkpoint_mac(report.checked, report.head_hash),
            "checked_at": timezone.now(),
        },
    )
