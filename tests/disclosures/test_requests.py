"""Requests received by phone, letter, email or in person: the coordinator records them, the
policy proposes, the coordinator confirms; a refusal produces a letter in the policy's words;
a report for family court is always refused (CHI-4.3, CHE-3)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cccc.models import AccessLog
from disclosures import policy, request_services
from disclosures.models import DisclosureRequest
from tests.disclosures.conftest import SECRETS
from tests.factories import DisclosureRequestFactory, FamilyFactory

pytestmark = pytest.mark.django_db

COURT_WORDS = "do not make verbal or written reports for family court proceedings"


def receive(cast, family, **fields):
    values = {
        "family": family,
        "by": cast.coordinator,
        "requester_type": "agency",
        "requester_name": "Ms Ottoline Frobisher",
        "requester_agency": "Frobisher Law",
        "received_via": "letter",
        "category": "family_info",
    } | fields
    return request_services.request_receive(**values)


def form_data(**fields):
    return {
        "requester_type": "agency",
        "requester_name": "Ms Ottoline Frobisher",
        "requester_agency": "Frobisher Law",
        "received_via": "phone",
        "received_on": "2026-01-05",
        "category": "family_info",
        "detail": "Asked whether the father is a good parent.",
    } | fields


def decide(client, req, **fields):
    data = {"permitted": "no", "released": "", "subject_told": "not_yet"} | fields
    return client.post(reverse("disclosure_request_decide", args=[req.pk]), data)


# --- recording a request ----------------------------------------------------------------------


def test_the_coordinator_finds_the_family_by_reference(cast, login, family):
    client = login(cast.coordinator)
    response = client.get(
        reverse("disclosure_request_start"), {"reference": family.reference, "go": "request"}
    )
    assert response.url == reverse("disclosure_request_create", args=[family.pk])
    response = client.get(
        reverse("disclosure_request_start"),
        {"reference": family.reference.lower(), "go": "break_glass"},
    )
    assert response.url == reverse("break_glass", args=[family.pk])


def test_another_centres_reference_is_not_found(cast, login):
    theirs = FamilyFactory(centre=cast.other_centre)
    response = login(cast.coordinator).get(
        reverse("disclosure_request_start"), {"reference": theirs.reference, "go": "request"}
    )
    assert response.status_code == 200
    assert "No family of this centre has that reference." in response.content.decode()


def test_a_phone_request_is_recorded_open_with_the_policys_proposal(cast, login, family, mum):
    client = login(cast.coordinator)
    response = client.post(
        reverse("disclosure_request_create", args=[family.pk]),
        form_data(person=f"adult-{mum.pk}"),
    )
    req = DisclosureRequest.objects.get()
    assert response.url == reverse("disclosure_request_detail", args=[req.pk])
    assert req.is_open and req in DisclosureRequest.objects.open()
    assert (req.subject_adult, req.requester_name, req.requester_agency) == (
        mum, "Ms Ottoline Frobisher", "Frobisher Law",
    )  # fmt: skip
    assert (req.proposed_permitted, req.proposed_ground, req.proposed_clauses) == (
        False, "confidential", "CHI-4.1,CHI-4.4",
    )  # fmt: skip
    assert req.received_at.date().isoformat() == "2026-01-05"
    assert not AccessLog.objects.exists()  # received, not decided: nothing released yet
    html = client.get(response.url).content.decode()
    assert policy.GROUND_TEXT[policy.Ground.CONFIDENTIAL] in html
    assert "CHI-4.1, CHI-4.4" in html


def test_the_request_form_keeps_what_was_typed_and_explains_each_error(cast, login, family):
    response = login(cast.coordinator).post(
        reverse("disclosure_request_create", args=[family.pk]),
        form_data(category="contact_details", received_on="2999-01-01", person=""),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ms Ottoline Frobisher" in html
    assert "A request cannot be received in the future." in html
    assert "Choose which details are asked for." in html
    assert "Choose the adult whose contact details are asked." in html
    assert not DisclosureRequest.objects.exists()


def test_a_person_of_another_family_cannot_be_chosen(cast, login, family):
    from tests.factories import AdultFactory

    stranger = AdultFactory(family=FamilyFactory(centre=cast.centre))
    response = login(cast.coordinator).post(
        reverse("disclosure_request_create", args=[family.pk]),
        form_data(person=f"adult-{stranger.pk}"),
    )
    assert response.status_code == 200
    assert not DisclosureRequest.objects.exists()
    with pytest.raises(ValidationError):
        receive(cast, family, subject_adult=stranger)


def test_the_request_form_sends_a_persons_own_data_to_a_subject_access_request(
    cast, login, family, mum
):
    response = login(cast.coordinator).post(
        reverse("disclosure_request_create", args=[family.pk]),
        form_data(requester_type="data_subject", category="own_data", person=f"adult-{mum.pk}"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Select a valid choice" in errors["requester_type"][0]
    assert "Select a valid choice" in errors["category"][0]
    assert reverse("sar_start") in response.content.decode()
    assert not DisclosureRequest.objects.exists()


def test_the_service_refuses_own_data_outside_the_subject_access_workflow(cast, family, mum):
    with pytest.raises(ValidationError) as caught:
        receive(cast, family, requester_type="data_subject", category="own_data", subject_adult=mum)
    assert "subject access request" in str(caught.value)
    assert not DisclosureRequest.objects.exists()


def test_the_request_page_warns_that_court_reports_are_always_refused(cast, login, family):
    html = (
        login(cast.coordinator)
        .get(reverse("disclosure_request_create", args=[family.pk]))
        .content.decode()
    )
    assert COURT_WORDS in html and "CHI-4.3" in html and "witness summons" in html


# --- deciding ---------------------------------------------------------------------------------


def test_a_refusal_is_recorded_with_one_audit_entry_and_a_letter(cast, login, family, mum):
    req = receive(cast, family, subject_adult=mum)
    client = login(cast.coordinator)
    response = decide(client, req, subject_told="yes", subject_told_on="2026-01-06")
    assert response.url == reverse("disclosure_request_detail", args=[req.pk])
    req.refresh_from_db()
    assert (req.status, req.permitted, req.ground, req.clauses) == (
        "decided", False, "confidential", "CHI-4.1,CHI-4.4",
    )  # fmt: skip
    assert (req.decided_by, req.subject_told, str(req.subject_told_on)) == (
        cast.coordinator, "yes", "2026-01-06",
    )  # fmt: skip
    assert req.released == ""
    entry = AccessLog.objects.get()
    assert (entry.action, entry.record_id, entry.centre) == ("disclosure", req.pk, cast.centre)
    assert entry.detail == (
        "category=family_info ground=confidential clauses=CHI-4.1,CHI-4.4 outcome=refused"
    )
    assert "Dear Ms Ottoline Frobisher," in req.refusal_text
    assert policy.GROUND_TEXT[policy.Ground.CONFIDENTIAL] in req.refusal_text
    assert "CHI-4.1, CHI-4.4" in req.refusal_text
    html = client.get(response.url).content.decode()
    assert "We are unable to provide this information." in html
    letter = client.get(reverse("disclosure_refusal_letter", args=[req.pk]))
    assert letter.status_code == 200
    assert "Dear Ms Ottoline Frobisher," in letter.content.decode()


def test_the_audit_entry_holds_no_personal_values(cast, family, mum, dad):
    req = receive(cast, family, subject_adult=mum, detail="About Rowena Quillfeather")
    request_services.request_decide(request=req, by=cast.coordinator, permitted=False)
    detail = AccessLog.objects.get().detail
    for secret in [*SECRETS, "Ottoline", "Frobisher", "Rowena"]:
        assert secret not in detail


def test_a_decision_is_a_use_of_the_family_record(cast, family):
    req = receive(cast, family)
    family.refresh_from_db()
    before = family.last_activity
    request_services.request_decide(request=req, by=cast.coordinator, permitted=False)
    family.refresh_from_db()
    assert family.last_activity > before


def test_a_coordinator_cannot_record_a_release_the_policy_refused(cast, login, family, mum):
    req = receive(
        cast, family, requester_type="former_partner", category="contact_details",
        contact_items=["address"], subject_adult=mum,
    )  # fmt: skip
    with pytest.raises(request_services.Refused) as refused:
        request_services.request_decide(
            request=req, by=cast.coordinator, permitted=True, released="14 Larkspur Close"
        )
    assert policy.GROUND_TEXT[policy.Ground.CONFIDENTIAL] in refused.value.messages[0]
    response = decide(login(cast.coordinator), req, permitted="yes", released="14 Larkspur")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The policy refuses this request" in html and "CHI-4.5" in html
    assert "14 Larkspur" in html  # the form keeps what was typed
    req.refresh_from_db()
    assert req.is_open and req.released == ""
    assert not AccessLog.objects.exists()


def test_refusing_what_the_policy_permits_is_explained(cast, family):
    req = receive(cast, family, requester_type="referrer_of_record", category="attendance")
    with pytest.raises(ValidationError, match="The policy permits this request"):
        request_services.request_decide(request=req, by=cast.coordinator, permitted=False)
    req.refresh_from_db()
    assert req.is_open


def test_a_release_must_say_what_was_released(cast, family):
    req = receive(cast, family, requester_type="referrer_of_record", category="attendance")
    with pytest.raises(ValidationError, match="Record what was released"):
        request_services.request_decide(request=req, by=cast.coordinator, permitted=True)
    request_services.request_decide(
        request=req, by=cast.coordinator, permitted=True, released="3 dates by phone"
    )
    req.refresh_from_db()
    assert (req.permitted, req.ground, req.released) == (
        True,
        "referrer_attendance",
        "3 dates by phone",
    )
    assert req.refusal_text == ""


def test_a_decided_request_is_not_decided_again(cast, login, family):
    req = receive(cast, family)
    request_services.request_decide(request=req, by=cast.coordinator, permitted=False)
    with pytest.raises(ValidationError, match="decided already"):
        request_services.request_decide(request=req, by=cast.coordinator, permitted=False)
    response = decide(login(cast.coordinator), req)
    assert response.url == reverse("disclosure_request_detail", args=[req.pk])
    assert AccessLog.objects.count() == 1


def test_only_the_centres_coordinator_decides(cast, family):
    req = receive(cast, family)
    for outsider in [cast.chair, cast.other_coordinator, cast.referrer]:
        with pytest.raises(ValidationError):
            request_services.request_decide(request=req, by=outsider, permitted=False)
    req.refresh_from_db()
    assert req.is_open


def test_an_open_request_is_a_legal_hold_until_decided(cast, family):
    req = receive(cast, family)
    decided = DisclosureRequestFactory(family=family, decided=True)
    assert list(DisclosureRequest.objects.open()) == [req]
    assert req.is_open and not decided.is_open
    request_services.request_decide(request=req, by=cast.coordinator, permitted=False)
    assert not DisclosureRequest.objects.open().exists()


# --- required by law (Chichester only) ----------------------------------------------------------


def test_chichester_releases_contact_details_when_required_by_law(cast, login, family, mum):
    req = receive(
        cast, family, requester_type="court", category="contact_details",
        contact_items=["address"], subject_adult=mum,
    )  # fmt: skip
    client = login(cast.coordinator)
    assert (
        "Disclosure is required by law"
        in client.get(reverse("disclosure_request_detail", args=[req.pk])).content.decode()
    )
    decide(client, req, permitted="yes", required_by_law="on", released="Address, by order")
    req.refresh_from_db()
    assert (req.permitted, req.ground, req.clauses) == (True, "required_by_law", "CHI-4.5")


def test_chesterfield_has_no_required_by_law_ground(cast, login):
    from tests.factories import AdultFactory

    family = FamilyFactory(centre=cast.other_centre)
    adult = AdultFactory(family=family)
    req = request_services.request_receive(
        family=family, by=cast.other_coordinator, requester_type="court",
        requester_name="Clerk", received_via="letter", category="contact_details",
        contact_items=["address"], subject_adult=adult,
    )  # fmt: skip
    html = (
        login(cast.other_coordinator)
        .get(reverse("disclosure_request_detail", args=[req.pk]))
        .content.decode()
    )
    assert "Disclosure is required by law" not in html
    with pytest.raises(request_services.Refused):
        request_services.request_decide(
            request=req, by=cast.other_coordinator, permitted=True, required_by_law=True,
            released="Address",
        )  # fmt: skip


# --- family court -------------------------------------------------------------------------------


@pytest.mark.parametrize("requester", ["court", "agency", "former_partner", "police"])
def test_a_court_report_is_always_refused_and_the_screen_says_why(cast, login, family, requester):
    req = receive(cast, family, requester_type=requester, category="court_report")
    client = login(cast.coordinator)
    html = client.get(reverse("disclosure_request_detail", args=[req.pk])).content.decode()
    assert "Always refused." in html and COURT_WORDS in html and "CHI-4.3" in html
    assert "witness summons follows its own procedure" in html
    for grounds in [{"permitted": "yes", "released": "A short report"},
                    {"permitted": "yes", "released": "x", "exception": "child_at_risk",
                     "reason": "Worried"}]:  # fmt: skip
        response = decide(client, req, **grounds)
        assert response.status_code == 200
        assert COURT_WORDS in response.content.decode()
    req.refresh_from_db()
    assert req.is_open
    decide(client, req)
    req.refresh_from_db()
    assert (req.permitted, req.ground, req.clauses) == (False, "no_court_reports", "CHI-4.3")
    assert COURT_WORDS in req.refusal_text
    assert "witness summons" in req.refusal_text


def test_chesterfield_cites_che_3_for_a_court_report(cast):
    family = FamilyFactory(centre=cast.other_centre)
    req = request_services.request_receive(
        family=family, by=cast.other_coordinator, requester_type="court",
        requester_name="", received_via="letter", category="court_report",
    )  # fmt: skip
    request_services.request_decide(request=req, by=cast.other_coordinator, permitted=False)
    req.refresh_from_db()
    assert (req.ground, req.clauses) == ("no_court_reports", "CHE-3")
    assert req.refusal_text.startswith("Dear Sir or Madam,")


def test_a_permitted_decision_has_no_refusal_letter(cast, login, family):
    req = receive(cast, family, requester_type="referrer_of_record", category="attendance")
    request_services.request_decide(
        request=req, by=cast.coordinator, permitted=True, released="Dates"
    )
    response = login(cast.coordinator).get(reverse("disclosure_refusal_letter", args=[req.pk]))
    assert response.status_code == 404
