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
from cccc.models import Membership, Role
from retention.models import EDIT_WINDOW_HOURS, AccidentEntry, DestructionRecord
from retention.models.accident import AccidentEntryQuerySet
from retention.models.register import AppendOnlyQuerySet
from volunteers.access import portal_volunteer_for


def require_annual_reader(membership: Membership | None) -> None:
    require_role(membership, Role.COORDINATOR, Role.CHAIR)


def require_network_reader(membership: Membership | None) -> None:
    require_role(membership, Role.OPERATOR)


def register_for(membership: Membership) -> AppendOnlyQuerySet:
    if membership.role in (Role.COORDINATOR, Role.CHAIR):
        return DestructionRecord.objects.filter(centre_id=centre_id_of(membership))
    return DestructionRecord.objects.none()


def accident_writer(membership: Membership | None) -> bool:
    """True when the membership may add to its centre's book now. A coordinator always; a
    volunteer when the portal lets them in (False while their access is paused); anyone
    else: 404."""
    require_role(membership, Role.COORDINATOR, Role.VOLUNTEER)
    assert membership is not None  # require_role let only those two roles through
    if membership.role == Role.COORDINATOR:
        return True
    return portal_volunteer_for(membership) is not None


def accident_entries_for(membership: Membership) -> AccidentEntryQuerySet:
    if membership.centre_id is None:
        return AccidentEntry.objects.none()
    entries = AccidentEntry.objects.filter(centre_id=membership.centre_id).select_related(
        "centre__data_key", "recorded_by"
    )
    if membership.role == Role.COORDINATOR:
        return entries
    if membership.role == Role.VOLUNTEER and portal_volunteer_for(membership) is not None:
        since = timezone.now() - datetime.timedelta(hours=EDIT_WINDOW_HOURS)
        return entries.filter(recorded_by_id=membership.user_id, recorded_at__gt=since)
    return AccidentEntry.objects.none()


def get_accident_entry_for(membership: Membership, pk: int) -> AccidentEntry:
    return get_object_or_404(accident_entries_for(membership), pk=pk)
