"""Consent grants (CHI-4.5, CHE-5): a parent's consent to give their contact details to a
named person, recorded and revoked by the coordinator. A request decided on consent
(disclosures/request_services.py, `request_decide`) checks the grant covers that recipient and
those details on the day. Each write has its audit entry in the same transaction and is *use*
of the family's record (SPEC §8).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cccc.access import holds_role
from cccc.audit import access_log_record
from cccc.models import AccessLog, Role, User
from cccc.saving import validated_save
from disclosures.models import ConsentGrant
from families.last_activity import family_touch


def _check_coordinator(by: User, centre_id: int) -> None:
    if not holds_role(by, centre_id, Role.COORDINATOR):
        raise ValidationError("Only the centre's coordinator decides its disclosure requests.")


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
    validated_save(grant)
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
    validated_save(grant)
    access_log_record(
        user=by,
        action=AccessLog.Action.CONSENT,
        record=grant,
        detail=f"revoked adult=#{grant.adult_id}",
        centre=family.centre,
    )
    family_touch(family)
    return grant
