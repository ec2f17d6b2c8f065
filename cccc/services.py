"""Writes to user accounts (a centre's own writes are in cccc/centre_services.py). Views call
these; nothing else writes users.

Every account event (invitation, approval, refusal, activation, deactivation, role change,
two-factor reset) is an entry in the audit trail, in the same transaction (issue 14). Two rules
keep oversight inside the centre: an extra coordinator made from outside it waits for the
chair's approval, and only the installation's operator changes a chair's account, with the
centre's chairs and coordinators told.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cccc.account_rules import (
    OVERSEERS,
    acting_membership,
    active_people,
    approvers,
    check_may_change,
    check_reach,
    email_each,
    needs_approval,
    tell_centre,
    wait_for_approval,
)
from cccc.audit import access_log_record
from cccc.models import AccessLog, Centre, Membership, Role, User
from cccc.session_store import live_sessions, session_end

# Who may invite whom (SPEC §2, issue: operator → first coordinator; coordinator → the rest).
INVITABLE_BY: dict[str, set[Role]] = {
    Role.OPERATOR: {Role.COORDINATOR},
    Role.COORDINATOR: {Role.CHAIR, Role.VOLUNTEER, Role.REFERRER},
}
# Which roles each may give an existing account.
ROLES_SET_BY: dict[str, set[Role]] = {
    Role.OPERATOR: {Role.COORDINATOR, Role.CHAIR, Role.VOLUNTEER, Role.REFERRER},
    Role.COORDINATOR: {Role.CHAIR, Role.VOLUNTEER, Role.REFERRER},
}


def invitation_link(*, user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("invitation_accept", args=[uid, token])


# --- helpers --------------------------------------------------------------------------------


def _audit(*, by: User, action: str, membership: Membership, detail: str = "") -> None:
    """The entry names the person's account (by id) and the membership's centre; the detail
    holds roles only, never a name, an address or another centre."""
    access_log_record(
        user=by, action=action, record=membership.user, centre=membership.centre, detail=detail
    )


def approvers_of(centre_id: int | None, excluding: User | None = None) -> QuerySet[User]:
    """Who approves an extra coordinator (cccc.account_rules.approvers)."""
    return approvers(centre_id, excluding)


# --- invitations ----------------------------------------------------------------------------


@transaction.atomic
def user_invite(
    *,
    inviter: User,
    email: str,
    full_name: str,
    role: str,
    centre: Centre | None = None,
    agency: str = "",
    base_url: str,
    membership: Membership | None = None,
) -> User | None:
    """Give a person a membership at the centre: a new account without a password, emailed a
    one-time link to set one; or, for an address that has an account already, a membership
    added to it, the person told by email (issue 19).

    `membership` is the inviter's membership in use (`request.membership`); a caller without
    one gives none, and the inviter's only membership is taken. The link is Django's
    password-reset token: it stops working once a password is set, and after
    PASSWORD_RESET_TIMEOUT. No email names a family, another person or another centre.

    The inviter is answered the same whatever the address (issue 20): nothing tells them the
    account existed or what else it belongs to. Returns the person given the membership (their
    membership in use set to it), or None when nothing was made: the address is already a
    member of this centre, or an operator's.
    """
    acting = acting_membership(inviter, membership)
    if role not in INVITABLE_BY.get(acting.role, set()):
        raise PermissionDenied(f"A {acting.get_role_display()} cannot invite a {role}.")
    if acting.role == Role.COORDINATOR:
        centre = acting.centre
    if centre is None:
        raise ValidationError({"centre": "Choose the centre this person belongs to."})
    email = User.objects.normalize_email(email).lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        return _invite_existing(acting, existing, role=role, centre=centre, name=full_name)
    user = User(email=email, full_name=full_name, agency=agency, invited_by=inviter)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    new = Membership(centre=centre, role=role, invited_by=inviter)
    new.full_clean(exclude=["user", "centre"])
    waiting = needs_approval(acting, new, role)
    if waiting:
        wait_for_approval(new)
    user.save()
    new.user = user
    new.save()
    user.use_membership(new)
    _invited(acting, new, waiting)
    link = invitation_link(user=user, base_url=base_url)
    email_each(
        [user.email],
        subject=f"You are invited to {centre.name}",
        body=render_to_string(
            "emails/invitation.txt",
            {"centre": centre, "link": link, "role": new.get_role_display()},
        ),
    )
    return user


def _invited(acting: Membership, membership: Membership, waiting: bool) -> None:
    """The invitation's audit entry (the same for a new account and an existing one) and,
    for a chair, the centre told."""
    _audit(
        by=acting.user,
        action=AccessLog.Action.ACCOUNT_INVITE,
        membership=membership,
        detail=f"role={membership.role}" + (" waiting for approval" if waiting else ""),
    )
    if membership.role == Role.CHAIR:
        tell_centre(acting, membership, "invited" if not waiting else "asked to invite")


def _invite_existing(
    acting: Membership, person: User, *, role: str, centre: Centre, name: str
) -> User | None:
    """An address with an account: a membership at the centre is added (active, or waiting
    for approval by the same rules as a new account) and the person is told, naming this
    centre only. A person already a member of this centre (in any state), or an operator's
    account, gets the neutral note and nothing changes."""
    if (
        Membership.objects.filter(user=person)
        .filter(Q(centre=centre) | Q(role=Role.OPERATOR))
        .exists()
    ):
        access_log_record(
            user=acting.user,
            action=AccessLog.Action.ACCOUNT_INVITE,
            record=centre,
            centre=centre,
            detail=f"role={role} not made",
        )
        email_each(
            [person.email],
            subject="An invitation",
            body=render_to_string("emails/invitation_known.txt"),
        )
        return None
    # The centre sees the name it typed until the person signs in, not the account's own:
    # a different spelling would tell it that the address had an account.
    added = Membership(
        user=person, centre=centre, role=role, invited_by=acting.user, name_given=name
    )
    added.full_clean(exclude=["user", "centre"])
    waiting = needs_approval(acting, added, role)
    if waiting:
        wait_for_approval(added)
    added.save()
    _invited(acting, added, waiting)
    email_each(
        [person.email],
        subject=f"You are invited to {centre.name}",
        body=render_to_string(
            "emails/invitation_membership.txt",
            {"membership": added, "centre": centre, "waiting": waiting},
        ),
    )
    person.use_membership(added)
    return person


# --- approval of a waiting membership ----------------------------------------------------------


def _lock_waiting(acting: Membership, membership: Membership) -> Membership:
    if acting.user_id == membership.user_id:
        raise ValidationError("You cannot approve or refuse your own account.")
    if acting.role not in OVERSEERS or acting.centre_id != membership.centre_id:
        raise PermissionDenied("Only someone inside the centre approves its accounts.")
    if acting.role == Role.COORDINATOR and active_people(membership.centre_id, Role.CHAIR).exists():
        raise ValidationError(
            "The centre's chair approves this account: this centre has an active chair."
        )
    locked: Membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "centre")
        .get(pk=membership.pk)
    )
    if not locked.awaiting_approval:
        raise ValidationError("This account is not waiting for approval.")
    return locked


@transaction.atomic
def account_approve(
    *, by: User, membership: Membership, acting_as: Membership | None = None
) -> Membership:
    """The chair (or, with no chair, a coordinator of the centre) lets a waiting membership
    in. `acting_as` is the approver's membership in use."""
    if by.pk == membership.user_id:
        raise ValidationError("You cannot approve your own account.")
    acting = acting_membership(by, acting_as)
    locked = _lock_waiting(acting, membership)
    locked.is_active, locked.awaiting_approval = True, False
    locked.save(update_fields=["is_active", "awaiting_approval"])
    _audit(by=by, action=AccessLog.Action.ACCOUNT_APPROVE, membership=locked, detail=locked.role)
    return locked


