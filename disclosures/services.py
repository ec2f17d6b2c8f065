"""Every release of information outside the centre, and every consent behind one (SPEC §5).

Each release path asks `policy.decide()` and releases nothing when it refuses:
- `attendance_answer`: a referrer's own request, answered at once (CHI-4.4, CHE-4);
- `request_decide`: the coordinator's decision on a request received by phone, letter, email
  or in person (and `request_receive`, which records it with the policy's proposal);
- `break_glass_release`: an exception (child at risk, risk of violence) invoked by a
  coordinator with a written reason, to Children's Services or the police (CHI-3, CHE-4,
  CHE-6); the chair is notified at once and acknowledges it.

Every decision writes one audit entry in the same transaction (IDs and categories only), and
is *use* of the family's record (SPEC §8). Nothing here decides on its own: a coordinator who
chooses differently from the policy is told the policy's words and nothing is recorded.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import dateformat, timezone

from cccc.audit import access_log_record
from cccc.models import AccessLog, Centre, Role, User
from disclosures import policy
from disclosures.models import (
    AssessmentAgreement,
    CategoryChoice,
    ConsentGrant,
    ContactItem,
    DisclosureRequest,
    SubjectTold,
    Via,
)
from families.models import Adult, Child, ContactSession, Family, Referral, SessionAttendance
from families.services import family_touch

MAX_RANGE_DAYS = 2 * 366  # an attendance request covers at most two years
OWN_DATA_REFUSED = (
    "A person asking for their own data makes a subject access request: record it on the "
    "Subject access requests page, which checks their identity, tracks the one-month deadline "
    "and leaves out what may be withheld."
)


class Refused(ValidationError):
    """The policy refused: nothing was released. Carries the policy's decision."""

    def __init__(self, decision: policy.Decision, message: str | None = None):
        self.decision = decision
        super().__init__(message or refusal_reason(decision))


def refusal_reason(decision: policy.Decision) -> str:
    return f"{decision.explanation} (policy clauses {', '.join(decision.clauses)})"


def variant_of(centre: Centre) -> policy.Variant:
    return policy.Variant(centre.policy_variant)


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def _day(day: datetime.date) -> str:
    return dateformat.format(day, "j F Y")


def _audit(*, by: User, req: DisclosureRequest, action: str, extra: str = "") -> None:
    detail = (
        f"category={req.category} ground={req.ground} clauses={req.clauses} "
        f"outcome={req.outcome}{extra}"
    )
    access_log_record(user=by, action=action, record=req, detail=detail, centre=req.centre)


def _record_decision(req: DisclosureRequest, decision: policy.Decision) -> None:
    req.status = DisclosureRequest.Status.DECIDED
    req.permitted = decision.permitted
    req.ground = decision.ground.value
    req.clauses = ",".join(decision.clauses)
    req.decided_at = timezone.now()


# --- the referrer's attendance request (CHI-4.4, CHE-4) ----------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    """One adult at one session, by role only: what the referrer of record may have."""

    date: datetime.date
    contact_start: datetime.time
    contact_end: datetime.time
    adult_role: str
    outcome: str
    arrived: datetime.time | None
    departed: datetime.time | None


@dataclass(frozen=True)
class AttendanceAnswer:
    request: DisclosureRequest
    rows: list[AttendanceRow]
    sessions: int
    date_from: datetime.date
    date_to: datetime.date


def check_range(date_from: datetime.date, date_to: datetime.date) -> None:
    if date_from > date_to:
        raise ValidationError({"date_to": "The end date must be on or after the start date."})
    if (date_to - date_from).days > MAX_RANGE_DAYS:
        raise ValidationError({"date_to": "Ask for at most two years at a time."})


def _is_referrer_of_record(user: User, family: Family) -> bool:
    return (
        user.role == Role.REFERRER
        and user.centre_id == family.centre_id
        and Referral.objects.filter(family=family, referrer=user).exists()
    )


