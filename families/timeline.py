"""Sessions as the coordinator's pages draw them: a heading and each adult's arrival and
departure plan, formatted once here for `families/_timeline.html` and
`families/session_card.html`.

Roles only, never a name: no data key is opened, so a day of thirty sessions costs the same
few queries as a quiet one. Formatting here rather than with template filters (`time`, `url`,
choice displays) per cell is what keeps the dashboard's busiest day to a few milliseconds.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse

from families.models import Adult, ContactSession, ContactType, SessionAttendance
from volunteers.services import cover_annotations


def hm(t: datetime.time | None) -> str:
    return f"{t.hour:02d}:{t.minute:02d}" if t else ""  # strftime costs twice as much


def hours(starts: datetime.time, ends: datetime.time) -> str:
    return f"{hm(starts)}–{hm(ends)}"


def session_urls() -> Callable[[int], str]:
    """The session page's address for any id, reversed once: reverse() per row costs more
    than the rest of a row."""
    prefix = reverse("session_detail", args=[0]).removesuffix("0/")
    return lambda pk: f"{prefix}{pk}/"


@dataclass(frozen=True)
class PlanRow:
    """One adult's plan; `leaves` and `returns` are empty when they stay throughout."""

    role: str
    brings_child: bool
    arrives: str
    leaves: str
    returns: str
    departs: str

    @property
    def kept_apart(self) -> bool:
        return bool(self.leaves)


def plan_rows(attendances: Iterable[SessionAttendance]) -> list[PlanRow]:
    """For loaded instances (each with its `adult`), in the order to show."""
    return [
        _plan_row(
            a.adult.role, a.brings_child, a.arrives_at, a.leaves_at, a.returns_at, a.departs_at
        )
        for a in attendances
    ]


_ROLES = dict(Adult.Role.choices)


def _plan_row(role, brings_child, arrives, leaves, returns, departs) -> PlanRow:
    return PlanRow(
        role=_ROLES.get(role, role),
        brings_child=brings_child,
        arrives=hm(arrives),
        leaves=hm(leaves),
        returns=hm(returns),
        departs=hm(departs),
    )


class _Cover:
    """Cover as the pages show it; `cover` is (assigned, needed), or None where not shown."""

    cover: tuple[int, int] | None

    @property
    def cover_label(self) -> str:
        """Volunteers assigned of those needed, "1/2" (formatted here: the template's
        `cover.0` takes Django's slow path for a tuple index, twice a session)."""
        return f"{self.cover[0]}/{self.cover[1]}" if self.cover else ""

    @property
    def below_cover(self) -> bool:
        return self.cover is not None and self.cover[0] < self.cover[1]


@dataclass(frozen=True)
class SessionCard(_Cover):
    date: datetime.date
    url: str
    hours: str
    reference: str
    contact_type: str
    room: str
    cancelled: bool
    plan: list[PlanRow]
    cover: tuple[int, int] | None = None  # (assigned, needed), where the page shows cover


@dataclass(frozen=True)
class SessionLine(_Cover):
    """A session in one line, for the dashboard's lists: its time in the building, from the
    first adult's arrival to the last one's departure, instead of each adult's plan."""

    pk: int
    date: datetime.date
    url: str
    hours: str
    reference: str
    contact_type: str
    in_building: str
    handover: bool  # someone leaves during contact and comes back: a keep-apart handover
    cover: tuple[int, int]

    @property
    def day(self) -> str:
        return f"{self.date:%a} {self.date.day} {self.date:%b}"


def session_cards(
    sessions: QuerySet[ContactSession], cover: dict[int, tuple[int, int]] | None = None
) -> list[SessionCard]:
    """A card per session of the queryset, in its order, read as plain values in two queries
    whatever the number of sessions (model instances and template filters cost ten times as
    much on a busy day)."""
    rows = list(
        sessions.values_list(
            "pk", "date", "starts_at", "ends_at", "room", "contact_type", "status",
            "family__reference",
        )
    )  # fmt: skip
    plans = defaultdict(list)
    attendances = (
        SessionAttendance.objects.filter(session__in=sessions.values("pk"))
        .order_by("arrives_at", "pk")
        .values_list(
            "session_id", "adult__role", "brings_child", "arrives_at", "leaves_at",
            "returns_at", "departs_at",
        )
    )  # fmt: skip
    for session_id, *plan in attendances:
        plans[session_id].append(_plan_row(*plan))
    url = session_urls()
    labels = dict(ContactType.choices)
    cover = cover or {}
    return [
        SessionCard(
            date=day,
            url=url(pk),
            hours=hours(starts, ends),
            reference=reference,
            contact_type=labels.get(kind, kind),
            room=room,
            cancelled=status == ContactSession.Status.CANCELLED,
            plan=plans[pk],
            cover=cover.get(pk),
        )
        for pk, day, starts, ends, room, kind, status, reference in rows
    ]


def session_lines(sessions: QuerySet[ContactSession]) -> list[SessionLine]:
    """A line per session of the queryset, in its order, with its cover, in one query whatever
    the number of sessions: each plan is summed up in SQL rather than read adult by adult."""
    plan = SessionAttendance.objects.filter(session=OuterRef("pk")).order_by()
    rows = sessions.annotate(
        first_arrival=Subquery(plan.order_by("arrives_at").values("arrives_at")[:1]),
        last_departure=Subquery(plan.order_by("-departs_at").values("departs_at")[:1]),
        handover=Exists(plan.filter(leaves_at__isnull=False)),
        **cover_annotations(),
    ).values_list(
        "pk", "date", "starts_at", "ends_at", "contact_type", "family__reference",
        "first_arrival", "last_departure", "handover", "assigned", "needed",
    )  # fmt: skip
    url = session_urls()
    labels = dict(ContactType.choices)
    return [
        SessionLine(
            pk=pk,
            date=day,
            url=url(pk),
            hours=hours(starts, ends),
            reference=reference,
            contact_type=labels.get(kind, kind),
            in_building=hours(first, last) if first else "–",
            handover=handover,
            cover=(assigned, needed),
        )
        for pk, day, starts, ends, kind, reference, first, last, handover, assigned, needed in rows
    ]
