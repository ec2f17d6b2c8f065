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
from tools import benchmark_retention_network as network
from tools import benchmark_retention_report as report
from tools.benchmark_retention_families import CENTRES


class Command(BaseCommand):
    help = "Time the retention job against plain SQL DELETEs (make bench-retention)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes",
            default=",".join(["night", *(str(n) for n in bench.SIZES)]),
            help="due families per run, comma-separated; 'night' is the network's nightly "
            "load, 320 due in 350 centres (default night,10000,100000)",
        )
        parser.add_argument(
            "--network-database",
            default="",
            help='a *_bench database filled by `make bench BENCH_ARGS="--sizes network"`: '
            "time a night with nothing due on it and EXPLAIN what the job sends",
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--repeats", type=int, default=bench.REPEATS, help="runs of each contender per size"
        )
        parser.add_argument("--output", default="bench-results/retention.md")

    def handle(self, *args, sizes, batch_size, repeats, output, network_database, **options):
        settings_dict = connection.settings_dict
        if reason := benchmark_database.database_refusal(settings_dict):
            raise CommandError(reason)
        try:
            counts = [
                (bench.NIGHT_DUE, bench.NIGHT_CENTRES) if s.strip() == "night"
                else (int(s), CENTRES)
                for s in sizes.split(",") if s.strip()
            ]  # fmt: skip
        except ValueError as exc:
            raise CommandError("--sizes takes numbers or night, e.g. night,10000.") from exc
        counts.sort(key=lambda c: (c[1] == CENTRES, c[0]))  # the night first, then by size
        started, results = time.perf_counter(), []
        for due, centres in counts:
            benchmark_database.recreate_database(settings_dict)
            call_command("migrate", verbosity=0, interactive=False)
            results.append(
                bench.measure(
                    due,
                    settings_dict,
                    batch_size=batch_size,
                    repeats=repeats,
                    centres=centres,
                    say=self.stdout.write,
                )  # fmt: skip
            )
        self.stdout.write("")
        self.stdout.write(report.text_table(results))
        growth, verdict = report.linear_verdict(results)
        if growth is not None:
            self.stdout.write(f"Per-record time, largest vs smallest: {growth:.2f}x ({verdict}).")
        night = None
        if network_database:
            self.stdout.write(f"A night with nothing due on {network_database} ...")
            try:
                night = network.nothing_due_night(
                    settings_dict, network_database, years_back=bench.NOTHING_DUE_YEARS_BACK
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                "  " + ", ".join(f"{t:.2f} s" for t in night.runs)
                + f"; {len(night.scans)} whole reads of a large table"
            )  # fmt: skip
        total = time.perf_counter() - started
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = report.markdown_report(results, batch_size=batch_size, total_s=total)
        if night is not None:
            text += "\n" + "\n".join(network.markdown(night, report.NOTHING_DUE_TARGET_S))
        path.write_text(text)
        self.stdout.write(f"Written to {path} ({total:.0f} s in all).")
