"""A large, realistic data set for the page benchmark (`manage.py bench`).

Every personal value is a real token, sealed under its owner's data key exactly as the fields
seal them, and every blind index and name search hash computed as the application computes
them; only the transport differs. Rows are tuples written with PostgreSQL COPY
(tools/benchmark_rows.py), a batch of families per transaction, never one INSERT per row; the
ids of rows that others point at are reserved from their sequences first. The centres are
uneven (`centre_sizes`): quiet ones, busy ones and typical ones, the last always typical. For
the network size, two processes fill centres side by side and the secondary indexes of the
tables written are dropped during the load and rebuilt after.

Volunteers come with their DBS checks, and every booked session has volunteers on its rota
(some short of the centre's cover), as the dashboard reads both. Not written: simple_history
rows (bulk inserts skip them; the pages measured never read history) and disclosures and
retention records (no page measured reads them). The audit trail is tools/benchmark_audit.py.

The parts, by what they make: tools/benchmark_centres.py (centres, their staff, volunteers and
the rota), tools/benchmark_families.py (families and all they own), tools/benchmark_rows.py
and tools/benchmark_copy.py (the COPY writers, ids), tools/benchmark_values.py (the made-up
names and places) and tools/benchmark_database.py (which database may be dropped and
refilled, and doing it).
"""

import multiprocessing
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, connections, transaction
from django.db.models import Count

from cccc.models import Centre, DataKey, User
from families.models import (
    Adult,
    Child,
    ChildAttendance,
    Concern,
    ContactSession,
    Family,
    KeepApart,
    NameToken,
    Referral,
    RulesAcknowledgement,
    SessionAttendance,
)
from tools.benchmark_centres import Staff, add_volunteers, centre_code, ensure_centres
from tools.benchmark_families import add_families
from volunteers.models import RotaEntry, Volunteer, VolunteerAvailability

QUIET_SHARE = 0.05  # a quiet centre has 5 % of a typical centre's families
BUSY_TIMES = 10  # a busy one ten times as many
BATCH = 2000  # families per transaction
# The tables a bulk fill writes without their secondary indexes, rebuilt afterwards.
BULK_TABLES = [
    m._meta.db_table
    for m in (
        Family, Adult, Child, Referral, Concern, ContactSession, SessionAttendance,
        ChildAttendance, KeepApart, RulesAcknowledgement, NameToken, RotaEntry,
    )
]  # fmt: skip


@dataclass(frozen=True)
class CentreSize:
    code: str
    families: int
    kind: str  # "quiet", "busy" or "typical"


def centre_sizes(centres: int, typical: int, *, busy_every: int = 10) -> list[CentreSize]:
    """How many families each bench centre has: uneven, as a real network is. Counting from
    the first, every `busy_every`-th centre is QUIET (5 % of a typical centre's families,
    at least one, and no referral waiting) and the one after it BUSY (ten times a typical
    centre); the last centre, the one the pages are timed for, is always typical."""
    sizes = []
    for number in range(1, centres + 1):
        kind = "typical"
        if number < centres and number % busy_every == 1 % busy_every:
            kind = "quiet"
        elif number < centres and number % busy_every == 2 % busy_every:
            kind = "busy"
        families = {
            "quiet": max(1, round(typical * QUIET_SHARE)),
            "busy": typical * BUSY_TIMES,
            "typical": typical,
        }[kind]
        sizes.append(CentreSize(centre_code(number, centres), families, kind))
    return sizes


def typical_for(centres: int, total: int, *, busy_every: int) -> int:
    """The typical centre's families for a network of `total` families in all."""
    kinds = [size.kind for size in centre_sizes(centres, 1, busy_every=busy_every)]
    weight = sum({"quiet": QUIET_SHARE, "busy": BUSY_TIMES, "typical": 1}[k] for k in kinds)
    return round(total / weight)