def attendance_rows(
    family: Family, date_from: datetime.date, date_to: datetime.date
) -> list[AttendanceRow]:
    """Dates and times only: no names, rooms, notes or instructions are even read. Sessions
    after today are left out: they are bookings, not attendance."""
    last = min(date_to, timezone.localdate())
    values = (
        SessionAttendance.objects.filter(
            session__family=family,
            session__date__gte=date_from,
            session__date__lte=last,
            session__status=ContactSession.Status.BOOKED,
        )
        .order_by("session__date", "session__starts_at", "session_id", "arrives_at", "pk")
        .values_list(
            "session__date",
            "session__starts_at",
            "session__ends_at",
            "adult__role",
            "outcome",
            "actual_arrival",
            "actual_departure",
        )  # fmt: skip
    )
    return [
        AttendanceRow(
            date=day,
            contact_start=start,
            contact_end=end,
            adult_role=Adult.Role(role).label,
            outcome=SessionAttendance.Outcome(outcome).label,
            arrived=arrived,
            departed=departed,
        )
        for day, start, end, role, outcome, arrived, departed in values
    ]


@transaction.atomic
def attendance_answer(
    *, referrer: User, family: Family, date_from: datetime.date, date_to: datetime.date
) -> AttendanceAnswer:
    """Answer a referrer's request for a family's dates and times of attendance at once, and
    record it as a disclosure. Anyone but the family's referrer of record is refused by the
    policy (raises Refused) and gets nothing."""
    check_range(date_from, date_to)
    requester = (
        policy.Requester.REFERRER_OF_RECORD
        if _is_referrer_of_record(referrer, family)
        else policy.Requester.AGENCY
    )
    decision = policy.decide(
        policy.Request(variant_of(family.centre), requester, policy.Category.ATTENDANCE)
    )
    if not decision.permitted:
        raise Refused(decision)
    rows = attendance_rows(family, date_from, date_to)
    sessions = len({(r.date, r.contact_start) for r in rows})
    req = DisclosureRequest(
        centre=family.centre,
        family=family,
        requester_type=requester.value,
        requester_name=referrer.full_name,
        requester_agency=referrer.agency,
        requester_user=referrer,
        received_via=Via.PORTAL,
        category=CategoryChoice.ATTENDANCE,
        detail=f"Dates and times of attendance from {date_from} to {date_to}.",
        proposed_permitted=decision.permitted,
        proposed_ground=decision.ground.value,
        proposed_clauses=",".join(decision.clauses),
        released=f"{sessions} session{'s' if sessions != 1 else ''} from {date_from} to {date_to}",
        subject_told=SubjectTold.NO,
    )
    _record_decision(req, decision)
    _save(req)
    _audit(by=referrer, req=req, action=AccessLog.Action.DISCLOSURE)
    family_touch(family)
    return AttendanceAnswer(req, rows, sessions, date_from, date_to)


# --- requests received by phone, letter, email or in person -----------------------------------


def _check_coordinator(by: User, centre_id: int) -> None:
    if by.role != Role.COORDINATOR or by.centre_id != centre_id:
        raise ValidationError("Only the centre's coordinator decides its disclosure requests.")


def _check_subject(
    *, family: Family, category: str, items, adult: Adult | None, child: Child | None
) -> None:
    if adult is not None and child is not None:
        raise ValidationError({"person": "Choose one person concerned, an adult or a child."})
    if (adult is not None and adult.family_id != family.pk) or (
        child is not None and child.family_id != family.pk
    ):
        raise ValidationError({"person": "The person concerned must belong to this family."})
    if any(item not in ContactItem.values for item in items):
        raise ValidationError({"contact_items": "Choose address, phone or email."})
    if category == CategoryChoice.CONTACT_DETAILS:
        if adult is None:
            raise ValidationError({"person": "Choose the adult whose contact details are asked."})
        if not items:
            raise ValidationError({"contact_items": "Choose which details are asked for."})


