"""The one way to read centres and accounts: scoped by the reader's centre and role.

Anything outside the reader's reach is a 404, so that existence does not leak (SPEC §2).
Each record type in the apps has its own helper module (families/access.py, ...).
"""

from typing import cast

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from cccc.models import Centre, Role, User


def centre_id_of(user: User) -> int:
    """The reader's own centre, to scope a query by.

    Everyone but an operator belongs to exactly one centre (the `user_centre_matches_role`
    constraint), and the helpers ask only for those roles. The cast is for the type checker
    alone: the value passes through unchanged, so every query reads as it did before.
    """
    return cast(int, user.centre_id)


def centres_for(user: User) -> QuerySet[Centre]:
    if user.role == Role.OPERATOR:
        return Centre.objects.all()
    return Centre.objects.filter(pk=centre_id_of(user))


def get_centre_for(user: User, pk: int) -> Centre:
    return get_object_or_404(centres_for(user), pk=pk)


def get_centre_settings_for(user: User, pk: int) -> Centre:
    """A centre's settings page: its own coordinator and chair. Everyone else, the operator
    and the other centres' coordinators and chairs included, gets a 404."""
    if user.role not in (Role.COORDINATOR, Role.CHAIR) or user.centre_id != pk:
        raise Http404
    return get_object_or_404(Centre, pk=pk)


def accounts_for(user: User) -> QuerySet[User]:
    """Accounts the user administers: a coordinator their centre's chair, volunteers and
    referrers (the service refuses a coordinator's change to a chair, naming why); an
    operator every centre's coordinators and chairs."""
    if user.role == Role.OPERATOR:
        return User.objects.filter(memberships__role__in=[Role.COORDINATOR, Role.CHAIR]).distinct()
    if user.role == Role.COORDINATOR:
        return User.objects.filter(
            memberships__centre_id=centre_id_of(user),
            memberships__role__in=[Role.CHAIR, Role.VOLUNTEER, Role.REFERRER],
        )
    return User.objects.none()


def get_account_for(user: User, pk: int) -> User:
    return get_object_or_404(accounts_for(user), pk=pk)


def people_of(user: User) -> QuerySet[User]:
    """Every account of a coordinator's centre, whoever made it, waiting ones included: the
    People page lists them all (issue 14)."""
    if user.role != Role.COORDINATOR:
        return User.objects.none()
    return User.objects.filter(memberships__centre_id=centre_id_of(user)).select_related(
        "invited_by"
    )


def waiting_accounts_for(user: User) -> QuerySet[User]:
    """Accounts waiting for approval that the chair (or a coordinator) of their centre sees."""
    if user.role not in (Role.CHAIR, Role.COORDINATOR):
        return User.objects.none()
    return User.objects.filter(
        memberships__centre_id=centre_id_of(user), memberships__awaiting_approval=True
    )


def get_waiting_account_for(user: User, pk: int) -> User:
    return get_object_or_404(waiting_accounts_for(user), pk=pk)


def require_role(user: User, *roles: str) -> None:
    """Pages of one role are a 404 for every other role, like a record out of reach."""
    if not user.is_authenticated or user.role not in roles:
        raise Http404
