"""Subject access (CHE-DP6, CHE-SAR): log a request, check identity, track the deadline,
withhold what may be withheld, and release. What is compiled is in disclosures/sar_compile.py;
what the person receives, in disclosures/sar_export.py.

Released only after a review of every item: items that can hold someone else's data or data
held to prevent violence start withheld, and the coordinator marks each one released
(`sar_release_item`) or withheld on a ground with a reason (`sar_withhold`); each decision is
recorded (SarItemReview) with its audit entry. Nothing is downloaded or released while any is
left (`sar_release` refuses, naming how many). The export says, whatever the case, that
information may be withheld where the law allows, so that its absence reveals nothing.
Releasing records the disclosure through the policy (`policy.decide`) and an audit entry per
download; later downloads count as views of that one disclosure.
"""

import datetime
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cccc.access import holds_role
from cccc.audit import access_log_record
from cccc.models import AccessLog, Role, User
from cccc.saving import validated_save
from disclosures import policy, request_services
from disclosures.models import (
    CategoryChoice,
    DisclosureRequest,
    RequesterType,
    SarItemReview,
    SubjectAccessRequest,
    SubjectTold,
    Via,
    due_date,
)
from disclosures.models.sar import MAX_EXTENSION_MONTHS
from disclosures.sar_compile import sar_items
from disclosures.sar_export import Export, item_digest, sar_export
from families.last_activity import family_touch
from families.models import Adult, Family
from volunteers.models import DbsCheck, Volunteer


def _check_coordinator(by: User, centre_id: int) -> None:
    if not holds_role(by, centre_id, Role.COORDINATOR):
        raise ValidationError("Only the centre's coordinator handles subject access requests.")


def _lock_open(sar: SubjectAccessRequest) -> SubjectAccessRequest:
    locked = SubjectAccessRequest.objects.select_for_update().get(pk=sar.pk)
    if locked.status != SubjectAccessRequest.Status.OPEN:
        raise ValidationError(f"This request is {locked.get_status_display().lower()}.")
    return locked


def _check_identity(
    checked_on: datetime.date | None, how: str, received_on: datetime.date | None
) -> dict[str, str]:
    errors = {}
    if checked_on is None and how:
        errors["identity_checked_on"] = "Say when the identity was checked."
    if checked_on is not None:
        if not how:
            errors["identity_check"] = "Say how the identity was checked."
        if checked_on > timezone.localdate():
            errors["identity_checked_on"] = "An identity cannot be checked in the future."
        elif received_on and checked_on < received_on:
            errors["identity_checked_on"] = "Check the identity on or after receiving the request."
    return errors


@transaction.atomic
def sar_record(
    *,
    by: User,
    received_on: datetime.date,
    received_via: str,
    adult: Adult | None = None,
    volunteer: Volunteer | None = None,
    identity_checked_on: datetime.date | None = None,
    identity_check: str = "",
) -> SubjectAccessRequest:
    """Log a request from an adult of a family or from a volunteer; due one month later."""
    if (adult is None) == (volunteer is None):
        raise ValidationError("A request is from one adult of a family or from one volunteer.")
    # The check above: exactly one of adult and volunteer is given.
    centre = adult.family.centre if adult is not None else cast(Volunteer, volunteer).centre
    _check_coordinator(by, centre.pk)
    errors = _check_identity(identity_checked_on, identity_check, received_on)
    if received_on > timezone.localdate():
        errors["received_on"] = "A request cannot be received in the future."
    if received_via == Via.PORTAL:
        errors["received_via"] = "Say how the request reached the centre."
    if errors:
        raise ValidationError(errors)
    sar = SubjectAccessRequest(
        centre=centre,
        family=adult.family if adult is not None else None,
        adult=adult,
        volunteer=volunteer,
        received_on=received_on,
        received_via=received_via,
        identity_checked_on=identity_checked_on,
        identity_check=identity_check,
        due_on=due_date(received_on),
        recorded_by=by,
    )
    validated_save(sar)
    if adult is not None:
        family_touch(adult.family)
    return sar


