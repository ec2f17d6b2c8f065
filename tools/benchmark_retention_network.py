"""A night with nothing due on the network's full data (`make bench-retention
BENCH_ARGS="--network-database cccc_bench"`, after `make bench BENCH_ARGS="--sizes network"`
filled that database): the nightly job timed on 350 centres and 350,000 families, and every
statement it sent EXPLAINed, so that a table read whole shows."""

import datetime
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from families.models import Family
from retention.services import retention_run
from tools.benchmark_database import BENCH_SUFFIX

# A whole read of a table this large on a night with nothing due is a finding.
LARGE_ROWS = 10_000


@dataclass
class NetworkNight:
    database: str
    families: int
    runs: list[float] = field(default_factory=list)
    statements: int = 0
    scans: list[str] = field(default_factory=list)  # "table (rows): statement"
    unexplained: int = 0


def _plan_scans(sql: str, sizes: dict[str, float]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    found, nodes = [], [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        nodes += node.get("Plans", [])
        table = node.get("Relation Name", "")
        if node["Node Type"] == "Seq Scan" and sizes.get(table, 0) >= LARGE_ROWS:
            found.append(f"{table} ({sizes[table]:,.0f} rows)")
    return found


def statements_of(run: Callable[[], object]) -> list[dict]:
    """What `run` sent to the database. Django's query log keeps the last 9,000 statements:
    once it is full a capture sees no new entries, so it is emptied first (a run of the whole
    benchmark before this had filled it, and the night's statements went unexplained)."""
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        run()
    return queries.captured_queries


def nothing_due_night(settings_dict: dict, database: str, *, years_back: int, runs: int = 3):
    """Time `runs` nights with nothing due (a date `years_back` years ago) on `database`,
    then EXPLAIN what the last one sent."""
    if not database.endswith(BENCH_SUFFIX):
        raise ValueError(f"Refusing database {database!r}: not a benchmark database.")
    own = settings_dict["NAME"]
    connection.close()
    settings_dict["NAME"] = database
    try:
        night = NetworkNight(database, Family.objects.count())
        quiet = timezone.localdate() - datetime.timedelta(days=365 * years_back)
        captured: list[dict] = []
        for _ in range(runs):
            started = time.perf_counter()
            captured = statements_of(lambda: retention_run(today=quiet))
            night.runs.append(time.perf_counter() - started)
        with connection.cursor() as cursor:
            cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
            sizes = dict(cursor.fetchall())
        for query in captured:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            night.statements += 1
            try:
                scans = _plan_scans(sql, sizes)
            except Exception:  # noqa: BLE001 - a statement on a temporary table gone by now
                night.unexplained += 1
                continue
            night.scans += [f"{scan}: `{' '.join(sql.split())[:300]}`" for scan in scans]
        return night
    finally:
        connection.close()
        settings_dict["NAME"] = own


def markdown(night: NetworkNight, target_s: float) -> list[str]:
    over = [t for t in night.runs if t >= target_s]
    verdict = "met in every run" if not over else f"MISSED in {len(over)} of {len(night.runs)}"
    runs = ", ".join(f"{t:.2f} s" for t in night.runs)
    scans = (
        "no table of 10,000 rows or more is read whole."
        if not night.scans
        else ("tables read whole:")
    )
    return [
        "## A night with nothing due on the network's data",
        "",
        f"`{night.database}`: {night.families:,} families. The job on a date with nothing "
        f"due, {len(night.runs)} times: {runs} (target < {target_s:.0f} s: {verdict}).",
        "",
        f"Its {night.statements} SELECT statements, EXPLAINed afterwards "
        f"({night.unexplained} could not be: on temporary tables gone by then): {scans}",
        "",
        *(f"- {scan}" for scan in night.scans),
        "",
    ]
