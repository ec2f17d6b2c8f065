"""An adult's consent to be emailed their own arrangements (issue 18, point 2): recorded by
the centre's coordinator with how and when it was given, withdrawn the same way. Each write
has its audit entry in the same transaction (no value in it: the adult's number and how) and
is use of the family's record.

Nothing is emailed to an adult without a live consent (families/mail_services.py checks it
when an email is queued and again when it is sent)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cccc.access import holds_role
from cccc.audit import access_log_record
from cccc.models import AccessLog, Role, User
from cccc.saving import validated_save
from families.last_activity import family_touch
from families.models import Adult, EmailConsent


def _check_coordinator(by: User, centre_id: int) -> None:
    if not holds_role(by, centre_id, Role.COORDINATOR):
        raise ValidationError("Only the centre's coordinator records consent to email.")


@transaction.atomic
def email_consent_give(
    *, adult: Adult, given_on: datetime.date, how_given: str, by: User
) -> EmailConsent:
    """Record that `adult` agreed to be emailed their own arrangements."""
    family = adult.family
    _check_coordinator(by, family.centre_id)
    # Lock the adult's row: two coordinators recording at once are taken one after the other.
    Adult.objects.select_for_update().filter(pk=adult.pk).first()
    if EmailConsent.objects.live().filter(adult=adult).exists():
        raise ValidationError("This adult has consented to email already.")
    if not adult.email:
        raise ValidationError(
            "No email address is recorded for this adult: add it to their details first."
        )
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": "The day consent was given cannot be in the future."})
    consent = validated_save(
        EmailConsent(adult=adult, given_on=given_on, how_given=how_given, recorded_by=by)
    )
    access_log_record(
        user=by,
        action=AccessLog.Action.CONSENT,
        record=consent,
        detail=f"email given adult=#{adult.pk} how={how_given}",
        centre=family.centre,
    )
    family_touch(family)
    return consent


@transaction.atomic
def email_consent_withdraw(*, consent: EmailConsent, how_withdrawn: str, by: User) -> EmailConsent:
    """The adult withdrew their consent: from now nothing more is emailed to them, emails
    already queued included."""
    family = consent.adult.family
    _check_coordinator(by, family.centre_id)
    locked = EmailConsent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        raise ValidationError("This consent was withdrawn already.")
    locked.withdrawn_at = timezone.now()
    locked.how_withdrawn = how_withdrawn
    locked.withdrawn_by = by
    validated_save(locked)
    access_log_record(
        user=by,
        action=AccessLog.Action.CONSENT,
        record=locked,
        detail=f"email withdrawn adult=#{locked.adult_id} how={how_withdrawn}",
        centre=family.centre,
    )
    family_touch(family)
    return locked
