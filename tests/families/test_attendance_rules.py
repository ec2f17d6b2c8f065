"""What an attendance record may hold (issue 17, point 6): actual arrival and departure times
only for someone who attended; "did not attend" with a time is refused, by the service with a
message and by the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from families import session_services
from families.models import SessionAttendance
from tests.factories import SessionAttendanceFactory

pytestmark = pytest.mark.django_db

DNA = SessionAttendance.Outcome.DID_NOT_ATTEND


@pytest.fixture
def attendance(cast):
    return SessionAttendanceFactory(session__family__centre=cast.centre)


@pytest.mark.parametrize(
    "times",
    [
        {"actual_arrival": datetime.time(9, 50)},
        {"actual_departure": datetime.time(11, 10)},
        {"actual_arrival": datetime.time(9, 50), "actual_departure": datetime.time(11, 10)},
    ],
)
def test_did_not_attend_with_a_time_is_refused_and_nothing_is_saved(attendance, times):
    with pytest.raises(ValidationError) as refused:
        session_services.attendance_record(attendance=attendance, outcome=DNA, **times)
    assert "did not attend" in str(refused.value)
    attendance.refresh_from_db()
    assert attendance.outcome == SessionAttendance.Outcome.EXPECTED
    assert attendance.actual_arrival is None and attendance.actual_departure is None


def test_did_not_attend_without_times_is_recorded(attendance):
    session_services.attendance_record(attendance=attendance, outcome=DNA)
    attendance.refresh_from_db()
    assert attendance.outcome == DNA


def test_times_without_an_outcome_are_refused(attendance):
    with pytest.raises(ValidationError) as refused:
        session_services.attendance_record(
            attendance=attendance,
            outcome=SessionAttendance.Outcome.EXPECTED,
            actual_arrival=datetime.time(9, 50),
        )
    assert "Attended" in str(refused.value)
    attendance.refresh_from_db()
    assert attendance.actual_arrival is None


def test_the_database_refuses_did_not_attend_with_a_time(attendance):
    attendance.outcome = DNA
    attendance.actual_arrival = datetime.time(9, 50)
    with pytest.raises(IntegrityError), transaction.atomic():
        attendance.save()
