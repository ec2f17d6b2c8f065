"""Families imported from a spreadsheet (issue 19): each row is a referral submitted through
families.services.referral_submit, exactly as the coordinator's "Enter a referral" page
submits one, so every value is encrypted, every surname gets its blind index and every
family's last activity moves the same way. The rows were checked by the same form classes
(families/family_import.py).

One transaction: a row the service refuses undoes every row before it.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from cccc.access import holds_role
from cccc.audit import access_log_record
from cccc.csv_import import RowRefused
from cccc.models import AccessLog, Centre, Role, User
from families.models import Adult, Child, Referral
from families.services import referral_submit


@dataclass
class FamilyImportRow:
    row: int  # the row's number in the spreadsheet: it names the entry, never a value
    referral: Referral
    adults: list[Adult]
    children: list[Child]
    referrer: User | None


@transaction.atomic
def families_import(*, centre: Centre, by: User, rows: list[FamilyImportRow]) -> list[Referral]:
    """Submit each row's referral, with one audit entry per family (its row number) and one
    for the import (how many); raises RowRefused, having saved nothing, when a row is
    refused."""
    if not holds_role(by, centre.pk, Role.COORDINATOR):
        raise ValidationError("Only the centre's coordinator imports its families.")
    referrals = []
    for row in rows:
        try:
            referral = referral_submit(
                centre=centre,
                entered_by=by,
                referral=row.referral,
                adults=row.adults,
                children=row.children,
                referrer=row.referrer,
            )
        except ValidationError as exc:
            raise RowRefused(row.row, exc) from exc
        access_log_record(
            user=by,
            action=AccessLog.Action.IMPORT,
            record=referral.family,
            detail=f"row {row.row}",
            centre=centre,
        )
        referrals.append(referral)
    access_log_record(
        user=by,
        action=AccessLog.Action.IMPORT,
        record=centre,
        detail=f"families={len(referrals)}",
        centre=centre,
    )
    return referrals
