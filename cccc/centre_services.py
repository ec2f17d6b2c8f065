"""Writes to centres: the operator creates one; its coordinator or chair change its safety
settings, each change an audit entry in the same transaction (issue 20)."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cccc.audit import access_log_record
from cccc.models import CENTRE_SETTINGS, AccessLog, Centre, Membership, Role, User

# What the chair oversees: the policy the centre runs, who sees DBS results and the DBS level
# that clears a volunteer. While the centre has an active chair only the chair changes them,
# so a coordinator alone cannot switch on "required by law" releases (Chichester's variant),
# take DBS results for themselves, or clear a volunteer on a Basic check.
CHAIR_SETTINGS = ("policy_variant", "dbs_visible_to", "dbs_min_level")


def centre_create(
    *, name: str, slug: str, code: str, policy_variant: str, **settings_: Any
) -> Centre:
    centre = Centre(name=name, slug=slug, code=code.upper(), policy_variant=policy_variant)
    for field, value in settings_.items():
        setattr(centre, field, value)
    centre.full_clean()
    centre.save()
    return centre


@transaction.atomic
def centre_settings_change(
    *, centre: Centre, by: User, changes: Mapping[str, object]
) -> dict[str, tuple[object, object]]:
    """Change the centre's safety settings (CENTRE_SETTINGS) as its coordinator or chair.

    Each setting that changes is one audit entry, in this transaction, holding the setting's
    name and its old and new values (settings, never personal data): the chair reads them on
    the settings page. Returns {setting: (old, new)} for what changed.
    """
    # The person's role at this centre (one membership per person per centre), usable now:
    # never the membership they happen to work in.
    role = (
        Membership.objects.usable()
        .filter(user_id=by.pk, centre_id=centre.pk, role__in=(Role.COORDINATOR, Role.CHAIR))
        .values_list("role", flat=True)
        .first()
    )
    if role is None:
        raise PermissionDenied("Only the centre's coordinator or chair changes its settings.")
    unknown = set(changes) - set(CENTRE_SETTINGS)
    if unknown:
        raise ValueError(f"Not a centre setting: {', '.join(sorted(unknown))}")
    locked = Centre.objects.select_for_update().get(pk=centre.pk)
    changed = {
        field: (getattr(locked, field), value)
        for field, value in changes.items()
        if getattr(locked, field) != value
    }
    if not changed:
        return {}
    chairs_only = [field for field in changed if field in CHAIR_SETTINGS]
    if (
        chairs_only
        and role == Role.COORDINATOR
        and User.objects.filter(
            memberships__centre=locked,
            memberships__role=Role.CHAIR,
            memberships__is_active=True,
            is_active=True,
        ).exists()
    ):
        raise ValidationError(
            dict.fromkeys(
                chairs_only, "The centre's chair changes this setting: the chair oversees it."
            )
        )
    for field, (_, new) in changed.items():
        setattr(locked, field, new)
    locked.full_clean()
    locked.save(update_fields=list(changed))
    for field, (old, new) in changed.items():
        access_log_record(
            user=by,
            action=AccessLog.Action.CENTRE_SETTINGS,
            record=locked,
            centre=locked,
            detail=f"{field}: {old} -> {new}",
        )
        setattr(centre, field, new)
    return changed
