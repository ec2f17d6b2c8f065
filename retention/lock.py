"""The lock that keeps two retention runs apart, and knows when its holder is gone.

One row (RetentionLock) says who holds it: a token, the process id and host, and on
PostgreSQL the database session's id. On PostgreSQL the holder also holds a session-level
advisory lock, which the server frees the moment the holder's connection closes: a run
killed with SIGKILL, or whose machine died, frees the lock at once, and the next run takes it
over. On SQLite (development, one machine) the next run checks whether the holder's process
still exists. Either way a run that finds the lock taken over from a dead holder marks every
run still "running" in the log as "died": a dead run's batches were each whole or rolled back.
"""

import datetime
import os
import socket
import uuid
from dataclasses import dataclass
from typing import cast

from django.db import connection
from django.utils import timezone

from retention.models import RetentionLock, RetentionRun

LOCK_NAME = "retention"
ADVISORY_KEY = 0x63636363_726574  # "cccc" "ret": one number for pg_try_advisory_lock


@dataclass(frozen=True)
class Holder:
    pid: int | None
    host: str
    taken_at: datetime.datetime | None

    def describe(self) -> str:
        since = f", since {self.taken_at:%Y-%m-%d %H:%M} UTC" if self.taken_at else ""
        return f"process {self.pid} on {self.host}{since}"


class LockHeld(Exception):
    """A live run holds the lock."""

    def __init__(self, holder: Holder):
        self.holder = holder
        super().__init__(
            f"Another retention run holds the lock and is alive ({holder.describe()}): "
            "nothing was done."
        )


def this_host() -> str:
    return socket.gethostname()[:100]


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, run by another user
    return True


def _pg(sql: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute(sql, [ADVISORY_KEY] if "%s" in sql else [])
        return cursor.fetchone()[0]


def _backend_pid() -> int | None:
    # pg_backend_pid() returns the session's integer id.
    return cast(int, _pg("SELECT pg_backend_pid()")) if connection.vendor == "postgresql" else None


def _holder(row: RetentionLock) -> Holder:
    return Holder(row.pid, row.host, row.taken_at)


def _row() -> RetentionLock:
    row, _ = RetentionLock.objects.get_or_create(name=LOCK_NAME)
    return row


def _holder_alive(row: RetentionLock) -> bool:
    """Whether the row's holder still runs, asked by a process that already holds the
    PostgreSQL advisory lock (so on PostgreSQL only this very session can be the holder)."""
    if not row.holder:
        return False
    if connection.vendor == "postgresql":
        return row.backend_pid == _backend_pid()
    if row.host != this_host():
        return True  # another machine: nothing to ask (SQLite is for one machine only)
    return _pid_alive(row.pid)


def lock_acquire() -> str:
    """Take the retention lock and return its token; raise LockHeld while a live run holds
    it. A lock left by a run that is gone is taken over at once, and that run marked died."""
    postgres = connection.vendor == "postgresql"
    if postgres and not _pg("SELECT pg_try_advisory_lock(%s)"):
        raise LockHeld(_holder(_row()))
    row = _row()
    if _holder_alive(row):
        if postgres:
            _pg("SELECT pg_advisory_unlock(%s)")  # the nested take above counted once more
        raise LockHeld(_holder(row))
    token = uuid.uuid4().hex
    # Of two runs racing here (SQLite; PostgreSQL has let only one through), one update lands.
    taken = RetentionLock.objects.filter(name=LOCK_NAME, holder=row.holder).update(
        holder=token,
        pid=os.getpid(),
        host=this_host(),
        backend_pid=_backend_pid(),
        taken_at=timezone.now(),
    )
    if not taken:
        if postgres:
            _pg("SELECT pg_advisory_unlock(%s)")
        raise LockHeld(_holder(_row()))
    runs_mark_died(holding=True)
    return token


def lock_held(token: str) -> bool:
    return RetentionLock.objects.filter(name=LOCK_NAME, holder=token).exists()


def lock_release(token: str) -> None:
    released = RetentionLock.objects.filter(name=LOCK_NAME, holder=token).update(
        holder="", pid=None, host="", backend_pid=None, taken_at=None
    )
    if released and connection.vendor == "postgresql":
        _pg("SELECT pg_advisory_unlock(%s)")


def lock_is_live() -> bool:
    """Whether a live run holds the lock now (for the screen: asks, takes nothing)."""
    row = _row()
    if not row.holder:
        return False
    if connection.vendor != "postgresql":
        return _holder_alive(row)
    if not _pg("SELECT pg_try_advisory_lock(%s)"):
        return True
    _pg("SELECT pg_advisory_unlock(%s)")
    return row.backend_pid == _backend_pid()


def runs_mark_died(*, holding: bool = False) -> int:
    """Mark as died every run the log still shows running, unless a live run holds the lock.
    `holding`: the caller has just taken the lock and not yet logged its own run, so every
    run still "running" is dead."""
    if not holding and lock_is_live():
        return 0
    return RetentionRun.objects.filter(outcome=RetentionRun.Outcome.RUNNING).update(
        outcome=RetentionRun.Outcome.DIED, finished_at=timezone.now()
    )
