"""The one way to read centres and accounts: scoped by the reader's membership in use, its
centre and role (issue 19: the helpers take the membership, never the person).

Anything outside the reader's reach is a 404, so that existence does not leak (SPEC §2).
Each record type in the apps has its own helper module (families/access.py, ...).
"""

from typing import cast

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from cccc.models import Centre, Membership, Role, User


def centre_id_of(membership: Membership) -> int:
    """The reader's own centre, to scope a query by.

    Every membership but an operator's is of exactly one centre (the
    `membership_centre_matches_role` constraint), and the helpers ask only for those roles.
    The cast is for the type checker alone: the value passes through unchanged.
    """
    return cast(int, membership.centre_id)


def centres_for(membership: Membership) -> QuerySet[Centre]:
    if membership.role == Role.OPERATOR:
        return Centre.objects.all()
    return Centre.objects.filter(pk=centre_id_of(membership))


def get_centre_for(membership: Membership, pk: int) -> Centre:
    return get_object_or_404(centres_for(membership), pk=pk)


def get_centre_settings_for(membership: Membership, pk: int) -> Centre:
    """A centre's settings page: its own coordinator and chair. Everyone else, the operator
    and the other centres' coordinators and chairs included, gets a 404."""
    if membership.role not in (Role.COORDINATOR, Role.CHAIR) or membership.centre_id != pk:
        raise Http404
    return get_object_or_404(Centre, pk=pk)


def accounts_for(membership: Membership) -> QuerySet[Membership]:
    """The memberships the reader administers (issue 19: an account event acts on a person's
    membership at one centre, never on their other memberships): a coordinator's centre's
    chairs, volunteers and referrers (the service refuses a coordinator's change to a chair,
    naming why); an operator every centre's coordinators and chairs."""
    if membership.role == Role.OPERATOR:
        return Membership.objects.filter(role__in=[Role.COORDINATOR, Role.CHAIR]).select_related(
            "user", "centre"
        )
    if membership.role == Role.COORDINATOR:
        return Membership.objects.filter(
            centre_id=centre_id_of(membership),
            role__in=[Role.CHAIR, Role.VOLUNTEER, Role.REFERRER],
        ).select_related("user", "centre")
    return Membership.objects.none()


def get_account_for(membership: Membership, pk: int) -> Membership:
    """One membership the reader administers, by the membership's id (the account pages'
    addresses carry it), else a 404."""
    return get_object_or_404(accounts_for(membership), pk=pk)


def people_of(membership: Membership) -> QuerySet[Membership]:
    """Every membership of a coordinator's centre, whoever made it, waiting ones included: the
    People page lists them all (issue 14), each with its role at this centre only."""
    if membership.role != Role.COORDINATOR:
        return Membership.objects.none()
    return Membership.objects.filter(centre_id=centre_id_of(membership)).select_related(
        "user", "centre", "invited_by"
    )


def waiting_accounts_for(membership: Membership) -> QuerySet[Membership]:
    """Memberships of the reader's centre waiting for approval, for its chair (or a
    coordinator)."""
    if membership.role not in (Role.CHAIR, Role.COORDINATOR):
        return Membership.objects.none()
    return Membership.objects.filter(
        centre_id=centre_id_of(membership), awaiting_approval=True
    ).select_related("user", "centre")


def get_waiting_account_for(membership: Membership, pk: int) -> Membership:
    return get_object_or_404(waiting_accounts_for(membership), pk=pk)


def holds_role(user: User, centre_id: int, *roles: str) -> bool:
    """Whether the person holds one of `roles` at that centre now, in a usable membership:
    what a service checks of the person acting on a record of that centre (never the
    membership they happen to work in, and never a guess among several)."""
    return (
        Membership.objects.usable()
        .filter(Q(centre_id=centre_id), user_id=user.pk, role__in=roles)
        .exists()
    )


def require_role(membership: Membership | None, *roles: str) -> None:
    """Pages of one role are a 404 for every other role, like a record out of reach."""
    if membership is None or membership.role not in roles:
        raise Http404
