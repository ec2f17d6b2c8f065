"""A destruction batch takes several centres' due records at once (up to the batch size, one
record type), as the plain SQL does: at the network's nightly load one transaction per
centre cost 80 times the plain DELETEs (README, Retention benchmark). Everything stays
correct per centre: each centre's statistics and register rows (its own rule), the re-check
inside the transaction, and a crash leaves every centre's records whole."""

import datetime
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosures.models import PoliceVisit
from families.models import Concern, Family
from retention.destruction import destroy_batch
from retention.models import DestructionRecord, MonthlyStatistic, QuarterlyStatistic
from retention.review import retention_review
from retention.services import retention_run
from tests.factories import CentreFactory, ConcernFactory, PoliceVisitFactory
from tests.retention.conftest import (
    TODAY,
    any_rows,
    at_noon,
    family_history,
    family_rows,
    resigned_volunteer,
    years_ago,
)
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def _statements(captured, *starts: str) -> int:
    return sum(1 for q in captured if q["sql"].lstrip().upper().startswith(starts))


def _night(centres, by) -> tuple[int, int]:
    """(DELETE statements, transactions) of a run destroying one family and one volunteer
    in each centre."""
    for centre in centres:
        family_history(centre, years_ago(4), by=by)
        resigned_volunteer(centre, years_ago(4))
    with CaptureQueriesContext(connection) as captured:
        report = retention_run(today=TODAY)
    assert len(report.destroyed) == 2 * len(centres)
    # Inside the test's transaction each batch's atomic block is a savepoint.
    return _statements(captured, "DELETE"), _statements(captured, "SAVEPOINT")


def test_due_records_in_eight_centres_take_as_many_deletes_and_transactions_as_in_two(cast):
    retention_run(today=TODAY)  # the lock's row
    two = _night([CentreFactory() for _ in range(2)], cast.coordinator)
    eight = _night([CentreFactory() for _ in range(8)], cast.coordinator)
    assert eight == two


def _family_night(centres, by) -> int:
    for centre in centres:
        family_history(centre, years_ago(4), by=by)
    with CaptureQueriesContext(connection) as captured:
        report = retention_run(today=TODAY)
    assert len(report.destroyed) == len(centres)
    return len(captured)


def test_a_night_with_families_due_in_eight_centres_sends_as_many_queries_as_in_two(cast):
    """The review too reads every centre's records at once (at 176 centres with anything
    due, ten queries a centre took seconds)."""
    retention_run(today=TODAY)  # the lock's row

    def centres(n):  # two periods among them
        return [CentreFactory(family_retention_years=4), *(CentreFactory() for _ in range(n - 1))]

    two = _family_night(centres(2), cast.coordinator)
    eight = _family_night(centres(8), cast.coordinator)
    assert eight == two


def test_each_centres_statistics_and_register_rule_are_its_own(cast):
    cast.other_centre.family_retention_years = 4
    cast.other_centre.save()
    here = family_history(cast.centre, years_ago(5), by=cast.coordinator, sessions=2)
    there = family_history(cast.other_centre, years_ago(5), by=cast.coordinator, sessions=5)
    report = retention_run(today=TODAY)
    assert {i.record_id for i in report.destroyed} == {here.family.pk, there.family.pk}
    rules = dict(DestructionRecord.objects.values_list("record_id", "rule"))
    assert rules[here.family.pk].endswith(": 3 years after last use")
    assert rules[there.family.pk].endswith(": 4 years after last use")
    centres = dict(DestructionRecord.objects.values_list("record_id", "centre_id"))
    assert centres == {here.family.pk: cast.centre.pk, there.family.pk: cast.other_centre.pk}

    def held(model, centre):
        return sum(model.objects.filter(centre=centre).values_list("sessions_held", flat=True))

    assert held(MonthlyStatistic, cast.centre) == 2
    assert held(MonthlyStatistic, cast.other_centre) == 5
    assert held(QuarterlyStatistic, cast.centre) == 2
    assert held(QuarterlyStatistic, cast.other_centre) == 5


def _due(*centres):
    items = []
    for centre in centres:
        items += retention_review(centre=centre, today=TODAY).due
    return items


