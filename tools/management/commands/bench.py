"""Drop and refill a PostgreSQL database whose name ends in "_bench" with a large, realistic
data set, and time the coordinator's family pages on it: `make bench`.

It never runs on SQLite, and never on a database whose name does not end in "_bench": it
destroys everything in the database it is given.
"""

import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tools import benchmark_data as data
from tools import benchmark_pages as pages

CENTRES = 20
FAMILIES_PER_CENTRE = {"small": 100, "large": 1000}


class Command(BaseCommand):
    help = "Refill a *_bench PostgreSQL database and time the family pages (make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="small,large", help="small, large or both")
        parser.add_argument("--runs", type=int, default=100, help="timed requests per page")
        parser.add_argument("--warmups", type=int, default=3, help="untimed requests first")
        parser.add_argument("--output", default="bench-results/families.md")

    def handle(self, *args, sizes, runs, warmups, output, **options):
        if reason := data.database_refusal(connection.settings_dict):
            raise CommandError(reason)
        sizes = [s.strip() for s in sizes.split(",") if s.strip()]
        if unknown := set(sizes) - set(FAMILIES_PER_CENTRE):
            raise CommandError(f"Unknown size(s): {', '.join(sorted(unknown))}.")
        sizes.sort(key=list(FAMILIES_PER_CENTRE).index)  # each size tops up the one before
        started = time.perf_counter()
        data.recreate_database(connection.settings_dict)
        call_command("migrate", verbosity=0, interactive=False)

        results, generation, counts = [], {}, {}
        for size in sizes:
            per_centre = FAMILIES_PER_CENTRE[size]
            self.stdout.write(f"{size}: filling {CENTRES} centres x {per_centre} families ...")
            filled = time.perf_counter()
            data.fill(centres=CENTRES, families_per_centre=per_centre)
            fill_s = time.perf_counter() - filled
            data.vacuum_analyze()
            vacuum_s = time.perf_counter() - filled - fill_s
            how = "generated" if not generation else f"topped up from {list(generation)[-1]}"
            generation[size] = f"{how} in {fill_s:.1f} s, then VACUUM ANALYZE {vacuum_s:.1f} s"
            counts[size] = data.row_counts()
            self.stdout.write(f"{size}: {generation[size]}; measuring ...")
            results += pages.measure_pages(size, runs=runs, warmups=warmups)

        flags = pages.findings(results, large=sizes[-1])
        self.stdout.write("")
        self.stdout.write(pages.text_table(results))
        self.stdout.write("")
        for flag in flags or ["No findings: every target met."]:
            self.stdout.write(flag, self.style.WARNING if flags else self.style.SUCCESS)
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            pages.markdown_report(
                results, generation=generation, counts=counts, flags=flags, runs=runs,
                warmups=warmups,
            )
        )  # fmt: skip
        total = time.perf_counter() - started
        self.stdout.write(f"Written to {path} ({total:.0f} s in all).")
