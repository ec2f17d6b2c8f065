"""Witness summons (CHE-WS; SPEC §5): the record, the chair's checklist and the letter.

- `summons_record`: a witness summons served on the centre or a volunteer; the centre's chairs
  are told at once by an email that holds no personal data;
- `summons_checklist_update`: the chair's procedure (letter, NACCC, the committee's
  solicitor) and the outcome; closing it lifts the legal hold;
- `summons_letter`: the letter to the court and/or solicitor explaining the policy and asking
  that the summons be set aside, quoting the centre's current policy (CHI-4.3, CHE-3); drawn
  as a PDF by disclosures/pdf.py.

A summons that concerns a family is use of the family's record (SPEC §8).
"""

import datetime
import re
from dataclasses import dataclass, field
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import dateformat, timezone

from cccc.access import holds_role
from cccc.audit import access_log_record
from cccc.keys import data_key_create
from cccc.models import AccessLog, Centre, Role, User
from cccc.policies import current_policy
from cccc.saving import validated_save
from disclosures import policy
from disclosures.models import WitnessSummons
from disclosures.notify import email_chairs
from families.last_activity import family_touch
from families.models import Family
from volunteers.models import Volunteer

# The clauses a summons letter quotes when the centre has adopted no policy document yet, in
# this project's words, following each seed policy (shared/seeds/).
FALLBACK_CLAUSES = {
    policy.Variant.CHICHESTER: [
        ("CHI-3", "Confidentiality may be broken only for a concern about a child's welfare, "
         "which is passed to Children's Services and/or the police, or about physical violence "
         "to a user or volunteer of the centre."),
        ("CHI-4.1", "Volunteers must not discuss or disclose any information about a family "
         "outside the centre."),
        ("CHI-4.3", "Volunteers must not provide verbal or written reports for use in family "
         "court proceedings."),
        ("CHI-4.4", "Dates and times of attendance may be shared with referring agencies on "
         "request. No other personal information is disclosed unless safeguarding requires it."),
    ],
    policy.Variant.CHESTERFIELD: [
        ("CHE-2", "Volunteers undertake not to discuss or disclose any details about a family "
         "outside the centre."),
        ("CHE-3", "Volunteers must not make verbal or written reports in any family court "
         "proceedings."),
        ("CHE-4", "The dates and times of a family's attendance are available to referring "
         "agencies on request. Nothing else is released unless a child is thought to be at "
         "risk of harm, or someone using the centre or a volunteer is at risk of physical "
         "violence."),
        ("CHE-WS", "If the centre or a volunteer is served with a witness summons, the chair "
         "writes to the court and/or the solicitor, explains the centre's policy and asks, "
         "wherever possible, that the summons be set aside."),
    ],
    policy.Variant.NACCC: [
        ("NAC-1", "Volunteers undertake not to discuss or disclose any details about a family "
         "outside the centre."),
        ("NAC-2", "Volunteers must not make verbal or written reports in any family court "
         "proceedings."),
        ("NAC-3", "The dates and times of a family's attendance are available to referring "
         "agencies on request. Nothing else is released unless a child is thought to be at "
         "risk of harm, or someone using the centre or a volunteer is at risk of physical "
         "violence."),
        ("NAC-WS", "If the centre or a volunteer is served with a witness summons, the chair "
         "writes to the court and/or the solicitor, explains the centre's policy and asks, "
         "wherever possible, that the summons be set aside."),
    ],
}  # fmt: skip


def _day(day: datetime.date) -> str:
    return dateformat.format(day, "j F Y")


def _check(by: User, centre_id: int, *roles: str, doing: str) -> None:
    if not holds_role(by, centre_id, *roles):
        raise ValidationError(f"Only the centre's {' or '.join(roles)} {doing}.")


def _check_family(family: Family | None, centre: Centre) -> None:
    if family is not None and family.centre_id != centre.pk:
        raise ValidationError({"family": "Choose a family of this centre."})


def _notify_chairs_of_summons(summons: WitnessSummons) -> None:
    """Tell the chairs at once. The email names the centre and dates only: no court, case
    number, family or person (SPEC §4)."""
    hearing = f" The hearing is on {_day(summons.hearing_on)}." if summons.hearing_on else ""
    body = (
        f"A witness summons served on {summons.centre.name} was recorded on "
        f"{_day(timezone.localdate(summons.recorded_at))}.{hearing}\n\n"
        "Sign in to see it, write to the court or solicitor, inform the NACCC office and "
        "consult the committee's solicitor.\n"
    )
    if email_chairs(summons.centre_id, subject="A witness summons was received", body=body):
        summons.chair_notified_at = timezone.now()


