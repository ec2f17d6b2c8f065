"""The one way to read retention's records.

- The retention screen and keep-longer decisions: the coordinators of the centre.
- The annual view (register and statistics) and the quarterly statistics: the chair and the
  coordinators of the centre.
- The network's quarterly statistics (counts only, centres anonymous): the operator.
- The accident book: the coordinators of the centre read all of it; a volunteer (appointed,
  cleared, agreement signed) adds entries and sees only their own, while they may still
  correct them (24 hours). Nobody else.
Anything else is a 404.
"""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone

from cccc.access import centre_id_of, require_role
from cccc.models import Role, User
from retention.models import EDIT_WINDOW_HOURS, AccidentEntry, DestructionRecord
from retention.models.accident import AccidentEntryQuerySet
from retention.models.register import AppendOnlyQuerySet
from volunteers.access import portal_volunteer_for


def require_annual_reader(user: User) -> None:
    require_role(user, Role.COORDINATOR, Role.CHAIR)


def require_network_reader(user: User) -> None:
    require_role(user, Role.OPERATOR)


def register_for(user: User) -> AppendOnlyQuerySet:
    if user.is_authenticated and user.role in (Role.COORDINATOR, Role.CHAIR):
        return DestructionRecord.objects.filter(centre_id=centre_id_of(user))
    return DestructionRecord.objects.none()


def accident_writer(user: User) -> bool:
    """True when the user may add to their centre's book now. A coordinator always; a
    volunteer when the portal lets them in (False while their access is paused); anyone
    else: 404."""
    require_role(user, Role.COORDINATOR, Role.VOLUNTEER)
    if user.role == Role.COORDINATOR:
        return True
    return portal_volunteer_for(user) is not None


def accident_entries_for(user: User) -> AccidentEntryQuerySet:
    if not user.is_authenticated or user.centre_id is None:
        return AccidentEntry.objects.none()
    entries = AccidentEntry.objects.filter(centre_id=user.centre_id).select_related(
        "centre__data_key", "recorded_by"
    )
    if user.role == Role.COORDINATOR:
        return entries
    if user.role == Role.VOLUNTEER and portal_volunteer_for(user) is not None:
        since = timezone.now() - datetime.timedelta(hours=EDIT_WINDOW_HOURS)
        return entries.filter(recorded_by=user, recorded_at__gt=since)
    return AccidentEntry.objects.none()


def get_accident_entry_for(user: User, pk: int) -> AccidentEntry:
    return get_object_or_404(accident_entries_for(user), pk=pk)
