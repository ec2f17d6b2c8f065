"""The one way to read a family: only the coordinators of its own centre reach it here.

Volunteers reach families only through their rota (volunteers/access.py); referrers only
through their own referrals; chairs and operators never see family case records.
"""

from django.shortcuts import get_object_or_404

from cccc.models import Role, User
from families.models import Concern, ContactSession, Family, Referral


def families_for(user: User):
    if user.is_authenticated and user.role == Role.COORDINATOR:
        return Family.objects.filter(centre_id=user.centre_id)
    return Family.objects.none()


def get_family_for(user: User, pk: int) -> Family:
    return get_object_or_404(families_for(user), pk=pk)


# A family's sub-records are reached only through the families the user may see.


def sessions_for(user: User):
    return ContactSession.objects.filter(family__in=families_for(user))


def referrals_for(user: User):
    return Referral.objects.filter(family__in=families_for(user))


def concerns_for(user: User):
    return Concern.objects.filter(family__in=families_for(user))


def own_referrals_for(user: User):
    """A referrer's own referrals, for the referrer portal: it shows only their status."""
    if user.is_authenticated and user.role == Role.REFERRER:
        return Referral.objects.filter(referrer=user)
    return Referral.objects.none()