@transaction.atomic
def summons_record(
    *,
    centre: Centre,
    by: User,
    court: str,
    case_number: str,
    received_on: datetime.date,
    served: str,
    recipient: str,
    hearing_on: datetime.date | None = None,
    family: Family | None = None,
    volunteer: Volunteer | None = None,
    notes: str = "",
) -> WitnessSummons:
    """Record a summons and tell the chairs. Raises ValidationError, recording nothing, when
    a field does not hold."""
    _check(by, centre.pk, Role.COORDINATOR, Role.CHAIR, doing="record a witness summons")
    _check_family(family, centre)
    errors = {}
    if received_on > timezone.localdate():
        errors["received_on"] = "A summons cannot be received in the future."
    if hearing_on is not None and hearing_on < received_on:
        errors["hearing_on"] = "The hearing cannot be before the summons was received."
    if served == WitnessSummons.Served.VOLUNTEER:
        if volunteer is not None and volunteer.centre_id != centre.pk:
            errors["volunteer"] = "Choose one of this centre's volunteers."
    elif volunteer is not None:
        errors["volunteer"] = "Name a volunteer only when the summons was served on one."
    if errors:
        raise ValidationError(errors)
    summons = WitnessSummons(
        centre=centre,
        family=family,
        court=" ".join(court.split()),
        case_number=case_number.strip(),
        received_on=received_on,
        served=served,
        volunteer=volunteer,
        hearing_on=hearing_on,
        recipient=recipient.strip(),
        notes=notes.strip(),
        recorded_by=by,
    )
    summons.full_clean(exclude=["data_key"])
    if family is None:
        summons.data_key = data_key_create()
    _notify_chairs_of_summons(summons)
    validated_save(summons)
    access_log_record(
        user=by, action=AccessLog.Action.SUMMONS, record=summons, detail=f"recorded served={served}"
    )
    if family is not None:
        family_touch(family)
    return summons


@transaction.atomic
def summons_checklist_update(
    *,
    summons: WitnessSummons,
    by: User,
    letter_produced: bool = False,
    naccc_informed_on: datetime.date | None = None,
    solicitor_consulted_on: datetime.date | None = None,
    outcome: str | None = None,
    close: bool = False,
) -> WitnessSummons:
    """Tick off the chair's steps. A step once done keeps its date unless a new one is given;
    closing needs the court's outcome and ends the legal hold."""
    _check(by, summons.centre_id, Role.COORDINATOR, Role.CHAIR, doing="keep the checklist")
    locked = WitnessSummons.objects.select_for_update().get(pk=summons.pk)
    if locked.closed_at is not None:
        raise ValidationError("This summons has been closed.")
    today = timezone.localdate()
    errors = {}
    for name, day in (
        ("naccc_informed_on", naccc_informed_on),
        ("solicitor_consulted_on", solicitor_consulted_on),
    ):
        if day is not None and day > today:
            errors[name] = "This cannot be done in the future."
        elif day is not None and day < locked.received_on:
            errors[name] = "This cannot be before the summons was received."
    outcome = outcome or locked.outcome
    if close and outcome == WitnessSummons.Outcome.PENDING:
        errors["outcome"] = "Record the court's answer before closing the summons."
    if errors:
        raise ValidationError(errors)
    if letter_produced and locked.letter_produced_at is None:
        locked.letter_produced_at = timezone.now()
    if naccc_informed_on is not None:
        locked.naccc_informed_on = naccc_informed_on
    if solicitor_consulted_on is not None:
        locked.solicitor_consulted_on = solicitor_consulted_on
    locked.outcome = outcome
    if close:
        locked.closed_at = timezone.now()
        locked.closed_by = by
    validated_save(locked)
    access_log_record(
        user=by,
        action=AccessLog.Action.SUMMONS,
        record=locked,
        detail="closed" if close else "checklist",
    )
    if locked.family_id:
        family_touch(cast(Family, locked.family))  # family_id is set, so is family
    return locked


@dataclass(frozen=True)
class Letter:
    """The letter to the court and/or solicitor, as the page and the PDF both print it."""

    centre_name: str
    centre_address: list[str]
    date: str
    recipient: list[str]
    subject: str
    paragraphs: list[str]
    policy_heading: str
    # The centre's current policy as paragraphs of lines; or, without one, the clauses.
    policy_paragraphs: list[list[str]] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)


