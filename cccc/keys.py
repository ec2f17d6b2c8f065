"""Data key lifecycle: create, destroy (crypto-shredding), re-wrap under the newest master key."""

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
