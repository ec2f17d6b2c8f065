"""The coordinator's day sheet (issue 17, point 4): a day's booked sessions room by room and in
time order, each adult's arrival and departure plan with its keep-apart handover, and the
volunteers on each session, to print or keep as a PDF for the front desk.

It is the coordinators' only: volunteers have no export of any kind (CHI-4.3). It carries what
the day needs and no more: family references and adults by role, as on the day view; no
family member's name, no contact detail, no note. Printing it or downloading it takes personal
data off the screen, so each time it is read for a page or a PDF is an audit entry (the centre,
the day, the format and how many sessions; no value), written in the same transaction.

Read in the same few queries whatever the number of sessions: the sessions with their cover,
the adults' plans, and the volunteers on their rotas (with their data keys, for their names).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import cast

from django.db import transaction

from cccc.access import require_role
from cccc.audit import access_log_record
from cccc.models import AccessLog, Centre, Membership, Role
from families.access import sessions_for
from families.models import ContactSession, ContactType, SessionAttendance
from families.room_names import room_name, with_room
from families.timeline import PlanRow, hours, plan_rows
from volunteers.models import RotaEntry
from volunteers.rota_services import cover_annotations

NO_ROOM = "No room given"
CONFIDENTIAL = (
    "Confidential: for the centre's staff and volunteers on duty today. Keep it out of sight "
    "of families and visitors, and shred it at the end of the day."
)
FORMATS = ("page", "pdf")


@dataclass
class SheetSession:
    hours: str
    reference: str
    contact_type: str
    assigned: int
    needed: int
    plan: list[PlanRow] = field(default_factory=list)
    volunteers: list[str] = field(default_factory=list)

    @property
    def in_building(self) -> str:
        """From the first arrival to the last departure."""
        if not self.plan:
            return "–"
        return f"{min(row.arrives for row in self.plan)}–{max(row.departs for row in self.plan)}"

    @property
    def handover(self) -> bool:
        return any(row.kept_apart for row in self.plan)

    @property
    def short(self) -> int:
        return max(self.needed - self.assigned, 0)

    @property
    def cover(self) -> str:
        names = ", ".join(self.volunteers) or "none yet"
        gap = f"; {self.short} more needed" if self.short else ""
        return f"{names} ({self.assigned} of {self.needed}{gap})"


@dataclass
class DaySheet:
    centre: Centre
    day: datetime.date
    rooms: list[tuple[str, list[SheetSession]]]

    @property
    def sessions(self) -> int:
        return sum(len(sessions) for _, sessions in self.rooms)


def _read(membership: Membership, day: datetime.date) -> DaySheet:
    centre = cast(Centre, membership.centre)  # a coordinator's (require_role): never None
    sessions = list(
        with_room(
            sessions_for(membership).filter(
                centre=centre, status=ContactSession.Status.BOOKED, date=day
            )
        )
        .select_related("family")
        .annotate(**cover_annotations())
        .order_by("starts_at", "pk")
    )
    ids = [session.pk for session in sessions]
    attendances: dict[int, list[SessionAttendance]] = defaultdict(list)
    for attendance in (
        SessionAttendance.objects.filter(session__in=ids)
        .select_related("adult")
        .order_by("arrives_at", "pk")
    ):
        attendances[attendance.session_id].append(attendance)
    volunteers: dict[int, list[str]] = defaultdict(list)
    for entry in (
        RotaEntry.objects.filter(session__in=ids)
        .select_related("volunteer__data_key")
        .order_by("pk")
    ):
        volunteers[entry.session_id].append(entry.volunteer.full_name)
    labels = dict(ContactType.choices)
    by_room: dict[str, list[SheetSession]] = defaultdict(list)
    for session in sessions:
        by_room[room_name(session)].append(
            SheetSession(
                hours=hours(session.starts_at, session.ends_at),
                reference=session.family.reference,
                contact_type=labels.get(session.contact_type, session.contact_type),
                assigned=getattr(session, "assigned", 0),
                needed=getattr(session, "needed", 0),
                plan=plan_rows(attendances[session.pk]),
                volunteers=volunteers[session.pk],
            )
        )
    # Rooms by name; sessions with no room last.
    order = sorted(by_room, key=lambda name: (name == "", name.casefold()))
    return DaySheet(centre, day, [(name or NO_ROOM, by_room[name]) for name in order])


@transaction.atomic
def day_sheet_view(*, membership: Membership | None, day: datetime.date, fmt: str) -> DaySheet:
    """The day sheet of the membership's centre, for its coordinator, recorded in the audit
    trail as read (by the membership's person) for a page or a PDF (`fmt`). Any other role:
    404."""
    require_role(membership, Role.COORDINATOR)
    assert membership is not None  # require_role let only a coordinator's through
    if fmt not in FORMATS:
        raise ValueError(f"fmt is one of {FORMATS}")
    user = membership.user
    sheet = _read(membership, day)
    access_log_record(
        user=user,
        action=AccessLog.Action.VIEW_DAY_SHEET,
        record=sheet.centre,
        centre=sheet.centre,
        detail=f"day={day.isoformat()} format={fmt} sessions={sheet.sessions}",
    )
    return sheet
