"""What was seen (issue 19): "sessions held" counted every past session, even when nobody
came. A session is held when someone attended it: an adult or a child recorded as attended."""

import datetime

import pytest

from families.models import SessionAttendance
from retention import statistics
from tests.factories import (
    AdultFactory,
    ChildAttendanceFactory,
    ChildFactory,
    ContactSessionFactory,
    FamilyFactory,
    SessionAttendanceFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
DAY = datetime.date(2026, 5, 9)
A = SessionAttendance.Outcome


def session(family, *, adult=None, child=None, day=DAY):
    made = ContactSessionFactory(family=family, date=day)
    if adult is not None:
        SessionAttendanceFactory(session=made, adult=AdultFactory(family=family), outcome=adult)
    if child is not None:
        ChildAttendanceFactory(session=made, child=ChildFactory(family=family), outcome=child)
    return made


def may(centre):
    return statistics.centre_year(centre, 2026, TODAY)[4]


def test_a_past_session_nobody_attended_is_not_held(cast):
    family = FamilyFactory(centre=cast.centre)
    session(family, adult=A.DID_NOT_ATTEND, child=A.DID_NOT_ATTEND)
    session(family, adult=A.EXPECTED)  # nothing recorded: nobody is known to have come
    session(family)  # nobody on it at all
    assert (may(cast.centre).sessions_held, may(cast.centre).families_seen) == (0, 0)


@pytest.mark.parametrize(("adult", "child"), [(A.ATTENDED, None), (None, A.ATTENDED),
                                              (A.ATTENDED, A.DID_NOT_ATTEND)])  # fmt: skip
def test_a_session_someone_attended_is_held(cast, adult, child):
    session(FamilyFactory(centre=cast.centre), adult=adult, child=child)
    assert (may(cast.centre).sessions_held, may(cast.centre).families_seen) == (1, 1)


def test_a_session_with_two_attending_adults_counts_once(cast):
    family = FamilyFactory(centre=cast.centre)
    held = session(family, adult=A.ATTENDED)
    SessionAttendanceFactory(session=held, adult=AdultFactory(family=family), outcome=A.ATTENDED)
    assert may(cast.centre).sessions_held == 1
