"""The load benchmark (`make bench-load`): the coordinator's pages under concurrent load, over
HTTP, against two floors measured in the same run.

gunicorn serves the project as docker-compose.yml does (3 sync workers), on loopback, against
the page benchmark's database (`make bench` fills it; an empty one is filled at the small
size). Coordinators sign in through the real login and two-factor pages. locust, headless,
drives three runs of the same length and number of users, one after the other:

1. the page mix: every coordinator page (tools/locustfile.py, PageMix);
2. a trivial signed-in view behind all of the project's middleware (tools/bench_load_urls.py);
3. a bare Django view with no middleware, no apps and no database, served by a second
   gunicorn (tools/bench_bare_settings.py).

For each: requests per second, p50/p95/p99, errors, and the CPU the gunicorn workers spent per
request (their user+system time, read from /proc through psutil, over the run). The report goes
to bench-results/load.md with the machine's load average.
"""

import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc.models import Centre, Role, User
from families.models import Adult, Family

PASSWORD = "load-benchmark-password-" + "x" * 8  # noqa: S105 - bench accounts on bench data
WORKERS = 3  # as docker-compose.yml
WARMUP = 10  # seconds: every user signs in before the measured window opens
RATIO_MIX_OF_SIGNED_IN = 0.5
RATIO_SIGNED_IN_OF_BARE = 0.4


@dataclass
class Run:
    name: str
    requests: int = 0
    failures: int = 0
    rps: float = 0.0
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    cpu_s: float = 0.0
    sign_ins: int = 0

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.cpu_s / self.requests if self.requests else 0.0


def prepare_accounts(users: int, path: Path) -> None:
    """`users` benchmark coordinators spread over the bench centres, each with a TOTP key and
    a few of its centre's family ids, written to `path` for locust (bench data only)."""
    centres = list(Centre.objects.filter(code__startswith="B").order_by("code"))
    if not centres:
        raise RuntimeError("no benchmark centres: run `make bench` first")
    coordinators = []
    for n in range(users):
        centre = centres[n % len(centres)]
        email = f"load-{n:03d}@{centre.code.lower()}.bench.example"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, role=Role.COORDINATOR, centre=centre, full_name=f"Load {n}"
            )
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="load", confirmed=True)
        families = list(
            Family.objects.filter(centre=centre).order_by("?").values_list("pk", flat=True)[:30]
        )
        adult = Adult.objects.filter(family__centre=centre).select_related("family").first()
        coordinators.append(
            {
                "email": email,
                "key": device.key,
                "families": families,
                "surname": adult.last_name if adult else "Smith",
            }
        )
    path.write_text(json.dumps({"password": PASSWORD, "coordinators": coordinators}))
    path.chmod(0o600)


def _database_url() -> str:
    db = connection.settings_dict
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


