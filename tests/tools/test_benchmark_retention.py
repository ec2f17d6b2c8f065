"""The retention benchmark (`make bench-retention`): it refuses any database not meant for it,
its generated families are real (sealed, with history), and its plain SQL deletes exactly the
rows the job deletes."""

import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from cccc.models import Centre
from families.models import Adult, ContactSession, Family, NameToken
from families.name_index_services import name_index_refresh
from retention import rules
from retention.services import retention_run
from tools import benchmark_retention_families as families
from tools import benchmark_retention_sql as plain_sql
from tools.benchmark_centres import ensure_centres
from tools.benchmark_database import copy_name


@pytest.mark.django_db
def test_the_command_refuses_the_test_database():
    assert not connection.settings_dict["NAME"].endswith("_bench")  # or it would drop it
    with pytest.raises(CommandError, match=r"never SQLite|must end in '_bench'"):
        call_command("bench_retention", sizes="10")


def test_the_copy_is_another_bench_database():
    assert copy_name("cccc_retention_bench") == "cccc_retention_plain_bench"


def _build(due: int, not_due: int):
    staff = ensure_centres(1)
    centre = Centre.objects.get(pk=next(iter(staff)))
    rng, now = random.Random(7), timezone.now()
    plans = [families._plan(rng, now, True) for _ in range(due)]
    plans += [families._plan(rng, now, False) for _ in range(not_due)]
    plans[0].deleted_session = True
    families.build_chunk(centre, staff[centre.pk], plans, first_number=1)
    families._finish_history()
    return centre


def _counts() -> dict[str, int]:
    return plain_sql.row_counts(None, connection.settings_dict)


@pytest.mark.postgres
@pytest.mark.django_db
def test_generated_families_are_sealed_searchable_and_have_history():
    _build(3, 1)
    adult = Adult.objects.select_related("family__data_key").first()
    assert adult.first_name and adult.last_name  # opens under the family's key
    index = Adult._meta.get_field("last_name_index").digest(adult.last_name)
    assert adult.last_name_index == index
    # The names' search hashes, as the services write them.
    family = adult.family
    copied = set(NameToken.objects.filter(family=family).values_list("token", flat=True))
    line = Family.objects.select_related("data_key").get(pk=family.pk).people_names
    name_index_refresh(family=family)
    assert line == Family.objects.select_related("data_key").get(pk=family.pk).people_names
    assert copied and copied == set(
        NameToken.objects.filter(family=family).values_list("token", flat=True)
    )
    assert Adult.history.filter(id=adult.pk).exists()
    # A session deleted long ago lives on in history only ("+", "~" and "-" rows).
    assert not ContactSession.objects.filter(room__name=families.OLD_ROOM).exists()
    old = ContactSession.history.filter(room__name=families.OLD_ROOM)
    assert set(old.values_list("history_type", flat=True)) == {"+", "-", "~"}


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_plain_sql_deletes_exactly_the_rows_the_job_deletes():
    centre = _build(6, 3)
    today = timezone.localdate()
    cutoff = rules.start_of_day_after(rules.FAMILY.last_clock_day_due(centre, today))
    before = _counts()
    with transaction.atomic():
        with connection.cursor() as cursor:
            for statement in plain_sql.plain_sql_statements():
                cursor.execute(statement.replace("%(cutoff)s", "%s"), [cutoff] * (
                    "%(cutoff)s" in statement
                ))  # fmt: skip
        plain = _counts()
        transaction.set_rollback(True)
    assert _counts() == before
    report = retention_run(today=today)
    assert len(report.destroyed) == 6 and Family.objects.count() == 3
    assert _counts() == plain
    assert plain != before
    assert plain["families_nametoken"] < before["families_nametoken"]


def test_the_nights_load_is_its_own_row_and_the_linear_verdict_compares_only_ten_centres():
    from tools.benchmark_retention import NIGHT_CENTRES, NIGHT_DUE, Result
    from tools.benchmark_retention_report import linear_verdict, text_table

    def result(due, centres, job_s):
        r = Result(due=due, centres=centres, not_due=0, rows_before=0, rows_deleted=0)
        r.job_runs, r.plain_runs, r.destroyed = [job_s], [job_s], due
        return r

    night = result(NIGHT_DUE, NIGHT_CENTRES, 5.0)  # 15.6 ms a family: fixed costs dominate
    sized = [result(10_000, 10, 10.0), result(100_000, 10, 110.0)]
    assert linear_verdict([night, *sized]) == pytest.approx((1.1, "linear"))
    assert "320 in 350" in text_table([night, *sized])


def test_the_network_night_refuses_a_database_not_meant_for_it():
    from tools.benchmark_retention_network import nothing_due_night

    with pytest.raises(ValueError, match="not a benchmark database"):
        nothing_due_night({"NAME": "cccc_bench_t"}, "cccc", years_back=10)


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_network_night_names_a_large_table_read_whole():
    from tools.benchmark_retention_network import _plan_scans

    whole = "SELECT id FROM families_family WHERE status = 'closed'"
    by_key = "SELECT id FROM families_family WHERE id = 1"
    sizes = {"families_family": 350_000.0}
    assert _plan_scans(whole, sizes) == ["families_family (350,000 rows)"]
    assert _plan_scans(whole, {"families_family": 9_000.0}) == []  # too small to matter
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        assert _plan_scans(by_key, sizes) == []


@pytest.mark.django_db
def test_the_nights_statements_are_seen_even_when_the_query_log_is_full():
    """Django keeps the last 9,000 statements; a capture started with the log full saw none,
    so the network night reported "0 SELECT statements" after the sizes before it."""
    from families.models import Family
    from tools.benchmark_retention_network import statements_of

    log = connection.queries_log
    log.extend({"sql": "SELECT 1", "time": "0.000"} for _ in range(log.maxlen or 9000))
    seen = statements_of(lambda: Family.objects.count())
    assert len(seen) == 1 and "families_family" in seen[0]["sql"]
