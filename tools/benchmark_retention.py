"""The retention benchmark (`make bench-retention`): how fast the nightly job destroys due
families, against plain SQL DELETEs of exactly the same rows, and whether it stays linear.

For each size (10,000 then 100,000 due families) it rebuilds a PostgreSQL database whose name
ends in "_bench" with that many families unused for more than three years, plus one in ten
used recently (which must survive), each with its adults, children, referral, sessions with
adult and child attendances, notes, keep-apart flags, rules acknowledgements, now and then a
closed concern, a session deleted long ago (its rows live on only in history), simple_history
rows for all of it (a "+" row each, a "~" row per session), and its own data key. Every
personal value is a real AES-GCM token under the family's key; rows go in with COPY and the
history rows with INSERT ... SELECT, so building takes minutes, not hours.

Then it copies the database (CREATE DATABASE ... TEMPLATE), so the two contenders start from
identical data:

- on the original, `retention.services.retention_run` destroys the due families as the
  nightly job would (batches of BATCH_SIZE records per transaction, statistics, register,
  lock, set-based deletes of rows, history rows and keys);
- on the copy, one transaction of plain SQL: temporary tables of the ids to delete (found
  through the live and the history tables, as the job finds them), then one
  DELETE ... WHERE id IN (SELECT ...) per table, children first, and the data keys.

Both are timed on the wall clock; afterwards every family, volunteer, disclosure and key table
must hold the same number of rows in both databases, or the report says they differ.

The parts: tools/benchmark_retention_families.py builds the families,
tools/benchmark_database.py makes and drops the copy, tools/benchmark_retention_sql.py holds
the plain SQL and the row counts, tools/benchmark_retention_report.py writes the report.
"""

import math
import time
from dataclasses import dataclass, field

from django.utils import timezone

from cccc.models import Centre
from retention import rules
from retention.services import BATCH_SIZE, retention_run
from tools.benchmark_database import copy_name, drop_copy, make_copy
from tools.benchmark_retention_families import NOT_DUE_SHARE, build
from tools.benchmark_retention_sql import row_counts, run_plain_sql

SIZES = (10_000, 100_000)


@dataclass
class Result:
    due: int
    not_due: int
    rows_before: int
    rows_deleted: int
    build: dict = field(default_factory=dict)
    copy_s: float = 0.0
    job_s: float = 0.0
    plain_s: float = 0.0
    destroyed: int = 0
    same_rows: bool = False
    differences: dict = field(default_factory=dict)

    @property
    def records_per_s(self) -> float:
        return self.destroyed / self.job_s if self.job_s else 0.0

    @property
    def ratio(self) -> float:
        return self.job_s / self.plain_s if self.plain_s else math.inf

    @property
    def ms_per_record(self) -> float:
        return 1000 * self.job_s / self.destroyed if self.destroyed else math.inf


def measure(due: int, settings_dict: dict, *, batch_size: int = BATCH_SIZE, say=print) -> Result:
    """Build, copy, time the job on the original and plain SQL on the copy, compare."""
    result = Result(due=due, not_due=math.ceil(due * NOT_DUE_SHARE), rows_before=0,
                    rows_deleted=0)  # fmt: skip
    say(f"{due:,} due families: building ...")
    result.build = build(due)
    say("  built: " + ", ".join(f"{k} {v:.0f} s" for k, v in result.build.items()))
    before = row_counts(None, settings_dict)
    result.rows_before = sum(before.values())
    result.copy_s = make_copy(settings_dict)
    say(f"  copied the database in {result.copy_s:.0f} s; timing the job ...")
    today = timezone.localdate()
    started = time.perf_counter()
    report = retention_run(today=today, batch_size=batch_size)
    result.job_s = time.perf_counter() - started
    result.destroyed = len(report.destroyed)
    say(f"  job: {result.destroyed:,} destroyed in {result.job_s:.1f} s; plain SQL ...")
    centre = Centre.objects.order_by("pk").first()
    cutoff = rules.start_of_day_after(rules.FAMILY.last_clock_day_due(centre, today))
    result.plain_s = run_plain_sql(settings_dict, cutoff)
    say(f"  plain SQL: {result.plain_s:.1f} s")
    job_after = row_counts(None, settings_dict)
    plain_after = row_counts(copy_name(settings_dict["NAME"]), settings_dict)
    result.rows_deleted = result.rows_before - sum(job_after.values())
    result.differences = {
        t: (job_after[t], plain_after[t]) for t in job_after if job_after[t] != plain_after[t]
    }
    result.same_rows = not result.differences
    drop_copy(settings_dict)
    return result
