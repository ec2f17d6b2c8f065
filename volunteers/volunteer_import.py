"""The volunteers CSV (issue 19): its columns, and each row checked by the very forms of the
coordinator's pages, VolunteerForm ("Add a volunteer") and DbsCheckForm ("Record a DBS
check"), so that a rule cannot differ between typing a volunteer in and importing them.

One row is one volunteer, with at most one DBS check (its four columns all filled, or all
empty). A choice is written as the page shows it or as it is stored, in any case.
"""

import datetime
from collections.abc import Iterable
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from cccc.csv_import import (
    CellError,
    Checked,
    FileProblem,
    ImportFailed,
    Row,
    RowRefused,
    normalise,
)
from cccc.dates import add_years
from cccc.models import Centre, Membership
from volunteers.access import can_see_dbs
from volunteers.dbs_assessment_services import dbs_level_clears
from volunteers.forms import DbsCheckForm, VolunteerForm
from volunteers.import_services import (
    DbsDetails,
    VolunteerDetails,
    VolunteerImportRow,
    volunteers_import,
)
from volunteers.models import DbsLevel, DbsOutcome

DATE_HELP = "A date: 14/03/2019 or 2019-03-14."

# (column, the form's field, what goes in it); choices are listed from the form itself.
VOLUNTEER_COLUMNS: list[tuple[str, str, str]] = [
    ("First name", "first_name", ""),
    ("Last name", "last_name", ""),
    ("Phone", "phone", ""),
    ("Email address", "email", ""),
    ("Applied on", "applied_on", f"{DATE_HELP} Empty: today."),
]
DBS_COLUMNS: list[tuple[str, str, str]] = [
    ("DBS level", "level", ""),
    ("DBS certificate number", "certificate_number", "12 digits."),
    ("DBS outcome", "outcome", ""),
    ("DBS issue date", "issued_on", DATE_HELP),
]
COLUMN_OF = {field: name for name, field, _ in [*VOLUNTEER_COLUMNS, *DBS_COLUMNS]}
DBS_NAMES = [name for name, _, _ in DBS_COLUMNS]
CHAIR_ONLY = (
    "At this centre only the chair sees and records DBS results (the centre's settings, "
    "“Who sees DBS results”). Leave the four DBS columns empty: the chair records each "
    "volunteer's check on their DBS page."
)


def known_columns() -> list[str]:
    return [name for name, _, _ in [*VOLUNTEER_COLUMNS, *DBS_COLUMNS]]


def required_columns(present: set[str]) -> set[str]:
    return set(known_columns())


def _choices() -> dict[str, list[tuple[str, str]]]:
    form = DbsCheckForm()
    return {
        name: [
            (str(v), str(label))
            for v, label in cast(Iterable[tuple[object, object]], field.choices)
            if v
        ]
        for name, field in form.fields.items()
        if isinstance(field, forms.ChoiceField)
    }


def column_help() -> list[tuple[str, str]]:
    """(column, what goes in it) for the page: choices and required values read from the
    forms (the DBS columns are required only for a row with a check)."""
    choices = _choices()
    rows = []
    parts = [
        (VolunteerForm(), VOLUNTEER_COLUMNS, "Required."),
        (DbsCheckForm(), DBS_COLUMNS, "Required for a check."),
    ]
    for form, columns, required in parts:
        for name, field, text in columns:
            bits = []
            if field in choices:
                bits.append("One of: " + "; ".join(label for _, label in choices[field]) + ".")
            if text:
                bits.append(text)
            if form.fields[field].required and field != "applied_on":
                bits.append(required)
            rows.append((name, " ".join(bits)))
    return rows


def _choice(value: str, choices: list[tuple[str, str]]) -> str:
    wanted = normalise(value)
    for stored, label in choices:
        if wanted in (normalise(stored), normalise(label)):
            return stored
    return value


def _errors(row: int, form: forms.BaseForm) -> list[CellError]:
    return [
        CellError(row, COLUMN_OF.get(field, ""), str(message))
        for field, messages in form.errors.items()
        for message in messages
    ]


