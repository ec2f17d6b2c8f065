"""Assessment agreements (CHI-4.6, CHE-7): the register, and a request to assess a family on
the premises refused through the policy unless a live agreement with that agency for that
family is on record, in both policy variants."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from disclosures import assessment_services, request_services
from disclosures.models import AssessmentAgreement, DisclosureRequest
from tests.factories import AssessmentAgreementFactory, FamilyFactory

pytestmark = pytest.mark.django_db

VARIANTS = [("centre", "coordinator", "CHI-4.6"), ("other_centre", "other_coordinator", "CHE-7")]
AGENCY = "CAFCASS South"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture(params=VARIANTS, ids=["chichester", "chesterfield"])
def setting(request, cast):
    centre_attr, coordinator_attr, clause = request.param
    centre, coordinator = getattr(cast, centre_attr), getattr(cast, coordinator_attr)
    return {
        "centre": centre,
        "coordinator": coordinator,
        "clause": clause,
        "family": FamilyFactory(centre=centre),
    }


def receive(setting, agency=AGENCY):
    return request_services.request_receive(
        family=setting["family"], by=setting["coordinator"], requester_type="agency",
        requester_name="Sam Assessor", requester_agency=agency, received_via="email",
        category="assessment", detail="Asks to observe contact on Saturday.",
    )  # fmt: skip


def test_without_an_agreement_an_assessment_is_refused(setting):
    req = receive(setting)
    assert (req.proposed_permitted, req.proposed_ground) == (False, "no_assessment_agreement")
    assert req.proposed_clauses == setting["clause"]
    with pytest.raises(request_services.Refused):
        request_services.request_decide(
            request=req, by=setting["coordinator"], permitted=True, released="Room 2 booked"
        )
    decided = request_services.request_decide(
        request=req, by=setting["coordinator"], permitted=False
    )
    assert (decided.permitted, decided.ground, decided.clauses) == (
        False, "no_assessment_agreement", setting["clause"],
    )  # fmt: skip
    assert "not allowed without a specific agreement" in decided.refusal_text


def test_a_live_agreement_with_that_agency_permits_it(setting):
    AssessmentAgreementFactory(family=setting["family"], agency=AGENCY)
    req = receive(setting, agency="  cafcass   SOUTH ")
    assert (req.proposed_permitted, req.proposed_ground) == (True, "assessment_agreement")
    decided = request_services.request_decide(
        request=req, by=setting["coordinator"], permitted=True, released="Room 2 on Saturday"
    )
    assert (decided.permitted, decided.ground, decided.clauses) == (
        True, "assessment_agreement", setting["clause"],
    )  # fmt: skip


@pytest.mark.parametrize(
    "agreement",
    [
        {"agency": "Another Agency"},
        {"other_family": True},
        {"valid_from": days(-60), "valid_until": days(-1)},
        {"valid_from": days(1), "valid_until": days(30)},
        {"ended_on": days(0)},
    ],
    ids=["another-agency", "another-family", "ran-out", "not-yet", "ended-today"],
)
def test_an_agreement_that_does_not_cover_the_request_permits_nothing(setting, agreement):
    family, agreement = setting["family"], dict(agreement)
    if agreement.pop("other_family", False):
        family = FamilyFactory(centre=setting["centre"])
    AssessmentAgreementFactory(family=family, **({"agency": AGENCY} | agreement))
    req = receive(setting)
    assert req.proposed_permitted is False
    with pytest.raises(request_services.Refused):
        request_services.request_decide(
            request=req, by=setting["coordinator"], permitted=True, released="Room 2"
        )


def test_an_agreement_ended_while_a_request_waits_refuses_it_at_decision(cast, setting):
    agreement = AssessmentAgreementFactory(family=setting["family"], agency=AGENCY)
    req = receive(setting)
    assert req.proposed_permitted is True
    assessment_services.assessment_agreement_end(agreement=agreement, by=setting["coordinator"])
    with pytest.raises(request_services.Refused):
        request_services.request_decide(
            request=req, by=setting["coordinator"], permitted=True, released="Room 2"
        )


def test_the_request_page_shows_the_policy_permitting_it_under_the_agreement(cast, login):
    family = FamilyFactory(centre=cast.centre)
    AssessmentAgreementFactory(family=family, agency=AGENCY)
    client = login(cast.coordinator)
    response = client.post(
        reverse("disclosure_request_create", args=[family.pk]),
        {"requester_type": "agency", "requester_agency": AGENCY, "received_via": "phone",
         "received_on": timezone.localdate().isoformat(), "category": "assessment"},
    )  # fmt: skip
    req = DisclosureRequest.objects.get()
    html = client.get(response.url).content.decode()
    assert "A recorded agreement allows this agency to assess" in html
    assert req.proposed_ground == "assessment_agreement"


# --- the register ------------------------------------------------------------------------------


def test_the_coordinator_records_an_agreement_by_family_reference(cast, login):
    family = FamilyFactory(centre=cast.centre)
    response = login(cast.coordinator).post(
        reverse("assessment_create"),
        {"family_reference": family.reference, "agency": " CAFCASS   South ",
         "valid_from": days(0).isoformat(), "valid_until": days(30).isoformat(),
         "terms": "Saturdays, room 2"},
    )  # fmt: skip
    assert response.status_code == 302
    agreement = AssessmentAgreement.objects.get()
    assert (agreement.family, agreement.agency, agreement.terms) == (
        family, "CAFCASS South", "Saturdays, room 2",
    )  # fmt: skip
    assert agreement.is_live(days(0)) and not agreement.is_live(days(31))


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"valid_until": days(-1).isoformat()}, "valid_until", "end on or after"),
        ({"valid_from": "2026-02-30"}, "valid_from", "Enter a date like"),
        ({"family_reference": ""}, "family_reference", "required"),
        ({"family_reference": "OTH-2026-0001"}, "family_reference", "No family of this centre"),
        ({"agency": "   "}, "agency", "required"),
    ],
)
def test_the_form_explains_every_error(cast, login, fields, field, message):
    FamilyFactory(centre=cast.other_centre, reference="OTH-2026-0001")
    family = FamilyFactory(centre=cast.centre)
    data = {
        "family_reference": family.reference, "agency": AGENCY,
        "valid_from": days(0).isoformat(), "valid_until": days(30).isoformat(),
    } | fields  # fmt: skip
    response = login(cast.coordinator).post(reverse("assessment_create"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not AssessmentAgreement.objects.exists()


def test_the_register_shows_the_centres_agreements_and_ends_one(cast, login):
    mine = AssessmentAgreementFactory(family=FamilyFactory(centre=cast.centre))
    AssessmentAgreementFactory(
        family=FamilyFactory(centre=cast.other_centre), agency="Elsewhere Agency Qz1"
    )
    client = login(cast.coordinator)
    html = client.get(reverse("assessment_list")).content.decode()
    assert mine.family.reference in html and "In force" in html
    assert "Elsewhere Agency Qz1" not in html
    client.post(reverse("assessment_end", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.ended_on == timezone.localdate()
    assert not AssessmentAgreement.objects.live().filter(pk=mine.pk).exists()
    with pytest.raises(ValidationError):
        assessment_services.assessment_agreement_end(agreement=mine, by=cast.coordinator)


def test_the_register_costs_the_same_with_many_agreements(
    cast, login, django_assert_max_num_queries
):
    client = login(cast.coordinator)
    AssessmentAgreementFactory(family=FamilyFactory(centre=cast.centre))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("assessment_list"))
    for _ in range(6):
        AssessmentAgreementFactory(family=FamilyFactory(centre=cast.centre))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("assessment_list")).content.decode()
    assert html.count("CAFCASS South") == 7
