"""Every write to a family's record: the family itself, its adults and children, keep-apart
flags, rules acknowledgements, referrals, concerns, and the logged reveal of contact details.
Sessions, attendance and notes are in families/session_services.py.

Each write that is *use* of the record (SPEC §8) moves the family's last activity through
family_touch (families/last_activity.py); viewing never does."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cccc.access import holds_role
from cccc.audit import access_log_record
from cccc.keys import data_key_create
from cccc.models import AccessLog, Centre, Role, User
from cccc.saving import validated_save
from families.last_activity import family_touch
from families.models import (
    Adult,
    Child,
    Concern,
    ContactSession,
    Family,
    KeepApart,
    ReferenceCounter,
    Referral,
    RulesAcknowledgement,
    add_months,
)
from families.name_index_services import name_index_refresh

REVIEW_MONTHS = 6


def _next_reference(centre: Centre) -> str:
    year = timezone.localdate().year
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
        centre=centre, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{centre.code}-{year}-{counter.last:04d}"


@transaction.atomic
def family_create(*, centre: Centre, status: str = Family.Status.REFERRED) -> Family:
    family = Family(
        centre=centre, reference=_next_reference(centre), status=status, data_key=data_key_create()
    )
    return validated_save(family)


@transaction.atomic
def family_update(*, family: Family, status: str) -> Family:
    family.status = status
    validated_save(family)
    family_touch(family)
    return family


@transaction.atomic
def adult_save(*, adult: Adult) -> Adult:
    """Create or edit an adult (the form has set the fields)."""
    validated_save(adult)
    name_index_refresh(family=adult.family)
    family_touch(adult.family)
    return adult


@transaction.atomic
def child_save(*, child: Child) -> Child:
    validated_save(child)
    name_index_refresh(family=child.family)
    family_touch(child.family)
    return child


@transaction.atomic
def keep_apart_flag(*, first: Adult, second: Adult, by: User) -> KeepApart:
    if first.pk == second.pk:
        raise ValidationError("Choose two different adults.")
    if first.family.centre_id != second.family.centre_id:
        raise ValidationError("Both adults must use the same centre.")
    low, high = sorted([first, second], key=lambda a: a.pk)
    flag, _ = KeepApart.objects.get_or_create(
        adult_a=low, adult_b=high, defaults={"centre_id": low.family.centre_id, "created_by": by}
    )
    for family in {first.family, second.family}:
        family_touch(family)
    return flag


@transaction.atomic
def keep_apart_remove(*, flag: KeepApart) -> None:
    families = {adult.family for adult in (flag.adult_a, flag.adult_b) if adult is not None}
    flag.delete()
    for family in families:
        family_touch(family)


@transaction.atomic
def acknowledgement_record(
    *,
    adult: Adult,
    acknowledged_on: datetime.date,
    by: User,
    no_recording: bool,
    no_discussing_others: bool,
    policy_version: str | None = None,
) -> RulesAcknowledgement:
    """Record what the adult ticked. Both rules must be accepted (CHE-1): anything less is
    refused, naming the rule missing, and nothing is recorded (the database refuses it too)."""
    missing = {
        name: f"The adult must accept the rule on {rule} (CHE-1)."
        for name, rule, ticked in (
            ("no_recording", "recording", no_recording),
            ("no_discussing_others", "other users", no_discussing_others),
        )
        if ticked is not True
    }
    if missing:
        raise ValidationError(missing)
    ack = RulesAcknowledgement(
        adult=adult,
        acknowledged_on=acknowledged_on,
        policy_version=policy_version or adult.family.centre.rules_version,
        no_recording=no_recording,
        no_discussing_others=no_discussing_others,
        recorded_by=by,
    )
    validated_save(ack)
    family_touch(adult.family)
    return ack


# --- referrals ------------------------------------------------------------------------------


def _check_referrer(referrer: User | None, centre: Centre) -> None:
    # The referrer of record may later ask for attendance (CHI-4.4, CHE-4): it must be one of
    # this centre's referrer accounts, never a user of another centre or another role.
    # Held at THIS centre, in a usable membership: the person may be a referrer elsewhere too.
    if referrer is not None and not holds_role(referrer, centre.pk, Role.REFERRER):
        raise ValidationError({"referrer": "Choose one of this centre's referrers."})


def _check_people(adults: list[Adult], children: list[Child]) -> None:
    errors = []
    if not any(a.role in (Adult.Role.RESIDENT_PARENT, Adult.Role.CARER) for a in adults):
        errors.append("Name the adult the children live with (resident parent or carer).")
    if not any(a.role == Adult.Role.NON_RESIDENT_PARENT for a in adults):
        errors.append("Name the non-resident parent.")
    if not children:
        errors.append("Name at least one child.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def referral_submit(
    *,
    centre: Centre,
    entered_by: User,
    referral: Referral,
    adults: list[Adult],
    children: list[Child],
    referrer: User | None = None,
) -> Referral:
    """A new family arrives by referral: its record, people and referral in one go.

    Raises ValidationError (and saves nothing) without a resident parent or carer, a
    non-resident parent and a child, or when the referrer is not this centre's referrer."""
    if not holds_role(entered_by, centre.pk, Role.COORDINATOR, Role.REFERRER):
        raise ValidationError("Only the centre's own users enter its referrals.")
    _check_referrer(referrer, centre)
    _check_people(adults, children)
    family = family_create(centre=centre)
    people: list[Adult | Child] = [*adults, *children]
    for person in people:
        person.family = family
        validated_save(person)
    name_index_refresh(family=family)
    referral.family, referral.centre = family, centre
    referral.referrer = referrer
    referral.entered_by = entered_by
    validated_save(referral)
    family_touch(family)
    return referral


