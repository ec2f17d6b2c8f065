"""Time the retention job destroying 10,000 and 100,000 due families against plain SQL
DELETEs of the same rows (`make bench-retention`); see tools/benchmark_retention.py.

It never runs on SQLite, and never on a database whose name does not end in "_bench": it
drops and refills the database it is given, and makes (then drops) a copy named
<name without _bench>_plain_bench.
"""

import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from retention.services import BATCH_SIZE
from tools import benchmark_database
from tools import benchmark_retention as bench
from tools import benchmark_retention_report as report


class Command(BaseCommand):
    help = "Time the retention job against plain SQL DELETEs (make bench-retention)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes",
            default=",".join(str(n) for n in bench.SIZES),
            help="due families per run, comma-separated (default 10000,100000)",
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--repeats", type=int, default=bench.REPEATS, help="runs of each contender per size"
        )
        parser.add_argument("--output", default="bench-results/retention.md")

    def handle(self, *args, sizes, batch_size, repeats, output, **options):
        settings_dict = connection.settings_dict
        if reason := benchmark_database.database_refusal(settings_dict):
            raise CommandError(reason)
        try:
            counts = sorted(int(s) for s in sizes.split(",") if s.strip())
        except ValueError as exc:
            raise CommandError("--sizes takes numbers, e.g. 10000,100000.") from exc
        started, results = time.perf_counter(), []
        for due in counts:
            benchmark_database.recreate_database(settings_dict)
            call_command("migrate", verbosity=0, interactive=False)
            results.append(
                bench.measure(
                    due,
                    settings_dict,
                    batch_size=batch_size,
                    repeats=repeats,
                    say=self.stdout.write,
                )  # fmt: skip
            )
        self.stdout.write("")
        self.stdout.write(report.text_table(results))
        growth, verdict = report.linear_verdict(results)
        if growth is not None:
            self.stdout.write(f"Per-record time, largest vs smallest: {growth:.2f}x ({verdict}).")
        total = time.perf_counter() - started
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report.markdown_report(results, batch_size=batch_size, total_s=total))
        self.stdout.write(f"Written to {path} ({total:.0f} s in all).")
