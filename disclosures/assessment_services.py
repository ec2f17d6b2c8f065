"""The register of assessment agreements (CHI-4.6, CHE-7; SPEC §5): the agreements that let an
agency assess a family on the premises. A live agreement with the requesting agency is the
only ground on which the policy permits an assessment (disclosures/request_services.py,
`_agreement_grounds`). Each write is use of the family's record (SPEC §8).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cccc.access import holds_role
from cccc.audit import access_log_record
from cccc.models import AccessLog, Role, User
from cccc.saving import validated_save
from disclosures.models import AssessmentAgreement
from families.last_activity import family_touch
from families.models import Family


def _check(by: User, centre_id: int, *roles: str, doing: str) -> None:
    if not holds_role(by, centre_id, *roles):
        raise ValidationError(f"Only the centre's {' or '.join(roles)} {doing}.")


@transaction.atomic
def assessment_agreement_record(
    *,
    family: Family,
    by: User,
    agency: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
    terms: str = "",
) -> AssessmentAgreement:
    """Record an agreement: from `valid_from` to `valid_until` inclusive, `agency` may assess
    this family on the premises, and the policy permits its requests to."""
    _check(by, family.centre_id, Role.COORDINATOR, doing="records assessment agreements")
    agency = " ".join(agency.split())
    if not agency:
        raise ValidationError({"agency": "Name the agency the agreement is with."})
    if valid_until < valid_from:
        raise ValidationError(
            {"valid_until": "The agreement must end on or after the day it starts."}
        )
    agreement = AssessmentAgreement(
        centre=family.centre,
        family=family,
        agency=agency,
        valid_from=valid_from,
        valid_until=valid_until,
        terms=terms.strip(),
        recorded_by=by,
    )
    validated_save(agreement)
    access_log_record(
        user=by, action=AccessLog.Action.ASSESSMENT_AGREEMENT, record=agreement, detail="recorded"
    )
    family_touch(family)
    return agreement


@transaction.atomic
def assessment_agreement_end(
    *, agreement: AssessmentAgreement, by: User, ended_on: datetime.date | None = None
) -> AssessmentAgreement:
    """End an agreement early: from `ended_on` (today by default) it permits nothing."""
    _check(by, agreement.centre_id, Role.COORDINATOR, doing="records assessment agreements")
    locked = AssessmentAgreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.ended_on is not None:
        raise ValidationError("This agreement has been ended already.")
    ended_on = ended_on or timezone.localdate()
    if ended_on > agreement.valid_until:
        raise ValidationError("This agreement has run out already.")
    agreement.ended_on = max(ended_on, agreement.valid_from)
    validated_save(agreement)
    access_log_record(
        user=by, action=AccessLog.Action.ASSESSMENT_AGREEMENT, record=agreement, detail="ended"
    )
    family_touch(agreement.family)
    return agreement
