"""Quiet centres do not pay for busy ones (issue 22): every list on the coordinator's
dashboard is read through an index that leads with the centre.

PostgreSQL only (the plans are PostgreSQL's). A busy centre holds the rows; the quiet centre
has none of its own. Each statement the quiet centre's dashboard sends is EXPLAINed with
sequential scans switched off, so the plan shows whether an index can serve it at all, whatever
the table's size: a table read from end to end, or an index walked without the centre in its
condition, fails the test and names the statement.
"""

import datetime
import json
import re

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from families.models import Concern, ContactSession, Referral
from tests.factories import (
    ConcernFactory,
    ContactSessionFactory,
    FamilyFactory,
    ReferralFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# The tables that grow with the network: a centre's lists must never walk them whole.
FAMILIES = 150
# Below this many rows a plan says nothing about the network's size (the planner may walk any
# index of an empty table): such tables are listed in the failure message, not judged.
JUDGED_FROM_ROWS = 500
LARGE = re.compile(r"^(families|disclosures|volunteers|retention)_(?!historical)")


def _busy(centre, coordinator, n=12):
    today = timezone.localdate()
    for i in range(n):
        family = FamilyFactory(centre=centre)
        ReferralFactory(family=family, status=Referral.Status.PENDING)
        ConcernFactory(family=family, status=Concern.Status.OPEN, raised_by=coordinator)
        ContactSessionFactory(
            family=family, date=today + datetime.timedelta(days=i % 7), booked_by=coordinator
        )


def _scans(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _scans(child)


def _index_columns() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, array_agg(a.attname ORDER BY k.n)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
            JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
            GROUP BY i.relname
            """
        )
        return {name: list(columns) for name, columns in cursor.fetchall()}


def _sizes() -> dict[str, float]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
        return dict(cursor.fetchall())


def _problems(sql: str, params, columns: dict[str, list[str]], sizes=None) -> list[str]:
    with connection.cursor() as cursor:
        # Whether an index-led plan exists at all: no whole-table reads, and joins made row by
        # row from the rows already found (at the network's size that is what the planner
        # picks for a quiet centre; the benchmark times it).
        for switch in ("seqscan", "hashjoin", "mergejoin", "material"):
            cursor.execute(f"SET LOCAL enable_{switch} = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    found = []
    for node in _scans(plan[0]["Plan"]):
        table = node.get("Relation Name", "")
        kind = node["Node Type"]
        if sizes is not None and table and sizes.get(table, 0) < JUDGED_FROM_ROWS:
            continue
        if kind == "Seq Scan" and LARGE.match(table):
            found.append(f"sequential scan of {table}")
        if kind in ("Index Scan", "Index Only Scan", "Bitmap Index Scan"):
            index = node["Index Name"]
            if not LARGE.match(table or index):
                continue
            condition = node.get("Index Cond", "")
            by_centre = columns.get(index, [""])[0] == "centre_id" and "centre_id =" in condition
            # The inner side of a join, reached row by row from rows already found.
            joined = re.search(r"= \(?[a-z_0-9]+\.[a-z_0-9]+\)?", condition)
            by_join = bool(joined) or "ANY" in condition
            leading = columns.get(index, [""])[0]
            by_key = leading in ("id", "family_id", "session_id", "adult_id", "user_id")
            one_row = by_key and re.fullmatch(rf"\({leading} = \d+\)", condition)
            if not (by_centre or (by_join and by_key) or one_row):
                found.append(f"{index} on {table or '?'} walked with condition {condition!r}")
    return found


def test_the_quiet_centres_dashboard_reads_every_list_through_the_centre(cast, login):
    from tools.benchmark_data import fill

    fill(centres=2, families_per_centre=FAMILIES)  # the busy centres, as the benchmark makes them
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = login(cast.coordinator)
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    columns, sizes = _index_columns(), _sizes()
    problems = []
    for query in queries.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        for problem in _problems(sql, None, columns, sizes):
            problems.append(f"{problem}\n    in: {sql}")
    assert problems == [], "\n".join(problems)


def test_the_check_finds_a_list_that_walks_every_centre(cast):
    """The test above can fail: the pending queue read by status and date alone, which walks
    every centre's pending referrals until ten of this centre's appear, is caught."""
    _busy(cast.other_centre, cast.other_coordinator)
    rows = Referral.objects.filter(status=Referral.Status.PENDING).order_by("received_on")[:10]
    sql, params = rows.query.sql_with_params()
    assert _problems(sql, params, _index_columns())


def _plans_as_chosen(sql: str, sizes: dict[str, float], params=None) -> list[str]:
    """Sequential scans of a large table in the plan PostgreSQL picks by itself (nothing
    switched off), judged where the table has rows enough for the choice to mean something."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    return [
        f"sequential scan of {node['Relation Name']} ({sizes[node['Relation Name']]:.0f} rows)"
        for node in _scans(plan[0]["Plan"])
        if node["Node Type"] == "Seq Scan"
        and LARGE.match(node.get("Relation Name", ""))
        and sizes.get(node["Relation Name"], 0) >= JUDGED_FROM_ROWS
    ]


def _disclosure_rows(centre, coordinator, families, n=600):
    """Disclosure requests, subject access requests and witness summonses at the busy centre,
    open and decided, as many as the dashboard's lists would have to walk past."""
    from tests.factories import (
        DisclosureRequestFactory,
        SubjectAccessRequestFactory,
        WitnessSummonsFactory,
    )

    for i in range(n):
        family = families[i % len(families)]
        DisclosureRequestFactory(family=family, recorded_by=coordinator)
        if i % 3 == 0:
            SubjectAccessRequestFactory(adult=family.adults.first(), recorded_by=coordinator)
            WitnessSummonsFactory(centre=centre, family=family)


def test_with_realistic_statistics_no_list_of_a_quiet_centres_dashboard_reads_a_table_whole(
    login,
):
    """The generator's uneven network (tools.benchmark_data.centre_sizes): B01 quiet (three
    families, no referral waiting), B02 busy, B03 typical, with the busy centre's disclosure
    requests, subject access requests and summonses; ANALYZE; then the plan PostgreSQL
    picks by itself for every statement of B01's dashboard reads no large table whole."""
    from cccc.models import User
    from families.models import Family
    from tools.benchmark_data import fill

    fill(centres=3, families_per_centre=60)
    busy = Family.objects.filter(centre__code="B02").order_by("pk")
    coordinator = User.objects.get(email="coordinator@b02.bench.example")
    _disclosure_rows(busy[0].centre, coordinator, list(busy[:50]))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    quiet = User.objects.get(email="coordinator@b01.bench.example")
    client = login(quiet)
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    sizes, columns = _sizes(), _index_columns()
    judged = {t for t, n in sizes.items() if LARGE.match(t) and n >= JUDGED_FROM_ROWS}
    assert {
        "families_contactsession", "families_referral", "disclosures_disclosurerequest",
        "families_sessionattendance", "families_family",
    } <= judged  # fmt: skip
    problems = []
    for query in queries.captured_queries:
        sql = query["sql"]
        if sql.lstrip().upper().startswith("SELECT"):
            found = _plans_as_chosen(sql, sizes) + _problems(sql, None, columns, sizes)
            problems += [f"{problem}\n    in: {sql}" for problem in found]
    assert problems == [], "\n".join(problems)
    # And the check can fail: the week's sessions read by date alone, without the centre.
    unled = ContactSession.objects.filter(status="booked", ends_at__gt=F("starts_at"))
    sql, params = unled.query.sql_with_params()
    assert _plans_as_chosen(sql, sizes, params) == [
        f"sequential scan of families_contactsession ({sizes['families_contactsession']:.0f} rows)"
    ]
