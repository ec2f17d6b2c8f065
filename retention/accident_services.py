"""Writes to the accident book (CHI-4.9): add an entry, correct it within 24 hours. There is
no delete, here or anywhere."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cccc.access import holds_role
from cccc.keys import data_key_create
from cccc.models import Centre, DataKey, Role, User
from retention.models import EDIT_WINDOW_HOURS, AccidentEntry

TEXT_FIELDS = ("place", "people_involved", "what_happened", "injury", "first_aid_and_action")
FIELDS = ("occurred_at", *TEXT_FIELDS)
# A clock a few minutes fast must not refuse an accident that has just happened.
CLOCK_SLACK = datetime.timedelta(minutes=5)


@transaction.atomic
def centre_key_ensure(*, centre: Centre) -> DataKey:
    """The centre's own data key, made on first use (row-locked, so made once)."""
    locked = Centre.objects.select_for_update().get(pk=centre.pk)
    key = locked.data_key  # None, without a query, while the centre has no key yet
    if key is None:
        key = data_key_create()
        locked.data_key = key
        locked.save(update_fields=["data_key"])
    centre.data_key = key
    return key


def _check_author(by: User, centre: Centre) -> None:
    if not holds_role(by, centre.pk, Role.COORDINATOR, Role.VOLUNTEER):
        raise ValidationError("Only the centre's coordinators and volunteers keep its book.")


def _check_fields(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    occurred_at = values.get("occurred_at")
    if occurred_at is None:
        errors["occurred_at"] = "Say when it happened."
    elif occurred_at > timezone.now() + CLOCK_SLACK:
        errors["occurred_at"] = "An accident is recorded after it happens, not before."
    for name in ("place", "people_involved", "what_happened"):
        if not (values.get(name) or "").strip():
            errors[name] = "This is needed in the accident book."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def accident_entry_add(
    *,
    centre: Centre,
    by: User,
    occurred_at: datetime.datetime,
    place: str,
    people_involved: str,
    what_happened: str,
    injury: str = "",
    first_aid_and_action: str = "",
) -> AccidentEntry:
    """Add an entry to the centre's book, sealed under the centre's key (never a family's)."""
    values = {
        "occurred_at": occurred_at, "place": place, "people_involved": people_involved,
        "what_happened": what_happened, "injury": injury,
        "first_aid_and_action": first_aid_and_action,
    }  # fmt: skip
    _check_author(by, centre)
    _check_fields(values)
    centre_key_ensure(centre=centre)
    entry = AccidentEntry(
        centre=centre, recorded_by=by, **{name: values.get(name, "") for name in FIELDS}
    )
    entry.full_clean()
    entry.save()
    return entry


def may_edit(entry: AccidentEntry, user: User, now: datetime.datetime | None = None) -> bool:
    """Its author, or a coordinator of its centre, within 24 hours of recording it."""
    if not entry.is_editable(now):
        return False
    if user.pk == entry.recorded_by_id:
        return True
    return holds_role(user, entry.centre_id, Role.COORDINATOR)


@transaction.atomic
def accident_entry_update(
    *,
    entry: AccidentEntry,
    by: User,
    occurred_at: datetime.datetime,
    place: str,
    people_involved: str,
    what_happened: str,
    injury: str = "",
    first_aid_and_action: str = "",
) -> AccidentEntry:
    """Correct an entry: its author or a coordinator, within 24 hours of recording it."""
    values = {
        "occurred_at": occurred_at, "place": place, "people_involved": people_involved,
        "what_happened": what_happened, "injury": injury,
        "first_aid_and_action": first_aid_and_action,
    }  # fmt: skip
    locked = AccidentEntry.objects.select_for_update().get(pk=entry.pk)
    now = timezone.now()
    if not locked.is_editable(now):
        raise ValidationError(
            f"Entries can be corrected for {EDIT_WINDOW_HOURS} hours after they are recorded; "
            "this one is now part of the book as it stands."
        )
    if not may_edit(locked, by, now):
        raise ValidationError("Only its author or a coordinator may correct this entry.")
    _check_fields(values)
    for name in FIELDS:
        setattr(locked, name, values.get(name, ""))
    locked.updated_at = now
    locked.full_clean()
    locked.save()
    return locked
