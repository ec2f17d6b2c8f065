"""The network size of `make bench` (issue 19, point 5), in small: the same generator as the
350-centre network (uneven centres, ten years, two processes, secondary indexes dropped and
rebuilt, the audit trail chained), on three centres, and every page it times answers."""

import pytest
from django.db import connection
from django.db.models import Count

from cccc.audit import record_checkpoint, verify_chain
from cccc.models import AccessLog, Centre
from families.models import ContactSession, Family, Referral, SessionAttendance
from tools import benchmark_audit, benchmark_data
from tools.benchmark_families import LONG_CASE
from tools.benchmark_pages import measure_pages

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _indexes() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE tablename = ANY(%s)",
            [benchmark_data.BULK_TABLES],
        )
        return set(cursor.fetchall())


def test_the_centre_sizes_are_uneven_with_the_last_centre_typical():
    sizes = benchmark_data.centre_sizes(20, 1000, busy_every=10)
    assert [s.kind for s in sizes[:3]] == ["quiet", "busy", "typical"]
    assert [s.code for s in sizes if s.kind == "quiet"] == ["B01", "B11"]
    assert [s.code for s in sizes if s.kind == "busy"] == ["B02", "B12"]
    assert {s.families for s in sizes} == {50, 10_000, 1000}
    assert sizes[-1].kind == "typical" and sizes[-1].code == "B20"
    network = benchmark_data.centre_sizes(350, 861, busy_every=50)
    assert network[0].code == "B001" and network[-1].code == "B350"
    assert sum(s.families for s in network) == pytest.approx(350_000, rel=0.01)
    assert benchmark_data.typical_for(350, 350_000, busy_every=50) == 861


def test_a_small_network_fills_in_two_processes_and_every_page_answers():
    before = _indexes()
    benchmark_data.fill(
        centres=3, families_per_centre=20, busy_every=50, years=10, workers=2, bulk=True
    )
    assert _indexes() == before  # every secondary index rebuilt as it was
    families = dict(Centre.objects.annotate(n=Count("families")).values_list("code", "n"))
    assert families == {"B01": 1, "B02": 200, "B03": 20}  # quiet, busy, typical
    assert not Referral.objects.filter(
        centre__code="B01", status=Referral.Status.PENDING
    ).exists()  # the quiet centre has no referral waiting
    counts = benchmark_data.row_counts()
    assert counts["sessions"] >= 20 * 221
    expected = sum(
        ContactSession.objects.annotate(n=Count("family__adults")).values_list("n", flat=True)
    )
    assert counts["adult attendances"] == expected  # one row per adult per session
    assert SessionAttendance.objects.filter(arrives_at__isnull=False).count() == expected
    oldest = Family.objects.order_by("created_at").first().created_at
    assert (Family.objects.latest("created_at").created_at - oldest).days > 5 * 365
    for code in ("B02", "B03"):  # the family the family pages are timed on
        assert (
            ContactSession.objects.filter(centre__code=code)
            .values("family")
            .annotate(n=Count("pk"))
            .filter(n=LONG_CASE)
            .exists()
        )

    assert benchmark_audit.fill_trail() == 2 * 221
    report = verify_chain()
    assert report.ok and report.checked == AccessLog.objects.count() == 442
    record_checkpoint(report)

    results = measure_pages("tiny network", runs=1, warmups=1)
    assert [m.page for m in results if m.p95 is None] == []
    assert {"dashboard, quiet centre", "all sessions of a family", "quarterly statistics",
            "access log", "admin changelist, one centre"} <= {m.page for m in results}  # fmt: skip
    detail = next(m for m in results if m.page == "family detail")
    assert detail.note.startswith(f"{LONG_CASE} sessions, 20 drawn")
