"""The rules behind the account services (cccc/services.py): who acts in which membership,
whose membership they reach, when a membership waits for approval from inside its centre,
and who is told (issues 14, 19). No writes of their own but the emails queued on commit."""

from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cccc import access
from cccc.models import Membership, Role, User

ONLY_OPERATOR_CHANGES_A_CHAIR = (
    "Only the installation's operator changes a chair's account: a coordinator cannot "
    "deactivate, reactivate or change the role of the chair."
)
OVERSEERS = (Role.CHAIR, Role.COORDINATOR)


def acting_membership(person: User, membership: Membership | None) -> Membership:
    """The membership `person` acts in: the one the view works in (`request.membership`), or,
    for a caller with none to give, the person's only one (MembershipUnclear with several).
    It must be the person's own and usable now."""
    acting = membership if membership is not None else person.membership
    if (
        acting is None
        or acting.user_id != person.pk
        or not Membership.objects.usable().filter(pk=acting.pk).exists()
    ):
        raise PermissionDenied("You have no membership to do this in.")
    return acting


def check_reach(acting: Membership, membership: Membership) -> None:
    """The same reach as the pages (cccc.access.accounts_for): a coordinator their own
    centre's chairs, volunteers and referrers; the operator coordinators and chairs."""
    if not access.accounts_for(acting).filter(pk=membership.pk).exists():
        raise PermissionDenied("That account is not yours to change.")


def email_each(recipients: list[str], *, subject: str, body: str) -> None:
    """One message per person (no one sees who else was told), sent once the change lands."""
    for address in recipients:
        transaction.on_commit(
            partial(
                send_mail,
                subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
                message=body,
                from_email=None,
                recipient_list=[address],
            )
        )


def active_people(
    centre_id: int | None, *roles: str, excluding: User | None = None
) -> QuerySet[User]:
    people = User.objects.filter(
        Q(memberships__centre_id=centre_id),
        memberships__role__in=roles,
        memberships__is_active=True,
        is_active=True,
    )
    return people.exclude(pk=excluding.pk) if excluding is not None else people


def approvers(centre_id: int | None, excluding: User | None = None) -> QuerySet[User]:
    """Who approves an extra coordinator: the centre's active chairs; with none, its active
    coordinators (someone inside the centre must agree)."""
    chairs = active_people(centre_id, Role.CHAIR, excluding=excluding)
    return (
        chairs
        if chairs.exists()
        else active_people(centre_id, Role.COORDINATOR, excluding=excluding)
    )


def centre_name(membership: Membership) -> str:
    return membership.centre.name if membership.centre is not None else "your centre"


def person_of(membership: Membership) -> User | None:
    """The membership's person when saved (None while the invitation is being made)."""
    return membership.user if membership.user_id is not None else None


def wait_for_approval(membership: Membership) -> None:
    """Hold a membership made from outside the centre's oversight until someone inside
    agrees. A waiting chair is approved by the centre's chair only; with nobody active to
    approve, the network's safeguarding contact is told (the membership waits until the
    operator reactivates one of the centre's own overseers, who is told of it). The person's
    other memberships are untouched."""
    membership.is_active, membership.awaiting_approval = False, True
    excluding = person_of(membership)
    overseers = (
        active_people(membership.centre_id, Role.CHAIR, excluding=excluding)
        if membership.role == Role.CHAIR
        else approvers(membership.centre_id, excluding=excluding)
    )
    where = (
        "the committee page"
        if overseers.filter(memberships__role=Role.CHAIR).exists()
        else "People"
    )
    recipients = [a.email for a in overseers]
    if not recipients and settings.SAFEGUARDING_CONTACT_EMAIL:
        recipients = [settings.SAFEGUARDING_CONTACT_EMAIL]
    role = membership.get_role_display().lower()
    email_each(
        recipients,
        subject=f"A new {role} account is waiting for approval",
        body=(
            f"An account for a new {role} at {centre_name(membership)} has been made. It "
            "cannot sign in until it is approved.\n\n"
            f"Sign in to approve or refuse it on {where}. If you do not know who this is, "
            "refuse it.\n"
        ),
    )


def needs_approval(acting: Membership, membership: Membership, role: str) -> bool:
    """Oversight comes from inside the centre (issue 14), so a membership waits when:
    - a coordinator (who reads family records) is made or activated by the operator, unless
      the centre is new: it has never had another chair or coordinator. A centre whose
      overseers were all deactivated is not new, so the operator cannot clear it and put in
      an account of their own;
    - a chair is made or activated by a coordinator while the centre has an active chair, so
      a coordinator cannot appoint a friendly second chair."""
    person = person_of(membership)
    if acting.role == Role.OPERATOR and role == Role.COORDINATOR:
        others = Membership.objects.filter(Q(centre_id=membership.centre_id), role__in=OVERSEERS)
        return (others.exclude(user_id=person.pk) if person else others).exists()
    if acting.role == Role.COORDINATOR and role == Role.CHAIR:
        return active_people(membership.centre_id, Role.CHAIR, excluding=person).exists()
    return False


def check_may_change(acting: Membership, membership: Membership) -> None:
    check_reach(acting, membership)
    if acting.role == Role.COORDINATOR and membership.role == Role.CHAIR:
        raise ValidationError(ONLY_OPERATOR_CHANGES_A_CHAIR)


def tell_centre(acting: Membership, membership: Membership, what: str) -> None:
    """The operator changed a membership of a centre, or a coordinator appointed its chair:
    the centre's chairs and coordinators are told, and the person whose membership the
    operator changed, by role only (no name, no address). With nobody active to tell, the
    network's safeguarding contact is told instead."""
    by_operator = acting.role == Role.OPERATOR
    if membership.centre_id is None or not (by_operator or membership.role == Role.CHAIR):
        return
    person = membership.user
    recipients = [
        p.email for p in active_people(membership.centre_id, *OVERSEERS, excluding=person)
    ]
    recipients = [address for address in recipients if address != acting.user.email]
    if not recipients and settings.SAFEGUARDING_CONTACT_EMAIL:
        recipients = [settings.SAFEGUARDING_CONTACT_EMAIL]
    if by_operator:
        recipients.append(person.email)
    who = "the installation's operator" if by_operator else "a coordinator of the centre"
    email_each(
        recipients,
        subject="An account at your centre was changed",
        body=(
            f"On {timezone.localdate():%d %B %Y} {who} {what} an account of a "
            f"{membership.get_role_display().lower()} at {centre_name(membership)}.\n\n"
            "Sign in to see every account of the centre on People, and every change in the "
            "audit trail.\n"
        ),
    )
