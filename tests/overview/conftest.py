"""The family, its kept-apart pair and its booked session, for the session page tests."""

from tests.session_cases import case, session  # noqa: F401