@transaction.atomic
def sar_identity_check(
    *, sar: SubjectAccessRequest, by: User, checked_on: datetime.date, how: str
) -> SubjectAccessRequest:
    _check_coordinator(by, sar.centre_id)
    locked = _lock_open(sar)
    errors = _check_identity(checked_on, how, locked.received_on)
    if errors:
        raise ValidationError(errors)
    locked.identity_checked_on = checked_on
    locked.identity_check = how
    return validated_save(locked)


@transaction.atomic
def sar_extend(
    *, sar: SubjectAccessRequest, by: User, months: int, reason: str
) -> SubjectAccessRequest:
    """Extend the deadline to `months` further months in all (at most two), with a reason:
    due on add_months(received_on, 1 + months)."""
    _check_coordinator(by, sar.centre_id)
    locked = _lock_open(sar)
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise ValidationError({"months": "The deadline can be extended by one or two months."})
    if months <= locked.extension_months:
        raise ValidationError(
            {"months": f"It is extended by {locked.extension_months} months already."}
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the request needs more time."})
    locked.extension_months = months
    locked.extension_reason = reason.strip()
    locked.due_on = due_date(locked.received_on, months)
    return validated_save(locked)


def _review_audit(by: User, sar: SubjectAccessRequest, item_key: str, detail: str) -> None:
    access_log_record(
        user=by,
        action=AccessLog.Action.SAR_REVIEW,
        record=sar,
        detail=f"item={item_key} {detail}",
        centre=sar.centre,
    )


def _review(
    *, sar: SubjectAccessRequest, by: User, item_key: str, decision: str, ground: str, reason: str
) -> SarItemReview:
    """Record (or change) the decision on one item of an open request, with its audit entry."""
    _check_coordinator(by, sar.centre_id)
    locked = _lock_open(sar)
    item = next((i for i in sar_items(locked, by=by) if i.key == item_key), None)
    if item is None:
        raise ValidationError("That item is not part of this request.")
    review = SarItemReview.objects.filter(request=locked, item_key=item_key).first()
    review = review or SarItemReview(request=locked, item_key=item_key)
    review.decision, review.ground, review.reason = decision, ground, reason
    review.content_digest = item_digest(item)  # the decision holds for this content only
    review.recorded_by, review.recorded_at = by, timezone.now()
    validated_save(review)
    detail = f"decision={decision}" + (f" ground={ground}" if ground else "")
    _review_audit(by, locked, item_key, detail)
    return review


@transaction.atomic
def sar_release_item(*, sar: SubjectAccessRequest, by: User, item_key: str) -> SarItemReview:
    """Mark one item reviewed and released: it goes into the export."""
    return _review(
        sar=sar, by=by, item_key=item_key, decision=SarItemReview.Decision.RELEASE, ground="",
        reason="",
    )  # fmt: skip


@transaction.atomic
def sar_withhold(
    *, sar: SubjectAccessRequest, by: User, item_key: str, ground: str, reason: str
) -> SarItemReview:
    """Leave one item out of the export, recording why."""
    if ground not in SarItemReview.Ground.values:
        raise ValidationError({"ground": "Choose why it is withheld."})
    if not reason.strip():
        raise ValidationError({"reason": "Record the reason: every withheld item needs one."})
    return _review(
        sar=sar, by=by, item_key=item_key, decision=SarItemReview.Decision.WITHHOLD,
        ground=ground, reason=reason.strip(),
    )  # fmt: skip


@transaction.atomic
def sar_restore(*, item: SarItemReview, by: User) -> None:
    """Undo a decision, before release only: the item is back to where it started (in the
    export, or, when it needs review, among the items still to review)."""
    _check_coordinator(by, item.request.centre_id)
    locked = _lock_open(item.request)
    _review_audit(by, locked, item.item_key, "decision=undone")
    item.delete()


@transaction.atomic
def sar_close(*, sar: SubjectAccessRequest, by: User, reason: str) -> SubjectAccessRequest:
    """Close without release (withdrawn, identity not confirmed, nothing held)."""
    _check_coordinator(by, sar.centre_id)
    locked = _lock_open(sar)
    if reason not in SubjectAccessRequest.CloseReason.values:
        raise ValidationError({"reason": "Choose why the request is closed."})
    locked.status = SubjectAccessRequest.Status.CLOSED
    locked.close_reason = reason
    locked.closed_at = timezone.now()
    return validated_save(locked)


def _received_at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


@transaction.atomic
def sar_release(*, sar: SubjectAccessRequest, by: User, fmt: str) -> Export:
    """The export, for download. The first download releases it: the policy is asked
    (a person's own data, CHE-DP6, CHE-SAR), the release is recorded as a decided disclosure
    request about the family (a volunteer's has no family: the request keeps the clauses),
    and the request stops being open. Every download writes an audit entry."""
    _check_coordinator(by, sar.centre_id)
    locked = SubjectAccessRequest.objects.select_for_update().get(pk=sar.pk)
    if locked.status == SubjectAccessRequest.Status.CLOSED:
        raise ValidationError("This request was closed without release.")
    if locked.identity_checked_on is None:
        raise ValidationError("Check the person's identity before releasing anything.")
    export = sar_export(locked, by=by)
    if locked.status == SubjectAccessRequest.Status.OPEN and export.pending:
        raise ValidationError(
            f"{export.pending} item{'s' if export.pending != 1 else ''} still need"
            f"{'s' if export.pending == 1 else ''} review: mark each one released or withheld "
            "before anything is released."
        )
    if locked.status == SubjectAccessRequest.Status.RELEASED and locked.disclosure_id:
        # Downloaded again: the same disclosure, one more view (audited below).
        DisclosureRequest.objects.filter(pk=locked.disclosure_id).update(views=F("views") + 1)
    if locked.status == SubjectAccessRequest.Status.OPEN:
        decision = policy.decide(
            policy.Request(
                request_services.variant_of(sar.centre),
                policy.Requester.DATA_SUBJECT,
                policy.Category.OWN_DATA,
            )
        )
        if not decision.permitted:
            raise request_services.Refused(decision)
        if sar.adult_id is not None:
            # An adult's request names the adult's family too (the model's check constraint).
            adult = cast(Adult, sar.adult)
            req = request_services.request_receive(
                family=cast(Family, sar.family),
                by=by,
                requester_type=RequesterType.DATA_SUBJECT,
                requester_name=f"{adult.first_name} {adult.last_name}",
                received_via=sar.received_via,
                received_at=_received_at(sar.received_on),
                category=CategoryChoice.OWN_DATA,
                detail=f"Subject access request #{sar.pk}.",
                subject_adult=adult,
                subject_access=True,
            )
            locked.disclosure = request_services.request_decide(
                request=req,
                by=by,
                permitted=True,
                released=(
                    f"Subject access export of request #{sar.pk}: {len(export.items)} items, "
                    f"{export.withheld} withheld."
                ),
                subject_told=SubjectTold.YES,
                subject_told_on=timezone.localdate(),
            )
        # On the row as it is now: the caller's copy may predate an extension.
        locked.status = SubjectAccessRequest.Status.RELEASED
        locked.released_at = timezone.now()
        locked.released_by = by
        locked.clauses = ",".join(decision.clauses)
        validated_save(locked)
    dbs_ids = [int(i.key.split(":")[1]) for i in export.items if i.key.startswith("dbs:")]
    for check in DbsCheck.objects.filter(pk__in=dbs_ids).only("pk").order_by("pk"):
        # As volunteers' DBS page logs every outcome it shows (volunteers/dbs_views.py).
        access_log_record(
            user=by,
            action=AccessLog.Action.VIEW_DBS,
            record=check,
            detail=f"DBS outcome in subject access export #{sar.pk}",
            centre=sar.centre,
        )
    access_log_record(
        user=by,
        action=AccessLog.Action.VIEW_SAR_EXPORT,
        record=sar,
        detail=(
            f"format={fmt} items={len(export.items)} withheld={export.withheld} "
            f"clauses={locked.clauses}"
        ),
        centre=sar.centre,
    )
    return export