@transaction.atomic
def request_receive(
    *,
    family: Family,
    by: User,
    requester_type: str,
    requester_name: str,
    requester_agency: str = "",
    received_via: str,
    category: str,
    detail: str = "",
    contact_items: list[str] | tuple[str, ...] = (),
    subject_adult: Adult | None = None,
    subject_child: Child | None = None,
    received_at: datetime.datetime | None = None,
    subject_access: bool = False,
) -> DisclosureRequest:
    """Record a request the coordinator received, open, with what the policy proposes when
    no consent or exception is on record yet (a live assessment agreement counts).

    A person's own data is released only by the subject access workflow
    (disclosures/sar_services.py), after its identity check and with its withheld items: only
    `sar_release` passes `subject_access=True`."""
    _check_coordinator(by, family.centre_id)
    if category == CategoryChoice.OWN_DATA and not subject_access:
        raise ValidationError({"category": OWN_DATA_REFUSED})
    if received_via == Via.PORTAL:
        raise ValidationError({"received_via": "Portal requests are made by the referrer."})
    items = [i for i in ContactItem.values if i in contact_items]
    if category != CategoryChoice.CONTACT_DETAILS:
        items = []
    _check_subject(
        family=family, category=category, items=items, adult=subject_adult, child=subject_child
    )
    req = DisclosureRequest(
        centre=family.centre,
        family=family,
        subject_adult=subject_adult,
        subject_child=subject_child,
        requester_type=requester_type,
        requester_name=requester_name.strip(),
        requester_agency=requester_agency.strip(),
        received_via=received_via,
        received_at=received_at or timezone.now(),
        recorded_by=by,
        category=category,
        contact_items=",".join(items),
        detail=detail.strip(),
        proposed_permitted=False,
        proposed_ground=policy.Ground.CONFIDENTIAL.value,
        proposed_clauses="-",
    )
    req.full_clean(exclude=["proposed_permitted", "proposed_ground", "proposed_clauses"])
    proposal = policy.decide(req.policy_request(_agreement_grounds(req, timezone.localdate())))
    req.proposed_permitted = proposal.permitted
    req.proposed_ground = proposal.ground.value
    req.proposed_clauses = ",".join(proposal.clauses)
    _save(req)
    family_touch(family)
    return req


def _agreement_grounds(req: DisclosureRequest, on: datetime.date) -> set[policy.Ground]:
    """An assessment on the premises is permitted only under a live agreement recorded with
    this agency for this family on that day (CHI-4.6, CHE-7)."""
    if req.category != CategoryChoice.ASSESSMENT:
        return set()
    live = AssessmentAgreement.objects.live(on).for_agency(req.requester_agency)
    if live.filter(family_id=req.family_id).exists():
        return {policy.Ground.ASSESSMENT_AGREEMENT}
    return set()


def _lock_open(req: DisclosureRequest) -> None:
    status = (
        DisclosureRequest.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=req.pk)
    )
    if status != DisclosureRequest.Status.OPEN:
        raise ValidationError("This request has been decided already.")


def _consent_ground(req: DisclosureRequest, grant: ConsentGrant, on: datetime.date) -> None:
    """Check that the grant lets the centre give every item asked to this recipient today;
    only then may CONSENT be put before the policy."""
    if req.category != CategoryChoice.CONTACT_DETAILS:
        raise ValidationError({"consent_grant": "A consent covers contact details only."})
    if grant.adult_id != req.subject_adult_id:
        raise ValidationError(
            {"consent_grant": "The consent must be given by the adult whose details are asked."}
        )
    if not grant.is_live(on):
        raise ValidationError(
            {"consent_grant": f"This consent is {grant.get_status_display().lower()}."}
        )
    missing = [i for i in req.items if not grant.covers(req.recipient, i, on)]
    if missing:
        raise ValidationError(
            {
                "consent_grant": "This consent does not cover giving the "
                + ", ".join(ContactItem(i).label.lower() for i in missing)
                + " to this requester."
            }
        )


