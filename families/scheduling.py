"""Keep-apart scheduling (SPEC §7).

Adults who must not meet are kept apart by time. Booking a session plans each adult's
arrival and departure: the adult bringing the child arrives first and leaves last, `gap`
minutes from the others. If they are flagged against anyone at the session, or against an
adult of a destroyed record, they are not in the building during contact at all: they hand
the child over and leave `gap` minutes before the others arrive, and come back to collect
`gap` minutes after the others have gone.

The scheduler then refuses any booking that would put a flagged pair, from this family or
any other family at the centre that day, within `gap` minutes of each other in the building.
Exactly `gap` minutes apart is allowed; one minute less is not.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from cccc.models import Centre
from families.models import Adult, ContactSession, KeepApart, SessionAttendance
from families.models.session import minutes


@dataclass(frozen=True)
class Plan:
    """One adult's planned presence at a session, in minutes of the day."""

    adult: Adult
    brings_child: bool
    arrives_at: int
    departs_at: int
    leaves_at: int | None = None
    returns_at: int | None = None

    def windows(self) -> list[tuple[int, int]]:
        if self.leaves_at is not None and self.returns_at is not None:
            return [(self.arrives_at, self.leaves_at), (self.returns_at, self.departs_at)]
        return [(self.arrives_at, self.departs_at)]


@dataclass(frozen=True)
class Presence:
    adult_id: int
    label: str  # "CHI-2026-0042 resident parent": a reference and a role, never a name
    start: int
    end: int


@dataclass(frozen=True)
class Clash:
    first: Presence
    second: Presence
    gap: int

    def message(self) -> str:
        return (
            f"{self.first.label} ({hhmm(self.first.start)}–{hhmm(self.first.end)}) and "
            f"{self.second.label} ({hhmm(self.second.start)}–{hhmm(self.second.end)}) must be "
            f"kept apart, and would be in the building within {self.gap} minutes of each other."
        )


def hhmm(total: int) -> str:
    return f"{total // 60:02d}:{total % 60:02d}"


def as_time(total: int) -> datetime.time:
    if not 0 <= total < 24 * 60:
        raise ValueError("The plan runs past midnight; choose an earlier or later time.")
    return datetime.time(total // 60, total % 60)


def flagged_pairs(adult_ids: Iterable[int]) -> set[tuple[int, int | None]]:
    """The keep-apart pairs (lower id first) touching any of these adults; (id, None) for an
    adult kept apart from an adult of a destroyed record."""
    pairs = KeepApart.objects.touching(list(adult_ids))
    return set(pairs.values_list("adult_a_id", "adult_b_id"))


def plan_session(
    *,
    starts_at: datetime.time,
    ends_at: datetime.time,
    adults: list[Adult],
    bringing: Adult,
    gap: int,
    handover: int,
    pairs: set[tuple[int, int | None]],
) -> list[Plan]:
    """`pairs`: flagged_pairs() of these adults."""
    start, end = minutes(starts_at), minutes(ends_at)
    others = [a for a in adults if a.pk != bringing.pk]
    # Kept apart from someone here, or from an adult of a destroyed record (who may come back
    # under a new record nothing links to the old one): hand over and leave.
    kept_apart = (bringing.pk, None) in pairs or any(
        (min(bringing.pk, o.pk), max(bringing.pk, o.pk)) in pairs for o in others
    )
    plans = [Plan(adult=o, brings_child=False, arrives_at=start, departs_at=end) for o in others]
    if kept_apart:
        plans.insert(
            0,
            Plan(
                adult=bringing,
                brings_child=True,
                arrives_at=start - gap - handover,
                leaves_at=start - gap,
                returns_at=end + gap,
                departs_at=end + gap + handover,
            ),
        )
    else:
        plans.insert(
            0, Plan(adult=bringing, brings_child=True, arrives_at=start - gap, departs_at=end + gap)
        )
    for plan in plans:
        for total in (plan.arrives_at, plan.departs_at):
            as_time(total)
    return plans


def find_clashes(
    *, centre: Centre, date: datetime.date, plans: list[Plan], pairs: set[tuple[int, int | None]]
) -> list[Clash]:
    """Every flagged pair that the proposed plans would bring within `gap` minutes of each
    other, counting the proposed plans themselves and every booked session that day.
    `pairs`: flagged_pairs() of the planned adults. Adults are named by family reference and
    role (`str(adult)`), never by name."""
    gap = centre.keep_apart_gap_minutes
    proposed = [
        Presence(p.adult.pk, str(p.adult), start, end) for p in plans for start, end in p.windows()
    ]
    if not pairs:
        return []
    partner_ids = {a for pair in pairs for a in pair if a is not None}
    booked = SessionAttendance.objects.filter(
        session__centre=centre,
        session__date=date,
        session__status=ContactSession.Status.BOOKED,
        adult_id__in=partner_ids,
    ).select_related("adult__family")
    existing = [
        Presence(att.adult_id, str(att.adult), start, end)
        for att in booked
        for start, end in att.windows()
    ]
    everyone = proposed + existing
    clashes = []
    for new in proposed:
        for other in everyone:
            if other is new or other.adult_id == new.adult_id:
                continue
            pair = (min(new.adult_id, other.adult_id), max(new.adult_id, other.adult_id))
            if pair not in pairs:
                continue
            too_close = new.start < other.end + gap and other.start < new.end + gap
            if too_close and Clash(other, new, gap) not in clashes:
                clashes.append(Clash(new, other, gap))
    return clashes