@transaction.atomic
def account_refuse(
    *, by: User, membership: Membership, acting_as: Membership | None = None
) -> Membership:
    """The membership stays unusable; the operator may ask again (it waits again). The
    person's other memberships are untouched."""
    acting = acting_membership(by, acting_as)
    locked = _lock_waiting(acting, membership)
    locked.awaiting_approval = False
    locked.save(update_fields=["awaiting_approval"])
    sessions_end_for(user=locked.user)
    _audit(by=by, action=AccessLog.Action.ACCOUNT_REFUSE, membership=locked, detail=locked.role)
    return locked


# --- changes to a membership ------------------------------------------------------------------
#
# Each acts on the person's membership at one centre, never on their other memberships, and
# ends every session the person has open (the simple, safe choice: the middleware would drop
# an ended membership at the next request anyway, but nothing then runs on in a session that
# was opened under the old role). The person-level `User.is_active` is not touched: it is the
# operator's (and retention's) switch for the whole person.


@transaction.atomic
def password_reset_email_send(*, user_id: int) -> bool:
    """Email the account a one-time link to choose a new password (cccc.tasks, queued by the
    reset page after its response). Nothing for an account that cannot reset one: inactive,
    gone since, or invited and not yet signed up (their invitation link does that)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    site = urlsplit(settings.SITE_URL)
    context = {
        "protocol": site.scheme,
        "domain": site.netloc,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    subject = render_to_string("emails/password_reset_subject.txt", context)
    send_mail(
        subject=" ".join(subject.split()),
        message=render_to_string("emails/password_reset.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return True


@transaction.atomic
def user_deactivate(
    *, actor: User, membership: Membership, acting_as: Membership | None = None
) -> Membership:
    """End the person's membership at its centre (their memberships elsewhere stay), and end
    their open sessions. `acting_as` is the actor's membership in use."""
    acting = acting_membership(actor, acting_as)
    if membership.user_id == actor.pk:
        raise ValidationError("You cannot deactivate your own account.")
    check_may_change(acting, membership)
    membership.is_active, membership.awaiting_approval = False, False
    membership.save(update_fields=["is_active", "awaiting_approval"])
    sessions_end_for(user=membership.user)
    _audit(
        by=actor,
        action=AccessLog.Action.ACCOUNT_DEACTIVATE,
        membership=membership,
        detail=membership.role,
    )
    tell_centre(acting, membership, "deactivated")
    return membership


