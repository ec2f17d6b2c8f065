"""The page benchmark's findings and report (`manage.py bench`): what the numbers say is
wrong, against the targets of README, Benchmark, and the Markdown written to
bench-results/."""

import os
import re
import time

from django.db import connection

from tools.benchmark_pages import (
    ADMIN,
    ADMIN_ALL,
    NETWORK_TARGETED,
    QUIET,
    TARGET_P95_MS,
    TARGETED,
    Measurement,
)

QUIET_GROWTH = 1.2


def findings(results: list[Measurement], large: str) -> list[str]:
    """What the numbers say is wrong: query counts that grow with the data, pages over the
    p95 target at the largest size, pages slower than the (one centre) admin changelist, and
    a quiet centre's dashboard slowed by the others' data."""
    flags = []
    by_page: dict[str, dict[str, Measurement]] = {}
    for m in results:
        by_page.setdefault(m.page, {})[m.size] = m
    for page, sizes in by_page.items():
        counts = {size: m.queries for size, m in sizes.items() if m.queries is not None}
        if len(set(counts.values())) > 1:
            spread = ", ".join(f"{n} at {size}" for size, n in counts.items())
            flags.append(f"QUERIES GROW WITH DATA: {page}: {spread}")
        for m in sizes.values():
            if m.p95 is None:
                flags.append(f"NOT MEASURED: {page} at {m.size}: {m.note}")
    targeted = NETWORK_TARGETED if large == "network" else TARGETED
    for m in results:
        if m.page.startswith(targeted) and m.size == large and (m.p95 or 0) > TARGET_P95_MS:
            flags.append(
                f"TARGET MISSED: {m.page} p95 {m.p95:.0f} ms > {TARGET_P95_MS:.0f} ms at {large}"
            )
    admin = {m.size: m for m in results if m.page == ADMIN and m.p95 is not None}
    for m in results:
        yardstick = admin.get(m.size)
        if m.page in (ADMIN, ADMIN_ALL) or m.p95 is None or not yardstick:
            continue
        if m.p95 > yardstick.p95:
            flags.append(
                f"SLOWER THAN THE ADMIN: {m.page} at {m.size}: p95 {m.p95:.0f} ms > "
                f"admin changelist of one centre {yardstick.p95:.0f} ms"
            )
    flags += _quiet_flags(by_page.get(QUIET, {}))
    return flags


def _quiet_flags(sizes: dict[str, Measurement]) -> list[str]:
    """The quiet centre's dashboard at the largest size against the smallest: more than
    QUIET_GROWTH times slower at p50 or at p95 means it pays for the other centres' data."""
    timed = [m for m in sizes.values() if m.p50 is not None and m.p95 is not None]
    if len(timed) < 2:
        return []
    small, large = timed[0], timed[-1]
    flags = []
    for name in ("p50", "p95"):
        before, after = getattr(small, name), getattr(large, name)
        if after > QUIET_GROWTH * before:
            flags.append(
                f"QUIET CENTRE SLOWED: {QUIET} {name} {after:.0f} ms at {large.size} > "
                f"{QUIET_GROWTH}x its {before:.0f} ms at {small.size}"
            )
    return flags


COLUMNS = re.compile(r'(?:(?:"\w+"|T\d+)\."\w+"(?: AS "\w+")?, )+')


def _clip(sql: str, length: int = 400) -> str:
    """The statement with its plain column lists folded, so the joins and conditions show."""
    sql = COLUMNS.sub("…, ", " ".join(sql.split())).replace("`", "'")
    return sql if len(sql) <= length else sql[: length - 1] + "…"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def table_rows(results: list[Measurement]) -> list[list[str]]:
    ordered = sorted(results, key=lambda m: [r.page for r in results].index(m.page))
    return [
        [m.page, m.size, _ms(m.p50), _ms(m.p95), "-" if m.queries is None else str(m.queries),
         _ms(m.sql_ms), m.note]
        for m in ordered
    ]  # fmt: skip


HEADER = ["page", "size", "p50 ms", "p95 ms", "queries", "SQL ms (p50)", "note"]


def text_table(results: list[Measurement]) -> str:
    rows = [HEADER, *table_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def markdown_table(results: list[Measurement]) -> str:
    rows = [HEADER, ["---", "---", "---:", "---:", "---:", "---:", "---"], *table_rows(results)]
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def markdown_report(
    results: list[Measurement],
    *,
    generation: dict[str, str],
    counts: dict[str, dict[str, int]],
    flags: list[str],
    runs: int,
    warmups: int,
) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    sizes = list(counts)
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    lines = [
        "# Benchmark: the coordinator's family pages",
        "",
        f"`make bench` on {time.strftime('%Y-%m-%d %H:%M %Z')}, PostgreSQL {server}, "
        f"{os.cpu_count()} CPUs (load average at the end: {load}). {warmups} warm-ups per "
        f"page, then {runs} rounds in which every page is requested once, in turn, through "
        "Django's test client (whole stack, no network), signed in as the coordinator of the "
        "last bench centre (its references sort after every other centre's); the admin "
        "changelist as an operator. SQL ms: the time spent in the database, summed over the "
        "page's queries.",
        "",
        "## Data",
        "",
        "| rows | " + " | ".join(sizes) + " |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " |",
        *(
            f"| {label} | " + " | ".join(f"{counts[s][label]:,}" for s in sizes) + " |"
            for label in counts[sizes[0]]
        ),
        "",
        *(f"- {size}: {how}" for size, how in generation.items()),
        "",
        "## Pages",
        "",
        markdown_table(results),
        "",
        "## Findings",
        "",
        *([f"- {flag}" for flag in flags] or ["- None: every target met."]),
        "",
        f"## Slowest statement of each page at {sizes[-1]}",
        "",
        *(
            f"- {m.page}: {m.slowest[0]:.1f} ms `{_clip(m.slowest[1])}`"
            for m in results
            if m.size == sizes[-1] and m.slowest
        ),
        "",
    ]
    return "\n".join(lines)
