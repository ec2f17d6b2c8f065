"""The one way to read a family: only the coordinators of its own centre reach it here.

Volunteers reach families only through their rota (volunteers/access.py); referrers only
through their own referrals; chairs and operators never see family case records.
"""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cccc.access import centre_id_of
from cccc.models import Role, User
from families.models import Concern, ContactSession, Family, Referral, Room, Series
from families.models.referral import ReferralQuerySet


def _visible(user: User) -> dict[str, Any] | None:
    """The condition on a family row that the user may see it; None: no family at all."""
    if user.is_authenticated and user.role == Role.COORDINATOR:
        return {"centre_id": centre_id_of(user)}
    return None


def families_for(user: User) -> QuerySet[Family]:
    where = _visible(user)
    return Family.objects.none() if where is None else Family.objects.filter(**where)


def get_family_for(user: User, pk: int) -> Family:
    return get_object_or_404(families_for(user), pk=pk)


def rooms_for(user: User) -> QuerySet[Room]:
    """The rooms of the centres whose families the user may see: the coordinator's own."""
    where = _visible(user)
    return Room.objects.none() if where is None else Room.objects.filter(**where)


def get_room_for(user: User, pk: int) -> Room:
    return get_object_or_404(rooms_for(user), pk=pk)


# A family's sub-records are reached only through the families the user may see: the same
# condition, applied through the record's family.


def _through_family(user: User) -> dict[str, Any] | None:
    where = _visible(user)
    if where is None:
        return None
    return {f"family__{name}": value for name, value in where.items()}


def sessions_for(user: User) -> QuerySet[ContactSession]:
    where = _through_family(user)
    if where is None:
        return ContactSession.objects.none()
    return ContactSession.objects.filter(**where)


def series_for(user: User) -> QuerySet[Series]:
    where = _through_family(user)
    if where is None:
        return Series.objects.none()
    return Series.objects.filter(**where)


# Referrals and concerns carry their family's centre, so the same condition applies to them
# directly, through indexes that lead with the centre (issue 22); the family's own centre is
# required as well, so that a stored copy that ever disagreed could not show a record to
# another centre.


def referrals_for(user: User) -> ReferralQuerySet:
    where = _visible(user)
    if where is None:
        return Referral.objects.none()
    return Referral.objects.filter(**where, **_through_family(user) or {})


def concerns_for(user: User) -> QuerySet[Concern]:
    where = _visible(user)
    if where is None:
        return Concern.objects.none()
    return Concern.objects.filter(**where, **_through_family(user) or {})


def own_referrals_for(user: User) -> ReferralQuerySet:
    """A referrer's own referrals, for the referrer portal: it shows only their status."""
    if user.is_authenticated and user.role == Role.REFERRER:
        return Referral.objects.filter(referrer=user)
    return Referral.objects.none()
