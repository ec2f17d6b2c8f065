"""Data key lifecycle: create, destroy (crypto-shredding), re-wrap under the newest master key;
and the archive that keeps retired master keys for the backup period, then lets them go."""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from cccc import crypto
from cccc.models import DataKey


def data_key_create() -> DataKey:
    master_key_id, wrapped = crypto.wrap_data_key(crypto.new_data_key())
    return DataKey.objects.create(master_key_id=master_key_id, wrapped=wrapped)


def data_key_destroy(*, data_key_id: int) -> None:
    """Delete a data key. Every value sealed under it is unreadable from now on."""
    DataKey.objects.filter(pk=data_key_id).delete()


def data_keys_rewrap(*, batch_size: int = 500) -> int:
    """Re-wrap every data key not yet under the newest master key; return how many moved.

    Each batch is its own transaction and row-locked, so the command can be stopped and
    re-run at any time; a data key is only ever readable under one master key id or the other.
    """
    ring = crypto.key_ring()
    moved = 0
    while True:
        with transaction.atomic():
            batch = list(
                DataKey.objects.select_for_update()
                .exclude(master_key_id=ring.primary_id)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return moved
            for key in batch:
                plain = crypto.unwrap_data_key(key.master_key_id, bytes(key.wrapped), ring)
                key.master_key_id, key.wrapped = crypto.wrap_data_key(plain, ring)
            DataKey.objects.bulk_update(batch, ["master_key_id", "wrapped"])
            moved += len(batch)


# --- the archive of retired master keys -----------------------------------------------------
#
# A backup taken before a rotation holds data keys wrapped by the master key of its day. So
# that it stays readable for as long as backups are kept (BACKUP_RETENTION_DAYS), and no
# longer, a master key leaves the ring for an archive file that the operator keeps apart from
# the backups; a key retired more than the backup period ago may be deleted from it.
# One line per key: "<retired on, YYYY-MM-DD> <id>:<base64 key>"; '#' starts a comment.


@dataclass(frozen=True)
class ArchivedKey:
    retired_on: datetime.date
    entry: str  # "id:base64key", as in FIELD_ENCRYPTION_KEYS

    @property
    def key_id(self) -> str:
        return self.entry.partition(":")[0]

    def deletable_on(self, backup_days: int) -> datetime.date:
        """The first day no backup still kept can need this key: the last backup wrapped by
        it was taken on its retirement day, and is kept `backup_days` days."""
        return self.retired_on + datetime.timedelta(days=backup_days)


def archive_read(*, path: Path) -> list[ArchivedKey]:
    if not path.exists():
        return []
    found = []
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        day, _, entry = line.partition(" ")
        try:
            retired_on = datetime.date.fromisoformat(day)
            crypto.parse_key_ring(entry.strip())
        except (ValueError, ImproperlyConfigured) as exc:
            raise ImproperlyConfigured(f"{path}, line {number}: not '<date> id:key'.") from exc
        found.append(ArchivedKey(retired_on, entry.strip()))
    return found


def _archive_write(path: Path, archived: list[ArchivedKey]) -> None:
    text = "".join(f"{key.retired_on.isoformat()} {key.entry}\n" for key in archived)
    path.write_text(text)
    path.chmod(0o600)


def master_keys_archive(*, path: Path, today: datetime.date) -> list[str]:
    """Add the ring's retired master keys (all but the newest) to the archive, dated today;
    returns their ids. Refuses while any data key is still wrapped by one of them."""
    ring = crypto.key_ring()
    retired = dict(ring.keys[1:])
    still_used = sorted(
        set(
            DataKey.objects.filter(master_key_id__in=list(retired)).values_list(
                "master_key_id", flat=True
            )
        )
    )
    if still_used:
        raise ValueError(
            f"Data keys are still wrapped by {', '.join(still_used)}: "
            "run rewrap_data_keys to the end first."
        )
    archived = archive_read(path=path)
    known = {key.key_id for key in archived}
    added = [
        ArchivedKey(today, crypto.ring_entry(key_id, key))
        for key_id, key in ring.keys[1:]
        if key_id not in known
    ]
    if added:
        _archive_write(path, archived + added)
    return [key.key_id for key in added]


def master_keys_expired(
    *, path: Path, today: datetime.date, backup_days: int
) -> tuple[list[ArchivedKey], list[ArchivedKey]]:
    """(may now be deleted, still kept) among the archived keys."""
    archived = archive_read(path=path)
    expired = [key for key in archived if key.deletable_on(backup_days) <= today]
    return expired, [key for key in archived if key not in expired]


def master_keys_delete_expired(*, path: Path, today: datetime.date, backup_days: int) -> list[str]:
    """Delete from the archive the keys retired more than the backup period ago."""
    expired, kept = master_keys_expired(path=path, today=today, backup_days=backup_days)
    if expired:
        _archive_write(path, kept)
    return [key.key_id for key in expired]
