"""CHE-1 outside the form: the service records only what the adult actually ticked and
refuses anything but both rules, and the database refuses a row with either rule unticked.
An import, a script or the coming CSV onboarding cannot record an acknowledgement nobody
gave."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from families.models import RulesAcknowledgement
from families.services import acknowledgement_record
from tests.factories import AdultFactory, RulesAcknowledgementFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 1, 12)


@pytest.mark.parametrize(
    ("no_recording", "no_discussing_others", "missing"),
    [
        (False, True, ["no_recording"]),
        (True, False, ["no_discussing_others"]),
        (False, False, ["no_discussing_others", "no_recording"]),
    ],
)
def test_the_service_refuses_an_acknowledgement_without_both_rules_and_names_the_missing_one(
    cast, family, no_recording, no_discussing_others, missing
):
    adult = AdultFactory(family=family)
    with pytest.raises(ValidationError) as refused:
        acknowledgement_record(
            adult=adult,
            acknowledged_on=DAY,
            by=cast.coordinator,
            no_recording=no_recording,
            no_discussing_others=no_discussing_others,
        )
    assert sorted(refused.value.message_dict) == missing
    for messages in refused.value.message_dict.values():
        assert all("(CHE-1)" in message for message in messages)
    assert not RulesAcknowledgement.objects.exists()


def test_the_service_refuses_a_truthy_value_that_is_not_a_tick(cast, family):
    with pytest.raises(ValidationError, match="recording"):
        acknowledgement_record(
            adult=AdultFactory(family=family),
            acknowledged_on=DAY,
            by=cast.coordinator,
            no_recording="no",  # type: ignore[arg-type]
            no_discussing_others=True,
        )
    assert not RulesAcknowledgement.objects.exists()


def test_the_service_records_both_rules_when_both_are_ticked(cast, family):
    ack = acknowledgement_record(
        adult=AdultFactory(family=family),
        acknowledged_on=DAY,
        by=cast.coordinator,
        no_recording=True,
        no_discussing_others=True,
    )
    ack.refresh_from_db()
    assert (ack.no_recording, ack.no_discussing_others) == (True, True)


@pytest.mark.parametrize("unticked", ["no_recording", "no_discussing_others"])
def test_the_database_refuses_an_acknowledgement_with_a_rule_unticked(family, unticked):
    adult = AdultFactory(family=family)
    ack = RulesAcknowledgementFactory.build(adult=adult, **{unticked: False})
    ack.recorded_by.save()
    with pytest.raises(IntegrityError, match="acknowledgement_accepts_both_rules"):
        ack.save()
