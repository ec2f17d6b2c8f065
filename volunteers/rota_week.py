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

The page reads the same five queries whatever the size of the week: the sessions with their
cover and time in the building, the entries already on the rota, the appointed volunteers with
their data keys (for their names), and their availability.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Min, OuterRef, Subquery
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from cccc.access import centre_id_of
from cccc.models import User
from families.models import ContactSession, ContactType, SessionAttendance
from families.room_names import room_name, with_room
from families.timeline import hm, hours
from volunteers import access
from volunteers.models import RotaEntry, Volunteer, VolunteerAvailability
from volunteers.rota_services import cover_annotations

WEEK = 7


@dataclass(frozen=True)
class Column:
    """An appointed volunteer who may work on at least one open session of the week."""

    pk: int
    name: str


@dataclass
class Row:
    session: ContactSession
    hours: str
    in_building: str
    room: str
    contact_type: str
    assigned: int
    needed: int
    rota_url: str
    # Not taken place yet: volunteers can still be put on it (rota_assign refuses past ones).
    open: bool
    # Column by column: "on" (on its rota already), "offered" (a box), "" (may not work then);
    # and whether the volunteer is usually available for it.
    states: list[str] = field(default_factory=list)
    available: list[bool] = field(default_factory=list)
    cells: SafeString = mark_safe("")  # drawn by RotaWeek.draw

    @property
    def pk(self) -> int:
        return self.session.pk

    @property
    def reference(self) -> str:
        return self.session.family.reference

    @property
    def short(self) -> int:
        return max(self.needed - self.assigned, 0)


@dataclass
class RotaWeek:
    monday: datetime.date
    columns: list[Column]
    rows: list[Row]
    # Appointed volunteers who may work on no open session of the week: (name, why).
    not_offered: list[tuple[str, str]]
    # "session id:volunteer id", as a box posts it -> the session and the volunteer.
    offered: dict[str, tuple[ContactSession, Volunteer]]
    ticked: set[str] = field(default_factory=set)  # boxes kept ticked when a POST is refused

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=WEEK - 1)

    @property
    def days(self) -> list[tuple[datetime.date, list["Row"]]]:
        by_day: dict[datetime.date, list[Row]] = defaultdict(list)
        for row in self.rows:
            by_day[row.session.date].append(row)
        return sorted(by_day.items())

    @property
    def open_rows(self) -> int:
        return sum(1 for row in self.rows if row.open)

    @property
    def short_rows(self) -> int:
        return sum(1 for row in self.rows if row.open and row.short)

    def draw(self) -> None:
        """Each row's cells, with the boxes in `ticked` ticked."""
        for row in self.rows:
            row.cells = self._cells(row)

    def _cells(self, row: Row) -> SafeString:
        """The row's cells, one per column, as HTML. Built here rather than in the template: a
        busy week is thousands of cells, which Django's template engine draws at about 20 µs
        each (over 100 ms for 160 sessions and 36 volunteers), and this at under 1 µs. Only
        ids and fixed text go in (numbers the page made), nothing typed by anyone."""
        if not row.open:
            return mark_safe(  # noqa: S308 - a number and fixed text
                f'<td colspan="{max(len(self.columns), 1)}" class="text-muted">'
                "Taken place: its rota is on the session's page.</td>"
            )
        parts = []
        for column, state, available in zip(self.columns, row.states, row.available, strict=True):
            shade = " rota-available" if available else ""
            if state == "offered":
                value = f"{row.pk}:{column.pk}"
                tick = " checked" if value in self.ticked else ""
                note = ' aria-describedby="rota-available-note"' if available else ""
                parts.append(
                    f'<td class="rota-cell{shade}"><input type="checkbox" name="assign" '
                    f'value="{value}" aria-labelledby="v{column.pk} s{row.pk}"{note}{tick}></td>'
                )
            elif state == "on":
                parts.append(f'<td class="rota-cell rota-on{shade}">On rota</td>')
            else:
                parts.append(
                    '<td class="rota-cell rota-none"><span aria-hidden="true">–</span>'
                    '<span class="visually-hidden">May not work on this date</span></td>'
                )
        return mark_safe("".join(parts))  # noqa: S308 - ids and fixed text only


