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

Then it keeps a pristine copy (CREATE DATABASE ... TEMPLATE) and runs the two contenders
REPEATS times each, alternating which goes first, each on a fresh copy of the pristine data, and
reports the medians (one run each swung by half between runs: issue 22):

- on the original, `retention.services.retention_run` destroys the due families as the
  nightly job would (batches of BATCH_SIZE records per transaction, statistics, register,
  lock, set-based deletes of rows, history rows and keys);
- on the copy, one transaction of plain SQL: temporary tables of the ids to delete (found
  through the live and the history tables, as the job finds them), then one
  DELETE ... WHERE id IN (SELECT ...) per table, children first, and the data keys.

Both are timed on the wall clock; afterwards every family, volunteer, disclosure and key table
must hold the same number of rows in both databases, or the report says they differ. Last, a
night with nothing due: the job on the full pristine data with a date on which no record is
yet due, to show that it reads only what it must.

The parts: tools/benchmark_retention_families.py builds the families,
tools/benchmark_database.py makes and drops the copy, tools/benchmark_retention_sql.py holds
the plain SQL and the row counts, tools/benchmark_retention_report.py writes the report.
"""

import datetime
import math
import statistics
import time
from dataclasses import dataclass, field

from django.utils import timezone

from cccc.models import Centre
from retention import rules
from retention.services import BATCH_SIZE, retention_run
from tools.benchmark_database import clone, copy_name, drop, snapshot_name
from tools.benchmark_retention_families import CENTRES, NOT_DUE_SHARE, build
from tools.benchmark_retention_sql import row_counts, run_plain_sql

SIZES = (10_000, 100_000)
# The network's nightly load: 350 centres, about 320 families falling due a night (350,000
# families kept about three years after they close: some 115,000 a year).
NIGHT_DUE, NIGHT_CENTRES = 320, 350
REPEATS = 3
# A date on which nothing is due: every generated family was used within the last ten years.
NOTHING_DUE_YEARS_BACK = 10


@dataclass
class Result:
    due: int
    centres: int
    not_due: int
    rows_before: int
    rows_deleted: int
    build: dict = field(default_factory=dict)
    copy_s: float = 0.0
    job_runs: list[float] = field(default_factory=list)
    plain_runs: list[float] = field(default_factory=list)
    nothing_due_s: float = 0.0
    destroyed: int = 0
    same_rows: bool = False
    differences: dict = field(default_factory=dict)

    @property
    def job_s(self) -> float:
        return statistics.median(self.job_runs) if self.job_runs else 0.0

    @property
    def plain_s(self) -> float:
        return statistics.median(self.plain_runs) if self.plain_runs else 0.0

    @property
    def records_per_s(self) -> float:
        return self.destroyed / self.job_s if self.job_s else 0.0

    @property
    def ratio(self) -> float:
        return self.job_s / self.plain_s if self.plain_s else math.inf

    @property
    def ms_per_record(self) -> float:
        return 1000 * self.job_s / self.destroyed if self.destroyed else math.inf


def measure(
    due: int,
    settings_dict: dict,
    *,
    batch_size: int = BATCH_SIZE,
    repeats: int = REPEATS,
    centres: int = CENTRES,
    say=print,
) -> Result:
    """Build once; then `repeats` rounds, each timing the job and the plain SQL on fresh
    copies of the same pristine data, alternating which goes first; compare what is left."""
    result = Result(due=due, centres=centres, not_due=math.ceil(due * NOT_DUE_SHARE),
                    rows_before=0, rows_deleted=0)  # fmt: skip
    say(f"{due:,} due families in {centres} centres: building ...")
    result.build = build(due, centres=centres)
    say("  built: " + ", ".join(f"{k} {v:.0f} s" for k, v in result.build.items()))
    result.rows_before = sum(row_counts(None, settings_dict).values())
    name = settings_dict["NAME"]
    pristine, copy = snapshot_name(name), copy_name(name)
    result.copy_s = clone(settings_dict, source=name, target=pristine)
    say(f"  kept a pristine copy in {result.copy_s:.0f} s")
    today = timezone.localdate()
    centre = Centre.objects.order_by("pk").first()
    cutoff = rules.start_of_day_after(rules.FAMILY.last_clock_day_due(centre, today))
    job_after: dict[str, int] = {}
    plain_after: dict[str, int] = {}
    for round_ in range(repeats):
        order = ("job", "plain") if round_ % 2 == 0 else ("plain", "job")
        for contender in order:
            if contender == "job":
                clone(settings_dict, source=pristine, target=name)
                started = time.perf_counter()
                report = retention_run(today=today, batch_size=batch_size)
                result.job_runs.append(time.perf_counter() - started)
                result.destroyed = len(report.destroyed)
                job_after = row_counts(None, settings_dict)
            else:
                clone(settings_dict, source=pristine, target=copy)
                result.plain_runs.append(run_plain_sql(settings_dict, cutoff))
                plain_after = row_counts(copy, settings_dict)
        say(
            f"  round {round_ + 1}: job {result.job_runs[-1]:.1f} s "
            f"({result.destroyed:,} destroyed), plain SQL {result.plain_runs[-1]:.1f} s"
        )
    result.rows_deleted = result.rows_before - sum(job_after.values())
    result.differences = {
        t: (job_after[t], plain_after[t]) for t in job_after if job_after[t] != plain_after[t]
    }
    result.same_rows = not result.differences
    clone(settings_dict, source=pristine, target=name)
    quiet_night = today - datetime.timedelta(days=365 * NOTHING_DUE_YEARS_BACK)
    started = time.perf_counter()
    idle = retention_run(today=quiet_night, batch_size=batch_size)
    result.nothing_due_s = time.perf_counter() - started
    say(
        f"  a night with nothing due: {result.nothing_due_s:.2f} s "
        f"({len(idle.destroyed)} destroyed)"
    )
    drop(settings_dict, copy)
    drop(settings_dict, pristine)
    return result
