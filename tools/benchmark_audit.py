"""The benchmark's audit trail: entries for every centre, chained as cccc.audit chains them,
so that the access log page is timed against a trail of a network's length (its check walks
only what is new since the last intact check; a whole walk would grow with the trail)."""

import datetime
import random

from django.db import connection, transaction
from django.utils import timezone

from cccc import audit
from cccc.models import AccessLog, AuditHead, Membership
from families.models import Adult, Family
from tools.benchmark_rows import copy_lines

ENTRIES_PER_FAMILY = 2  # contact details revealed, day sheets read, and the like
COLUMNS = [
    "seq", "at", "user_id", "centre_id", "action", "record_type", "record_id", "detail",
    "prev_hash", "entry_hash",
]  # fmt: skip


def fill_trail(seed: int = 2026) -> int:
    """Top the trail up to ENTRIES_PER_FAMILY entries per family, every centre's interleaved
    over the last year in time order, each by its centre's coordinator; returns how many
    were written."""
    head = AuditHead.objects.filter(pk=1).first()
    seq, prev = (head.seq, head.entry_hash) if head else (0, audit.GENESIS)
    want = Family.objects.count() * ENTRIES_PER_FAMILY - AccessLog.objects.count()
    if want <= 0:
        return 0
    rng = random.Random(f"{seed}/trail/{seq}")
    coordinators = dict(
        Membership.objects.filter(
            user__email__startswith="coordinator@", role="coordinator"
        ).values_list("centre", "user")
    )
    adults = list(
        Adult.objects.filter(family__centre__in=list(coordinators))
        .values_list("pk", "family__centre")
        .order_by("?")[:want]
    )
    now = timezone.now()
    times = sorted(now - datetime.timedelta(seconds=rng.uniform(0, 365 * 86400)) for _ in adults)
    lines = []
    for at, (adult, centre) in zip(times, adults, strict=False):
        seq += 1
        entry = AccessLog(
            seq=seq, at=at, user_id=coordinators[centre], centre_id=centre,
            action=AccessLog.Action.REVEAL_CONTACT, record_type="families.Adult",
            record_id=adult, detail="phone", prev_hash=prev,
        )  # fmt: skip
        entry.entry_hash = audit.link(prev, entry)
        lines.append(
            f"{seq}\t{at.isoformat()}\t{entry.user_id}\t{centre}\t{entry.action}\t"
            f"{entry.record_type}\t{adult}\t{entry.detail}\t{prev}\t{entry.entry_hash}"
        )
        prev = entry.entry_hash
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO off")
        copy_lines(AccessLog, COLUMNS, lines)
        audit.move_head(seq, prev)
    return len(lines)
