"""The keep-apart scheduler's parts (families/scheduling.py), called directly: plans and their
windows, the minute-of-day bounds, and how clashes are found and told. The booking itself is
tested in tests/families/test_scheduling.py."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from families.scheduling import (
    Clash,
    Plan,
    Presence,
    as_time,
    find_clashes,
    flagged_pairs,
    hhmm,
    plan_session,
)
from tests.factories import AdultFactory, FamilyFactory, KeepApartFactory
from tests.families.test_scheduling import DAY, book, family_of, t

pytestmark = pytest.mark.django_db


# --- minutes of the day ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "text"),
    [(0, "00:00"), (9 * 60 + 5, "09:05"), (10 * 60 + 59, "10:59"), (1439, "23:59")],
)
def test_minutes_of_the_day_read_as_hours_and_minutes(total, text):
    assert hhmm(total) == text


@pytest.mark.parametrize("total", [0, 1, 9 * 60 + 5, 24 * 60 - 1])
def test_every_minute_from_midnight_to_23_59_is_a_time_of_the_day(total):
    assert as_time(total) == datetime.time(total // 60, total % 60)


@pytest.mark.parametrize("total", [-1, -60, 24 * 60, 24 * 60 + 1, 25 * 60])
def test_a_minute_before_midnight_or_from_the_next_midnight_on_is_refused(total):
    with pytest.raises(ValueError) as refused:
        as_time(total)
    assert str(refused.value) == "The plan runs past midnight; choose an earlier or later time."


def test_a_plan_may_begin_at_midnight_and_end_at_23_59(cast):
    _, (resident, other) = family_of(cast.centre, "resident", "non_resident")
    bringing, _ = plan_session(
        starts_at=t("00:15"),
        ends_at=t("23:44"),
        adults=[resident, other],
        bringing=resident,
        gap=15,
        handover=10,
        pairs=set(),
    )
    assert (bringing.arrives_at, bringing.departs_at) == (0, 24 * 60 - 1)


# --- plans ----------------------------------------------------------------------------------


def plan(**times) -> Plan:
    return Plan(adult=None, brings_child=True, **times)


def test_a_plan_is_one_stay_unless_it_has_both_a_handover_and_a_return():
    assert plan(arrives_at=600, departs_at=720).windows() == [(600, 720)]
    assert plan(arrives_at=600, departs_at=720, leaves_at=610).windows() == [(600, 720)]
    assert plan(arrives_at=600, departs_at=720, returns_at=710).windows() == [(600, 720)]
    both = plan(arrives_at=600, departs_at=720, leaves_at=610, returns_at=710)
    assert both.windows() == [(600, 610), (710, 720)]


def test_a_handover_at_the_first_minute_of_the_day_still_splits_the_stay():
    early = plan(arrives_at=0, leaves_at=0, returns_at=120, departs_at=130)
    assert early.windows() == [(0, 0), (120, 130)]


def test_the_adult_bringing_the_child_is_planned_first_and_only_once(cast):
    _, (resident, other, visitor) = family_of(cast.centre, "resident", "non_resident", "visitor")
    plans = plan_session(
        starts_at=t("10:00"),
        ends_at=t("11:00"),
        adults=[other, resident, visitor],
        bringing=resident,
        gap=15,
        handover=10,
        pairs=set(),
    )
    assert [(p.adult, p.brings_child) for p in plans] == [
        (resident, True),
        (other, False),
        (visitor, False),
    ]


def test_a_flag_between_two_visitors_does_not_send_the_adult_bringing_the_child_away(cast):
    _, (resident, other, visitor) = family_of(cast.centre, "resident", "non_resident", "visitor")
    KeepApartFactory(adult_a=other, adult_b=visitor)
    adults = [resident, other, visitor]
    bringing = plan_session(
        starts_at=t("10:00"),
        ends_at=t("11:00"),
        adults=adults,
        bringing=resident,
        gap=15,
        handover=10,
        pairs=flagged_pairs(a.pk for a in adults),
    )[0]
    assert (bringing.leaves_at, bringing.returns_at) == (None, None)


def test_flagged_pairs_are_those_touching_the_adults_asked_about(cast):
    _, (a, b) = family_of(cast.centre, "resident", "non_resident")
    c, d = AdultFactory(family=FamilyFactory(centre=cast.centre)), AdultFactory()
    KeepApartFactory(adult_a=a, adult_b=b)
    KeepApartFactory(adult_a=c, adult_b=d)
    assert flagged_pairs([b.pk]) == {(a.pk, b.pk)}
    assert flagged_pairs(x for x in [a.pk, d.pk]) == {(a.pk, b.pk), (c.pk, d.pk)}
    assert flagged_pairs([]) == set()


# --- clashes --------------------------------------------------------------------------------


def presence(adult_id, start, end, label="CHI-2030-0001 resident parent"):
    return Presence(adult_id, label, start, end)


def test_a_clash_tells_both_adults_their_times_and_the_gap():
    clash = Clash(
        presence(1, 9 * 60 + 5, 12 * 60 + 15, "CHI-2030-0001 resident parent"),
        presence(2, 10 * 60, 11 * 60, "CHI-2030-0002 named visitor"),
        20,
    )
    assert clash.message() == (
        "CHI-2030-0001 resident parent (09:05–12:15) and CHI-2030-0002 named visitor "
        "(10:00–11:00) must be kept apart, and would be in the building within 20 minutes of "
        "each other."
    )


def test_an_adult_never_clashes_with_themselves_across_their_own_handover(cast):
    """Even told that an adult is to be kept apart from themselves, the scheduler compares
    people, not one adult's own windows (arrival and return) or their other bookings."""
    cast.centre.keep_apart_gap_minutes = 300
    family, (resident,) = family_of(cast.centre, "resident")
    book(family, [resident], start="14:00", end="15:00", by=cast.coordinator)
    plans = [Plan(resident, True, arrives_at=560, departs_at=680, leaves_at=570, returns_at=670)]
    pairs = {(resident.pk, resident.pk)}
    assert find_clashes(centre=cast.centre, date=DAY, plans=plans, pairs=pairs) == []