def check_row(row: Row, centre: Centre, choices: dict[str, list[tuple[str, str]]]) -> Checked:
    data = {field: row.cells.get(name, "") for name, field, _ in VOLUNTEER_COLUMNS}
    # "Add a volunteer" starts with today's date in the box; an empty cell is that date.
    data["applied_on"] = data["applied_on"] or timezone.localdate().isoformat()
    volunteer = VolunteerForm(data)
    errors = [] if volunteer.is_valid() else _errors(row.number, volunteer)
    check = None
    if not row.is_blank(DBS_NAMES):
        dbs_data = {field: row.cells.get(name, "") for name, field, _ in DBS_COLUMNS}
        for field, options in choices.items():
            dbs_data[field] = _choice(dbs_data[field], options)
        check = DbsCheckForm(dbs_data)
        if not check.is_valid():
            errors += _errors(row.number, check)
    if errors:
        return Checked(row.number, errors=errors)
    details: VolunteerDetails = {
        "first_name": volunteer.cleaned_data["first_name"],
        "last_name": volunteer.cleaned_data["last_name"],
        "phone": volunteer.cleaned_data["phone"],
        "email": volunteer.cleaned_data["email"],
        "applied_on": volunteer.cleaned_data["applied_on"],
    }
    dbs: DbsDetails | None = None
    if check is not None:
        dbs = {
            "level": check.cleaned_data["level"],
            "certificate_number": check.cleaned_data["certificate_number"],
            "outcome": check.cleaned_data["outcome"],
            "issued_on": check.cleaned_data["issued_on"],
        }
    payload = VolunteerImportRow(row=row.number, details=details, dbs=dbs)
    return Checked(row.number, preview=preview(payload, centre), payload=payload)


def check_rows(rows: list[Row], membership: Membership) -> list[Checked]:
    """The rows checked in the membership in use (`request.membership`)."""
    centre = membership.centre
    assert centre is not None
    if not can_see_dbs(membership) and any(not row.is_blank(DBS_NAMES) for row in rows):
        raise FileProblem(CHAIR_ONLY)
    choices = _choices()
    return [check_row(row, centre, choices) for row in rows]


def _day(day: datetime.date) -> str:
    return date_format(day, "j M Y")


def dbs_line(dbs: DbsDetails, centre: Centre) -> str:
    """The check, and what it will do to the volunteer's clearance."""
    renewal = add_years(dbs["issued_on"], centre.dbs_renewal_years)
    said = f"{DbsLevel(dbs['level']).label}, {DbsOutcome(dbs['outcome']).label.lower()}, "
    said += f"issued {_day(dbs['issued_on'])}: "
    if dbs["outcome"] != DbsOutcome.CLEAR:
        return said + "no clearance until the chair approves a risk assessment"
    if not dbs_level_clears(dbs["level"], centre):
        return said + "below the centre's minimum level, it clears nobody"
    if renewal <= timezone.localdate():
        return said + f"its renewal was due {_day(renewal)}, it clears nobody"
    return said + f"cleared until {_day(renewal)}"


def preview(row: VolunteerImportRow, centre: Centre) -> list[list[str]]:
    details = row.details
    contact = (("phone", details["phone"]), ("email", details["email"]))
    given = [label for label, value in contact if value]
    return [
        [f"{details['first_name']} {details['last_name']}"],
        [f"{', '.join(given)} given"] if given else [],
        [_day(details["applied_on"])],
        [dbs_line(row.dbs, centre)] if row.dbs else ["No DBS check"],
    ]


def save_rows(checked: list[Checked], membership: Membership) -> int:
    centre = membership.centre
    assert centre is not None
    by = membership.user
    try:
        volunteers = volunteers_import(centre=centre, by=by, rows=[row.payload for row in checked])
    except RowRefused as exc:
        error = exc.error
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        raise ImportFailed(
            [
                CellError(exc.row, COLUMN_OF.get(field, ""), message)
                for field, found in messages.items()
                for message in found
            ]
        ) from exc
    except ValidationError as exc:
        # The service's own refusal of the whole import (the checks above say it first).
        raise ImportFailed([CellError(0, "", message) for message in exc.messages]) from exc
    return len(volunteers)
