"""The police at the centre (CHE-PO; SPEC §5): the coordinator's log of each visit, with the
policy's guidance on screen where visits are logged. A visit that concerns a family is use of
the family's record (SPEC §8).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cccc.access import holds_role
from cccc.audit import access_log_record
from cccc.keys import data_key_create
from cccc.models import AccessLog, Centre, Role, User
from cccc.saving import validated_save
from disclosures.models import PoliceVisit
from families.last_activity import family_touch
from families.models import Family

POLICE_GUIDANCE = (
    "Unless called to an emergency, the police are asked not to approach or detain anyone on "
    "the premises; anyone arriving to serve an order is asked to serve it elsewhere."
)
CLOCK_SLACK = datetime.timedelta(minutes=5)


def _check(by: User, centre_id: int, *roles: str, doing: str) -> None:
    if not holds_role(by, centre_id, *roles):
        raise ValidationError(f"Only the centre's {' or '.join(roles)} {doing}.")


def _check_family(family: Family | None, centre: Centre) -> None:
    if family is not None and family.centre_id != centre.pk:
        raise ValidationError({"family": "Choose a family of this centre."})


@transaction.atomic
def police_visit_record(
    *,
    centre: Centre,
    by: User,
    occurred_at: datetime.datetime,
    purpose: str,
    outcome: str = "",
    officer_name: str = "",
    officer_number: str = "",
    emergency: bool = False,
    order_to_serve: bool = False,
    family: Family | None = None,
) -> PoliceVisit:
    _check(by, centre.pk, Role.COORDINATOR, doing="keeps the police log")
    _check_family(family, centre)
    errors = {}
    if occurred_at > timezone.now() + CLOCK_SLACK:
        errors["occurred_at"] = "A visit cannot be recorded before it happens."
    if not purpose.strip():
        errors["purpose"] = "Say why they came."
    if errors:
        raise ValidationError(errors)
    visit = PoliceVisit(
        centre=centre,
        family=family,
        occurred_at=occurred_at,
        officer_name=" ".join(officer_name.split()),
        officer_number=officer_number.strip(),
        emergency=emergency,
        order_to_serve=order_to_serve,
        purpose=purpose.strip(),
        outcome=outcome.strip(),
        recorded_by=by,
    )
    visit.full_clean(exclude=["data_key"])
    if family is None:
        visit.data_key = data_key_create()
    validated_save(visit)
    access_log_record(
        user=by,
        action=AccessLog.Action.POLICE_VISIT,
        record=visit,
        detail=f"emergency={emergency} order_to_serve={order_to_serve}",
    )
    if family is not None:
        family_touch(family)
    return visit