def test_a_clash_is_reported_once_for_each_pair(cast):
    family_a, (mother,) = family_of(cast.centre, "resident")
    family_b, (father,) = family_of(cast.centre, "resident")
    KeepApartFactory(adult_a=mother, adult_b=father)
    book(family_b, [father], start="10:00", end="12:00", by=cast.coordinator)
    plans = [Plan(mother, True, 10 * 60, 11 * 60)]
    pairs = flagged_pairs([mother.pk])
    clashes = find_clashes(centre=cast.centre, date=DAY, plans=plans, pairs=pairs)
    assert [(c.first.adult_id, c.second.adult_id, c.gap) for c in clashes] == [
        (mother.pk, father.pk, 15)
    ]


def test_two_flagged_adults_of_one_booking_are_one_clash(cast):
    _, (resident, other, visitor) = family_of(cast.centre, "resident", "non_resident", "visitor")
    KeepApartFactory(adult_a=other, adult_b=visitor)
    plans = [Plan(a, a == resident, 10 * 60, 11 * 60) for a in (resident, other, visitor)]
    pairs = flagged_pairs([resident.pk, other.pk, visitor.pk])
    clashes = find_clashes(centre=cast.centre, date=DAY, plans=plans, pairs=pairs)
    assert [(c.first.adult_id, c.second.adult_id, c.gap) for c in clashes] == [
        (other.pk, visitor.pk, 15)
    ]


def test_finding_clashes_reads_the_days_bookings_in_a_fixed_number_of_queries(cast):
    family_a, (mother,) = family_of(cast.centre, "resident")
    fathers = []
    for start in ["08:00", "13:00", "16:00"]:
        family_b, (father,) = family_of(cast.centre, "resident")
        KeepApartFactory(adult_a=mother, adult_b=father)
        book(family_b, [father], start=start, end=start[:2] + ":30", by=cast.coordinator)
        fathers.append(father)
    plans = [Plan(mother, True, 10 * 60, 11 * 60)]

    def queries(pairs):
        with CaptureQueriesContext(connection) as captured:
            find_clashes(centre=cast.centre, date=DAY, plans=plans, pairs=pairs)
        return len(captured)

    one = queries({(mother.pk, fathers[0].pk)})
    assert queries(flagged_pairs([mother.pk])) == one


def test_with_no_flagged_pair_there_is_no_clash_and_no_query(cast, django_assert_num_queries):
    _, (resident,) = family_of(cast.centre, "resident")
    plans = [Plan(resident, True, 10 * 60, 11 * 60)]
    with django_assert_num_queries(0):
        assert find_clashes(centre=cast.centre, date=DAY, plans=plans, pairs=set()) == []
