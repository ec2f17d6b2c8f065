"""Break-glass (CHI-3, CHE-4a/b, CHE-6a/b): a coordinator releases information under an
exception (a child at risk, a risk of physical violence), with a written reason, to Children's
Services or the police only. The policy decides, through `request_decide`
(disclosures/request_services.py), which notifies the chair at once; the release stays
highlighted until the chair acknowledges it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cccc.access import holds_role
from cccc.audit import access_log_record
from cccc.models import AccessLog, Role, User
from disclosures.models import CategoryChoice, DisclosureRequest, SubjectTold, Via
from disclosures.request_services import request_decide, request_receive
from families.models import Adult, Child, Family


@transaction.atomic
def break_glass_release(
    *,
    family: Family,
    by: User,
    exception: str,
    recipient: str,
    reason: str,
    released: str,
    category: str = CategoryChoice.FAMILY_INFO,
    via: str = Via.PHONE,
    recipient_name: str = "",
    recipient_agency: str = "",
    contact_items: list[str] | tuple[str, ...] = (),
    subject_adult: Adult | None = None,
    subject_child: Child | None = None,
    subject_told: str = SubjectTold.NOT_YET,
    subject_told_on: datetime.date | None = None,
) -> DisclosureRequest:
    """A coordinator releases information under an exception, with a written reason, to
    Children's Services or the police; recorded as a decided request and notified to the
    chair. Raises ValidationError (nothing saved) without a reason, or when the policy
    refuses (any other recipient, a court report...)."""
    if not reason.strip():
        raise ValidationError(
            {"reason": "Write why the exception applies: it is invoked only with a reason."}
        )
    req = request_receive(
        family=family,
        by=by,
        requester_type=recipient,
        requester_name=recipient_name,
        requester_agency=recipient_agency,
        received_via=via,
        category=category,
        detail="Released under an exception invoked by the coordinator.",
        contact_items=contact_items,
        subject_adult=subject_adult,
        subject_child=subject_child,
    )
    return request_decide(
        request=req,
        by=by,
        permitted=True,
        released=released,
        subject_told=subject_told,
        subject_told_on=subject_told_on,
        exception=exception,
        reason=reason,
    )


@transaction.atomic
def break_glass_acknowledge(*, request: DisclosureRequest, by: User) -> DisclosureRequest:
    """The chair has seen a break-glass release: it stops being highlighted."""
    if not holds_role(by, request.centre_id, Role.CHAIR):
        raise ValidationError("Only the centre's chair acknowledges an exception.")
    if not request.is_break_glass:
        raise ValidationError("Only a release under an exception is acknowledged.")
    locked = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
    if locked.chair_acknowledged_at is not None:
        raise ValidationError("This exception has been acknowledged already.")
    request.chair_acknowledged_at = timezone.now()
    request.chair_acknowledged_by = by
    request.save(update_fields=["chair_acknowledged_at", "chair_acknowledged_by"])
    access_log_record(
        user=by,
        action=AccessLog.Action.BREAK_GLASS,
        record=request,
        detail=f"acknowledged exception={request.exception}",
        centre=request.centre,
    )
    return request


# --- consent grants (CHI-4.5, CHE-5) ----------------------------------------------------------
