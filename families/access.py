"""The one way to read a family: only the coordinators of its own centre reach it here.

Every helper takes the membership in use (issue 19), never the person: a coordinator at two
centres sees, while working as one, nothing of the other. Volunteers reach families only
through their rota (volunteers/access.py); referrers only through their own referrals at the
centre of the membership in use; chairs and operators never see family case records.
"""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cccc.access import centre_id_of
from cccc.models import Membership, Role
from families.models import Concern, ContactSession, Family, Referral, Room, Series
from families.models.referral import ReferralQuerySet


def _visible(membership: Membership) -> dict[str, Any] | None:
    """The condition on a family row that the membership may see it; None: no family. A
    person passed instead (who may hold several memberships) is refused outright."""
    if not isinstance(membership, Membership):
        raise TypeError("families are read through the membership in use, not the person")
    if membership.role == Role.COORDINATOR:
        return {"centre_id": centre_id_of(membership)}
    return None


def families_for(membership: Membership) -> QuerySet[Family]:
    where = _visible(membership)
    return Family.objects.none() if where is None else Family.objects.filter(**where)


def get_family_for(membership: Membership, pk: int) -> Family:
    return get_object_or_404(families_for(membership), pk=pk)


def rooms_for(membership: Membership) -> QuerySet[Room]:
    """The rooms of the centre whose families the membership may see: the coordinator's."""
    where = _visible(membership)
    return Room.objects.none() if where is None else Room.objects.filter(**where)


def get_room_for(membership: Membership, pk: int) -> Room:
    return get_object_or_404(rooms_for(membership), pk=pk)


# A family's sub-records are reached only through the families the membership may see: the
# same condition, applied through the record's family.


def _through_family(membership: Membership) -> dict[str, Any] | None:
    where = _visible(membership)
    if where is None:
        return None
    return {f"family__{name}": value for name, value in where.items()}


def sessions_for(membership: Membership) -> QuerySet[ContactSession]:
    where = _through_family(membership)
    if where is None:
        return ContactSession.objects.none()
    return ContactSession.objects.filter(**where)


def series_for(membership: Membership) -> QuerySet[Series]:
    where = _through_family(membership)
    if where is None:
        return Series.objects.none()
    return Series.objects.filter(**where)


# Referrals and concerns carry their family's centre, so the same condition applies to them
# directly, through indexes that lead with the centre (issue 22); the family's own centre is
# required as well, so that a stored copy that ever disagreed could not show a record to
# another centre.


def referrals_for(membership: Membership) -> ReferralQuerySet:
    where = _visible(membership)
    if where is None:
        return Referral.objects.none()
    return Referral.objects.filter(**where, **_through_family(membership) or {})


def concerns_for(membership: Membership) -> QuerySet[Concern]:
    where = _visible(membership)
    if where is None:
        return Concern.objects.none()
    return Concern.objects.filter(**where, **_through_family(membership) or {})


def own_referrals_for(membership: Membership) -> ReferralQuerySet:
    """A referrer's own referrals at the centre of the membership in use, for the referrer
    portal: it shows only their status. A referrer at two centres sees, while working as one,
    none of the referrals made at the other."""
    if membership.role == Role.REFERRER:
        return Referral.objects.filter(
            referrer_id=membership.user_id, centre_id=centre_id_of(membership)
        )
    return Referral.objects.none()
