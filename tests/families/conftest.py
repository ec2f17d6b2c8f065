"""Fixtures shared by the tests of a family's forms (helpers in tests/families/form_cases.py)
and of its sessions (the family, its kept-apart pair and its booked session, from
tests/session_cases.py)."""

import pytest

from tests.factories import FamilyFactory
from tests.mail_cases import pair  # noqa: F401
from tests.session_cases import case, session  # noqa: F401
from tests.smtp_sink import closed_port, retries_in_process, smtp_sink  # noqa: F401


@pytest.fixture
def family(cast):
    """A family of the home centre, with a known reference."""
    return FamilyFactory(centre=cast.centre, reference="HOM-2026-0001")
