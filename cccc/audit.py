"""The audit trail: who looked at or released which sensitive record, never what they saw.

Each entry is chained to the one before by a keyed hash (SPEC §5); see `verify_chain`.
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction

from cccc.models import AccessLog, AuditHead, Centre, User

GENESIS = "0" * 64


def _mac(message: str) -> str:
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def _hash(prev_hash: str, entry: AccessLog) -> str:
    return _mac(f"{prev_hash}|{entry.canonical()}")


def _head_mac(seq: int, entry_hash: str) -> str:
    return _mac(f"head|{seq}|{entry_hash}")


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


@dataclass
class ChainReport:
    checked: int
    problem: str | None = None
    head_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order; name the first entry that was altered, removed or inserted."""
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    for entry in AccessLog.objects.order_by("seq").iterator(chunk_size=batch_size):
        if entry.seq > expected_seq:
            return ChainReport(checked, f"entry #{expected_seq} is missing (deleted)")
        if entry.seq < expected_seq or entry.prev_hash != prev_hash:
            return ChainReport(checked, f"entry #{entry.seq} does not follow #{expected_seq - 1}: "
                               "inserted or re-linked")  # fmt: skip
        if not hmac.compare_digest(entry.entry_hash, _hash(prev_hash, entry)):
            return ChainReport(checked, f"entry #{entry.seq} has been altered")
        expected_seq, prev_hash, checked = entry.seq + 1, entry.entry_hash, checked + 1
    head = AuditHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    if (
        head is not None
        and head_seq
        and not hmac.compare_digest(head.mac, _head_mac(head.seq, head.entry_hash))
    ):
        return ChainReport(checked, "the chain's head was rewritten (entries cut off the end?)")
    if head_seq > checked:
        return ChainReport(checked, f"entries #{checked + 1} to #{head_seq} are missing (deleted)")
    if head_seq < checked or (head and checked and head.entry_hash != prev_hash):
        return ChainReport(checked, f"entry #{head_seq + 1} was inserted after the last link")
    return ChainReport(checked, head_hash=prev_hash)
