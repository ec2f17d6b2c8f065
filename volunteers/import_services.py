"""Volunteers imported from a spreadsheet (issue 19): each row through the services the
coordinator's pages use, volunteer_create and, with its DBS check, dbs_check_record (which
clears the volunteer, or not, and audits the result, as on the DBS page). The rows were
checked by the same form classes (volunteers/volunteer_import.py).

One transaction: a row a service refuses undoes every row before it.
"""

import datetime
from dataclasses import dataclass
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction

from cccc.access import holds_role
from cccc.audit import access_log_record
from cccc.csv_import import RowRefused
from cccc.models import AccessLog, Centre, Role, User
from volunteers.access import reads_dbs_at
from volunteers.dbs_services import dbs_check_record
from volunteers.models import Volunteer
from volunteers.services import volunteer_create


class VolunteerDetails(TypedDict):
    first_name: str
    last_name: str
    phone: str
    email: str
    applied_on: datetime.date


class DbsDetails(TypedDict):
    level: str
    certificate_number: str
    outcome: str
    issued_on: datetime.date


@dataclass
class VolunteerImportRow:
    row: int  # the row's number in the spreadsheet: it names the entry, never a value
    details: VolunteerDetails
    dbs: DbsDetails | None


@transaction.atomic
def volunteers_import(
    *, centre: Centre, by: User, rows: list[VolunteerImportRow]
) -> list[Volunteer]:
    """Create each row's volunteer, with one audit entry each (its row number), record its
    DBS check when it has one (audited by dbs_check_record), and one entry for the import
    (how many); raises RowRefused, having saved nothing, when a row is refused."""
    if not holds_role(by, centre.pk, Role.COORDINATOR):
        raise ValidationError("Only the centre's coordinator imports its volunteers.")
    if any(row.dbs for row in rows) and not reads_dbs_at(by, centre):
        # CHE-8: DBS results are recorded by whom the centre's setting names.
        raise ValidationError("At this centre DBS results are recorded by the chair.")
    volunteers, checks = [], 0
    for row in rows:
        try:
            volunteer = volunteer_create(centre=centre, **row.details)
            access_log_record(
                user=by,
                action=AccessLog.Action.IMPORT,
                record=volunteer,
                detail=f"row {row.row}",
                centre=centre,
            )
            if row.dbs:
                dbs_check_record(volunteer=volunteer, by=by, **row.dbs)
                checks += 1
        except ValidationError as exc:
            raise RowRefused(row.row, exc) from exc
        volunteers.append(volunteer)
    access_log_record(
        user=by,
        action=AccessLog.Action.IMPORT,
        record=centre,
        detail=f"volunteers={len(volunteers)} dbs_checks={checks}",
        centre=centre,
    )
    return volunteers
