"""The arrangement letter (issue 18, point 1): one adult's own sessions and times, given to
that adult. Producing it is a disclosure to the adult of their own data: the policy is asked
first (`policy.Category.OWN_ARRANGEMENTS`, to the data subject only), and the release is
recorded in the register as a decided disclosure request about the family, with its audit
entry, in the same transaction.

The same letter (the same dates and times, by the same way) produced again is one disclosure
with a count of views, as attendance answers are (disclosures/attendance_services.py): opening
the page and downloading the PDF are the letter handed over on paper; an email is a release by
email, each one sent counted. What the letter holds is families/arrangements.py's: that adult's
own times and nothing about anyone else.
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cccc.access import holds_role
from cccc.models import AccessLog, Role, User
from cccc.saving import validated_save
from disclosures import policy
from disclosures.models import CategoryChoice, DisclosureRequest, RequesterType, SubjectTold, Via
from disclosures.request_services import Refused, request_audit, request_decision_apply, variant_of
from families import mail_services
from families.arrangements import Arrangement, arrangement_for, long_day
from families.last_activity import family_touch
from families.models import Adult, FamilyMail

PAGE, PDF, EMAIL = "page", "pdf", "email"
# The page and the PDF are the same letter on paper; an email is a release of its own.
VIA = {PAGE: Via.LETTER, PDF: Via.LETTER, EMAIL: Via.EMAIL}


@dataclass(frozen=True)
class LetterRelease:
    letter: Arrangement
    request: DisclosureRequest
    mail: FamilyMail | None = None


def _released(letter: Arrangement, via: str) -> str:
    how = "by email" if via == Via.EMAIL else "as a letter"
    if not letter.sessions:
        return f"Arrangement letter {how}: no sessions booked."
    first, last = letter.sessions[0].date, letter.sessions[-1].date
    count = len(letter.sessions)
    return (
        f"Arrangement letter {how}: {count} session{'s' if count != 1 else ''} from "
        f"{long_day(first)} to {long_day(last)}, with the adult's own times."
    )


@transaction.atomic
def letter_release(*, adult: Adult, by: User, how: str) -> LetterRelease:
    """The adult's arrangement letter, released to them `how` ("page", "pdf" or "email"),
    recorded as a disclosure. By email it is queued to the adult, who must have consented
    to email (raises ValidationError otherwise, and nothing is recorded)."""
    family = adult.family
    if not holds_role(by, family.centre_id, Role.COORDINATOR):
        raise ValidationError("Only the centre's coordinator gives an adult their letter.")
    if how not in VIA:
        raise ValidationError("Choose the page, the PDF or an email.")
    decision = policy.decide(
        policy.Request(
            variant_of(family.centre),
            policy.Requester.DATA_SUBJECT,
            policy.Category.OWN_ARRANGEMENTS,
        )
    )
    if not decision.permitted:
        raise Refused(decision)
    letter = arrangement_for(adult)
    via = VIA[how]
    mail = mail_services.letter_mail_queue(adult=adult, by=by) if how == EMAIL else None
    digest = hashlib.sha256(f"{via}\n{letter.digest()}".encode()).hexdigest()
    seen = (
        DisclosureRequest.objects.select_for_update()
        .filter(family=family, category=CategoryChoice.OWN_ARRANGEMENTS, answer_digest=digest)
        .first()
    )
    if seen is not None:
        seen.views += 1
        seen.save(update_fields=["views"])
        request_audit(
            by=by, req=seen, action=AccessLog.Action.DISCLOSURE, extra=f" views={seen.views}"
        )
        family_touch(family)
        return LetterRelease(letter, seen, mail)
    req = DisclosureRequest(
        centre=family.centre,
        family=family,
        subject_adult=adult,
        requester_type=RequesterType.DATA_SUBJECT,
        requester_name=letter.full_name,
        received_via=via,
        recorded_by=by,
        category=CategoryChoice.OWN_ARRANGEMENTS,
        detail=f"Arrangement letter of adult #{adult.pk}.",
        proposed_permitted=decision.permitted,
        proposed_ground=decision.ground.value,
        proposed_clauses=",".join(decision.clauses),
        released=_released(letter, via),
        subject_told=SubjectTold.YES,
        subject_told_on=timezone.localdate(),
        answer_digest=digest,
        decided_by=by,
    )
    request_decision_apply(req, decision)
    validated_save(req)
    request_audit(by=by, req=req, action=AccessLog.Action.DISCLOSURE)
    family_touch(family)
    return LetterRelease(letter, req, mail)
