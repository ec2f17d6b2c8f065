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
