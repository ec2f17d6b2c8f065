"""Requests for information about a family received by phone, letter, email or in person, and
the policy's refusals (SPEC §5).

Every release of information outside the centre asks `policy.decide()` and releases nothing
when it refuses:
- `attendance_answer`: a referrer's own request, answered at once (CHI-4.4, CHE-4;
  disclosures/attendance_services.py);
- `request_decide`: the coordinator's decision on a request received by phone, letter, email
  or in person (and `request_receive`, which records it with the policy's proposal);
- `break_glass_release`: an exception (child at risk, risk of violence) invoked by a
  coordinator with a written reason, to Children's Services or the police (CHI-3, CHE-4,
  CHE-6; disclosures/break_glass_services.py); it is decided here by `request_decide`, and
  the chair is notified at once and acknowledges it.
Consents behind a release are recorded in disclosures/consent_services.py.

Every decision writes one audit entry in the same transaction (IDs and categories only), and
is *use* of the family's record (SPEC §8). Nothing here decides on its own: a coordinator who
chooses differently from the policy is told the policy's words and nothing is recorded.
"""

import datetime
from collections.abc import Sequence
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import dateformat, timezone

from cccc.access import holds_role
from cccc.audit import access_log_record
from cccc.models import AccessLog, Centre, Role, User
from cccc.saving import validated_save
from disclosures import policy
from disclosures.models import (
    AssessmentAgreement,
    CategoryChoice,
    ConsentGrant,
    ContactItem,
    DisclosureRequest,
    LegalBasis,
    NoticeTo,
    SubjectTold,
    Via,
)
from disclosures.notify import email_chairs, email_safeguarding_contact
from families.last_activity import family_touch
from families.models import Adult, Child, Family