def refusal_letter(req: DisclosureRequest, decision: policy.Decision) -> str:
    """A short letter or email refusing the request, in the policy's own words."""
    greeting = f"Dear {req.requester_name}," if req.requester_name else "Dear Sir or Madam,"
    category = CategoryChoice(req.category).label
    lines = [
        greeting,
        "",
        f"Thank you for your request of {_day(timezone.localdate(req.received_at))} for the "
        f"following: {category[0].lower()}{category[1:]}.",
        "",
        f"We are unable to provide this information. {decision.explanation}",
        f"This follows the centre's confidentiality policy (clauses "
        f"{', '.join(decision.clauses)}), which we will send you on request.",
    ]
    if decision.ground == policy.Ground.NO_COURT_REPORTS:
        lines += [
            "",
            "If a witness summons is served on the centre or one of its volunteers, it follows "
            "its own procedure: it is passed to the chair of the management committee.",
        ]
    lines += ["", "Yours faithfully,", "", "The coordinator", req.centre.name]
    return "\n".join(lines)


def email_chairs(centre_id: int, *, subject: str, body: str) -> bool:
    """Email the centre's active chairs once the transaction commits. The caller's text holds
    no personal data (SPEC §4). False when the centre has no chair to tell."""
    recipients = list(
        User.objects.filter(centre_id=centre_id, role=Role.CHAIR, is_active=True)
        .order_by("pk")
        .values_list("email", flat=True)
    )
    if not recipients:
        return False
    transaction.on_commit(
        lambda: send_mail(
            subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
            message=body,
            from_email=None,
            recipient_list=recipients,
        )
    )
    return True


def _notify_chairs(req: DisclosureRequest) -> None:
    """Tell the centre's chairs at once, with no personal data (SPEC §4)."""
    body = (
        f"A confidentiality exception was used at {req.centre.name} on "
        f"{_day(timezone.localdate(req.decided_at))}. Sign in to acknowledge it.\n"
    )
    if email_chairs(req.centre_id, subject="A confidentiality exception was used", body=body):
        req.chair_notified_at = timezone.now()


@transaction.atomic
def request_decide(
    *,
    request: DisclosureRequest,
    by: User,
    permitted: bool,
    released: str = "",
    subject_told: str = SubjectTold.NOT_YET,
    subject_told_on: datetime.date | None = None,
    consent_grant: ConsentGrant | None = None,
    required_by_law: bool = False,
    exception: str = "",
    reason: str = "",
) -> DisclosureRequest:
    """Record the coordinator's decision, which must be the policy's.

    The grounds put before the policy are only those on record: a consent grant that covers
    this recipient and these details today, the law's requirement (the policy knows which
    variants have that exception), or an exception invoked with a written reason. Raises
    ValidationError, and records nothing, when the coordinator's choice contradicts the
    policy or a ground does not hold.
    """
    req = request
    _check_coordinator(by, req.centre_id)
    _lock_open(req)
    today = timezone.localdate()
    grounds: set[policy.Ground] = set()
    if consent_grant is not None:
        _consent_ground(req, consent_grant, today)
        grounds.add(policy.Ground.CONSENT)
    if required_by_law:
        grounds.add(policy.Ground.REQUIRED_BY_LAW)
    if exception:
        if exception not in policy.BREAK_GLASS:
            raise ValidationError({"exception": "Choose one of the two exceptions."})
        if not reason.strip():
            raise ValidationError(
                {"reason": "Write why the exception applies: it is invoked only with a reason."}
            )
        grounds.add(policy.Ground(exception))
    grounds |= _agreement_grounds(req, today)
    decision = policy.decide(req.policy_request(grounds))

    if exception and not decision.permitted:
        raise Refused(
            decision,
            "The exception does not permit this release: "
            + refusal_reason(decision)
            + " Exceptions release only to Children's Services or the police.",
        )
    if permitted and not decision.permitted:
        raise Refused(decision, "The policy refuses this request: " + refusal_reason(decision))
    if not permitted and decision.permitted:
        raise ValidationError(
            "The policy permits this request ("
            + refusal_reason(decision)
            + "). Record it as permitted, with what was released."
        )
    if decision.permitted and not released.strip():
        raise ValidationError({"released": "Record what was released."})
    if subject_told == SubjectTold.YES and subject_told_on is None:
        subject_told_on = today

    _record_decision(req, decision)
    req.decided_by = by
    req.released = released.strip() if decision.permitted else ""
    req.subject_told = subject_told
    req.subject_told_on = subject_told_on if subject_told == SubjectTold.YES else None
    req.consent_grant = consent_grant if decision.ground == policy.Ground.CONSENT else None
    req.refusal_text = "" if decision.permitted else refusal_letter(req, decision)
    breaking_glass = decision.ground in policy.BREAK_GLASS
    if breaking_glass:
        req.exception = decision.ground.value
        req.break_glass_reason = reason.strip()
        _notify_chairs(req)
    _save(req)
    if breaking_glass:
        _audit(
            by=by,
            req=req,
            action=AccessLog.Action.BREAK_GLASS,
            extra=f" recipient={req.requester_type}",
        )
    else:
        extra = f" consent=#{consent_grant.pk}" if req.consent_grant else ""
        _audit(by=by, req=req, action=AccessLog.Action.DISCLOSURE, extra=extra)
    family_touch(req.family)
    return req


