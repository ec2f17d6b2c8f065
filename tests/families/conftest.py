"""Fixtures shared by the tests of a family's forms (helpers in tests/families/form_cases.py)
and of its sessions (helpers in tests/families/session_cases.py)."""

import pytest

from families.models import ContactSession
from tests.factories import FamilyFactory
from tests.families.session_cases import Case, book, make_case


@pytest.fixture
def family(cast):
    """A family of the home centre, with a known reference."""
    return FamilyFactory(centre=cast.centre, reference="HOM-2026-0001")


@pytest.fixture
def case(cast) -> Case:
    """A family of this centre: a resident parent and a non-resident one, kept apart, and a
    child."""
    return make_case(cast)


@pytest.fixture
def session(cast, case) -> ContactSession:
    return book(case.family, [case.resident, case.other], by=cast.coordinator)