def fill(
    *, centres: int, families_per_centre: int, seed: int = 2026, busy_every: int = 10,
    years: int = 3, workers: int = 1, bulk: bool = False,
) -> None:  # fmt: skip
    """Top the database up to `centres` centres, uneven (`centre_sizes`: a typical centre has
    `families_per_centre` families). Run it again with larger numbers to grow the same data
    set. `years`: how far back families were first referred. `workers` processes fill
    centres side by side (each with its own connection); `bulk` drops the secondary indexes
    of the tables written and rebuilds them after (worth it for millions of rows)."""
    staff = ensure_centres(centres)
    by_code = {c.code: c for c in Centre.objects.filter(pk__in=staff)}
    have = dict(
        Family.objects.filter(centre__in=by_code.values())
        .values_list("centre")
        .annotate(n=Count("pk"))
    )
    work = []  # per centre, its batches (one after another: they share reference counters)
    for size in centre_sizes(centres, families_per_centre, busy_every=busy_every):
        centre = by_code[size.code]
        start = have.get(centre.pk, 0)
        batches = [
            (first, min(BATCH, size.families - first))
            for first in range(start, size.families, BATCH)
        ]
        if batches:
            work.append((centre, staff[centre.pk], size, batches))
    if not work:
        return
    options = {"seed": seed, "years": years}
    with _without_secondary_indexes(bulk):
        if workers > 1 and len(work) > 1:
            work.sort(key=lambda w: -w[2].families)  # the biggest first: the workers end together
            connections.close_all()  # each process opens its own
            context = multiprocessing.get_context("fork")
            with context.Pool(workers, initializer=connections.close_all) as pool:
                pool.starmap(_fill_centre, [(*w, options) for w in work], chunksize=1)
        else:
            for w in work:
                _fill_centre(*w, options)


def _fill_centre(
    centre: Centre, staff: Staff, size: CentreSize, batches: list, options: dict
) -> None:
    for have, count in batches:
        rng = random.Random(f"{options['seed']}/{centre.code}/{have}")
        with transaction.atomic():
            with connection.cursor() as cursor:
                # A lost benchmark row costs nothing; waiting for each WAL flush does. Nor are
                # the foreign keys checked row by row at commit: every id is one just written.
                cursor.execute("SET LOCAL synchronous_commit TO off")
                cursor.execute("SET LOCAL session_replication_role TO replica")
            add_volunteers(centre, staff, size.families, rng)
            add_families(
                centre, staff, count, rng, years=options["years"], quiet=size.kind == "quiet"
            )
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role TO DEFAULT")


@contextmanager
def _without_secondary_indexes(bulk: bool) -> Iterator[None]:
    """Drop the indexes that back no constraint on the tables written, and build them again
    afterwards (one at a time, with memory to sort in)."""
    if not bulk:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
            """,
            [BULK_TABLES],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem TO '512MB'")
            cursor.execute("SET max_parallel_maintenance_workers TO 1")
            for _, definition in indexes:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")
            cursor.execute("RESET max_parallel_maintenance_workers")


def vacuum_analyze() -> None:
    """What autovacuum would have done on a live installation: fresh planner statistics and
    visibility maps, so the pages are timed against a settled database."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


COUNTED = {
    "centres": Centre.objects,
    "families": Family.objects,
    "adults": Adult.objects,
    "children": Child.objects,
    "referrals": Referral.objects,
    "pending referrals": Referral.objects.filter(status=Referral.Status.PENDING),
    "sessions": ContactSession.objects,
    "adult attendances": SessionAttendance.objects,
    "child attendances": ChildAttendance.objects,
    "keep-apart flags": KeepApart.objects,
    "concerns": Concern.objects,
    "rules acknowledgements": RulesAcknowledgement.objects,
    "volunteers": Volunteer.objects,
    "volunteer availability": VolunteerAvailability.objects,
    "rota entries": RotaEntry.objects,
    "name search hashes": NameToken.objects,
    "data keys": DataKey.objects,
    "users": User.objects,
}


def row_counts() -> dict[str, int]:
    return {label: manager.count() for label, manager in COUNTED.items()}