@transaction.atomic
def user_reactivate(
    *, actor: User, membership: Membership, acting_as: Membership | None = None
) -> Membership:
    """Let the person work in the membership again; a coordinator reactivated by the operator
    in a centre with an active chair or coordinator waits for their approval instead."""
    acting = acting_membership(actor, acting_as)
    check_may_change(acting, membership)
    if membership.awaiting_approval:
        raise ValidationError(
            "This account is waiting for the chair's approval: the chair approves or refuses it."
        )
    waiting = needs_approval(acting, membership, membership.role)
    if waiting:
        wait_for_approval(membership)
    else:
        membership.is_active = True
    membership.save(update_fields=["is_active", "awaiting_approval"])
    detail = membership.role + (" waiting for approval" if waiting else "")
    _audit(by=actor, action=AccessLog.Action.ACCOUNT_ACTIVATE, membership=membership, detail=detail)
    tell_centre(acting, membership, "asked to reactivate" if waiting else "reactivated")
    return membership


@transaction.atomic
def user_role_change(
    *, actor: User, membership: Membership, role: str, acting_as: Membership | None = None
) -> Membership:
    """Give the membership another role at its centre (the person's roles elsewhere stay).
    The person's sessions end."""
    acting = acting_membership(actor, acting_as)
    check_may_change(acting, membership)
    if role not in ROLES_SET_BY.get(acting.role, set()):
        raise ValidationError(
            {"role": f"A {acting.get_role_display().lower()} cannot give the role {role}."}
        )
    if role == membership.role:
        raise ValidationError({"role": "The account has this role already."})
    old = membership.role
    membership.role = role
    membership.full_clean(exclude=["user", "centre"])
    if membership.is_active and needs_approval(acting, membership, role):
        wait_for_approval(membership)
    membership.save(update_fields=["role", "is_active", "awaiting_approval"])
    sessions_end_for(user=membership.user)
    _audit(
        by=actor,
        action=AccessLog.Action.ACCOUNT_ROLE,
        membership=membership,
        detail=f"from={old} to={role}",
    )
    tell_centre(acting, membership, f"changed the role (from {old}) of")
    return membership


THIS_ROLE_HAS_NO_TWO_FACTOR = "This person's role at this centre does not use two-factor."
ASK_THE_OPERATOR = "Ask the installation's operator to reset this person's two-factor."


@transaction.atomic
def two_factor_reset(
    *, actor: User, membership: Membership, acting_as: Membership | None = None
) -> None:
    """A lost phone: remove the person's authenticator (two-factor is per person) and end
    their sessions. At the next sign-in they set up a new one (password first).

    A coordinator resets it only for a member of their centre whose role there uses
    two-factor, and only when every membership of theirs that needs it is at this centre:
    otherwise the reset would weaken a sign-in another centre relies on, so the operator
    does it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    acting = acting_membership(actor, acting_as)
    check_reach(acting, membership)
    if acting.role != Role.OPERATOR:
        if not membership.needs_two_factor:
            raise ValidationError(THIS_ROLE_HAS_NO_TWO_FACTOR)
        elsewhere = Membership.objects.filter(
            user_id=membership.user_id, role__in=settings.TWO_FACTOR_ROLES
        ).exclude(Q(centre_id=membership.centre_id))
        if elsewhere.exists():
            raise ValidationError(ASK_THE_OPERATOR)
    TOTPDevice.objects.filter(user_id=membership.user_id).delete()
    sessions_end_for(user=membership.user)
    _audit(
        by=actor,
        action=AccessLog.Action.ACCOUNT_TWO_FACTOR,
        membership=membership,
        detail=membership.role,
    )
    tell_centre(acting, membership, "reset the two-factor authenticator of")


def sessions_end_for(*, user: User) -> int:
    """Delete the user's stored sessions. Sessions are few and short-lived (30 min idle),
    so reading the live ones is cheap; expired ones are skipped."""
    ended = 0
    for session, data in live_sessions():
        if data.get("_auth_user_id") == str(user.pk):
            session_end(session.session_key)
            ended += 1
    return ended
