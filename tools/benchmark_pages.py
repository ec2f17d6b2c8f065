"""Timing the coordinator's family pages on the benchmark data (`manage.py bench`).

Pages are reached by URL name through Django's test client, signed in as one centre's
coordinator (two-factor verified, as tests/conftest.py's sign_in does), so the whole stack
runs: middleware, session writes, access checks, decryption, templates. The yardstick is the
Django admin's changelist of families on the same data (tools/bench_admin.py), seen by an
operator. Warm-ups, then rounds of timed requests, every page once per round; for each
page p50, p95 and the SQL query count.
"""

import datetime
import logging
import math
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc.models import Centre, Role, User
from families.models import Adult, ContactSession, Family
from tools.benchmark_centres import OPERATOR_EMAIL
from volunteers.models import Volunteer

TARGET_P95_MS = 100.0
TARGETED = ("dashboard", "family list, page 1", "family list, middle page")
ADMIN = "admin changelist of families"


@dataclass
class Measurement:
    page: str
    size: str
    p50: float | None = None
    p95: float | None = None
    queries: int | None = None
    sql_ms: float | None = None
    note: str = ""
    slowest: tuple[float, str] | None = None  # ms and statement, from the last timed request


def signed_in_client(user: User) -> Client:
    client = Client(raise_request_exception=False)  # a page that fails is reported, not fatal
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the value that `fraction` of the values do not exceed."""
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


@dataclass
class Page:
    """One measured page: how to ask for it and what it should answer."""

    name: str
    send: Callable[[], HttpResponse]
    expect: int = 200
    note: str = ""


def time_pages(size: str, pages: list[Page], *, runs: int, warmups: int) -> list[Measurement]:
    """Warm-ups first, then `runs` rounds in which every page is requested once, in turn: a
    slow spell on a shared machine then falls on every page alike, rather than on whichever
    page was being timed (timing one page after another made the admin yardstick swing by
    half between runs)."""
    answers = {}
    for page in pages:
        for _ in range(max(warmups, 1)):
            answers[page.name] = page.send().status_code
    timed = [page for page in pages if answers[page.name] == page.expect]
    timings, counts, sql, slowest = ({page.name: [] for page in timed} for _ in range(4))
    for _ in range(runs):
        for page in timed:
            # Django's query log holds at most 9,000 entries, and once full a capture reads an
            # empty slice: each request starts from an empty log. Nor does the log pile up
            # entries that outlive their request (production logs no queries at all).
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                page.send()
                timings[page.name].append((time.perf_counter() - started) * 1000)
            captured = queries.captured_queries
            counts[page.name].append(len(captured))
            sql[page.name].append(sum(float(q["time"]) for q in captured) * 1000)
            slowest[page.name] = max(captured, key=lambda q: float(q["time"]), default=None)
    results = []
    for page in pages:
        if answers[page.name] != page.expect:
            note = f"answered {answers[page.name]}, not {page.expect}"
            results.append(Measurement(page.name, size, note=note))
            continue
        note, seen, worst = page.note, counts[page.name], slowest[page.name]
        if len(set(seen)) > 1:
            note = f"{note}; queries varied {min(seen)}-{max(seen)}".lstrip("; ")
        results.append(
            Measurement(
                page.name,
                size,
                p50=percentile(timings[page.name], 0.5),
                p95=percentile(timings[page.name], 0.95),
                queries=max(seen),
                sql_ms=percentile(sql[page.name], 0.5),
                note=note,
                slowest=worst and (float(worst["time"]) * 1000, worst["sql"]),
            )
        )
    return results


def _last_page(html: str) -> int:
    """The number of pages, from a "page 1 of 40" caption or the page links."""
    numbers = re.findall(r"\bpage\s+\d+\s+of\s+(\d+)", html, re.IGNORECASE)
    numbers += re.findall(r"[?&;]page=(\d+)", html)
    return max((int(n) for n in numbers), default=1)


def _search_field() -> str:
    try:
        from families.forms import FamilySearchForm
    except ImportError:
        return "q"
    return next(iter(FamilySearchForm.base_fields), "q")


@dataclass
class Subject:
    """Who is signed in, and which family and surname the pages are asked about."""

    centre: Centre
    coordinator: User
    operator: User
    family: Family
    sessions: int
    surname: str

    @property
    def part_of_surname(self) -> str:
        """What a coordinator types who half remembers the name: all but its last two
        letters, at least three ("Hollow" for Holloway)."""
        return self.surname[: max(3, len(self.surname) - 2)]


def _subject() -> Subject:
    # The last bench centre: its references sort after every other centre's, the worst case
    # for a list ordered by reference.
    centre = Centre.objects.filter(code__startswith="B").order_by("-code").first()
    busiest = (
        ContactSession.objects.filter(centre=centre)
        .values("family")
        .annotate(n=Count("pk"))
        .order_by("-n", "family")
        .first()
    )
    if busiest is None:  # a tiny data set may have no session at this centre
        busiest = {"family": Family.objects.filter(centre=centre).earliest("pk").pk, "n": 0}
    family = Family.objects.get(pk=busiest["family"])
    resident = (
        Adult.objects.select_related("family__data_key")
        .filter(family=family, role=Adult.Role.RESIDENT_PARENT)
        .earliest("pk")
    )
    return Subject(
        centre=centre,
        coordinator=User.objects.filter(
            memberships__centre=centre, memberships__role=Role.COORDINATOR
        ).earliest("pk"),
        operator=User.objects.get(email=OPERATOR_EMAIL),
        family=family,
        sessions=busiest["n"],
        surname=resident.last_name,
    )


def measure_pages(size: str, *, runs: int, warmups: int) -> list[Measurement]:
    """Every measured page, for the first bench centre's coordinator, on the project's URLs
    plus the benchmark's admin site."""
    subject = _subject()
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    axes = logging.getLogger("axes")  # it logs every force_login; nothing to learn from that
    level = axes.level
    axes.setLevel(logging.WARNING)
    try:
        with override_settings(ROOT_URLCONF="tools.bench_urls", ALLOWED_HOSTS=hosts):
            return _measure(size, subject, {"runs": runs, "warmups": warmups})
    finally:
        axes.setLevel(level)