@transaction.atomic
def referral_add(*, family: Family, referral: Referral, entered_by: User) -> Referral:
    """A further referral for a family the centre already has."""
    _check_referrer(referral.referrer, family.centre)
    referral.family, referral.centre_id = family, family.centre_id
    referral.entered_by = entered_by
    validated_save(referral)
    family_touch(family)
    return referral


def _lock(record: Referral) -> str:
    """Lock the record's row and return its stored status, so that two coordinators acting
    at once are taken one after the other and the second sees the first's decision."""
    rows = type(record).objects.select_for_update()
    return rows.values_list("status", flat=True).get(pk=record.pk)


@transaction.atomic
def referral_decide(*, referral: Referral, by: User, accept: bool, reason: str = "") -> Referral:
    if _lock(referral) != Referral.Status.PENDING:
        raise ValidationError("This referral has been decided already.")
    if not accept and not reason.strip():
        raise ValidationError({"reason": "Give the reason for declining."})
    today = timezone.localdate()
    referral.decided_by, referral.decided_at = by, timezone.now()
    if accept:
        referral.status = Referral.Status.ACCEPTED
        referral.review_due = add_months(today, REVIEW_MONTHS)
        if referral.family.status == Family.Status.REFERRED:
            referral.family.status = Family.Status.ACTIVE
            referral.family.save(update_fields=["status"])
    else:
        referral.status = Referral.Status.DECLINED
        referral.decline_reason = reason.strip()
    validated_save(referral)
    family_touch(referral.family)
    return referral


@transaction.atomic
def referral_review(*, referral: Referral, by: User) -> Referral:
    """The six-monthly review was held: the next one is due six months from today."""
    if _lock(referral) != Referral.Status.ACCEPTED:
        raise ValidationError("Only an accepted referral is reviewed.")
    today = timezone.localdate()
    referral.last_reviewed_on = today
    referral.review_due = add_months(today, REVIEW_MONTHS)
    validated_save(referral)
    family_touch(referral.family)
    return referral


# --- concerns -------------------------------------------------------------------------------


@transaction.atomic
def concern_raise(
    *, family: Family, kind: str, text: str, raised_by: User, session: ContactSession | None = None
) -> Concern:
    if not text.strip():
        raise ValidationError({"text": "Describe the concern or the question."})
    concern = validated_save(
        Concern(
            family=family,
            centre_id=family.centre_id,
            session=session,
            kind=kind,
            text=text.strip(),
            raised_by=raised_by,
        )
    )
    family_touch(family)
    return concern


@transaction.atomic
def concern_close(*, concern: Concern, by: User, outcome: str) -> Concern:
    if not outcome.strip():
        raise ValidationError({"outcome": "Record what was done."})
    concern.status = Concern.Status.CLOSED
    concern.closed_by, concern.closed_at = by, timezone.now()
    concern.outcome = outcome.strip()
    validated_save(concern)
    family_touch(concern.family)
    return concern


# --- contact details --------------------------------------------------------------------------


@transaction.atomic
def contact_reveal(*, adult: Adult, by: User) -> Adult:
    """A coordinator deliberately looks at an adult's address, phone and email. Logged;
    not *use* of the record, so last activity stays as it was."""
    access_log_record(
        user=by,
        action=AccessLog.Action.REVEAL_CONTACT,
        record=adult,
        detail="address, phone, email",
        centre=adult.family.centre,
    )
    return adult