OWN_DATA_REFUSED = (
    "A person asking for their own data makes a subject access request: record it on the "
    "Subject access requests page, which checks their identity, tracks the one-month deadline "
    "and leaves out what may be withheld."
)
OWN_ARRANGEMENTS_REFUSED = (
    "A person's own session dates and times are given in their arrangement letter, from the "
    "family's page: nobody else is told them."
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


def _day(day: datetime.date) -> str:
    return dateformat.format(day, "j F Y")


def request_audit(*, by: User, req: DisclosureRequest, action: str, extra: str = "") -> None:
    """The audit entry of a decision: IDs and categories only."""
    detail = (
        f"category={req.category} ground={req.ground} clauses={req.clauses} "
        f"outcome={req.outcome}{extra}"
    )
    access_log_record(user=by, action=action, record=req, detail=detail, centre=req.centre)


def request_decision_apply(req: DisclosureRequest, decision: policy.Decision) -> None:
    """Set the policy's decision on the request (not saved)."""
    req.status = DisclosureRequest.Status.DECIDED
    req.permitted = decision.permitted
    req.ground = decision.ground.value
    req.clauses = ",".join(decision.clauses)
    req.decided_at = timezone.now()


def _check_coordinator(by: User, centre_id: int) -> None:
    if not holds_role(by, centre_id, Role.COORDINATOR):
        raise ValidationError("Only the centre's coordinator decides its disclosure requests.")


def _check_subject(
    *, family: Family, category: str, items: Sequence[str], adult: Adult | None, child: Child | None
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
    if category == CategoryChoice.OWN_ARRANGEMENTS:
        raise ValidationError({"category": OWN_ARRANGEMENTS_REFUSED})
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
    validated_save(req)
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


def _notify(req: DisclosureRequest) -> None:
    """Tell the centre's chairs at once, with no personal data (SPEC §4). A centre with no
    active chair still releases in an emergency; its notice goes to the network safeguarding
    contact instead (issue 14). `notice_to` keeps who was told, empty if nobody."""
    what = (
        "A release of information required by law was made"
        if req.exception == policy.Ground.REQUIRED_BY_LAW
        else "A confidentiality exception was used"
    )
    day = _day(timezone.localdate(req.decided_at))
    body = f"{what} at {req.centre.name} on {day}. Sign in to acknowledge it.\n"
    if email_chairs(req.centre_id, subject=what, body=body):
        req.notice_to = NoticeTo.CHAIR
    elif email_safeguarding_contact(
        subject=f"{what} at a centre with no chair",
        body=(
            f"{what} at {req.centre.name} on {day}. The centre has no active chair, so this "
            "notice comes to you as the network's safeguarding contact. Ask the centre's "
            "coordinator, and the installation's operator, about it.\n"
        ),
    ):
        req.notice_to = NoticeTo.SAFEGUARDING
    else:
        req.notice_to = ""
    req.chair_notified_at = timezone.now() if req.notice_to else None


LEGAL_BASIS_NEEDED = {
    "legal_basis": "Choose the legal basis: an order of a court, or a statute or regulation.",
    "legal_reference": "Give the reference of the order or statute (case number, section).",
    "legal_authority": "Name the authority asking (the court, body or office).",
    "legal_reason": "Write why the law requires this release.",
}


def _legal_basis_errors(legal: dict[str, str]) -> dict[str, str]:
    """A release required by law names its basis, who asked and why (CHI-4.5, issue 14)."""
    errors = {
        field: message
        for field, message in LEGAL_BASIS_NEEDED.items()
        if not (legal.get(field) or "").strip()
    }
    basis = legal.get("legal_basis", "")
    if basis and basis not in (LegalBasis.COURT_ORDER, LegalBasis.STATUTE):
        errors["legal_basis"] = LEGAL_BASIS_NEEDED["legal_basis"]
    return errors


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
    legal_basis: str = "",
    legal_reference: str = "",
    legal_authority: str = "",
    legal_reason: str = "",
) -> DisclosureRequest:
    """Record the coordinator's decision, which must be the policy's.

    The grounds put before the policy are only those on record: a consent grant that covers
    this recipient and these details today, the law's requirement (the policy knows which
    variants have that exception), or an exception invoked with a written reason. A release
    on the law's requirement names its legal basis and reference, the authority asking and a
    reason, and is notified and acknowledged like an exception (issue 14). Raises
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
    by_law = decision.permitted and decision.ground == policy.Ground.REQUIRED_BY_LAW
    legal = {
        "legal_basis": legal_basis, "legal_reference": legal_reference,
        "legal_authority": legal_authority, "legal_reason": legal_reason,
    }  # fmt: skip
    if by_law and (errors := _legal_basis_errors(legal)):
        raise ValidationError(errors)
    if decision.permitted and not released.strip():
        raise ValidationError({"released": "Record what was released."})
    if subject_told == SubjectTold.YES and subject_told_on is None:
        subject_told_on = today

    request_decision_apply(req, decision)
    req.decided_by = by
    req.released = released.strip() if decision.permitted else ""
    req.subject_told = subject_told
    req.subject_told_on = subject_told_on if subject_told == SubjectTold.YES else None
    req.consent_grant = consent_grant if decision.ground == policy.Ground.CONSENT else None
    req.refusal_text = "" if decision.permitted else refusal_letter(req, decision)
    breaking_glass = decision.ground in policy.BREAK_GLASS or by_law
    if breaking_glass:
        req.exception = decision.ground.value
        req.break_glass_reason = (legal_reason if by_law else reason).strip()
        if by_law:
            req.legal_basis = legal_basis
            req.legal_reference = legal_reference.strip()
            req.legal_authority = legal_authority.strip()
        _notify(req)
    validated_save(req)
    if breaking_glass:
        request_audit(
            by=by,
            req=req,
            action=AccessLog.Action.BREAK_GLASS,
            extra=f" recipient={req.requester_type}",
        )
    else:
        # req.consent_grant is set only to the consent_grant passed in.
        extra = f" consent=#{cast(ConsentGrant, consent_grant).pk}" if req.consent_grant else ""
        request_audit(by=by, req=req, action=AccessLog.Action.DISCLOSURE, extra=extra)
    family_touch(req.family)
    return req


# --- break-glass (CHI-3, CHE-4a/b, CHE-6a/b) ----------------------------------------------------
