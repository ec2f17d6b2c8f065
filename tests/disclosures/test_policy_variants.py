"""A policy variant is data (disclosures/policy.py: VARIANTS): the clause IDs behind each row
of the one table, and which exceptions it has. These tests keep each variant's data its own:
a row of a variant cites only that variant's clause IDs (of the clause index the policy map
keeps, tests/test_policy_map.py), save the few it borrows where its policy is silent, each
with why."""

import re

import pytest

from disclosures.forms import table_offers
from disclosures.policy import POLICY_TABLE, VARIANTS
from disclosures.policy import Ground as G
from disclosures.policy import Variant as V
from tests.test_policy_map import CLAUSES

PREFIX = {V.CHICHESTER: "CHI-", V.CHESTERFIELD: "CHE-", V.NACCC: "NAC-"}


def clause_of(cited: str) -> str:
    """The clause of the index a citation names: CHE-4a is item (a) of CHE-4."""
    return re.sub(r"(?<=\d)[ab]$", "", cited)


def citations(variant: V) -> list[str]:
    rules = VARIANTS[variant]
    return [c for ids in (*rules.rows.values(), *rules.exceptions.values()) for c in ids]


def test_every_variant_is_described():
    assert set(VARIANTS) == set(V) == set(PREFIX)


@pytest.mark.parametrize("variant", list(V))
def test_each_variants_rows_cite_only_that_variants_clause_ids(variant):
    rules = VARIANTS[variant]
    for cited in citations(variant):
        if cited in rules.borrowed:
            continue
        assert cited.startswith(PREFIX[variant]), (variant, cited)
        assert clause_of(cited) in CLAUSES, (variant, cited)


@pytest.mark.parametrize("variant", list(V))
def test_a_borrowed_clause_is_another_variants_real_clause_and_says_why(variant):
    for cited, why in VARIANTS[variant].borrowed.items():
        assert not cited.startswith(PREFIX[variant])
        assert clause_of(cited) in CLAUSES
        assert cited in citations(variant), f"{cited} is borrowed but never cited"
        assert len(why) > 40


def test_only_chichester_borrows_and_only_the_subject_access_clauses():
    assert {v: set(VARIANTS[v].borrowed) for v in V if VARIANTS[v].borrowed} == {
        V.CHICHESTER: {"CHE-DP6", "CHE-SAR"}
    }


@pytest.mark.parametrize("variant", list(V))
def test_each_variant_names_the_clauses_of_every_row_and_no_other(variant):
    assert set(VARIANTS[variant].rows) == {row.key for row in POLICY_TABLE}
    assert all(VARIANTS[variant].rows.values())


@pytest.mark.parametrize("variant", list(V))
def test_each_exception_a_variant_has_is_one_the_table_offers(variant):
    offered = {e.ground for row in POLICY_TABLE for e in row.exceptions}
    assert set(VARIANTS[variant].exceptions) <= offered
    assert all(VARIANTS[variant].exceptions.values())


def test_required_by_law_is_chichesters_alone():
    having = {v for v in V if G.REQUIRED_BY_LAW in VARIANTS[v].exceptions}
    assert having == {V.CHICHESTER}


def test_the_rows_keys_are_distinct():
    keys = [row.key for row in POLICY_TABLE]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("variant", list(V))
def test_the_request_form_asks_for_a_legal_basis_only_where_the_variant_has_the_exception(
    variant,
):
    offered = table_offers(variant, "contact_details", G.REQUIRED_BY_LAW)
    assert offered == (variant == V.CHICHESTER)
    assert table_offers(variant, "contact_details", G.CONSENT)
    assert not table_offers(variant, "court_report", G.CONSENT)
