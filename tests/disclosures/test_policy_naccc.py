"""The NACCC specimen variant, row by row of SPEC §5's table: outcome, ground and the NAC-
clauses (docs/policy-map.md). Written out by hand from the specimen, not read from the table,
so that changing the table breaks a test. NAC-n is Chesterfield's CHE-(n+1): the specimen
without Chesterfield's addition (CHE-1, no cameras)."""

import pytest

from disclosures.policy import Category as C
from disclosures.policy import Ground as G
from disclosures.policy import Request, decide
from disclosures.policy import Requester as R
from disclosures.policy import Variant as V


def ask(requester, category, *grounds):
    return decide(Request(V.NACCC, requester, category, frozenset(grounds)))


def expect(decision, permitted, ground, clauses):
    assert (decision.permitted, decision.ground, decision.clauses) == (permitted, ground, clauses)


def test_it_gives_attendance_to_the_referrer_of_record_under_nac_3():
    expect(ask(R.REFERRER_OF_RECORD, C.ATTENDANCE), True, G.REFERRER_ATTENDANCE, ("NAC-3",))


@pytest.mark.parametrize("requester", [R.AGENCY, R.FORMER_PARTNER, R.COURT, R.OTHER_PERSON])
def test_it_refuses_attendance_to_anyone_else(requester):
    expect(ask(requester, C.ATTENDANCE), False, G.CONFIDENTIAL, ("NAC-3",))


@pytest.mark.parametrize("requester", [R.REFERRER_OF_RECORD, R.AGENCY, R.POLICE])
def test_it_refuses_anything_else_about_a_family(requester):
    expect(ask(requester, C.FAMILY_INFO), False, G.CONFIDENTIAL, ("NAC-3",))


@pytest.mark.parametrize("requester", [R.CHILDRENS_SERVICES, R.POLICE])
@pytest.mark.parametrize("category", [C.FAMILY_INFO, C.ATTENDANCE, C.CONTACT_DETAILS])
def test_a_child_at_risk_permits_release_to_childrens_services_or_police(requester, category):
    expect(ask(requester, category, G.CHILD_AT_RISK), True, G.CHILD_AT_RISK, ("NAC-3a", "NAC-5a"))


@pytest.mark.parametrize("requester", [R.CHILDRENS_SERVICES, R.POLICE])
def test_a_risk_of_violence_permits_release_to_childrens_services_or_police(requester):
    decision = ask(requester, C.FAMILY_INFO, G.VIOLENCE_RISK)
    expect(decision, True, G.VIOLENCE_RISK, ("NAC-3b", "NAC-5b"))


@pytest.mark.parametrize("requester", [R.AGENCY, R.REFERRER_OF_RECORD, R.FORMER_PARTNER])
def test_break_glass_never_releases_to_anyone_else(requester):
    decision = ask(requester, C.FAMILY_INFO, G.CHILD_AT_RISK, G.VIOLENCE_RISK)
    expect(decision, False, G.CONFIDENTIAL, ("NAC-3",))


@pytest.mark.parametrize("requester", [R.FORMER_PARTNER, R.AGENCY, R.COURT, R.OTHER_PERSON])
def test_it_refuses_a_parents_contact_details(requester):
    expect(ask(requester, C.CONTACT_DETAILS), False, G.CONFIDENTIAL, ("NAC-4",))


def test_the_parents_consent_for_that_recipient_permits_it():
    expect(ask(R.FORMER_PARTNER, C.CONTACT_DETAILS, G.CONSENT), True, G.CONSENT, ("NAC-4",))


@pytest.mark.parametrize("requester", [R.COURT, R.POLICE, R.AGENCY])
def test_the_specimen_has_no_required_by_law_exception(requester):
    decision = ask(requester, C.CONTACT_DETAILS, G.REQUIRED_BY_LAW)
    expect(decision, False, G.CONFIDENTIAL, ("NAC-4",))


def test_a_former_partner_gets_contact_details_only_through_consent():
    for grounds in [(G.REQUIRED_BY_LAW,), (G.CHILD_AT_RISK,), (G.VIOLENCE_RISK,), ()]:
        assert not ask(R.FORMER_PARTNER, C.CONTACT_DETAILS, *grounds).permitted
    assert ask(R.FORMER_PARTNER, C.CONTACT_DETAILS, G.CONSENT).permitted


@pytest.mark.parametrize("requester", list(R))
def test_it_always_refuses_a_court_report(requester):
    decision = ask(requester, C.COURT_REPORT, *set(G))
    expect(decision, False, G.NO_COURT_REPORTS, ("NAC-2",))


def test_it_refuses_an_assessment_without_an_agreement():
    expect(ask(R.AGENCY, C.ASSESSMENT), False, G.NO_ASSESSMENT_AGREEMENT, ("NAC-6",))


def test_a_recorded_agreement_permits_an_assessment():
    decision = ask(R.AGENCY, C.ASSESSMENT, G.ASSESSMENT_AGREEMENT)
    expect(decision, True, G.ASSESSMENT_AGREEMENT, ("NAC-6",))


def test_a_person_may_have_their_own_data():
    expect(ask(R.DATA_SUBJECT, C.OWN_DATA), True, G.SUBJECT_ACCESS, ("NAC-DP6", "NAC-SAR"))


def test_nobody_else_gets_a_persons_data_as_their_own():
    expect(ask(R.FORMER_PARTNER, C.OWN_DATA), False, G.CONFIDENTIAL, ("NAC-4", "NAC-DP6"))
