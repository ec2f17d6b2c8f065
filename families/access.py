"""The one way to read a family: only the coordinators of its own centre reach it here.

Volunteers reach families only through their rota (volunteers/access.py); referrers only
through their own referrals; chairs and operators never see family case records.
"""

from django.shortcuts import get_object_or_404

from cccc.models import Role, User
from families.models import Concern, ContactSession, Family, Referral


def _visible(user: User) -> dict | None:
    """The condition on a family row that the user may see it; None: no family at all."""
    if user.is_authenticated and user.role == Role.COORDINATOR:
        return {"centre_id": user.centre_id}
    return None


def families_for(user: User):
    where = _visible(user)
    return Family.objects.none() if where is None else Family.objects.filter(**where)


def get_family_for(user: User, pk: int) -> Family:
    return get_object_or_404(families_for(user), pk=pk)


# A family's sub-records are reached only through the families the user may see: the same
# condition, applied through the record's family.


def _through_family(model, user: User):
    where = _visible(user)
    if where is None:
        return model.objects.none()
    return model.objects.filter(**{f"family__{name}": value for name, value in where.items()})


def sessions_for(user: User):
    return _through_family(ContactSession, user)


def referrals_for(user: User):
    return _through_family(Referral, user)


def concerns_for(user: User):
    return _through_family(Concern, user)


def own_referrals_for(user: User):
    """A referrer's own referrals, for the referrer portal: it shows only their status."""
    if user.is_authenticated and user.role == Role.REFERRER:
        return Referral.objects.filter(referrer=user)
    return Referral.objects.none()
