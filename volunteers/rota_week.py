"""The week's rota on one page (issue 17, point 5): the week's booked sessions as rows, the
centre's appointed volunteers as columns, and a box wherever a volunteer may be put on a
session, so that a coordinator fills a week in one submit instead of sixty.

Who gets a box is the DBS gate itself (`Volunteer.work_problems`: appointed, a clear DBS check
covering the session's date, the confidentiality agreement signed; CHI-4.7, CHE-8, CHI-4.1,
CHE-2), asked for each volunteer and each day of the week. A volunteer who may not work on a
session's date has no box on it; one who may work on no day of the week is no column at all,
and is listed with the reason. Putting them on still goes through `rota_services.rota_assign`,
which asks again, and the database checks the date once more (a constraint on RotaEntry).

A shaded box marks a volunteer who said they are usually available (VolunteerAvailability) for
the whole time the family is in the building, from the first arrival to the last departure.

The page reads the same five queries whatever the size of the week: the sessions as plain
values with their cover and time in the building, the entries already on the rota, the
appointed volunteers with their data keys (for their names), and their availability. A busy
week is thousands of cells (196 sessions and 32 volunteers at the benchmark's centre), so the
rows are drawn here, as HTML, rather than by the template: Django's template engine takes about
20 µs a cell, this under 1 µs (`draw`).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Min, OuterRef, Subquery
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cccc.access import centre_id_of
from cccc.addresses import each_address
from cccc.models import Membership
from families.models import ContactSession, ContactType, SessionAttendance
from families.room_names import room_column
from families.timeline import hours
from volunteers import access
from volunteers.models import RotaEntry, Volunteer, VolunteerAvailability
from volunteers.rota_services import cover_annotations

WEEK = 7
ON_ROTA, OFFERED, NOT_OFFERED = "on", "offered", ""
BADGE = "rota-short badge"


@dataclass(frozen=True)
class Column:
    """An appointed volunteer who may work on at least one open session of the week."""

    pk: int
    name: str


@dataclass
class Row:
    pk: int
    date: datetime.date
    hours: str
    reference: str
    contact_type: str
    room: str
    # The time in the building: the first arrival and the last departure (contact hours when
    # no one is planned).
    arrives: datetime.time
    departs: datetime.time
    assigned: int
    needed: int
    # Not taken place yet: volunteers can still be put on it (rota_assign refuses past ones).
    open: bool
    # Column by column: ON_ROTA, OFFERED (a box) or NOT_OFFERED (may not work on this date);
    # and whether the volunteer is usually available for the whole visit.
    states: list[str] = field(default_factory=list)
    available: list[bool] = field(default_factory=list)
    html: SafeString = mark_safe("")  # drawn by RotaWeek.draw

    @property
    def short(self) -> int:
        return max(self.needed - self.assigned, 0)

    @property
    def in_building(self) -> str:
        return hours(self.arrives, self.departs)


@dataclass
class RotaWeek:
    monday: datetime.date
    columns: list[Column]
    volunteers: list[Volunteer]  # the columns' volunteers, in the same order
    rows: list[Row]
    # Appointed volunteers who may work on no open session of the week: (name, why).
    not_offered: list[tuple[str, str]]
    ticked: set[str] = field(default_factory=set)  # boxes kept ticked when a POST is refused

    def offer(self, value: str) -> tuple[int, Volunteer] | None:
        """The session id and the volunteer of a box the page offers, from what it posts
        ("session id:volunteer id"); None for anything else (a forged or stale value)."""
        session_id, _, volunteer_id = value.partition(":")
        if not (session_id.isdecimal() and volunteer_id.isdecimal()):
            return None
        row = next((r for r in self.rows if r.pk == int(session_id)), None)
        index = next((n for n, c in enumerate(self.columns) if c.pk == int(volunteer_id)), None)
        if row is None or index is None or not row.open or row.states[index] != OFFERED:
            return None
        return row.pk, self.volunteers[index]

    @property
    def offers(self) -> bool:
        return any(OFFERED in row.states for row in self.rows)

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=WEEK - 1)

    @property
    def days(self) -> list[tuple[datetime.date, list[Row]]]:
        by_day: dict[datetime.date, list[Row]] = defaultdict(list)
        for row in self.rows:
            by_day[row.date].append(row)
        return sorted(by_day.items())

    @property
    def open_rows(self) -> int:
        return sum(1 for row in self.rows if row.open)

    @property
    def short_rows(self) -> int:
        return sum(1 for row in self.rows if row.open and row.short)

    def draw(self) -> None:
        """Each row as HTML, with the boxes in `ticked` ticked. Text goes through `escape` (a
        room's name is typed by a coordinator); the rest is numbers and fixed text."""
        rota = each_address("session_rota")
        for row in self.rows:
            short = (
                f'<span class="{BADGE} text-bg-warning">{row.short} short</span>'
                if row.short
                else f'<span class="{BADGE} text-bg-success">covered</span>'
            )
            room = f" · {escape(row.room)}" if row.room else ""
            row.html = mark_safe(  # noqa: S308 - every text escaped, numbers and fixed text
                f'<tr class="rota-row" data-assigned="{row.assigned}" '
                f'data-needed="{row.needed}" data-open="{int(row.open)}">'
                f'<th scope="row" id="s{row.pk}" class="rota-session">{escape(row.hours)} '
                f'<a href="{rota(row.pk)}">{escape(row.reference)}</a>'
                '<span class="d-block small text-muted fw-normal">'
                f"{escape(row.contact_type)}{room} · in the building {escape(row.in_building)}"
                '</span></th><td class="rota-cover text-nowrap">'
                f'<span class="rota-count">{row.assigned} of {row.needed}</span> {short}</td>'
                f"{self._cells(row)}</tr>"
            )

    def _cells(self, row: Row) -> SafeString:
        if not row.open:
            return mark_safe(  # noqa: S308 - a number and fixed text
                f'<td colspan="{max(len(self.columns), 1)}" class="text-muted">'
                "Taken place: its rota is on the session's page.</td>"
            )
        parts = []
        for column, state, available in zip(self.columns, row.states, row.available, strict=True):
            shade = ' class="rota-available"' if available else ""
            if state == OFFERED:
                value = f"{row.pk}:{column.pk}"
                tick = " checked" if value in self.ticked else ""
                note = ' aria-describedby="rota-available-note"' if available else ""
                parts.append(
                    f'<td{shade}><input type="checkbox" name="assign" value="{value}" '
                    f'aria-labelledby="v{column.pk} s{row.pk}"{note}{tick}></td>'
                )
            elif state == ON_ROTA:
                parts.append(f'<td{shade}><span class="rota-on">On rota</span></td>')
            else:
                parts.append(
                    '<td><span aria-hidden="true">–</span><span class="visually-hidden">'
                    "May not work on this date</span></td>"
                )
        return mark_safe("".join(parts))  # noqa: S308 - ids and fixed text only


def _rows(membership: Membership, monday: datetime.date, today: datetime.date) -> list[Row]:
    plans = SessionAttendance.objects.filter(session=OuterRef("pk")).order_by().values("session")
    week = access.rota_sessions_for(membership).filter(
        # the centre for the (centre, date) index; access comes from rota_sessions_for
        centre_id=centre_id_of(membership),
        status=ContactSession.Status.BOOKED,
        date__range=(monday, monday + datetime.timedelta(days=WEEK - 1)),
    )
    values = (
        week.annotate(
            **cover_annotations(),
            first_arrival=Subquery(plans.annotate(t=Min("arrives_at")).values("t")),
            last_departure=Subquery(plans.annotate(t=Max("departs_at")).values("t")),
        )
        .order_by("date", "starts_at", "pk")
        .values_list(
            "pk", "date", "starts_at", "ends_at", "family__reference", "contact_type",
            room_column(), "first_arrival", "last_departure", "assigned", "needed",
        )
    )  # fmt: skip
    labels = dict(ContactType.choices)
    return [
        Row(
            pk=pk,
            date=day,
            hours=hours(starts, ends),
            reference=reference,
            contact_type=labels.get(kind, kind),
            room=room or "",
            arrives=first or starts,
            departs=last or ends,
            assigned=assigned,
            needed=needed,
            open=day >= today,
        )
        for (
            pk, day, starts, ends, reference, kind, room, first, last, assigned, needed
        ) in values
    ]  # fmt: skip


def rota_week(membership: Membership, monday: datetime.date, *, today: datetime.date) -> RotaWeek:
    """The rota of the week starting on `monday`, for a coordinator (any other role: 404)."""
    rows = _rows(membership, monday, today)
    on_rota: dict[int, set[int]] = defaultdict(set)
    for session_id, volunteer_id in (
        RotaEntry.objects.filter(session__in=[row.pk for row in rows])
        .order_by()
        .values_list("session_id", "volunteer_id")
    ):
        on_rota[session_id].add(volunteer_id)
    volunteers = sorted(
        access.volunteers_for(membership)
        .filter(status=Volunteer.Status.APPOINTED)
        .select_related("data_key"),
        key=lambda v: (v.full_name.casefold(), v.pk),
    )
    usual: dict[tuple[int, int], list[tuple[datetime.time, datetime.time]]] = defaultdict(list)
    for volunteer_id, weekday, starts, ends in VolunteerAvailability.objects.filter(
        volunteer__centre_id=centre_id_of(membership), volunteer__status=Volunteer.Status.APPOINTED
    ).values_list("volunteer_id", "weekday", "starts_at", "ends_at"):
        usual[volunteer_id, weekday].append((starts, ends))

    open_days = sorted({row.date for row in rows if row.open})
    # The gate, once per volunteer and day: who may work on each day still to come.
    may_work = {day: {v.pk for v in volunteers if not v.work_problems(day)} for day in open_days}
    offered_volunteers = [v for v in volunteers if any(v.pk in may_work[d] for d in open_days)]
    offered_ids = {v.pk for v in offered_volunteers}
    not_offered = [
        (v.full_name, "; ".join(v.work_problems(open_days[0])))
        for v in volunteers
        if open_days and v.pk not in offered_ids
    ]
    ids = [v.pk for v in offered_volunteers]
    # Few objects made per cell: a busy week is thousands of them.
    for row in (row for row in rows if row.open):
        working = may_work[row.date]
        weekday = row.date.weekday()
        assigned = on_rota.get(row.pk, set())
        for volunteer_id in ids:
            windows = usual.get((volunteer_id, weekday))
            row.available.append(
                windows is not None
                and any(s <= row.arrives and row.departs <= e for s, e in windows)
            )
            if volunteer_id in assigned:
                row.states.append(ON_ROTA)
            elif volunteer_id in working:
                row.states.append(OFFERED)
            else:
                row.states.append(NOT_OFFERED)
    columns = [Column(v.pk, v.full_name) for v in offered_volunteers]
    return RotaWeek(monday, columns, offered_volunteers, rows, not_offered)
