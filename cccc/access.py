"""The one way to read centres and accounts: scoped by the reader's centre and role.

Anything outside the reader's reach is a 404, so that existence does not leak (SPEC §2).
Each record type in the apps has its own helper module (families/access.py, ...).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from cccc.models import Centre, Role, User


def centres_for(user: User):
    if user.role == Role.OPERATOR:
        return Centre.objects.all()
    return Centre.objects.filter(pk=user.centre_id)


def get_centre_for(user: User, pk: int) -> Centre:
    return get_object_or_404(centres_for(user), pk=pk)


def get_centre_settings_for(user: User, pk: int) -> Centre:
    """A centre's settings page: its own coordinator and chair. Everyone else, the operator
    and the other centres' coordinators and chairs included, gets a 404."""
    if user.role not in (Role.COORDINATOR, Role.CHAIR) or user.centre_id != pk:
        raise Http404
    return get_object_or_404(Centre, pk=pk)


def accounts_for(user: User):
    """Accounts the user administers: a coordinator their centre's chair, volunteers and
    referrers; an operator every centre's coordinators."""
    if user.role == Role.OPERATOR:
        return User.objects.filter(role=Role.COORDINATOR).select_related("centre")
    if user.role == Role.COORDINATOR:
        return User.objects.filter(
            centre_id=user.centre_id, role__in=[Role.CHAIR, Role.VOLUNTEER, Role.REFERRER]
        )
    return User.objects.none()


def get_account_for(user: User, pk: int) -> User:
    return get_object_or_404(accounts_for(user), pk=pk)


def require_role(user: User, *roles: str) -> None:
    """Pages of one role are a 404 for every other role, like a record out of reach."""
    if not user.is_authenticated or user.role not in roles:
        raise Http404
