"""A referrer's request for the dates and times of a family's attendance, answered at once
(CHI-4.4, CHE-4; SPEC §5). The policy decides (`policy.decide`): anyone but the family's
referrer of record is refused and gets nothing. Each answer is recorded as a decided disclosure
request with its audit entry in the same transaction, and is *use* of the family's record
(SPEC §8).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cccc.models import AccessLog, Role, User
from disclosures import policy
from disclosures.models import CategoryChoice, DisclosureRequest, SubjectTold, Via
from disclosures.request_services import (
    Refused,
    request_audit,
    request_decision_apply,
    variant_of,
)
from families.last_activity import family_touch
from families.models import Adult, ContactSession, Family, Referral, SessionAttendance

MAX_RANGE_DAYS = 2 * 366  # an attendance request covers at most two years


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


@dataclass(frozen=True)
class AttendanceRow:
    """One adult at one session, by role only: what the referrer of record may have."""

    date: datetime.date
    contact_start: datetime.time
    contact_end: datetime.time
    adult_role: str
    outcome: str
    arrived: datetime.time | None
    departed: datetime.time | None


@dataclass(frozen=True)
class AttendanceAnswer:
    request: DisclosureRequest
    rows: list[AttendanceRow]
    sessions: int
    date_from: datetime.date
    date_to: datetime.date


def check_range(date_from: datetime.date, date_to: datetime.date) -> None:
    if date_from > date_to:
        raise ValidationError({"date_to": "The end date must be on or after the start date."})
    if (date_to - date_from).days > MAX_RANGE_DAYS:
        raise ValidationError({"date_to": "Ask for at most two years at a time."})


def _is_referrer_of_record(user: User, family: Family) -> bool:
    return (
        user.role == Role.REFERRER
        and user.centre_id == family.centre_id
        and Referral.objects.filter(family=family, referrer=user).exists()
    )


def attendance_rows(
    family: Family,
    date_from: datetime.date,
    date_to: datetime.date,
    *,
    now: datetime.datetime | None = None,
) -> list[AttendanceRow]:
    """Dates and times only: no names, rooms, notes or instructions are even read. Only
    sessions that have ended are in: one later today, or still going on, is a booking, not
    attendance."""
    now = timezone.localtime(now)
    ended = Q(session__date__lt=now.date()) | Q(
        session__date=now.date(), session__ends_at__lte=now.time()
    )
    values = (
        SessionAttendance.objects.filter(
            ended,
            session__family=family,
            session__date__gte=date_from,
            session__date__lte=date_to,
            session__status=ContactSession.Status.BOOKED,
        )
        .order_by("session__date", "session__starts_at", "session_id", "arrives_at", "pk")
        .values_list(
            "session__date",
            "session__starts_at",
            "session__ends_at",
            "adult__role",
            "outcome",
            "actual_arrival",
            "actual_departure",
        )  # fmt: skip
    )
    return [
        AttendanceRow(
            date=day,
            contact_start=start,
            contact_end=end,
            adult_role=Adult.Role(role).label,
            outcome=SessionAttendance.Outcome(outcome).label,
            arrived=arrived,
            departed=departed,
        )
        for day, start, end, role, outcome, arrived, departed in values
    ]


@transaction.atomic
def attendance_answer(
    *, referrer: User, family: Family, date_from: datetime.date, date_to: datetime.date
) -> AttendanceAnswer:
    """Answer a referrer's request for a family's dates and times of attendance at once, and
    record it as a disclosure. Anyone but the family's referrer of record is refused by the
    policy (raises Refused) and gets nothing."""
    check_range(date_from, date_to)
    requester = (
        policy.Requester.REFERRER_OF_RECORD
        if _is_referrer_of_record(referrer, family)
        else policy.Requester.AGENCY
    )
    decision = policy.decide(
        policy.Request(variant_of(family.centre), requester, policy.Category.ATTENDANCE)
    )
    if not decision.permitted:
        raise Refused(decision)
    rows = attendance_rows(family, date_from, date_to)
    sessions = len({(r.date, r.contact_start) for r in rows})
    req = DisclosureRequest(
        centre=family.centre,
        family=family,
        requester_type=requester.value,
        requester_name=referrer.full_name,
        requester_agency=referrer.agency,
        requester_user=referrer,
        received_via=Via.PORTAL,
        category=CategoryChoice.ATTENDANCE,
        detail=f"Dates and times of attendance from {date_from} to {date_to}.",
        proposed_permitted=decision.permitted,
        proposed_ground=decision.ground.value,
        proposed_clauses=",".join(decision.clauses),
        released=f"{sessions} session{'s' if sessions != 1 else ''} from {date_from} to {date_to}",
        subject_told=SubjectTold.NO,
    )
    request_decision_apply(req, decision)
    _save(req)
    request_audit(by=referrer, req=req, action=AccessLog.Action.DISCLOSURE)
    family_touch(family)
    return AttendanceAnswer(req, rows, sessions, date_from, date_to)