def serve(settings_module: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DEBUG": "true",  # read as true, then switched off by tools/bench_settings.py
        "CONN_MAX_AGE": "60",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": "",
    }
    command = [
        sys.executable, "-m", "gunicorn", "django.core.wsgi:get_wsgi_application()",
        "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, start_new_session=True)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)  # noqa: S310
            return process
        except urllib.error.HTTPError:
            return process  # it answers (a 404 or a redirect is an answer)
        except OSError:
            time.sleep(0.5)
    stop(process)
    raise RuntimeError(f"gunicorn ({settings_module}) did not answer on port {port}")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def worker_cpu_seconds(process: subprocess.Popen) -> float:
    import psutil  # the bench extra, installed by `make bench-load`; the report's tests need none

    total = 0.0
    for child in psutil.Process(process.pid).children(recursive=True):
        times = child.cpu_times()
        total += times.user + times.system
    return total


def _history(prefix: str) -> tuple[float, int] | None:
    """(timestamp, total requests so far) from locust's latest stats-history row."""
    try:
        with open(f"{prefix}_stats_history.csv") as handle:
            rows = [r for r in csv.DictReader(handle) if r["Name"] == "Aggregated"]
    except FileNotFoundError:
        return None
    return (float(rows[-1]["Timestamp"]), int(rows[-1]["Total Request Count"])) if rows else None


def run_locust(
    user_class: str, port: int, *, users: int, seconds: int, accounts: Path, server
) -> Run:
    """One locust run. Throughput and CPU are taken over a window that starts WARMUP seconds
    in, after every user has signed in (a sign-in hashes a password: it would weigh on the
    floors' CPU per request), and ends with the run."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = os.path.join(folder, "stats")
        command = [
            sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")),
            "--headless", "--users", str(users), "--spawn-rate", str(users),
            "--run-time", f"{seconds + WARMUP}s", "--host", f"http://127.0.0.1:{port}",
            "--csv", prefix, "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5",
            user_class,
        ]  # fmt: skip
        env = {**os.environ, "BENCH_LOAD_ACCOUNTS": str(accounts)}
        locust = subprocess.Popen(  # noqa: S603
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        time.sleep(WARMUP)
        start, cpu_start = _history(prefix), worker_cpu_seconds(server)
        while locust.poll() is None:
            end, cpu_end = _history(prefix), worker_cpu_seconds(server)
            time.sleep(1)
        locust.wait()
        with open(f"{prefix}_stats.csv") as handle:
            rows = list(csv.DictReader(handle))
    run = Run(user_class)
    timed = [r for r in rows if r["Name"] != "Aggregated" and "sign in" not in r["Name"]]
    run.sign_ins = sum(int(r["Request Count"]) for r in rows if "sign in" in r["Name"])
    run.failures = sum(int(r["Failure Count"]) for r in rows if r["Name"] != "Aggregated")
    if start and end and end[0] > start[0]:
        run.requests = end[1] - start[1]
        run.rps = run.requests / (end[0] - start[0])
        run.cpu_s = cpu_end - cpu_start
    weights = [(int(r["Request Count"]), r) for r in timed if int(r["Request Count"])]
    total = sum(w for w, _ in weights)
    for field, column in (("p50", "50%"), ("p95", "95%"), ("p99", "99%")):
        # Per-page percentiles weighted by requests (locust keeps no pooled list per run).
        value = sum(w * float(r[column]) for w, r in weights) / total if total else 0.0
        setattr(run, field, value)
    return run


def measure(*, users: int, seconds: int, port: int = 8765) -> list[Run]:
    with tempfile.TemporaryDirectory() as folder:
        accounts = Path(folder) / "accounts.json"
        prepare_accounts(users, accounts)
        connection.close()
        runs = []
        server = serve("tools.bench_settings", port)
        try:
            for user_class in ("PageMix", "SignedInFloor"):
                runs.append(
                    run_locust(user_class, port, users=users, seconds=seconds,
                               accounts=accounts, server=server)
                )  # fmt: skip
        finally:
            stop(server)
        bare = serve("tools.bench_bare_settings", port + 1)
        try:
            runs.append(
                run_locust("BareFloor", port + 1, users=users, seconds=seconds,
                           accounts=accounts, server=bare)
            )  # fmt: skip
        finally:
            stop(bare)
    return runs


def session_reads() -> str:
    """Where the served project reads sessions from (cccc.settings: a shared cache, or not)."""
    from django.conf import settings

    if settings.SESSION_ENGINE.endswith("cached_db"):
        return "read from the cache (CACHE_URL), written to it and the database"
    return "read from the database (no shared cache: set CACHE_URL to a Redis database)"


def why_missed(mix: Run, signed_in: Run, bare: Run) -> list[str]:
    """For each target missed, why, from the run's own CPU per request: on a machine whose
    CPUs are the limit, throughput goes roughly as one over the CPU a request costs."""
    found = []
    if signed_in.rps and mix.rps / signed_in.rps < RATIO_MIX_OF_SIGNED_IN:
        allowed = signed_in.cpu_ms_per_request / RATIO_MIX_OF_SIGNED_IN
        found.append(
            f"- Why the page mix misses: a page costs {mix.cpu_ms_per_request:.1f} ms of worker "
            f"CPU, {mix.cpu_ms_per_request / max(signed_in.cpu_ms_per_request, 0.01):.0f} times "
            f"the signed-in view's {signed_in.cpu_ms_per_request:.1f} ms; at "
            f"{RATIO_MIX_OF_SIGNED_IN:.0%} of its throughput a page could cost about "
            f"{allowed:.1f} ms. That time is the pages' own: their queries built by the ORM, "
            "the names decrypted and the page drawn (README, Load benchmark)."
        )
    if bare.rps and signed_in.rps / bare.rps < RATIO_SIGNED_IN_OF_BARE:
        allowed = bare.cpu_ms_per_request / RATIO_SIGNED_IN_OF_BARE
        found.append(
            f"- Why the signed-in view misses: it costs {signed_in.cpu_ms_per_request:.1f} ms "
            f"of worker CPU against the bare view's {bare.cpu_ms_per_request:.1f} ms; at "
            f"{RATIO_SIGNED_IN_OF_BARE:.0%} of its throughput it could cost about "
            f"{allowed:.1f} ms. That time is the middleware every page needs: the session "
            "read, the person with their memberships and the two-factor device (two "
            "queries), CSRF, the security and CSP headers."
        )
    return found


def markdown_report(runs: list[Run], *, users: int, seconds: int, data: str) -> str:
    mix, signed_in, bare = runs
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    labels = {
        "PageMix": "the page mix (every coordinator page)",
        "SignedInFloor": "a trivial signed-in view, all middleware",
        "BareFloor": "a bare Django view, no middleware",
    }
    mix_share = mix.rps / signed_in.rps if signed_in.rps else 0.0
    floor_share = signed_in.rps / bare.rps if bare.rps else 0.0

    def verdict(value: float, target: float) -> str:
        return "met" if value >= target else "MISSED"

    lines = [
        "# Benchmark: the coordinator's pages under load",
        "",
        f"`make bench-load` on {time.strftime('%Y-%m-%d %H:%M %Z')}: gunicorn "
        f"({WORKERS} sync workers, DEBUG off, persistent connections) on loopback, PostgreSQL "
        f"{server}, {os.cpu_count()} CPUs shared by gunicorn, PostgreSQL and locust; load "
        f"average at the end {load}. {users} coordinators signed in through the login and "
        f"two-factor pages; locust, headless, no think time, {seconds} s per run. Data: {data}. "
        f"Sessions: {session_reads()}.",
        "",
        "| run | requests | req/s | p50 ms | p95 ms | p99 ms | errors | CPU ms / request |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {labels[r.name]} | {r.requests:,} | {r.rps:.1f} | {r.p50:.0f} | {r.p95:.0f} | "
            f"{r.p99:.0f} | {r.failures} | {r.cpu_ms_per_request:.1f} |"
            for r in runs
        ),
        "",
        "## Targets (ratios within this run)",
        "",
        f"- The page mix reached {mix_share:.0%} of the signed-in trivial view's throughput "
        f"(target at least {RATIO_MIX_OF_SIGNED_IN:.0%}: "
        f"{verdict(mix_share, RATIO_MIX_OF_SIGNED_IN)}).",
        f"- The signed-in trivial view reached {floor_share:.0%} of the bare view's "
        f"(target at least {RATIO_SIGNED_IN_OF_BARE:.0%}: "
        f"{verdict(floor_share, RATIO_SIGNED_IN_OF_BARE)}).",
        f"- Errors: {sum(r.failures for r in runs)}.",
        *why_missed(mix, signed_in, bare),
        "",
        f"Throughput and CPU are measured over the run after a {WARMUP} s warm-up in which "
        "every user signs in. Percentiles are locust's per page over the whole run, weighted by "
        "each page's share of the requests. CPU per request is the gunicorn workers' user and "
        "system time over the window (psutil) divided by the requests answered in it. "
        "PostgreSQL's and locust's own CPU are not in it, though they share the same CPUs.",
        "",
    ]
    return "\n".join(lines)
