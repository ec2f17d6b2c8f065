"""Outsider tests for every legal and subject access view: anonymous → sign-in; every other
role, and the same role in the other centre, → 404 with nothing changed; and the roles
allowed do reach each view (so that a 404 for everyone could not pass for protection)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cccc.models import AccessLog, Role
from disclosures.forms import FamilyReferenceForm
from disclosures.legal_forms import AssessmentAgreementForm, PoliceVisitForm, SarStartForm
from disclosures.models import (
    AssessmentAgreement,
    DisclosureRequest,
    PoliceVisit,
    SarItemReview,
    SubjectAccessRequest,
    WitnessSummons,
)
from families.access import families_for
from tests.factories import (
    AdultFactory,
    AppointedVolunteerFactory,
    AssessmentAgreementFactory,
    FamilyFactory,
    PoliceVisitFactory,
    SarItemReviewFactory,
    SubjectAccessRequestFactory,
    WitnessSummonsFactory,
    membership_of,
)

pytestmark = pytest.mark.django_db

C, CH = Role.COORDINATOR, Role.CHAIR


@pytest.fixture
def world(cast):
    family = FamilyFactory(centre=cast.centre)
    adult = AdultFactory(family=family)
    sar = SubjectAccessRequestFactory(
        adult=adult, identity_checked_on=timezone.localdate(), identity_check="photo_id"
    )
    return {
        "family": family,
        "adult": adult,
        "volunteer": AppointedVolunteerFactory(centre=cast.centre),
        "summons": WitnessSummonsFactory(centre=cast.centre, family=family),
        "visit": PoliceVisitFactory(centre=cast.centre),
        "agreement": AssessmentAgreementFactory(family=family),
        "sar": sar,
        "review": SarItemReviewFactory(request=sar, item_key="person"),
    }


TODAY = timezone.localdate().isoformat()


def summons_post(w):
    return {"court": "C", "case_number": "1", "received_on": TODAY, "served": "centre",
            "recipient": "R"}  # fmt: skip


def police_post(w):
    return {"date": TODAY, "time": "00:01", "purpose": "P"}


def agreement_post(w):
    return {"family_reference": w["family"].reference, "agency": "A", "valid_from": TODAY,
            "valid_until": TODAY}  # fmt: skip


def sar_adult_post(w):
    return {"adult": w["adult"].pk, "received_on": TODAY, "received_via": "letter"}


def sar_volunteer_post(w):
    return {"volunteer": w["volunteer"].pk, "received_on": TODAY, "received_via": "letter"}


def none(w):
    return {}


# (url name, args from the world, method, data from the world, roles allowed, bound to a
# record of the home centre)
VIEWS = [
    ("legal_home", lambda w: [], "get", none, {C, CH}, False),
    ("summons_list", lambda w: [], "get", none, {C, CH}, False),
    ("summons_create", lambda w: [], "get", none, {C, CH}, False),
    ("summons_create", lambda w: [], "post", summons_post, {C, CH}, False),
    ("summons_detail", lambda w: [w["summons"].pk], "get", none, {C, CH}, True),
    ("summons_checklist", lambda w: [w["summons"].pk], "post",
     lambda w: {"letter_produced": "on", "outcome": "pending"}, {C, CH}, True),
    ("summons_letter", lambda w: [w["summons"].pk], "get", none, {C, CH}, True),
    ("summons_letter_pdf", lambda w: [w["summons"].pk], "get", none, {C, CH}, True),
    ("police_list", lambda w: [], "get", none, {C, CH}, False),
    ("police_create", lambda w: [], "get", none, {C}, False),
    ("police_create", lambda w: [], "post", police_post, {C}, False),
    ("police_detail", lambda w: [w["visit"].pk], "get", none, {C, CH}, True),
    ("assessment_list", lambda w: [], "get", none, {C}, False),
    ("assessment_create", lambda w: [], "get", none, {C}, False),
    ("assessment_create", lambda w: [], "post", agreement_post, {C}, False),
    ("assessment_end", lambda w: [w["agreement"].pk], "post", none, {C}, True),
    ("sar_list", lambda w: [], "get", none, {C}, False),
    ("sar_start", lambda w: [], "get", none, {C}, False),
    ("sar_create_adult", lambda w: [w["family"].pk], "get", none, {C}, True),
    ("sar_create_adult", lambda w: [w["family"].pk], "post", sar_adult_post, {C}, True),
    ("sar_create_volunteer", lambda w: [], "get", none, {C}, False),
    ("sar_create_volunteer", lambda w: [], "post", sar_volunteer_post, {C}, False),
    ("sar_detail", lambda w: [w["sar"].pk], "get", none, {C}, True),
    ("sar_identity", lambda w: [w["sar"].pk], "post",
     lambda w: {"checked_on": TODAY, "how": "known"}, {C}, True),
    ("sar_extend", lambda w: [w["sar"].pk], "post",
     lambda w: {"months": "1", "reason": "r"}, {C}, True),
    ("sar_review", lambda w: [w["sar"].pk], "post",
     lambda w: {"item_key": "children", "decision": "withhold", "ground": "violence",
                "reason": "r"}, {C}, True),
    ("sar_restore", lambda w: [w["sar"].pk, w["review"].pk], "post", none, {C}, True),
    ("sar_close", lambda w: [w["sar"].pk], "post", lambda w: {"reason": "withdrawn"}, {C},
     True),
    ("sar_export_json", lambda w: [w["sar"].pk], "post", none, {C}, True),
    ("sar_export_pdf", lambda w: [w["sar"].pk], "post", none, {C}, True),
]  # fmt: skip
IDS = [f"{v[0]}-{v[2]}" for v in VIEWS]


def counts():
    return (
        WitnessSummons.objects.count(),
        WitnessSummons.objects.filter(letter_produced_at__isnull=False).count(),
        PoliceVisit.objects.count(),
        AssessmentAgreement.objects.count(),
        AssessmentAgreement.objects.filter(ended_on__isnull=False).count(),
        SubjectAccessRequest.objects.count(),
        SubjectAccessRequest.objects.open().count(),
        SubjectAccessRequest.objects.filter(extension_months__gt=0).count(),
        SarItemReview.objects.count(),
        DisclosureRequest.objects.count(),
        AccessLog.objects.count(),
    )


def call(client, view, world):
    name, args, method, data, _, _ = view
    url = reverse(name, args=args(world))
    return getattr(client, method)(url, data(world))


@pytest.mark.parametrize("view", VIEWS, ids=IDS)
def test_anonymous_visitors_are_sent_to_sign_in(client, world, view):
    before = counts()
    response = call(client, view, world)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert counts() == before


@pytest.mark.parametrize("view", VIEWS, ids=IDS)
def test_every_other_role_and_the_other_centre_get_404(cast, login, world, view):
    _, _, _, _, allowed, bound = view
    outsiders = [
        user
        for user in cast.everyone()
        if user.role not in allowed or (user.centre_id != cast.centre.pk and bound)
    ]
    assert outsiders
    before = counts()
    for user in outsiders:
        response = call(login(user), view, world)
        assert response.status_code == 404, (user.email, response.status_code)
    assert counts() == before


@pytest.mark.parametrize("view", VIEWS, ids=IDS)
def test_the_roles_allowed_reach_the_view(cast, login, world, view):
    _, _, method, _, allowed, _ = view
    for user in (cast.coordinator, cast.chair):
        if user.role in allowed:
            response = call(login(user), view, world)
            expected = {200} if method == "get" else {200, 302}
            assert response.status_code in expected, (user.email, response.status_code)


@pytest.mark.parametrize(
    "name, data",
    [("assessment_create", agreement_post), ("sar_create_volunteer", sar_volunteer_post),
     ("summons_create", lambda w: summons_post(w) | {"family_reference": w["family"].reference,
                                                     "served": "volunteer",
                                                     "volunteer": w["volunteer"].pk}),
     ("police_create", lambda w: police_post(w) | {"family_reference": w["family"].reference})],
)  # fmt: skip
def test_the_other_centre_cannot_name_this_centres_family_or_volunteer_in_a_form(
    cast, login, world, name, data
):
    user = cast.other_coordinator if name != "summons_create" else cast.other_chair
    before = counts()
    response = login(user).post(reverse(name), data(world))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert counts() == before


@pytest.mark.parametrize(
    "form_class", [PoliceVisitForm, AssessmentAgreementForm, SarStartForm, FamilyReferenceForm]
)
@pytest.mark.parametrize("who", ["chair", "volunteer", "referrer", "other_coordinator"])
def test_a_family_reference_resolves_only_among_the_families_the_user_may_see(
    cast, world, form_class, who
):
    # The form is given families_for(membership): for anyone but the centre's coordinator, this
    # centre's real reference gets the same answer as one no family has.
    families = families_for(membership_of(getattr(cast, who)))
    field = "reference" if form_class is FamilyReferenceForm else "family_reference"
    answers = []
    for reference in (world["family"].reference, "HOM-2026-9999"):
        form = form_class({field: reference}, families=families)
        assert not form.is_valid()
        answers.append(form.errors[field])
    assert answers[0] == answers[1] == ["No family of this centre has that reference."]
    coordinator = form_class(
        {field: world["family"].reference}, families=families_for(membership_of(cast.coordinator))
    )
    coordinator.is_valid()
    assert coordinator.cleaned_data["family"] == world["family"]
