"""A family's sessions as the rows of its tables (the family page's next and last ten, and the
page of all its sessions), read as plain values and drawn here, each row once, rather than
model instances drawn through template filters, a `{% url %}` and two choice displays per row
(tests/families/test_session_rows.py: the same HTML as the templates drew). Every text goes
through `escape`; the rest is numbers, dates and fixed text."""

import datetime

from django.db.models import QuerySet
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cccc.addresses import each_address
from families.models import ContactSession, ContactType

FIELDS = (
    "pk", "date", "starts_at", "ends_at", "room_id", "room__name", "contact_type", "status",
    "recorded_afterwards",
)  # fmt: skip
LABELS = ("Date", "Time", "Room", "Type", "Status")


def _hm(t: datetime.time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def session_rows(sessions: QuerySet[ContactSession], *, labelled: bool = False) -> list[SafeString]:
    """Each session of the queryset, in its order, as a table row: its date (linking to the
    session), its time, room, type and status. With `labelled`, each cell carries its
    column's name (`data-label`, for the stacked table on a phone)."""
    url = each_address("session_detail")
    months = [""] + [str(MONTHS_3[n]).title() for n in range(1, 13)]
    days = [str(WEEKDAYS_ABBR[n]) for n in range(7)]
    types = dict(ContactType.choices)
    statuses = dict(ContactSession.Status.choices)
    cells = [f' data-label="{label}"' for label in LABELS] if labelled else [""] * len(LABELS)
    rows = []
    for pk, day, starts, ends, room_id, room, kind, status, afterwards in sessions.values_list(
        *FIELDS
    ):
        room_shown = "—" if room_id is None or (labelled and not room) else escape(room)
        after = " · recorded afterwards" if afterwards else ""
        rows.append(
            mark_safe(  # noqa: S308 - every text escaped, the rest numbers and fixed text
                f'<tr><td{cells[0]}><a href="{url(pk)}">{days[day.weekday()]} {day.day} '
                f"{months[day.month]} {day.year}</a></td>"
                f"<td{cells[1]}>{_hm(starts)}–{_hm(ends)}</td>"
                f"<td{cells[2]}>{room_shown}</td>"
                f"<td{cells[3]}>{escape(types.get(kind, kind))}</td>"
                f"<td{cells[4]}>{escape(statuses.get(status, status))}{after}</td></tr>"
            )
        )
    return rows
