"""Drop and refill a PostgreSQL database whose name ends in "_bench" with a large, realistic
data set, and time the coordinator's family pages on it: `make bench`.

It never runs on SQLite, and never on a database whose name does not end in "_bench": it
destroys everything in the database it is given.
"""

import time
from dataclasses import dataclass, replace
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cccc.audit import record_checkpoint, verify_chain
from tools import benchmark_audit, benchmark_database
from tools import benchmark_data as data
from tools import benchmark_pages as pages
from tools.benchmark_report import findings, markdown_report, text_table


@dataclass(frozen=True)
class Size:
    centres: int
    families: int  # in all
    busy_every: int = 10
    years: int = 3  # how far back families were first referred
    network: bool = False  # its own database, filled by two processes without indexes


SIZES = {
    "small": Size(20, 20 * 100),
    "large": Size(20, 20 * 1000),
    # A network: 350 centres, 350,000 families, ten years of sessions (about 7,000,000).
    "network": Size(350, 350_000, busy_every=50, years=10, network=True),
}
WORKERS = 2  # the machine's CPUs, shared with PostgreSQL


def typical(size: Size) -> int:
    """A typical centre's families: the small and large sizes count 100 and 1,000 a centre
    for the typical ones; the network's total is shared out over its uneven centres."""
    if size.network:
        return data.typical_for(size.centres, size.families, busy_every=size.busy_every)
    return size.families // size.centres


class Command(BaseCommand):
    help = "Refill a *_bench PostgreSQL database and time the family pages (make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="small,large", help="small, large, network")
        parser.add_argument("--runs", type=int, default=100, help="timed requests per page")
        parser.add_argument("--warmups", type=int, default=3, help="untimed requests first")
        parser.add_argument("--output", default="bench-results/families.md")
        parser.add_argument(
            "--network-families", type=int, default=SIZES["network"].families,
            help="families in the network size (350,000; less to try it on a small machine)",
        )  # fmt: skip
        parser.add_argument(
            "--reuse", action="store_true",
            help="measure the data already in the database (one size), without refilling it",
        )  # fmt: skip

    def handle(self, *args, sizes, runs, warmups, output, network_families, reuse, **options):
        if reason := benchmark_database.database_refusal(connection.settings_dict):
            raise CommandError(reason)
        chosen = dict(SIZES, network=replace(SIZES["network"], families=network_families))
        sizes = [s.strip() for s in sizes.split(",") if s.strip()]
        if unknown := set(sizes) - set(chosen):
            raise CommandError(f"Unknown size(s): {', '.join(sorted(unknown))}.")
        if reuse and len(sizes) != 1:
            raise CommandError("--reuse measures one size: the data already there.")
        sizes.sort(key=list(chosen).index)  # each size tops up the one before
        started = time.perf_counter()
        results, generation, counts = [], {}, {}
        for n, name in enumerate(sizes):
            size = chosen[name]
            if reuse:  # migrations added since the fill (an index, say) are applied first
                call_command("migrate", verbosity=0, interactive=False)
                generation[name] = "the data already in the database (--reuse)"
            else:
                generation[name] = self._fill(name, size, fresh=n == 0 or size.network)
            counts[name] = data.row_counts()
            self.stdout.write(f"{name}: {generation[name]}; measuring ...")
            results += pages.measure_pages(name, runs=runs, warmups=warmups)

        flags = findings(results, large=sizes[-1])
        self.stdout.write("")
        self.stdout.write(text_table(results))
        self.stdout.write("")
        for flag in flags or ["No findings: every target met."]:
            self.stdout.write(flag, self.style.WARNING if flags else self.style.SUCCESS)
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            markdown_report(
                results, generation=generation, counts=counts, flags=flags, runs=runs,
                warmups=warmups,
            )
        )  # fmt: skip
        total = time.perf_counter() - started
        self.stdout.write(f"Written to {path} ({total:.0f} s in all).")

    def _fill(self, name: str, size: Size, *, fresh: bool) -> str:
        if fresh:  # the network has its own centres (B001 to B350): a database of its own
            benchmark_database.recreate_database(connection.settings_dict)
            call_command("migrate", verbosity=0, interactive=False)
        per_centre = typical(size)
        self.stdout.write(
            f"{name}: filling {size.centres} centres, a typical one {per_centre} families "
            f"(uneven: see tools/benchmark_data.centre_sizes) ..."
        )
        filled = time.perf_counter()
        data.fill(
            centres=size.centres, families_per_centre=per_centre, busy_every=size.busy_every,
            years=size.years, workers=WORKERS if size.network else 1, bulk=size.network,
        )  # fmt: skip
        entries = benchmark_audit.fill_trail()
        record_checkpoint(verify_chain())  # as the nightly verify_audit_chain would have
        fill_s = time.perf_counter() - filled
        data.vacuum_analyze()
        vacuum_s = time.perf_counter() - filled - fill_s
        how = "generated" if fresh else "topped up from the size before"
        workers = f" by {WORKERS} processes, indexes rebuilt after" if size.network else ""
        return (
            f"{how}{workers} with {entries:,} audit entries (chained, then checked whole) in "
            f"{fill_s:.1f} s, then VACUUM ANALYZE {vacuum_s:.1f} s"
        )
