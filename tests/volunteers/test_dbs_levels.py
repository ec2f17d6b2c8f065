"""DBS as the law asks for work with children (issue 14, point 4; CHI-4.7, CHE-8): the centre
sets the minimum level that clears (Enhanced with the children's barred list by default); a
check with information disclosed clears only after a risk assessment the coordinator records
and the chair approves; forms preselect no level."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cccc.models import AccessLog, Centre
from tests.factories import VolunteerFactory
from volunteers import dbs_assessment_services as assessments
from volunteers import dbs_services as services
from volunteers.models import DbsLevel, DbsOutcome, DbsRiskAssessment, Volunteer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def record(cast, volunteer, *, level="enhanced_barred", outcome=DbsOutcome.CLEAR):
    check, _lost = services.dbs_check_record(
        volunteer=volunteer, level=level, certificate_number="001234567890", outcome=outcome,
        issued_on=TODAY() - datetime.timedelta(days=3), by=cast.coordinator,
    )  # fmt: skip
    volunteer.refresh_from_db()
    return check


@pytest.fixture
def applicant(cast):
    return VolunteerFactory(centre=cast.centre, status=Volunteer.Status.DBS_PENDING)


def test_the_default_minimum_is_enhanced_with_the_childrens_barred_list():
    assert Centre().dbs_min_level == DbsLevel.ENHANCED_BARRED


@pytest.mark.parametrize("level", ["basic", "standard", "enhanced"])
def test_a_clear_check_below_the_default_minimum_does_not_clear(cast, applicant, level):
    """What was seen: a clear Basic check cleared a volunteer for appointment and the rota."""
    record(cast, applicant, level=level)
    assert applicant.clearance_expires is None
    assert applicant.status == Volunteer.Status.DBS_PENDING


def test_a_clear_enhanced_check_with_the_barred_list_clears(cast, applicant):
    record(cast, applicant)
    assert applicant.clearance_expires is not None
    assert applicant.status == Volunteer.Status.CLEARED


def test_a_centre_may_set_enhanced_as_its_minimum_but_basic_still_does_not_clear(cast):
    cast.centre.dbs_min_level = DbsLevel.ENHANCED
    cast.centre.save()
    enhanced = VolunteerFactory(centre=cast.centre, status=Volunteer.Status.DBS_PENDING)
    basic = VolunteerFactory(centre=cast.centre, status=Volunteer.Status.DBS_PENDING)
    record(cast, enhanced, level="enhanced")
    record(cast, basic, level="basic")
    assert enhanced.clearance_expires is not None and basic.clearance_expires is None


def test_the_dbs_form_preselects_no_level(cast, login, applicant):
    html = (
        login(cast.coordinator).get(reverse("dbs_check_add", args=[applicant.pk])).content.decode()
    )
    select = re.search(r'<select name="level".*?</select>', html, re.S)[0]
    assert 'value="" selected' in select
    assert select.count("selected") == 1
    assert "checked" not in re.search(r'name="outcome".*', html, re.S)[0].split("</fieldset>")[0]


# --- information disclosed: a risk assessment, approved by the chair -------------------------


def test_a_disclosed_check_clears_only_once_the_chair_approves_the_assessment(cast, applicant):
    check = record(cast, applicant, outcome=DbsOutcome.DISCLOSED)
    assert applicant.clearance_expires is None
    assessment = assessments.dbs_risk_assessment_record(
        check=check, by=cast.coordinator, assessment="Spent conviction, 1998; no risk to children."
    )
    applicant.refresh_from_db()
    assert applicant.clearance_expires is None  # recorded, not yet approved
    assessments.dbs_risk_assessment_decide(
        assessment=assessment, by=cast.chair, approved=True, reason="Read the assessment."
    )
    applicant.refresh_from_db()
    assert applicant.clearance_expires == check.renewal_due
    assert applicant.status == Volunteer.Status.CLEARED
    actions = set(
        AccessLog.objects.filter(record_type="volunteers.DbsRiskAssessment").values_list(
            "action", "user"
        )
    )
    assert {(AccessLog.Action.DBS_ASSESSMENT, cast.coordinator.pk),
            (AccessLog.Action.DBS_ASSESSMENT, cast.chair.pk)} <= actions  # fmt: skip


def test_an_approval_without_a_reason_is_refused_and_nothing_is_saved(cast, applicant):
    check = record(cast, applicant, outcome=DbsOutcome.DISCLOSED)
    assessment = assessments.dbs_risk_assessment_record(
        check=check, by=cast.coordinator, assessment="Spent conviction."
    )
    with pytest.raises(ValidationError, match="reason"):
        assessments.dbs_risk_assessment_decide(
            assessment=assessment, by=cast.chair, approved=True, reason="  "
        )
    assessment.refresh_from_db()
    applicant.refresh_from_db()
    assert assessment.decision == DbsRiskAssessment.Decision.PENDING
    assert applicant.clearance_expires is None


def test_an_assessment_must_be_written(cast, applicant):
    check = record(cast, applicant, outcome=DbsOutcome.DISCLOSED)
    with pytest.raises(ValidationError, match="risk assessment"):
        assessments.dbs_risk_assessment_record(check=check, by=cast.coordinator, assessment=" ")
    assert not DbsRiskAssessment.objects.exists()


def test_only_the_centres_chair_approves_an_assessment(cast, applicant):
    check = record(cast, applicant, outcome=DbsOutcome.DISCLOSED)
    assessment = assessments.dbs_risk_assessment_record(
        check=check, by=cast.coordinator, assessment="Spent conviction."
    )
    for user in [cast.coordinator, cast.other_chair]:
        with pytest.raises(ValidationError, match="chair"):
            assessments.dbs_risk_assessment_decide(
                assessment=assessment, by=user, approved=True, reason="Fine."
            )
    applicant.refresh_from_db()
    assert applicant.clearance_expires is None


def test_a_refused_assessment_keeps_the_volunteer_off_the_rota(cast, applicant):
    check = record(cast, applicant, outcome=DbsOutcome.DISCLOSED)
    assessment = assessments.dbs_risk_assessment_record(
        check=check, by=cast.coordinator, assessment="Recent conviction."
    )
    assessments.dbs_risk_assessment_decide(
        assessment=assessment, by=cast.chair, approved=False, reason="Too recent."
    )
    applicant.refresh_from_db()
    assert applicant.clearance_expires is None


def test_an_assessment_is_only_for_a_disclosed_check(cast, applicant):
    check = record(cast, applicant)
    with pytest.raises(ValidationError, match="information disclosed"):
        assessments.dbs_risk_assessment_record(check=check, by=cast.coordinator, assessment="x")


# --- the pages ------------------------------------------------------------------------------


def test_the_coordinator_records_and_the_chair_approves_on_the_dbs_page(cast, login, applicant):
    check = record(cast, applicant, outcome=DbsOutcome.DISCLOSED)
    coordinator = login(cast.coordinator)
    page = coordinator.get(reverse("volunteer_dbs", args=[applicant.pk])).content.decode()
    assert "Does not clear: no risk assessment yet" in page
    coordinator.post(reverse("dbs_assessment_add", args=[check.pk]), {"assessment": "Spent, 1998."})
    assessment = DbsRiskAssessment.objects.get(check_record=check)
    chair = login(cast.chair)
    url = reverse("dbs_assessment_decide", args=[assessment.pk])
    assert (
        f'action="{url}"'
        in chair.get(reverse("volunteer_dbs", args=[applicant.pk])).content.decode()
    )
    chair.post(url, {"approved": "yes", "reason": "Read it; no risk to children."})
    applicant.refresh_from_db()
    assert applicant.status == Volunteer.Status.CLEARED


def test_a_blank_assessment_form_names_what_is_missing(cast, login, applicant):
    check = record(cast, applicant, outcome=DbsOutcome.DISCLOSED)
    response = login(cast.coordinator).post(
        reverse("dbs_assessment_add", args=[check.pk]), {"assessment": ""}
    )
    assert "Write the risk assessment" in response.content.decode()
    assert not DbsRiskAssessment.objects.exists()


@pytest.mark.parametrize("role", ["other_coordinator", "other_chair", "volunteer", "referrer"])
def test_outsiders_reach_no_assessment(cast, login, applicant, role):
    check = record(cast, applicant, outcome=DbsOutcome.DISCLOSED)
    assessment = assessments.dbs_risk_assessment_record(
        check=check, by=cast.coordinator, assessment="Spent."
    )
    client = login(getattr(cast, role))
    assert client.get(reverse("dbs_assessment_add", args=[check.pk])).status_code == 404
    url = reverse("dbs_assessment_decide", args=[assessment.pk])
    assert client.post(url, {"approved": "yes", "reason": "x"}).status_code == 404
    assessment.refresh_from_db()
    assert assessment.decision == DbsRiskAssessment.Decision.PENDING


def test_the_risk_assessment_factory_makes_a_pending_assessment_of_a_disclosed_check(cast):
    from tests.factories import DbsRiskAssessmentFactory

    assessment = DbsRiskAssessmentFactory(check_record__volunteer__centre=cast.centre)
    assert assessment.decision == DbsRiskAssessment.Decision.PENDING
    assert assessment.check_record.outcome == DbsOutcome.DISCLOSED
