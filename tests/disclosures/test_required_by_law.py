""" "Required by law" is accountable (issue 14, point 3; Chichester CHI-4.5): a release on this
ground needs its legal basis (an order or statute and its reference), the authority asking
and a written reason; it is notified and acknowledged like break-glass and listed with them."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from cccc.models import AccessLog
from disclosures import request_services as services
from disclosures.models import DisclosureRequest
from tests.disclosures.test_requests import decide, receive

pytestmark = pytest.mark.django_db

BASIS = {
    "legal_basis": "court_order",
    "legal_reference": "Order of 3 March, case BN26P00123",
    "legal_authority": "Family Court at Brighton",
    "legal_reason": "The order directs the centre to give the mother's address to the court.",
}


@pytest.fixture
def court_request(cast, family, mum):
    return receive(
        cast, family, requester_type="court", category="contact_details",
        contact_items=["address"], subject_adult=mum,
    )  # fmt: skip


def test_a_bare_tick_is_refused_naming_what_is_missing_and_nothing_is_saved(
    cast, login, court_request
):
    response = decide(
        login(cast.coordinator), court_request, permitted="yes", required_by_law="on",
        released="Address",
    )  # fmt: skip
    html = response.content.decode()
    for missing in ["legal basis", "reference", "authority", "reason"]:
        assert missing in html.lower()
    court_request.refresh_from_db()
    assert court_request.is_open
    assert not AccessLog.objects.filter(action=AccessLog.Action.BREAK_GLASS).exists()


def test_the_service_refuses_a_bare_tick_too(cast, court_request):
    with pytest.raises(ValidationError) as refused:
        services.request_decide(
            request=court_request, by=cast.coordinator, permitted=True, required_by_law=True,
            released="Address",
        )  # fmt: skip
    assert {"legal_basis", "legal_reference", "legal_authority", "legal_reason"} <= set(
        refused.value.message_dict
    )
    assert DisclosureRequest.objects.get(pk=court_request.pk).is_open


def test_a_release_required_by_law_keeps_its_basis_and_the_chair_is_told(
    cast, login, court_request, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            login(cast.coordinator), court_request, permitted="yes", required_by_law="on",
            released="Address, by order", **BASIS,
        )  # fmt: skip
    req = DisclosureRequest.objects.get(pk=court_request.pk)
    assert (req.ground, req.clauses, req.legal_basis) == (
        "required_by_law",
        "CHI-4.5",
        "court_order",
    )
    assert req.legal_reference == BASIS["legal_reference"]
    assert req.legal_authority == BASIS["legal_authority"]
    assert req.break_glass_reason == BASIS["legal_reason"]
    assert [m.to for m in mail.outbox] == [[cast.chair.email]]
    assert "Brighton" not in mail.outbox[0].body and "BN26" not in mail.outbox[0].body


def test_it_is_listed_with_the_exceptions_and_acknowledged_by_the_chair(cast, login, court_request):
    client = login(cast.coordinator)
    decide(client, court_request, permitted="yes", required_by_law="on", released="Address",
           **BASIS)  # fmt: skip
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert f"Release #{court_request.pk}" in dashboard
    register = client.get(reverse("disclosure_register")).content.decode()
    assert "Required by law" in register
    chair = login(cast.chair)
    assert f"Release #{court_request.pk}" in chair.get(reverse("committee")).content.decode()
    chair.post(reverse("break_glass_acknowledge", args=[court_request.pk]))
    court_request.refresh_from_db()
    assert court_request.chair_acknowledged_by == cast.chair


def test_the_release_page_shows_the_legal_basis_to_the_coordinator(cast, login, court_request):
    client = login(cast.coordinator)
    decide(client, court_request, permitted="yes", required_by_law="on", released="Address",
           **BASIS)  # fmt: skip
    page = client.get(reverse("disclosure_request_detail", args=[court_request.pk]))
    html = page.content.decode()
    assert "Family Court at Brighton" in html and "BN26P00123" in html
