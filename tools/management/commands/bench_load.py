"""The load benchmark (`make bench-load`): gunicorn as in docker-compose.yml, coordinators
signed in through the real pages, locust driving the page mix and two floors; the report goes
to bench-results/load.md. See tools/benchmark_load.py.

It runs only on a PostgreSQL database whose name ends in "_bench" (the page benchmark's):
it adds benchmark coordinator accounts to it. An empty one is filled at the small size first.
"""

import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cccc.models import Centre
from tools import benchmark_data as data
from tools import benchmark_database
from tools import benchmark_load as load

SMALL = {"centres": 20, "families_per_centre": 100}


class Command(BaseCommand):
    help = "Time the coordinator's pages under concurrent load (make bench-load)."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=20)
        parser.add_argument("--seconds", type=int, default=60, help="per run, after warm-up")
        parser.add_argument("--output", default="bench-results/load.md")

    def handle(self, *args, users, seconds, output, **options):
        if reason := benchmark_database.database_refusal(connection.settings_dict):
            raise CommandError(reason)
        call_command("migrate", verbosity=0, interactive=False)
        if not Centre.objects.filter(code__startswith="B").exists():
            self.stdout.write("The benchmark database is empty: filling the small size ...")
            data.fill(**SMALL)
            data.vacuum_analyze()
        families = data.row_counts()
        described = (
            f"{families['centres']:,} centres, {families['families']:,} families, "
            f"{families['sessions']:,} sessions"
        )
        started = time.perf_counter()
        runs = load.measure(users=users, seconds=seconds)
        for run in runs:
            self.stdout.write(
                f"{run.name:>14}: {run.rps:7.1f} req/s, p50 {run.p50:.0f} ms, p95 "
                f"{run.p95:.0f} ms, p99 {run.p99:.0f} ms, {run.failures} errors, "
                f"{run.cpu_ms_per_request:.1f} ms CPU/request"
            )
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(load.markdown_report(runs, users=users, seconds=seconds, data=described))
        self.stdout.write(f"Written to {path} ({time.perf_counter() - started:.0f} s).")
