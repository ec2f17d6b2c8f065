"""The retention lock: two runs never overlap, and a run that died frees it after LOCK_TTL."""

import datetime
import uuid

from django.utils import timezone

from retention.models import EPOCH, RetentionLock

LOCK_NAME = "retention"
LOCK_TTL = datetime.timedelta(hours=1)  # a run that died frees the lock after this


def lock_acquire(*, ttl: datetime.timedelta = LOCK_TTL) -> str | None:
    """Take the retention lock; returns a token, or None while another run holds it.

    One atomic UPDATE ... WHERE locked_until < now, on PostgreSQL and SQLite alike: of two
    runs racing for it, exactly one sees its update land."""
    RetentionLock.objects.get_or_create(name=LOCK_NAME)
    token, now = uuid.uuid4().hex, timezone.now()
    taken = RetentionLock.objects.filter(name=LOCK_NAME, locked_until__lt=now).update(
        locked_until=now + ttl, holder=token
    )
    return token if taken else None


def lock_extend(token: str, *, ttl: datetime.timedelta = LOCK_TTL) -> bool:
    return bool(
        RetentionLock.objects.filter(name=LOCK_NAME, holder=token).update(
            locked_until=timezone.now() + ttl
        )
    )


def lock_release(token: str) -> None:
    RetentionLock.objects.filter(name=LOCK_NAME, holder=token).update(locked_until=EPOCH, holder="")
