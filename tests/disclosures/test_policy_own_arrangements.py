"""A person's own arrangements (issue 18): the policy gives an adult their own session dates
and times, under their variant's clauses, and gives nobody else anyone's."""

import pytest

from disclosures.policy import Category, Ground, Request, Requester, Variant, decide

C = Category.OWN_ARRANGEMENTS
CLAUSES = {
    Variant.CHICHESTER: ("CHI-4.1", "CHI-4.5"),
    Variant.CHESTERFIELD: ("CHE-5", "CHE-DP6"),
    Variant.NACCC: ("NAC-4", "NAC-DP6"),
}


@pytest.mark.parametrize("variant", list(Variant))
def test_an_adult_is_given_their_own_arrangements(variant):
    decision = decide(Request(variant, Requester.DATA_SUBJECT, C))
    assert (decision.permitted, decision.ground) == (True, Ground.OWN_ARRANGEMENTS)
    assert decision.clauses == CLAUSES[variant]


@pytest.mark.parametrize("variant", list(Variant))
@pytest.mark.parametrize("requester", [r for r in Requester if r != Requester.DATA_SUBJECT])
def test_nobody_else_is_given_anyones_arrangements_whatever_is_on_record(variant, requester):
    everything = frozenset(Ground)
    decision = decide(Request(variant, requester, C, grounds=everything))
    assert not decision.permitted and decision.ground == Ground.CONFIDENTIAL


def test_the_request_form_does_not_offer_them_and_the_service_refuses_them(cast):
    from django.core.exceptions import ValidationError

    from disclosures.forms import CATEGORIES
    from disclosures.request_services import request_receive
    from tests.factories import AdultFactory, FamilyFactory

    assert C.value not in dict(CATEGORIES)
    adult = AdultFactory(family=FamilyFactory(centre=cast.centre))
    with pytest.raises(ValidationError, match="arrangement letter"):
        request_receive(
            family=adult.family, by=cast.coordinator, requester_type="former_partner",
            requester_name="Someone", received_via="phone", category=C.value,
            subject_adult=adult,
        )  # fmt: skip
