"""Fixtures of the session tests (tests/families/session_cases.py has their helpers)."""

import pytest

from families.models import ContactSession
from tests.families.session_cases import Case, book, make_case


@pytest.fixture
def case(cast) -> Case:
    """A family of this centre: a resident parent and a non-resident one, kept apart, and a
    child."""
    return make_case(cast)


@pytest.fixture
def session(cast, case) -> ContactSession:
    return book(case.family, [case.resident, case.other], by=cast.coordinator)