def test_a_record_held_or_used_since_the_review_is_spared_and_the_other_centres_go(cast):
    third = CentreFactory()
    stories = {
        c.pk: family_history(c, years_ago(4), by=cast.coordinator)
        for c in (cast.centre, cast.other_centre, third)
    }
    items = _due(cast.centre, cast.other_centre, third)
    assert len(items) == 3
    ConcernFactory(
        family=stories[cast.other_centre.pk].family,
        raised_by=cast.coordinator,
        status=Concern.Status.OPEN,
    )
    Family.objects.filter(pk=stories[third.pk].family.pk).update(
        last_activity=at_noon(TODAY - datetime.timedelta(days=1))
    )
    centres = {c.pk: c for c in (cast.centre, cast.other_centre, third)}
    doomed = destroy_batch(items, centres, TODAY, None, None)
    assert [i.record_id for i in doomed] == [stories[cast.centre.pk].family.pk]
    assert set(Family.objects.values_list("pk", flat=True)) == {
        stories[cast.other_centre.pk].family.pk,
        stories[third.pk].family.pk,
    }
    assert list(DestructionRecord.objects.values_list("centre_id", flat=True)) == [cast.centre.pk]


def test_a_volunteer_recheck_uses_each_centres_own_period(cast):
    cast.other_centre.volunteer_retention_years = 10
    cast.other_centre.save()
    here = resigned_volunteer(cast.centre, years_ago(6))
    there = resigned_volunteer(cast.other_centre, years_ago(6))
    (mine,) = _due(cast.centre)
    # the other centre's volunteer passed off as due: its ten years are not up
    theirs = replace(mine, record_id=there.pk, centre_id=cast.other_centre.pk)
    centres = {cast.centre.pk: cast.centre, cast.other_centre.pk: cast.other_centre}
    doomed = destroy_batch([mine, theirs], centres, TODAY, None, None)
    assert [i.record_id for i in doomed] == [here.pk]
    left = Volunteer.objects.filter(pk__in=[here.pk, there.pk]).values_list("pk", flat=True)
    assert set(left) == {there.pk}


def test_a_failure_in_a_batch_leaves_every_centres_records_whole(cast):
    centres = [cast.centre, cast.other_centre, CentreFactory()]
    stories = [family_history(c, years_ago(4), by=cast.coordinator) for c in centres]
    before = {s.family.pk: family_rows(s.family.pk) for s in stories}
    seen = []

    def die_on_the_last(item):
        seen.append(item.centre_id)
        if len(seen) == len(stories):
            raise RuntimeError("killed")

    with pytest.raises(RuntimeError, match="killed"):
        retention_run(today=TODAY, on_record=die_on_the_last)
    assert sorted(seen) == sorted(c.pk for c in centres)  # all three in the one batch
    for pk, rows in before.items():
        assert family_rows(pk) == rows and any_rows(rows)
    assert not DestructionRecord.objects.exists()
    assert not MonthlyStatistic.objects.exists() and not QuarterlyStatistic.objects.exists()


def test_police_visits_of_two_centres_go_in_one_batch_each_by_its_own_period(cast):
    cast.other_centre.family_retention_years = 6
    cast.other_centre.save()
    here = PoliceVisitFactory(centre=cast.centre, occurred_at=at_noon(years_ago(4)))
    there = PoliceVisitFactory(centre=cast.other_centre, occurred_at=at_noon(years_ago(4)))
    (mine,) = _due(cast.centre)
    theirs = replace(mine, record_id=there.pk, centre_id=cast.other_centre.pk)  # not yet due
    centres = {cast.centre.pk: cast.centre, cast.other_centre.pk: cast.other_centre}
    doomed = destroy_batch([mine, theirs], centres, TODAY, None, None)
    assert [i.record_id for i in doomed] == [here.pk]
    assert list(PoliceVisit.objects.values_list("pk", flat=True)) == [there.pk]
    entry = DestructionRecord.objects.get()
    assert (entry.centre_id, entry.rule) == (
        cast.centre.pk,
        "CHE-10 / CHE-DP5: 3 years after the visit",
    )