def _sessions(user: User, monday: datetime.date) -> list[ContactSession]:
    plans = SessionAttendance.objects.filter(session=OuterRef("pk")).order_by().values("session")
    week = access.rota_sessions_for(user).filter(
        centre_id=centre_id_of(user),  # for the (centre, date) index; access is rota_sessions_for
        status=ContactSession.Status.BOOKED,
        date__range=(monday, monday + datetime.timedelta(days=WEEK - 1)),
    )
    return list(
        with_room(week)
        .select_related("family")
        .annotate(
            **cover_annotations(),
            first_arrival=Subquery(plans.annotate(t=Min("arrives_at")).values("t")),
            last_departure=Subquery(plans.annotate(t=Max("departs_at")).values("t")),
        )
        .order_by("date", "starts_at", "pk")
    )


def rota_week(user: User, monday: datetime.date, *, today: datetime.date) -> RotaWeek:
    """The rota of the week starting on `monday`, for a coordinator (any other role: 404)."""
    sessions = _sessions(user, monday)
    on_rota = set(
        RotaEntry.objects.filter(session__in=[s.pk for s in sessions]).values_list(
            "session_id", "volunteer_id"
        )
    )
    volunteers = sorted(
        access.volunteers_for(user)
        .filter(status=Volunteer.Status.APPOINTED)
        .select_related("data_key"),
        key=lambda v: (v.full_name.casefold(), v.pk),
    )
    windows: dict[tuple[int, int], list[VolunteerAvailability]] = defaultdict(list)
    for window in VolunteerAvailability.objects.filter(
        volunteer__centre_id=centre_id_of(user), volunteer__status=Volunteer.Status.APPOINTED
    ):
        windows[(window.volunteer_id, window.weekday)].append(window)

    open_days = sorted({s.date for s in sessions if s.date >= today})
    problems = {(v.pk, day): v.work_problems(day) for v in volunteers for day in open_days}
    offered_volunteers = [v for v in volunteers if any(not problems[v.pk, d] for d in open_days)]
    offered_ids = {v.pk for v in offered_volunteers}
    not_offered = [
        (v.full_name, "; ".join(problems[v.pk, open_days[0]]))
        for v in volunteers
        if open_days and v.pk not in offered_ids
    ]
    rota_url = reverse("session_rota", args=[0]).removesuffix("0/rota/")
    labels = dict(ContactType.choices)
    rows, offered = [], {}
    for session in sessions:
        first = getattr(session, "first_arrival", None) or session.starts_at
        last = getattr(session, "last_departure", None) or session.ends_at
        row = Row(
            session=session,
            hours=hours(session.starts_at, session.ends_at),
            in_building=f"{hm(first)}–{hm(last)}",
            room=room_name(session),
            contact_type=labels.get(session.contact_type, session.contact_type),
            assigned=getattr(session, "assigned", 0),
            needed=getattr(session, "needed", 0),
            rota_url=f"{rota_url}{session.pk}/rota/",
            open=session.date >= today,
        )
        if row.open:
            for volunteer in offered_volunteers:
                usual = windows.get((volunteer.pk, session.date.weekday()), [])
                row.available.append(any(w.covers(first, last) for w in usual))
                if (session.pk, volunteer.pk) in on_rota:
                    row.states.append("on")
                elif problems[volunteer.pk, session.date]:
                    row.states.append("")
                else:
                    row.states.append("offered")
                    offered[f"{session.pk}:{volunteer.pk}"] = (session, volunteer)
        rows.append(row)
    columns = [Column(v.pk, v.full_name) for v in offered_volunteers]
    return RotaWeek(monday, columns, rows, not_offered, offered)
