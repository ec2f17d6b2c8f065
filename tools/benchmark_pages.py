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
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import connection
from django.db.models import Case, Count, When
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc.models import AccessLog, Centre, Role, User
from families.models import Adult, ContactSession, Family
from families.views import SESSIONS_SHOWN
from tools.benchmark_centres import OPERATOR_EMAIL
from tools.benchmark_families import LONG_CASE
from volunteers.models import Volunteer

TARGET_P95_MS = 100.0
TARGETED = ("dashboard", "family list, page 1", "family list, middle page")
# At the network's size every page a coordinator opens all day (names as prefixes).
NETWORK_TARGETED = (
    "dashboard", "family list", "partial search", "family detail", "all sessions",
    "bulk rota", "quarterly statistics", "access log",
)  # fmt: skip
# The yardstick: the admin changelist as a coordinator would need it, one centre's families
# 25 a page (as the family list shows 25); every centre's, unfiltered, only for reference.
ADMIN = "admin changelist, one centre"
ADMIN_ALL = "admin changelist, all centres (for reference)"
QUIET = "dashboard, quiet centre"


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
        # The most common count (the fewest, if tied): a session written now and then (the
        # idle clock moves once a minute) is not the page's own.
        usual = Counter(seen).most_common()
        queries = min(n for n, times in usual if times == usual[0][1])
        results.append(
            Measurement(
                page.name,
                size,
                p50=percentile(timings[page.name], 0.5),
                p95=percentile(timings[page.name], 0.95),
                queries=queries,
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
    quiet: User  # the coordinator of the quiet centre

    @property
    def part_of_surname(self) -> str:
        """What a coordinator types who half remembers the name: all but its last two
        letters, at least three ("Hollow" for Holloway)."""
        return self.surname[: max(3, len(self.surname) - 2)]


def _subject() -> Subject:
    # The last bench centre: its references sort after every other centre's, the worst case
    # for a list ordered by reference.
    centre = Centre.objects.filter(code__startswith="B").order_by("-code").first()
    # The family with exactly LONG_CASE sessions (the generator makes one a centre), or the
    # one with the most.
    busiest = (
        ContactSession.objects.filter(centre=centre)
        .values("family")
        .annotate(n=Count("pk"))
        .order_by(Case(When(n=LONG_CASE, then=0), default=1), "-n", "family")
        .first()
    )
    quiet = (
        Centre.objects.filter(code__startswith="B")
        .annotate(n=Count("families"))
        .order_by("n", "code")
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
        quiet=User.objects.filter(
            memberships__centre=quiet, memberships__role=Role.COORDINATOR
        ).earliest("pk"),
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
    one_centre = {"centre__id__exact": subject.centre.pk}
    quiet = signed_in_client(subject.quiet)
    pages = [
        Page("dashboard", lambda: coord.get(reverse("dashboard"))),
        Page(QUIET, lambda: quiet.get(reverse("dashboard")), note=_quiet_note(subject.quiet)),
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
    sessions_url = reverse("family_sessions", args=[subject.family.pk])
    drawn = min(subject.sessions, 2 * SESSIONS_SHOWN)
    pages += [
        Page(
            "family detail", lambda: coord.get(detail_url),
            note=f"{subject.sessions} sessions, {drawn} drawn (the next and the last ten)",
        ),
        Page(
            "all sessions of a family", lambda: coord.get(sessions_url),
            note=f"{subject.sessions} sessions, all drawn",
        ),
        Page("bulk rota, next week", lambda: coord.get(rota_url), note=_rota_note(subject)),
        Page(
            "quarterly statistics", lambda: coord.get(reverse("quarterly_statistics")),
            note="this quarter, the centre's own",
        ),
        Page("access log", lambda: coord.get(reverse("audit_trail")), note=_log_note()),
        Page(
            ADMIN, lambda: admin.get(changelist, one_centre),
            note="operator; the subject's centre, 25 a page",
        ),
        Page(ADMIN_ALL, lambda: admin.get(changelist), note="operator; 25 a page"),
    ]  # fmt: skip
    return time_pages(size, pages, **timed) + missing


def _quiet_note(coordinator: User) -> str:
    families = Family.objects.filter(centre=coordinator.centre_id).count()
    return f"{coordinator.centre.code}, {families} families, no referral waiting"


def _log_note() -> str:
    return f"{AccessLog.objects.count():,} entries in the chain before the run"


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
