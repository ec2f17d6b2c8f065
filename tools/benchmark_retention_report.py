"""The retention benchmark's report: a table for the terminal, the Markdown written to
bench-results/retention.md, and whether the job's time per record stayed linear."""

import os
import time

from django.db import connection

from tools.benchmark_retention import Result
from tools.benchmark_retention_families import CENTRES

LINEAR_TOLERANCE = 1.25  # per-record time at the larger size within 25% of the smaller
RATIO_TARGET = 1.5  # the job at most 1.5x plain DELETEs of the same rows (issue 22)
NOTHING_DUE_TARGET_S = 1.0  # a night with nothing due, on the large data


def linear_verdict(results: list[Result]) -> tuple[float | None, str]:
    """Per-record time at the largest size against the smallest, of the sizes in the same
    ten centres (the network's night is spread over 350: a different shape)."""
    results = [r for r in results if r.centres == CENTRES]
    if len(results) < 2:
        return None, "only one size measured"
    small, large = results[0], results[-1]
    growth = large.ms_per_record / small.ms_per_record
    verdict = "linear" if growth <= LINEAR_TOLERANCE else "NOT linear"
    return growth, verdict


def _due(r: Result) -> str:
    return f"{r.due:,}" if r.centres == CENTRES else f"{r.due:,} in {r.centres}"


def text_table(results: list[Result]) -> str:
    header = (
        f"{'due families':>13} {'rows deleted':>13} {'job s':>8} {'records/s':>10} "
        f"{'ms/record':>10} {'plain SQL s':>12} {'ratio':>6} {'same rows':>10}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        lines.append(
            f"{_due(r):>13} {r.rows_deleted:>13,} {r.job_s:>8.1f} {r.records_per_s:>10,.0f} "
            f"{r.ms_per_record:>10.2f} {r.plain_s:>12.1f} {r.ratio:>6.2f} "
            f"{'yes' if r.same_rows else 'NO':>10}"
        )
    return "\n".join(lines)


def markdown_report(results: list[Result], *, batch_size: int, total_s: float) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    growth, verdict = linear_verdict(results)
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    lines = [
        "# Benchmark: the retention job destroying due families",
        "",
        f"`make bench-retention` on {time.strftime('%Y-%m-%d %H:%M %Z')}, PostgreSQL {server}, "
        f"{os.cpu_count()} CPUs (load average at the end: {load}); {total_s:.0f} s in all. "
        f"The job: `retention_run`, {batch_size} records per transaction. Plain SQL: one "
        "transaction of temporary id tables and one DELETE per table. Each contender ran "
        f"{len(results[0].job_runs) if results else 0} times per size, alternating which "
        "went first, each time on a fresh copy of the same pristine data (CREATE DATABASE "
        "... TEMPLATE); the table gives the medians, wall clock, and every run is listed "
        "below it.",
        "",
        "Each family: 2-3 adults, 1-3 children, a referral, 3-7 sessions with adult and child "
        "attendances and notes, rules acknowledgements, a keep-apart flag (1 in 5), a closed "
        "concern (1 in 33), a session deleted long ago (1 in 5: history rows only), a '+' "
        "history row for every row and a '~' row per session, and its own data key. One "
        "family in ten was used recently and must survive.",
        "",
        "| due families | rows before | rows deleted | job s (median) | records/s | ms/record "
        "| plain SQL s (median) | job / plain | nothing due s | same rows left |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        *(
            f"| {_due(r)} | {r.rows_before:,} | {r.rows_deleted:,} | {r.job_s:.1f} | "
            f"{r.records_per_s:,.0f} | {r.ms_per_record:.2f} | {r.plain_s:.1f} | "
            f"{r.ratio:.2f}x | {r.nothing_due_s:.2f} | "
            f"{'yes' if r.same_rows else 'NO: ' + str(r.differences)} |"
            for r in results
        ),
        "",
        "Every run, in seconds: "
        + "; ".join(
            f"{r.due:,}: job {', '.join(f'{t:.1f}' for t in r.job_runs)}, plain "
            + ", ".join(f"{t:.1f}" for t in r.plain_runs)
            for r in results
        )
        + ".",
        "",
        "Building (not timed against anything): "
        + "; ".join(
            f"{r.due:,}: "
            + ", ".join(f"{k} {v:.0f} s" for k, v in r.build.items())
            + f", pristine copy {r.copy_s:.0f} s"
            for r in results
        )
        + ".",
        "",
        "## Findings",
        "",
        *(
            f"- {r.due:,}: the job took {r.ratio:.2f}x the plain DELETEs (median of runs; "
            + (
                f"target <= {RATIO_TARGET}x: met)."
                if r.ratio <= RATIO_TARGET
                else f"target <= {RATIO_TARGET}x: MISSED)."
            )
            for r in results
        ),
        *(
            f"- {r.due:,}: a night with nothing due took {r.nothing_due_s:.2f} s on the full "
            f"data (target < {NOTHING_DUE_TARGET_S:.0f} s: "
            + ("met)." if r.nothing_due_s < NOTHING_DUE_TARGET_S else "MISSED).")
            for r in results
        ),
    ]
    sized = [r for r in results if r.centres == CENTRES]
    if growth is not None:
        lines.append(
            f"- Per record, {sized[-1].due:,} families cost {growth:.2f}x what "
            f"{sized[0].due:,} did: {verdict} (tolerance {LINEAR_TOLERANCE}x)."
        )
    lines.append("")
    return "\n".join(lines)
