"""A night with nothing due costs the same few queries whatever the number of centres (issue
19, point 5: at 350 centres, reviewing every centre one by one took seconds); a centre with a
record due, or one whose period makes it due sooner than the others', is still reviewed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from families.models import Family
from retention.review import centres_to_review
from retention.services import retention_run
from tests.factories import CentreFactory, FamilyFactory
from tests.retention.conftest import TODAY, family_history, resigned_volunteer, years_ago

pytestmark = pytest.mark.django_db


def _night_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        report = retention_run(today=TODAY)
    assert report.destroyed == []
    return len(queries)


def test_a_night_with_nothing_due_sends_as_many_queries_for_eight_centres_as_for_two(cast):
    FamilyFactory(centre=cast.centre)  # used today
    _night_queries()  # the first run makes the lock's row
    few = _night_queries()
    for _ in range(6):
        FamilyFactory(centre=CentreFactory())
    assert _night_queries() == few


def test_only_the_centres_with_a_record_that_could_be_due_are_reviewed(cast):
    family_history(cast.centre, years_ago(3, days=1), by=cast.coordinator)
    quiet = [CentreFactory() for _ in range(3)]
    assert centres_to_review([cast.centre, cast.other_centre, *quiet], TODAY) == [cast.centre]
    report = retention_run(today=TODAY)
    assert len(report.destroyed) == 1


def test_a_centre_with_a_shorter_period_than_the_rest_is_still_reviewed(cast):
    cast.other_centre.family_retention_years = 6
    cast.other_centre.save()
    story = family_history(cast.centre, years_ago(3, days=1), by=cast.coordinator)
    assert centres_to_review([cast.other_centre, cast.centre], TODAY) == [cast.centre]
    assert [i.record_id for i in retention_run(today=TODAY).destroyed] == [story.family.pk]
    assert not Family.objects.filter(pk=story.family.pk).exists()


def test_a_resigned_volunteer_due_puts_the_centre_under_review(cast):
    resigned_volunteer(cast.other_centre, years_ago(3, days=1))
    assert centres_to_review([cast.centre, cast.other_centre], TODAY) == [cast.other_centre]
