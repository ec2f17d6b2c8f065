"""Sessions as the coordinator's pages draw them: a heading and each adult's arrival and
departure plan, formatted once here for `families/_timeline.html` and
`families/session_card.html`.

Roles only, never a name: no data key is opened here, so a day of thirty sessions costs the
same few queries as a quiet one (the coordinator's pages add the families' names in two more,
families/names.py). Formatting here rather than with template filters (`time`, `url`,
choice displays) per cell is what keeps the dashboard's busiest day to a few milliseconds.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, Max, Min, OuterRef, QuerySet, Subquery
from django.utils.safestring import SafeString

from cccc.addresses import each_address
from families.models import Adult, ContactSession, ContactType, SessionAttendance


def hm(t: datetime.time | None) -> str:
    return f"{t.hour:02d}:{t.minute:02d}" if t else ""  # strftime costs twice as much


def hours(starts: datetime.time, ends: datetime.time) -> str:
    return f"{hm(starts)}–{hm(ends)}"


def short_day(day: datetime.date) -> str:
    """As the template's `date:"D j M"`: "Thu 3 Dec"."""
    return f"{day:%a} {day.day} {day:%b}"


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


@dataclass(frozen=True)
class SessionCard:
    pk: int
    date: datetime.date
    url: str
    hours: str
    reference: str
    contact_type: str
    room: str
    cancelled: bool
    # The timeline in brief, for a line in a list: from the first adult's arrival to the last
    # one's departure, and whether someone leaves during contact and comes back (a keep-apart
    # handover). The plan is the timeline in full, adult by adult.
    in_building: str = "–"
    handover: bool = False
    plan: list[PlanRow] = field(default_factory=list)  # filled by add_plans
    cover: tuple[int, int] | None = None  # (assigned, needed), where the page shows cover
    family_id: int = 0
    names: str = ""  # the family's names, on the coordinator's pages (families/names.py)

    @property
    def cover_label(self) -> str:
        """Volunteers assigned of those needed, "1/2" (formatted here: the template's
        `cover.0` takes Django's slow path for a tuple index, twice a session)."""
        return f"{self.cover[0]}/{self.cover[1]}" if self.cover else ""

    @property
    def below_cover(self) -> bool:
        return self.cover is not None and self.cover[0] < self.cover[1]

    @property
    def day(self) -> str:
        return short_day(self.date)

    @property
    def html(self) -> SafeString:
        """The card drawn once in Python (families/session_card_html.py), the same HTML as
        families/session_card.html: `{{ card.html }}` in the dashboard, day and week views."""
        from families.session_card_html import session_card_html

        return session_card_html(self)


def session_cards(
    sessions: QuerySet[ContactSession], *, cover: dict | None = None, plans: bool = True
) -> list[SessionCard]:
    """A card per session of the queryset, in its order, read as plain values in one query
    with its timeline in brief, and each adult's plan in one more, whatever the number of
    sessions (model instances and template filters cost ten times as much on a busy day).
    With `cover`, the annotations counting each session's volunteers `assigned` and `needed`
    (volunteers.services.cover_annotations, passed by the pages that show cover, so that
    families does not import volunteers), each card carries its volunteer cover from the same
    query; with `plans=False` the plans are left for `add_plans`, for the cards that show
    them."""
    sessions = sessions.annotate(**_brief_timeline())
    fields = [
        "pk", "date", "starts_at", "ends_at", "room__name", "contact_type", "status",
        "family__reference", "first_arrival", "last_departure", "handover", "family_id",
    ]  # fmt: skip
    if cover:
        sessions = sessions.annotate(**cover)
        fields += ["assigned", "needed"]
    url = each_address("session_detail")
    labels = dict(ContactType.choices)
    cards = [
        SessionCard(
            pk=pk,
            date=day,
            url=url(pk),
            hours=hours(starts, ends),
            reference=reference,
            contact_type=labels.get(kind, kind),
            room=room or "",
            cancelled=status == ContactSession.Status.CANCELLED,
            in_building=hours(first, last) if first else "–",
            handover=handover,
            cover=tuple(needs) if needs else None,
            family_id=family_id,
        )
        for (
            pk, day, starts, ends, room, kind, status, reference, first, last, handover,
            family_id, *needs
        ) in sessions.values_list(*fields)
    ]  # fmt: skip
    if plans:
        add_plans(cards)
    return cards


def _brief_timeline() -> dict:
    """Annotations on ContactSession for SessionCard's timeline in brief, each a subquery on
    the session's plans (no GROUP BY beside the other annotations)."""
    plans = SessionAttendance.objects.filter(session=OuterRef("pk")).order_by()
    per_session = plans.values("session")
    return {
        "first_arrival": Subquery(per_session.annotate(t=Min("arrives_at")).values("t")),
        "last_departure": Subquery(per_session.annotate(t=Max("departs_at")).values("t")),
        "handover": Exists(plans.filter(leaves_at__isnull=False)),
    }


def add_plans(cards: Iterable[SessionCard]) -> None:
    """Each card's plan, adult by adult in order of arrival, in one query for all of them."""
    by_pk = {card.pk: card for card in cards}
    if not by_pk:
        return
    attendances = (
        SessionAttendance.objects.filter(session__in=by_pk)
        .order_by("arrives_at", "pk")
        .values_list(
            "session_id", "adult__role", "brings_child", "arrives_at", "leaves_at",
            "returns_at", "departs_at",
        )
    )  # fmt: skip
    for session_id, *plan in attendances:
        by_pk[session_id].plan.append(_plan_row(*plan))
