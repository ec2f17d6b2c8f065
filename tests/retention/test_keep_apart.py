"""A keep-apart flag between an adult of a destroyed family and an adult of a family still in
use stays on the live family, as "kept apart from an adult of a destroyed record": scheduling
still honours it, the coordinator sees it on the retention screen, the register records it."""

import datetime

import pytest
from django.urls import reverse

from families.models import KeepApart
from families.scheduling import flagged_pairs, plan_session
from retention.models import DestructionRecord
from retention.services import retention_run
from tests.factories import KeepApartFactory
from tests.retention.conftest import TODAY, family_history, years_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def across(cast):
    """Dad of a family unused for four years, flagged against mum of a family in use."""
    gone = family_history(cast.centre, years_ago(4), by=cast.coordinator, keep_apart=False)
    live = family_history(cast.centre, TODAY - datetime.timedelta(days=7), by=cast.coordinator)
    KeepApartFactory(adult_a=gone.adults[1], adult_b=live.adults[0], centre=cast.centre,
                     created_by=cast.coordinator)  # fmt: skip
    return gone, live


def test_the_flag_stays_on_the_live_family_as_kept_apart_from_a_destroyed_record(across):
    gone, live = across
    retention_run(today=TODAY)
    mum = live.adults[0]
    kept = KeepApart.objects.get(adult_a=mum, adult_b__isnull=True)
    assert kept.other_destroyed_on == TODAY
    assert "kept apart from an adult of a destroyed record" in kept.describe()
    assert not KeepApart.objects.filter(adult_b_id=gone.adults[1].pk).exists()
    assert not KeepApart.history.filter(adult_a_id=gone.adults[1].pk).exists()
    assert not KeepApart.history.filter(adult_b_id=gone.adults[1].pk).exists()


def test_scheduling_still_keeps_the_live_adult_apart(across, cast):
    _, live = across
    retention_run(today=TODAY)
    mum, dad = live.adults
    pairs = flagged_pairs([mum.pk, dad.pk])
    plans = plan_session(
        starts_at=datetime.time(10),
        ends_at=datetime.time(12),
        adults=[mum],
        bringing=mum,
        gap=cast.centre.keep_apart_gap_minutes,
        handover=cast.centre.handover_minutes,
        pairs={pair for pair in pairs if None in pair},
    )
    assert plans[0].leaves_at is not None  # hands the child over and leaves, as flagged


def test_the_register_and_the_retention_screen_say_so(across, cast, login):
    gone, live = across
    retention_run(today=TODAY)
    entry = DestructionRecord.objects.get(record_id=gone.family.pk)
    assert entry.keep_apart_kept == 1
    page = login(cast.coordinator).get(reverse("retention_screen")).content.decode()
    assert "Kept apart from an adult of a destroyed record" in page
    assert live.family.reference in page


def test_a_flag_within_the_destroyed_family_goes_with_it(cast):
    gone = family_history(cast.centre, years_ago(4), by=cast.coordinator)  # mum and dad flagged
    retention_run(today=TODAY)
    assert not KeepApart.objects.exists()
    assert DestructionRecord.objects.get(record_id=gone.family.pk).keep_apart_kept == 0


def test_the_flag_stays_whichever_side_of_it_the_destroyed_adult_is(cast):
    live = family_history(cast.centre, TODAY - datetime.timedelta(days=7), by=cast.coordinator)
    gone = family_history(cast.centre, years_ago(4), by=cast.coordinator, keep_apart=False)
    assert live.adults[0].pk < gone.adults[1].pk  # the destroyed adult is the flag's adult_b
    KeepApartFactory(adult_a=live.adults[0], adult_b=gone.adults[1], centre=cast.centre,
                     created_by=cast.coordinator)  # fmt: skip
    retention_run(today=TODAY)
    kept = KeepApart.objects.get(adult_a=live.adults[0], adult_b__isnull=True)
    assert kept.other_destroyed_on == TODAY
    assert DestructionRecord.objects.get(record_id=gone.family.pk).keep_apart_kept == 1


def test_a_flag_between_two_destroyed_families_goes_with_them(cast):
    one, two = (
        family_history(c, years_ago(4), by=cast.coordinator, keep_apart=False)
        for c in (cast.centre, cast.centre)
    )
    KeepApartFactory(adult_a=one.adults[0], adult_b=two.adults[0], centre=cast.centre,
                     created_by=cast.coordinator)  # fmt: skip
    retention_run(today=TODAY)
    assert not KeepApart.objects.exists()
    assert set(DestructionRecord.objects.values_list("keep_apart_kept", flat=True)) == {0}