def _measure(size: str, subject: Subject, timed: dict) -> list[Measurement]:
    coord = signed_in_client(subject.coordinator)
    admin = signed_in_client(subject.operator)
    list_url = reverse("family_list")
    first = coord.get(list_url)
    last = _last_page(first.content.decode()) if first.status_code == 200 else 1
    middle = (last + 1) // 2
    search_url, field = reverse("family_search"), _search_field()
    searches = {
        # (name of the POST, name of the page it redirects to): the term
        ("family search (POST)", "search results (the redirect)"): subject.surname,
        ("partial search (POST)", "partial search results"): subject.part_of_surname,
    }
    detail_url = reverse("family_detail", args=[subject.family.pk])
    # Next week: every session still to come, so every row has its boxes (the worst case).
    next_week = timezone.localdate() + datetime.timedelta(days=7)
    rota_url = reverse("rota_week_for", args=[next_week.isoformat()])
    changelist = reverse("bench_admin:families_family_changelist")
    pages = [
        Page("dashboard", lambda: coord.get(reverse("dashboard"))),
        Page("family list, page 1", lambda: coord.get(list_url)),
        Page(
            "family list, middle page",
            lambda: coord.get(list_url, {"page": middle}),
            note=f"page {middle} of {last}",
        ),
    ]
    missing = []
    for (post_name, results_name), term in searches.items():
        # Each results page right after its own POST: the session holds one search at a time.
        posted = coord.post(search_url, {field: term})
        found = posted["Location"] if posted.status_code == 302 else None
        what = "an existing surname" if term == subject.surname else f"{len(term)} letters of one"
        pages.append(
            Page(post_name, partial(coord.post, search_url, {field: term}), 302, note=what)
        )
        if found:
            pages.append(Page(results_name, partial(coord.get, found)))
        else:
            missing.append(Measurement(results_name, size, note="no redirect to follow"))
    pages += [
        Page("family detail", lambda: coord.get(detail_url), note=f"{subject.sessions} sessions"),
        Page("bulk rota, next week", lambda: coord.get(rota_url), note=_rota_note(subject)),
        Page(ADMIN, lambda: admin.get(changelist), note="operator"),
    ]
    return time_pages(size, pages, **timed) + missing


def _rota_note(subject: Subject) -> str:
    """How big next week's rota page is at the subject's centre: sessions by volunteers."""
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=7 - today.weekday())
    sessions = ContactSession.objects.filter(
        centre=subject.centre,
        status=ContactSession.Status.BOOKED,
        date__range=(monday, monday + datetime.timedelta(days=6)),
    ).count()
    volunteers = Volunteer.objects.filter(
        centre=subject.centre, status=Volunteer.Status.APPOINTED
    ).count()
    return f"{sessions} sessions x {volunteers} volunteers"


# --- the report -----------------------------------------------------------------------------


def findings(results: list[Measurement], large: str) -> list[str]:
    """What the numbers say is wrong: query counts that grow with the data, pages over the
    p95 target at the large size, pages slower than the admin changelist."""
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
    for m in results:
        if m.page in TARGETED and m.size == large and (m.p95 or 0) > TARGET_P95_MS:
            flags.append(
                f"TARGET MISSED: {m.page} p95 {m.p95:.0f} ms > {TARGET_P95_MS:.0f} ms at {large}"
            )
    admin = {m.size: m for m in results if m.page == ADMIN and m.p95 is not None}
    for m in results:
        yardstick = admin.get(m.size)
        if m.page != ADMIN and m.p95 is not None and yardstick and m.p95 > yardstick.p95:
            flags.append(
                f"SLOWER THAN THE ADMIN: {m.page} at {m.size}: p95 {m.p95:.0f} ms > "
                f"admin changelist {yardstick.p95:.0f} ms"
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
