"""Which DBS check clears a volunteer (issue 14, CHI-4.7, CHE-8).

A check clears only at or above the centre's minimum level (`Centre.dbs_min_level`, by default
Enhanced with the children's barred list: Basic and Standard never clear under it). A check
with information disclosed clears only once the coordinator has recorded a written risk
assessment and the chair has approved it with a reason; until then the volunteer stays off
the rota and out of the portal (they have no clearance). Each step is an audit entry.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from cccc.access import holds_role
from cccc.audit import access_log_record
from cccc.models import AccessLog, Centre, DbsLevel, Role, User
from volunteers.models import DbsCheck, DbsOutcome, DbsRiskAssessment, Volunteer


def dbs_level_clears(level: str, centre: Centre) -> bool:
    return DbsLevel.meets(level, centre.dbs_min_level)


def clearance_extend(*, volunteer: Volunteer, check: DbsCheck, today: datetime.date) -> bool:
    """Clear the volunteer until the check's renewal date, if that is later than what they
    have. The caller has decided that the check clears."""
    if check.renewal_due <= today:
        return False
    if volunteer.clearance_expires is not None and check.renewal_due <= volunteer.clearance_expires:
        return False
    volunteer.clearance_expires = check.renewal_due
    if volunteer.status in (Volunteer.Status.APPLIED, Volunteer.Status.DBS_PENDING):
        volunteer.status = Volunteer.Status.CLEARED
    volunteer.full_clean()
    volunteer.save()
    return True


def _audit(by: User, assessment: DbsRiskAssessment, detail: str) -> None:
    access_log_record(
        user=by,
        action=AccessLog.Action.DBS_ASSESSMENT,
        record=assessment,
        detail=f"{detail} check=#{assessment.check_record_id}",
        centre=assessment.check_record.volunteer.centre,
    )


@transaction.atomic
def dbs_risk_assessment_record(*, check: DbsCheck, by: User, assessment: str) -> DbsRiskAssessment:
    """The coordinator's written risk assessment of a check with information disclosed. It
    clears nobody until the chair approves it; the chair is emailed (no personal data)."""
    centre = check.volunteer.centre
    if not holds_role(by, centre.pk, Role.COORDINATOR):
        raise ValidationError("Only the centre's coordinator records a risk assessment.")
    if check.outcome != DbsOutcome.DISCLOSED:
        raise ValidationError(
            "A risk assessment is recorded only for a check with information disclosed."
        )
    if DbsRiskAssessment.objects.filter(check_record=check).exists():
        raise ValidationError("This check has a risk assessment already.")
    if not assessment.strip():
        raise ValidationError(
            {"assessment": "Write the risk assessment: what was disclosed means for the work."}
        )
    record = DbsRiskAssessment(check_record=check, assessment=assessment.strip(), recorded_by=by)
    record.full_clean()
    record.save()
    _audit(by, record, "recorded")
    chairs = list(
        User.objects.filter(
            memberships__centre=centre,
            memberships__role=Role.CHAIR,
            memberships__is_active=True,
            is_active=True,
        ).values_list("email", flat=True)
    )
    if chairs:
        transaction.on_commit(
            lambda: send_mail(
                subject=f"{settings.EMAIL_SUBJECT_PREFIX}A DBS risk assessment waits for you",
                message=(
                    f"A coordinator at {centre.name} has recorded a risk assessment of a DBS "
                    "check. The volunteer stays off the rota until you approve it. Sign in to "
                    "read it and decide.\n"
                ),
                from_email=None,
                recipient_list=chairs,
            )
        )
    return record


@transaction.atomic
def dbs_risk_assessment_decide(
    *, assessment: DbsRiskAssessment, by: User, approved: bool, reason: str
) -> DbsRiskAssessment:
    """The chair approves or refuses the assessment, with a reason. Approved, the check
    clears the volunteer as a clear one would (at or above the centre's minimum level)."""
    check = assessment.check_record
    volunteer = check.volunteer
    if not holds_role(by, volunteer.centre_id, Role.CHAIR):
        raise ValidationError("Only the centre's chair approves or refuses a risk assessment.")
    locked = DbsRiskAssessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.decision != DbsRiskAssessment.Decision.PENDING:
        raise ValidationError("This risk assessment has been decided already.")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for your decision."})
    if approved and not dbs_level_clears(check.level, volunteer.centre):
        raise ValidationError(
            f"This check is below the centre's minimum level "
            f"({volunteer.centre.get_dbs_min_level_display()}): it cannot clear, whatever "
            "the assessment."
        )
    assessment.decision = (
        DbsRiskAssessment.Decision.APPROVED if approved else DbsRiskAssessment.Decision.REFUSED
    )
    assessment.decided_by = by
    assessment.decided_at = timezone.now()
    assessment.decision_reason = reason.strip()
    assessment.full_clean()
    assessment.save()
    _audit(by, assessment, assessment.decision)
    if approved:
        clearance_extend(volunteer=volunteer, check=check, today=timezone.localdate())
    return assessment