# --- break-glass (CHI-3, CHE-4a/b, CHE-6a/b) ----------------------------------------------------


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
    if by.role != Role.CHAIR or by.centre_id != request.centre_id:
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


@transaction.atomic
def consent_grant_record(*, grant: ConsentGrant, by: User) -> ConsentGrant:
    """Record a parent's consent (the form has set the fields on `grant`)."""
    family = grant.adult.family
    _check_coordinator(by, family.centre_id)
    today = timezone.localdate()
    errors = {}
    if grant.recipient_user is not None:
        if grant.recipient_user.centre_id != family.centre_id:
            errors["recipient_user"] = "Choose one of this centre's referrers."
        elif not grant.recipient_name.strip():
            grant.recipient_name = grant.recipient_user.full_name
    if not grant.recipient_name.strip():
        errors["recipient_name"] = "Name the person the details may be given to."
    if not (grant.address or grant.phone or grant.email):
        errors["address"] = "Tick at least one of address, phone and email."
    if grant.given_on and grant.given_on > today:
        errors["given_on"] = "The date the consent was given cannot be in the future."
    if grant.given_on and grant.expires_on and grant.expires_on <= grant.given_on:
        errors["expires_on"] = "The consent must expire after the day it was given."
    if errors:
        raise ValidationError(errors)
    grant.recipient_name = " ".join(grant.recipient_name.split())
    grant.recorded_by = by
    grant.revoked_on = None
    _save(grant)
    access_log_record(
        user=by,
        action=AccessLog.Action.CONSENT,
        record=grant,
        detail=f"granted adult=#{grant.adult_id} items={','.join(grant.items)}",
        centre=family.centre,
    )
    family_touch(family)
    return grant


@transaction.atomic
def consent_grant_revoke(*, grant: ConsentGrant, by: User) -> ConsentGrant:
    """The parent withdrew their consent: from today it permits nothing."""
    family = grant.adult.family
    _check_coordinator(by, family.centre_id)
    locked = ConsentGrant.objects.select_for_update().get(pk=grant.pk)
    if locked.revoked_on is not None:
        raise ValidationError("This consent has been revoked already.")
    today = timezone.localdate()
    grant.revoked_on = max(today, grant.given_on)
    grant.revoked_by = by
    _save(grant)
    access_log_record(
        user=by,
        action=AccessLog.Action.CONSENT,
        record=grant,
        detail=f"revoked adult=#{grant.adult_id}",
        centre=family.centre,
    )
    family_touch(family)
    return grant
