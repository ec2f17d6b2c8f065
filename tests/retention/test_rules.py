"""SPEC §8 as data (retention/rules.py): each rule's period, due date and name, and the day
boundaries in the installation's time zone."""

import datetime
import zoneinfo

import pytest
from django.test import override_settings
from django.utils import timezone

from retention import rules
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    return CentreFactory(family_retention_years=3, volunteer_retention_years=6)


def test_each_rule_reads_its_period_from_the_centre_and_the_accident_book_has_none(centre):
    assert rules.FAMILY.years(centre) == 3
    assert rules.VOLUNTEER.years(centre) == 6
    assert rules.ACCIDENT_BOOK.years(centre) is None


def test_a_rule_is_named_as_the_register_records_it(centre):
    assert rules.FAMILY.name(centre) == "CHI-4.9 / CHE-10 / CHE-DP5: 3 years after last use"
    assert rules.VOLUNTEER.name(centre) == "CHI-4.9 / CHE-10 / CHE-DP5: 6 years after resignation"
    assert rules.ACCIDENT_BOOK.name(centre) == "CHI-4.9: kept forever"
    centre.family_retention_years = 1
    assert rules.FAMILY.name(centre) == "CHI-4.9 / CHE-10 / CHE-DP5: 1 year after last use"


def test_a_record_is_due_its_period_in_years_after_its_clock_started(centre):
    assert rules.FAMILY.due_on(centre, datetime.date(2023, 6, 15)) == datetime.date(2026, 6, 15)
    assert rules.FAMILY.due_on(centre, datetime.date(2024, 2, 29)) == datetime.date(2027, 2, 28)
    assert rules.ACCIDENT_BOOK.due_on(centre, datetime.date(2020, 1, 1)) is None


@pytest.mark.parametrize(
    ("today", "last"),
    [
        (datetime.date(2026, 6, 15), datetime.date(2023, 6, 15)),
        (datetime.date(2027, 2, 28), datetime.date(2024, 2, 29)),  # 28 and 29 Feb 2024
        (datetime.date(2027, 2, 27), datetime.date(2024, 2, 27)),
        (datetime.date(2027, 3, 1), datetime.date(2024, 3, 1)),
    ],
)
def test_the_last_clock_day_due_today_is_the_latest_start_whose_record_is_due(centre, today, last):
    assert rules.FAMILY.last_clock_day_due(centre, today) == last
    assert rules.FAMILY.due_on(centre, last) <= today
    assert rules.FAMILY.due_on(centre, last + datetime.timedelta(days=1)) > today


def test_the_accident_book_has_no_last_clock_day(centre):
    assert rules.ACCIDENT_BOOK.last_clock_day_due(centre, datetime.date(2026, 6, 15)) is None


@override_settings(TIME_ZONE="Europe/London")
def test_days_are_the_installations_not_utcs():
    late_in_summer = datetime.datetime(2026, 6, 15, 23, 30, tzinfo=datetime.UTC)
    assert rules.local_day(late_in_summer) == datetime.date(2026, 6, 16)
    start = rules.start_of_day_after(datetime.date(2026, 6, 15))
    london = zoneinfo.ZoneInfo("Europe/London")
    assert start == datetime.datetime(2026, 6, 16, 0, 0, tzinfo=london)
    assert timezone.is_aware(start)