_ITEM = re.compile(r"^(?:[-•*]\s|\(?\d+[.)]\s|\(?[A-Z]{3}-[\w.]+\)\s)")


def policy_paragraphs(text: str) -> list[list[str]]:
    """The policy text as paragraphs (parted by blank lines) of lines: a line starting a list
    item ("- ...", "1. ...") starts a new line; any other line continues the one before."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines: list[str] = []
        for raw in block.splitlines():
            line = raw.strip()
            if not line:
                continue
            if lines and not _ITEM.match(line):
                lines[-1] = f"{lines[-1]} {line}"
            else:
                lines.append(line)
        if lines:
            paragraphs.append(lines)
    return paragraphs


def _clauses(decision: policy.Decision) -> str:
    return ", ".join(decision.clauses)


def _bare(sentence: str) -> str:
    return sentence.rstrip(". ")


def _lower(sentence: str) -> str:
    return sentence[:1].lower() + sentence[1:]


def summons_letter(summons: WitnessSummons, *, today: datetime.date | None = None) -> Letter:
    """The letter, built from the centre's details, the summons and the policy table, with the
    centre's current policy quoted in full (or, if it has adopted none, the clauses of its
    variant that apply)."""
    today = today or timezone.localdate()
    centre = summons.centre
    variant = policy.Variant(centre.policy_variant)

    def ask(requester: policy.Requester, category: policy.Category) -> policy.Decision:
        return policy.decide(policy.Request(variant, requester, category))

    court = ask(policy.Requester.COURT, policy.Category.COURT_REPORT)
    confidential = ask(policy.Requester.COURT, policy.Category.FAMILY_INFO)
    attendance = ask(policy.Requester.REFERRER_OF_RECORD, policy.Category.ATTENDANCE)
    served_by: dict[str, str] = {
        WitnessSummons.Served.CENTRE: "the centre",
        WitnessSummons.Served.VOLUNTEER: "one of the centre's volunteers",
        WitnessSummons.Served.STAFF: "a member of the centre's staff",
    }
    served = served_by[summons.served]
    hearing = f", for the hearing on {_day(summons.hearing_on)}" if summons.hearing_on else ""
    paragraphs = [
        f"On {_day(summons.received_on)} a witness summons issued by {summons.court} in case "
        f"number {summons.case_number} was served on {served}{hearing}. I write as chair of "
        f"the centre's management committee.",
        f"{centre.name} is a child contact centre: a neutral place where children of "
        "separated families spend time with the parent they do not live with. Families, some "
        "of whom have left abusive relationships, use the centre on the understanding that "
        "what happens there stays confidential. Our confidentiality policy, which binds every "
        f"volunteer and member of staff, says that {_lower(_bare(court.explanation))} "
        f"(clause {_clauses(court)}). {_bare(confidential.explanation)} "
        f"(clauses {_clauses(confidential)}), unless a child is at risk of harm or someone is "
        "at risk of physical violence.",
        "Our volunteers do not give evidence because they are there to keep contact safe and "
        "neutral, not to observe or assess the family. They are not trained or placed to give "
        "evidence, and what they see is recorded only as far as running the session needs. If "
        "they gave evidence, parents could no longer trust the centre to be neutral, and "
        "children would lose a safe place to see both parents.",
        "If the court needs the dates and times the family attended, the family's referring "
        "agency may ask us for them and we will provide them "
        f"(clause {_clauses(attendance)}).",
        "We therefore respectfully ask that the witness summons be set aside.",
    ]
    document = current_policy(centre, today=today)
    if document is not None:
        heading = (
            f"Our confidentiality policy ({document.title}, version {document.version}, "
            f"adopted on {_day(document.adopted_on)}) reads in full:"
        )
        quoted = policy_paragraphs(document.text)
    else:
        heading = "The clauses of our confidentiality policy that apply read:"
        quoted = [[f"{cid}: {text}"] for cid, text in FALLBACK_CLAUSES[variant]]
    return Letter(
        centre_name=centre.name,
        centre_address=[line.strip() for line in centre.address.splitlines() if line.strip()],
        date=_day(today),
        recipient=[line.strip() for line in summons.recipient.splitlines() if line.strip()],
        subject=f"Witness summons: {summons.court}, case number {summons.case_number}",
        paragraphs=paragraphs,
        policy_heading=heading,
        policy_paragraphs=quoted,
        closing=["Yours faithfully,", "", "Chair of the management committee", centre.name],
    )
