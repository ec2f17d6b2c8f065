"""A referrer's request for the dates and times of a family's attendance, answered at once
(CHI-4.4, CHE-4; SPEC §5). The policy decides (`policy.decide`): anyone but the family's
referrer of record is refused and gets nothing. Each answer is recorded as a decided disclosure
request with its audit entry in the same transaction, and is *use* of the family's record
(SPEC §8).

An answer gives nobody's routine: each session's date and contact time (when contact starts
and ends) and, for each adult by role, attended, did not attend or cancelled. An adult's own
planned or actual arrival and departure are never read, and the adults come in a fixed order
(by role), never in the order they arrived: a referrer acting for one parent must not learn
when the other comes and goes (docs/policy-map.md, CHI-4.4).

The same answer asked for again (the same referrer, family, dates and rows), on the page or as
CSV, is one disclosure in the register with a count of views; each view has its own audit
entry.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cccc.access import holds_role
from cccc.models import AccessLog, Role, User
from cccc.saving import validated_save
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


CANCELLED = "Cancelled"
NOT_RECORDED = "Not recorded"
ROLE_ORDER = {role: n for n, role in enumerate(Adult.Role.values)}


@dataclass(frozen=True)
class AttendanceRow:
    """One adult at one session, by role only: what the referrer of record may have. No time
    of the adult's own: contact times are the session's."""

    date: datetime.date
    contact_start: datetime.time
    contact_end: datetime.time
    adult_role: str
    outcome: str


@dataclass(frozen=True)
class AttendanceAnswer:
    request: DisclosureRequest
    rows: list[AttendanceRow]
    sessions: int
    cancelled: int
    date_from: datetime.date
    date_to: datetime.date


def check_range(date_from: datetime.date, date_to: datetime.date) -> None:
    if date_from > date_to:
        raise ValidationError({"date_to": "The end date must be on or after the start date."})
    if (date_to - date_from).days > MAX_RANGE_DAYS:
        raise ValidationError({"date_to": "Ask for at most two years at a time."})


def _is_referrer_of_record(user: User, family: Family) -> bool:
    return (
        holds_role(user, family.centre_id, Role.REFERRER)
        and Referral.objects.filter(
            family=family, referrer=user, status=Referral.Status.ACCEPTED
        ).exists()
    )


def _outcome(status: str, outcome: str) -> str:
    if status == ContactSession.Status.CANCELLED:
        return CANCELLED
    if outcome == SessionAttendance.Outcome.EXPECTED:
        return NOT_RECORDED
    return SessionAttendance.Outcome(outcome).label


def attendance_rows(
    family: Family,
    date_from: datetime.date,
    date_to: datetime.date,
    *,
    now: datetime.datetime | None = None,
) -> list[AttendanceRow]:
    """Dates, contact times and outcomes only: no names, rooms, notes or instructions, and no
    adult's own arrival or departure, are even read. Only sessions that have ended are in: one
    later today, or still going on, is a booking, not attendance (issue 20). Within a session
    the adults come by role, then by record: never in the order they arrive."""
    now = timezone.localtime(now)
    ended = Q(session__date__lt=now.date()) | Q(
        session__date=now.date(), session__ends_at__lte=now.time()
    )
    values = SessionAttendance.objects.filter(
        ended, session__family=family, session__date__gte=date_from, session__date__lte=date_to
    ).values_list(
        "session__date",
        "session__starts_at",
        "session__ends_at",
        "session_id",
        "session__status",
        "adult__role",
        "adult_id",
        "outcome",
    )
    ordered = sorted(values, key=lambda v: (v[0], v[1], v[3], ROLE_ORDER.get(v[5], 99), v[6]))
    return [
        AttendanceRow(
            date=day,
            contact_start=start,
            contact_end=end,
            adult_role=Adult.Role(role).label,
            outcome=_outcome(status, outcome),
        )
        for day, start, end, _, status, role, _, outcome in ordered
    ]


def _digest(
    referrer: User, family: Family, rows: list[AttendanceRow], *dates: datetime.date
) -> str:
    """What makes an answer the same answer: who asked, about which family, for which dates,
    and exactly what they were given."""
    parts = [str(referrer.pk), str(family.pk), *map(str, dates)]
    parts += ["|".join(map(str, (r.date, r.contact_start, r.contact_end, r.adult_role,
                                 r.outcome))) for r in rows]  # fmt: skip
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _count(rows: list[AttendanceRow]) -> tuple[int, int]:
    """Sessions held, and sessions cancelled."""
    held = {(r.date, r.contact_start) for r in rows if r.outcome != CANCELLED}
    cancelled = {(r.date, r.contact_start) for r in rows if r.outcome == CANCELLED}
    return len(held), len(cancelled)


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
    sessions, cancelled = _count(rows)
    digest = _digest(referrer, family, rows, date_from, date_to)
    seen = (
        DisclosureRequest.objects.select_for_update()
        .filter(family=family, category=CategoryChoice.ATTENDANCE, answer_digest=digest)
        .first()
    )
    if seen is not None:
        # The same answer again: one disclosure in the register, one more view, audited.
        seen.views += 1
        seen.save(update_fields=["views"])
        request_audit(
            by=referrer, req=seen, action=AccessLog.Action.DISCLOSURE, extra=f" views={seen.views}"
        )
        family_touch(family)
        return AttendanceAnswer(seen, rows, sessions, cancelled, date_from, date_to)
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
        released=(
            f"{sessions} session{'s' if sessions != 1 else ''}"
            + (f" and {cancelled} cancelled" if cancelled else "")
            + f" from {date_from} to {date_to}"
        ),
        subject_told=SubjectTold.NO,
        answer_digest=digest,
    )
    request_decision_apply(req, decision)
    validated_save(req)
    request_audit(by=referrer, req=req, action=AccessLog.Action.DISCLOSURE)
    family_touch(family)
    return AttendanceAnswer(req, rows, sessions, cancelled, date_from, date_to)
