"""The plain rows of the benchmark families (tools/benchmark_families.py): attendances
planned as the keep-apart scheduler plans them, keep-apart flags, rules acknowledgements and
the names' search hashes. Nothing here is sealed, so the largest are written straight as COPY
text lines."""

import datetime
from functools import lru_cache

from families import name_index
from families.models import (
    Adult,
    ChildAttendance,
    ContactSession,
    KeepApart,
    NameToken,
    RulesAcknowledgement,
    SessionAttendance,
)
from tools.benchmark_rows import NULL, copy_lines, plain, time_text

BOOKED, CANCELLED = ContactSession.Status.BOOKED, ContactSession.Status.CANCELLED
ATTENDED, DID_NOT_ATTEND, EXPECTED = (
    SessionAttendance.Outcome.ATTENDED.value, SessionAttendance.Outcome.DID_NOT_ATTEND.value,
    SessionAttendance.Outcome.EXPECTED.value,
)  # fmt: skip


def _attendance_lines(session, adults, kept_apart: bool, past: bool, rng) -> list:
    """One attendance line per adult, timed as families.scheduling.plan_session times them
    (gap 15, handover 10 minutes); past sessions have their outcome and actual times."""
    start = session.starts_at.hour * 60 + session.starts_at.minute
    end = session.ends_at.hour * 60 + session.ends_at.minute
    gap, handover = 15, 10
    lines = []
    for pk, role, _, _ in adults:
        brings = role == Adult.Role.RESIDENT_PARENT
        if brings and kept_apart:
            arrive, leave, back, depart = (
                start - gap - handover, time_text(start - gap), time_text(end + gap),
                end + gap + handover,
            )  # fmt: skip
        elif brings:
            arrive, leave, back, depart = start - gap, NULL, NULL, end + gap
        else:
            arrive, leave, back, depart = start, NULL, NULL, end
        arrives, departs = time_text(arrive), time_text(depart)
        outcome, actual = EXPECTED, f"{NULL}\t{NULL}"
        if past and rng.random() < 0.9:
            outcome, actual = ATTENDED, f"{arrives}\t{departs}"
        elif past:
            outcome = DID_NOT_ATTEND
        lines.append(
            f"{session.pk}\t{pk}\t{'t' if brings else 'f'}\t{arrives}\t{leave}\t{back}\t"
            f"{departs}\t{outcome}\t{actual}"
        )
    return lines


def family_rows(rows, centre, family_id, plan, adults, children, by, rng, today) -> None:
    """Attendances, keep-apart flags, rules acknowledgements and name search hashes: nothing
    sealed, so plain rows, the largest written straight as COPY lines."""
    if plan.kept_apart:  # resident and non-resident parent, lower id first
        rows.flags.append((centre.pk, adults[0][0], adults[1][0], by.pk, plan.created))
    for pk, *_ in adults:
        if rng.random() < 0.9:
            on = plan.created.date() + datetime.timedelta(days=rng.randint(1, 14))
            rows.acks.append((pk, on, "1", True, True, by.pk))
    for session in rows.sessions[len(rows.sessions) - len(plan.sessions) :]:
        past = session.date < today and session.status == BOOKED
        rows.attendances += _attendance_lines(session, adults, plan.kept_apart, past, rng)
        outcome = ATTENDED if past else EXPECTED
        rows.child_attendances += [f"{session.pk}\t{pk}\t{outcome}" for pk, *_ in children]
    tokens: set[int] = set()
    for _, _, first, last in adults:
        tokens |= _name_tokens(centre.pk, first, last)
    for _, first, last, born in children:
        tokens |= _name_tokens(centre.pk, first, last, child=True)
        tokens.add(name_index.token(name_index.CHILD, centre.pk, name_index.identity(
            first, last, born)))  # fmt: skip
    rows.tokens += [f"{centre.pk}\t{family_id}\t{token}" for token in sorted(tokens)]


@lru_cache(maxsize=65536)
def _name_tokens(centre_id: int, first: str, last: str, *, child: bool = False) -> frozenset:
    """A name's search hashes as families/name_index_services.py computes them (a child's
    identity, which takes the date of birth, is added by the caller)."""
    return frozenset(name_index.person_tokens(centre_id, first, last, None, child=child))


def flush_plain(rows) -> None:
    copy_lines(
        SessionAttendance,
        ["session_id", "adult_id", "brings_child", "arrives_at", "leaves_at", "returns_at",
         "departs_at", "outcome", "actual_arrival", "actual_departure"],
        rows.attendances,
    )  # fmt: skip
    copy_lines(ChildAttendance, ["session_id", "child_id", "outcome"], rows.child_attendances)
    plain(
        KeepApart, ["centre_id", "adult_a_id", "adult_b_id", "created_by_id", "created_at"],
        rows.flags,
    )  # fmt: skip
    plain(
        RulesAcknowledgement,
        ["adult_id", "acknowledged_on", "policy_version", "no_recording",
         "no_discussing_others", "recorded_by_id"],
        rows.acks,
    )  # fmt: skip
    copy_lines(NameToken, ["centre_id", "family_id", "token"], rows.tokens)
