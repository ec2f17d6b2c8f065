"""One test per row of SPEC §5's table, for each policy variant: outcome, ground, clauses.

The expectations are written out here by hand from SPEC §5 and the seed policies, not read
from the table in disclosures/policy.py, so that changing the table breaks a test."""

import pytest

from disclosures.policy import Category as C
from disclosures.policy import Ground as G
from disclosures.policy import Request, decide
from disclosures.policy import Requester as R
from disclosures.policy import Variant as V

CHI, CHE = V.CHICHESTER, V.CHESTERFIELD


def ask(variant, requester, category, *grounds):
    return decide(Request(variant, requester, category, frozenset(grounds)))


def expect(decision, permitted, ground, clauses):
    assert (decision.permitted, decision.ground, decision.clauses) == (permitted, ground, clauses)


# --- row 1: dates and times of attendance, by the family's referrer of record -----------------


@pytest.mark.parametrize(("variant", "clauses"), [(CHI, ("CHI-4.4",)), (CHE, ("CHE-4",))])
def test_it_gives_attendance_to_the_referrer_of_record_at_once(variant, clauses):
    expect(ask(variant, R.REFERRER_OF_RECORD, C.ATTENDANCE), True, G.REFERRER_ATTENDANCE, clauses)


@pytest.mark.parametrize(("variant", "clauses"), [(CHI, ("CHI-4.1", "CHI-4.4")), (CHE, ("CHE-4",))])
@pytest.mark.parametrize("requester", [R.AGENCY, R.FORMER_PARTNER, R.COURT, R.OTHER_PERSON])
def test_it_refuses_attendance_to_anyone_but_the_referrer_of_record(variant, clauses, requester):
    expect(ask(variant, requester, C.ATTENDANCE), False, G.CONFIDENTIAL, clauses)


# --- row 2: anything else about a family, by a referrer or agency ------------------------------


@pytest.mark.parametrize(("variant", "clauses"), [(CHI, ("CHI-4.1", "CHI-4.4")), (CHE, ("CHE-4",))])
@pytest.mark.parametrize("requester", [R.REFERRER_OF_RECORD, R.AGENCY, R.POLICE])
def test_it_refuses_anything_else_about_a_family(variant, clauses, requester):
    expect(ask(variant, requester, C.FAMILY_INFO), False, G.CONFIDENTIAL, clauses)


@pytest.mark.parametrize(("variant", "clauses"), [(CHI, ("CHI-3",)), (CHE, ("CHE-4a", "CHE-6a"))])
@pytest.mark.parametrize("requester", [R.CHILDRENS_SERVICES, R.POLICE])
def test_a_child_at_risk_permits_release_to_childrens_services_or_police(
    variant, clauses, requester
):
    decision = ask(variant, requester, C.FAMILY_INFO, G.CHILD_AT_RISK)
    expect(decision, True, G.CHILD_AT_RISK, clauses)


@pytest.mark.parametrize(("variant", "clauses"), [(CHI, ("CHI-3",)), (CHE, ("CHE-4b", "CHE-6b"))])
def test_a_risk_of_violence_permits_release_to_the_police(variant, clauses):
    expect(ask(variant, R.POLICE, C.FAMILY_INFO, G.VIOLENCE_RISK), True, G.VIOLENCE_RISK, clauses)


@pytest.mark.parametrize("variant", [CHI, CHE])
@pytest.mark.parametrize("requester", [R.AGENCY, R.REFERRER_OF_RECORD, R.FORMER_PARTNER])
def test_break_glass_never_releases_to_anyone_but_childrens_services_or_police(variant, requester):
    decision = ask(variant, requester, C.FAMILY_INFO, G.CHILD_AT_RISK, G.VIOLENCE_RISK)
    assert not decision.permitted
    assert decision.ground == G.CONFIDENTIAL


# --- row 3: a parent's address or phone ----------------------------------------------------------


@pytest.mark.parametrize(("variant", "clauses"), [(CHI, ("CHI-4.5",)), (CHE, ("CHE-5",))])
@pytest.mark.parametrize(
    "requester", [R.FORMER_PARTNER, R.AGENCY, R.REFERRER_OF_RECORD, R.COURT, R.OTHER_PERSON]
)
def test_it_refuses_a_parents_contact_details_to_anyone(variant, clauses, requester):
    expect(ask(variant, requester, C.CONTACT_DETAILS), False, G.CONFIDENTIAL, clauses)


@pytest.mark.parametrize(("variant", "clauses"), [(CHI, ("CHI-4.5",)), (CHE, ("CHE-5",))])
def test_the_parents_consent_for_that_recipient_permits_it(variant, clauses):
    decision = ask(variant, R.FORMER_PARTNER, C.CONTACT_DETAILS, G.CONSENT)
    expect(decision, True, G.CONSENT, clauses)


def test_chichester_releases_contact_details_when_required_by_law():
    decision = ask(CHI, R.COURT, C.CONTACT_DETAILS, G.REQUIRED_BY_LAW)
    expect(decision, True, G.REQUIRED_BY_LAW, ("CHI-4.5",))


def test_chesterfield_has_no_required_by_law_exception():
    decision = ask(CHE, R.COURT, C.CONTACT_DETAILS, G.REQUIRED_BY_LAW)
    expect(decision, False, G.CONFIDENTIAL, ("CHE-5",))


