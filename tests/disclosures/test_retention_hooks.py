"""What retention (SPEC §8) needs from disclosures: an open request is a legal hold, and a
destroyed family takes its requests and consents with it."""

import pytest

from disclosures import request_services
from disclosures.models import ConsentGrant, DisclosureRequest
from tests.factories import ConsentGrantFactory, DisclosureRequestFactory

pytestmark = pytest.mark.django_db


def test_open_requests_are_listed_as_legal_holds(cast, family):
    waiting = DisclosureRequestFactory(family=family)
    DisclosureRequestFactory(family=family, decided=True)
    assert list(DisclosureRequest.objects.open()) == [waiting]
    assert list(family.disclosure_requests.open()) == [waiting]


def test_destroying_a_family_takes_its_requests_and_consents(cast, family, mum):
    grant = ConsentGrantFactory(adult=mum, recipient_name="Bram", phone=True)
    req = request_services.request_receive(
        family=family, by=cast.coordinator, requester_type="former_partner",
        requester_name="Bram", received_via="phone", category="contact_details",
        contact_items=["phone"], subject_adult=mum,
    )  # fmt: skip
    request_services.request_decide(
        request=req, by=cast.coordinator, permitted=True, consent_grant=grant, released="Phone"
    )
    family.delete()
    assert not DisclosureRequest.objects.exists()
    assert not ConsentGrant.objects.exists()