@pytest.mark.parametrize("variant", [CHI, CHE])
def test_a_former_partner_gets_contact_details_only_through_consent(variant):
    for grounds in [(G.REQUIRED_BY_LAW,), (G.CHILD_AT_RISK,), (G.VIOLENCE_RISK,), ()]:
        assert not ask(variant, R.FORMER_PARTNER, C.CONTACT_DETAILS, *grounds).permitted
    assert ask(variant, R.FORMER_PARTNER, C.CONTACT_DETAILS, G.CONSENT).permitted


@pytest.mark.parametrize(("variant", "clauses"), [(CHI, ("CHI-3",)), (CHE, ("CHE-4a", "CHE-6a"))])
def test_a_child_at_risk_permits_contact_details_to_childrens_services(variant, clauses):
    decision = ask(variant, R.CHILDRENS_SERVICES, C.CONTACT_DETAILS, G.CHILD_AT_RISK)
    expect(decision, True, G.CHILD_AT_RISK, clauses)


# --- row 4: a report or statement for family court -----------------------------------------------


@pytest.mark.parametrize(("variant", "clauses"), [(CHI, ("CHI-4.3",)), (CHE, ("CHE-3",))])
@pytest.mark.parametrize("requester", list(R))
def test_it_always_refuses_a_court_report(variant, clauses, requester):
    every_ground = set(G)
    decision = ask(variant, requester, C.COURT_REPORT, *every_ground)
    expect(decision, False, G.NO_COURT_REPORTS, clauses)
    assert "reports" in decision.explanation


# --- row 5: a family assessment on the premises -------------------------------------------------


@pytest.mark.parametrize(("variant", "clauses"), [(CHI, ("CHI-4.6",)), (CHE, ("CHE-7",))])
def test_it_refuses_an_assessment_without_an_agreement(variant, clauses):
    expect(ask(variant, R.AGENCY, C.ASSESSMENT), False, G.NO_ASSESSMENT_AGREEMENT, clauses)


@pytest.mark.parametrize(("variant", "clauses"), [(CHI, ("CHI-4.6",)), (CHE, ("CHE-7",))])
def test_a_recorded_agreement_permits_an_assessment(variant, clauses):
    decision = ask(variant, R.AGENCY, C.ASSESSMENT, G.ASSESSMENT_AGREEMENT)
    expect(decision, True, G.ASSESSMENT_AGREEMENT, clauses)


# --- row 6: a person's own data ---------------------------------------------------------------


@pytest.mark.parametrize("variant", [CHI, CHE])
def test_a_person_may_have_their_own_data(variant):
    decision = ask(variant, R.DATA_SUBJECT, C.OWN_DATA)
    expect(decision, True, G.SUBJECT_ACCESS, ("CHE-DP6", "CHE-SAR"))


@pytest.mark.parametrize("variant", [CHI, CHE])
def test_nobody_else_gets_a_persons_data_as_their_own(variant):
    assert not ask(variant, R.FORMER_PARTNER, C.OWN_DATA).permitted


def test_every_category_has_an_answer_in_both_variants():
    for variant in V:
        for category in C:
            for requester in R:
                decision = ask(variant, requester, category)
                assert decision.clauses, (variant, category, requester)


# --- the table as a whole -----------------------------------------------------------------------


def test_a_category_the_table_has_no_row_for_is_an_error_not_a_refusal():
    with pytest.raises(ValueError, match="^The policy table has no row for 'horoscope'.$"):
        ask(CHI, R.AGENCY, "horoscope")


# Each exception of a row permits on its own: the rows with two or more exceptions, each
# exception alone, to a recipient it allows.
@pytest.mark.parametrize("variant", [CHI, CHE])
@pytest.mark.parametrize(
    ("category", "requester", "ground"),
    [
        (C.ATTENDANCE, R.POLICE, G.CHILD_AT_RISK),
        (C.ATTENDANCE, R.CHILDRENS_SERVICES, G.VIOLENCE_RISK),
        (C.FAMILY_INFO, R.CHILDRENS_SERVICES, G.VIOLENCE_RISK),
        (C.CONTACT_DETAILS, R.AGENCY, G.CONSENT),
        (C.CONTACT_DETAILS, R.POLICE, G.CHILD_AT_RISK),
        (C.CONTACT_DETAILS, R.POLICE, G.VIOLENCE_RISK),
    ],
)
def test_each_exception_of_a_row_permits_on_its_own(variant, category, requester, ground):
    decision = ask(variant, requester, category, ground)
    assert (decision.permitted, decision.ground) == (True, ground)


def test_required_by_law_permits_contact_details_to_any_recipient_but_the_former_partner():
    for requester in set(R) - {R.FORMER_PARTNER}:
        assert ask(CHI, requester, C.CONTACT_DETAILS, G.REQUIRED_BY_LAW).permitted, requester


def test_a_decision_reads_as_permitted_or_refused_with_its_grounds_words():
    permitted = ask(CHI, R.REFERRER_OF_RECORD, C.ATTENDANCE)
    refused = ask(CHI, R.AGENCY, C.COURT_REPORT)
    assert (permitted.outcome, refused.outcome) == ("permitted", "refused")
    assert permitted.explanation == (
        "Dates and times of attendance may be shared with the referring agency on request."
    )
