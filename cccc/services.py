"""Writes to user accounts (a centre's own writes are in cccc/centre_services.py). Views call
these; nothing else writes users.

Every account event (invitation, approval, refusal, activation, deactivation, role change,
two-factor reset) is an entry in the audit trail, in the same transaction (issue 14). Two rules
keep oversight inside the centre: an extra coordinator made from outside it waits for the
chair's approval, and only the installation's operator changes a chair's account, with the
centre's chairs and coordinators told.
"""

from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cccc.audit import access_log_record
from cccc.models import AccessLog, Centre, Role, User
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
ONLY_OPERATOR_CHANGES_A_CHAIR = (
    "Only the installation's operator changes a chair's account: a coordinator cannot "
    "deactivate, reactivate or change the role of the chair."
)
OVERSEERS = (Role.CHAIR, Role.COORDINATOR)


def invitation_link(*, user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("invitation_accept", args=[uid, token])


# --- helpers --------------------------------------------------------------------------------


def _audit(*, by: User, action: str, user: User, detail: str = "") -> None:
    access_log_record(user=by, action=action, record=user, centre=user.centre, detail=detail)


def _email(recipients: list[str], *, subject: str, body: str) -> None:
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


def _active(centre_id: int | None, *roles: str, excluding: User | None = None) -> QuerySet[User]:
    people = User.objects.filter(centre_id=centre_id, role__in=roles, is_active=True)
    return people.exclude(pk=excluding.pk) if excluding is not None else people


def approvers_of(centre_id: int | None, excluding: User | None = None) -> QuerySet[User]:
    """Who approves an extra coordinator: the centre's active chairs; with none, its active
    coordinators (someone inside the centre must agree)."""
    chairs = _active(centre_id, Role.CHAIR, excluding=excluding)
    return chairs if chairs.exists() else _active(centre_id, Role.COORDINATOR, excluding=excluding)


def _centre_name(user: User) -> str:
    return user.centre.name if user.centre is not None else "your centre"


def _wait_for_approval(user: User) -> None:
    """Hold an account made from outside the centre's oversight until someone inside agrees.
    A waiting chair is approved by the centre's chair only; with nobody active to approve,
    the network's safeguarding contact is told (the account waits until the operator
    reactivates one of the centre's own overseers, who is told of it)."""
    user.is_active, user.awaiting_approval = False, True
    excluding = user if user.pk else None
    approvers = (
        _active(user.centre_id, Role.CHAIR, excluding=excluding)
        if user.role == Role.CHAIR
        else approvers_of(user.centre_id, excluding=excluding)
    )
    where = "the committee page" if approvers.filter(role=Role.CHAIR).exists() else "People"
    recipients = [a.email for a in approvers]
    if not recipients and settings.SAFEGUARDING_CONTACT_EMAIL:
        recipients = [settings.SAFEGUARDING_CONTACT_EMAIL]
    role = user.get_role_display().lower()
    _email(
        recipients,
        subject=f"A new {role} account is waiting for approval",
        body=(
            f"An account for a new {role} at {_centre_name(user)} has been made. It cannot "
            "sign in until it is approved.\n\n"
            f"Sign in to approve or refuse it on {where}. If you do not know who this is, "
            "refuse it.\n"
        ),
    )


def _needs_approval(actor: User, user: User, role: str) -> bool:
    """Oversight comes from inside the centre (issue 14), so an account waits when:
    - a coordinator (who reads family records) is made or activated by the operator, unless
      the centre is new: it has never had another chair or coordinator. A centre whose
      overseers were all deactivated is not new, so the operator cannot clear it and put in
      an account of their own;
    - a chair is made or activated by a coordinator while the centre has an active chair, so
      a coordinator cannot appoint a friendly second chair."""
    if actor.role == Role.OPERATOR and role == Role.COORDINATOR:
        others = User.objects.filter(centre_id=user.centre_id, role__in=OVERSEERS)
        return (others.exclude(pk=user.pk) if user.pk else others).exists()
    if actor.role == Role.COORDINATOR and role == Role.CHAIR:
        return _active(user.centre_id, Role.CHAIR, excluding=user if user.pk else None).exists()
    return False


def _check_may_change(actor: User, user: User) -> None:
    if actor.role == Role.COORDINATOR and user.role == Role.CHAIR:
        raise ValidationError(ONLY_OPERATOR_CHANGES_A_CHAIR)


def _tell_centre(actor: User, user: User, what: str) -> None:
    """The operator changed an account of a centre, or a coordinator appointed its chair: the
    centre's chairs and coordinators are told, and the person whose account the operator
    changed, by role only (no name, no address). With nobody active to tell, the network's
    safeguarding contact is told instead."""
    by_operator = actor.role == Role.OPERATOR
    if user.centre_id is None or not (by_operator or user.role == Role.CHAIR):
        return
    recipients = [p.email for p in _active(user.centre_id, *OVERSEERS, excluding=user)]
    recipients = [address for address in recipients if address != actor.email]
    if not recipients and settings.SAFEGUARDING_CONTACT_EMAIL:
        recipients = [settings.SAFEGUARDING_CONTACT_EMAIL]
    if by_operator:
        recipients.append(user.email)
    who = "the installation's operator" if by_operator else "a coordinator of the centre"
    _email(
        recipients,
        subject="An account at your centre was changed",
        body=(
            f"On {timezone.localdate():%d %B %Y} {who} {what} an account of a "
            f"{user.get_role_display().lower()} at {_centre_name(user)}.\n\n"
            "Sign in to see every account of the centre on People, and every change in the "
            "audit trail.\n"
        ),
    )


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
) -> User | None:
    """Create an account without a password and email a one-time link to set one.

    The link is Django's password-reset token: it stops working once a password is set, and
    after PASSWORD_RESET_TIMEOUT. The email names no family and no other person.

    An address that already has an account, anywhere in the installation, gets a neutral
    note instead, and the caller is answered the same (returns None): the form does not tell
    who has an account (issue 20).
    """
    if role not in INVITABLE_BY.get(inviter.role, set()):
        raise PermissionDenied(f"A {inviter.get_role_display()} cannot invite a {role}.")
    if inviter.role == Role.COORDINATOR:
        centre = inviter.centre
    if centre is None:
        raise ValidationError({"centre": "Choose the centre this person belongs to."})
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        access_log_record(
            user=inviter,
            action=AccessLog.Action.ACCOUNT_INVITE,
            record=centre,
            centre=centre,
            detail=f"role={role} not made: the address has an account",
        )
        _email(
            [email], subject="An invitation", body=render_to_string("emails/invitation_known.txt")
        )
        return None
    user = User(email=email, full_name=full_name, role=role, centre=centre, agency=agency)
    user.invited_by = inviter
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    waiting = _needs_approval(inviter, user, role)
    if waiting:
        _wait_for_approval(user)
    user.save()
    _audit(
        by=inviter,
        action=AccessLog.Action.ACCOUNT_INVITE,
        user=user,
        detail=f"role={role}" + (" waiting for approval" if waiting else ""),
    )
    if role == Role.CHAIR:
        _tell_centre(inviter, user, "invited" if not waiting else "asked to invite")
    link = invitation_link(user=user, base_url=base_url)
    _email(
        [user.email],
        subject=f"You are invited to {centre.name}",
        body=render_to_string(
            "emails/invitation.txt", {"user": user, "centre": centre, "link": link}
        ),
    )
    return user


# --- approval of a waiting account ------------------------------------------------------------


def _lock_waiting(by: User, user: User) -> User:
    if by.pk == user.pk:
        raise ValidationError("You cannot approve or refuse your own account.")
    if by.role not in OVERSEERS or by.centre_id != user.centre_id:
        raise PermissionDenied("Only someone inside the centre approves its accounts.")
    if by.role == Role.COORDINATOR and _active(user.centre_id, Role.CHAIR).exists():
        raise ValidationError(
            "The centre's chair approves this account: this centre has an active chair."
        )
    locked: User = User.objects.select_for_update().get(pk=user.pk)
    if not locked.awaiting_approval:
        raise ValidationError("This account is not waiting for approval.")
    return locked


@transaction.atomic
def account_approve(*, by: User, user: User) -> User:
    """The chair (or, with no chair, a coordinator of the centre) lets a waiting account in."""
    if by.pk == user.pk:
        raise ValidationError("You cannot approve your own account.")
    locked = _lock_waiting(by, user)
    locked.is_active, locked.awaiting_approval = True, False
    locked.save(update_fields=["is_active", "awaiting_approval"])
    _audit(by=by, action=AccessLog.Action.ACCOUNT_APPROVE, user=locked, detail=locked.role)
    return locked


@transaction.atomic
def account_refuse(*, by: User, user: User) -> User:
    """The account stays unable to sign in; the operator may ask again (it waits again)."""
    locked = _lock_waiting(by, user)
    locked.awaiting_approval = False
    locked.save(update_fields=["awaiting_approval"])
    sessions_end_for(user=locked)
    _audit(by=by, action=AccessLog.Action.ACCOUNT_REFUSE, user=locked, detail=locked.role)
    return locked


# --- changes to an account --------------------------------------------------------------------


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


def user_deactivate(*, actor: User, user: User) -> User:
    """Stop an account signing in, and end every session it has open now."""
    if user == actor:
        raise ValidationError("You cannot deactivate your own account.")
    _check_may_change(actor, user)
    user.is_active, user.awaiting_approval = False, False
    user.save(update_fields=["is_active", "awaiting_approval"])
    sessions_end_for(user=user)
    _audit(by=actor, action=AccessLog.Action.ACCOUNT_DEACTIVATE, user=user, detail=user.role)
    _tell_centre(actor, user, "deactivated")
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> User:
    """Let an account sign in again; a coordinator reactivated by the operator in a centre
    with an active chair or coordinator waits for their approval instead."""
    _check_may_change(actor, user)
    if user.awaiting_approval:
        raise ValidationError(
            "This account is waiting for the chair's approval: the chair approves or refuses it."
        )
    waiting = _needs_approval(actor, user, user.role)
    if waiting:
        _wait_for_approval(user)
    else:
        user.is_active = True
    user.save(update_fields=["is_active", "awaiting_approval"])
    detail = user.role + (" waiting for approval" if waiting else "")
    _audit(by=actor, action=AccessLog.Action.ACCOUNT_ACTIVATE, user=user, detail=detail)
    _tell_centre(actor, user, "asked to reactivate" if waiting else "reactivated")
    return user


@transaction.atomic
def user_role_change(*, actor: User, user: User, role: str) -> User:
    """Give an account another role. Its sessions end: the next sign-in has the new role."""
    _check_may_change(actor, user)
    if role not in ROLES_SET_BY.get(actor.role, set()):
        raise ValidationError(
            {"role": f"A {actor.get_role_display().lower()} cannot give the role {role}."}
        )
    if role == user.role:
        raise ValidationError({"role": "The account has this role already."})
    old = user.role
    user.role = role
    user.full_clean(exclude=["password"])
    if user.is_active and _needs_approval(actor, user, role):
        _wait_for_approval(user)
    user.save(update_fields=["role", "is_active", "awaiting_approval"])
    sessions_end_for(user=user)
    _audit(
        by=actor, action=AccessLog.Action.ACCOUNT_ROLE, user=user, detail=f"from={old} to={role}"
    )
    _tell_centre(actor, user, f"changed the role (from {old}) of")
    return user


@transaction.atomic
def two_factor_reset(*, actor: User, user: User) -> None:
    """A lost phone: remove the account's authenticator and end its sessions. At the next
    sign-in they set up a new one (password first)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    sessions_end_for(user=user)
    _audit(by=actor, action=AccessLog.Action.ACCOUNT_TWO_FACTOR, user=user, detail=user.role)
    _tell_centre(actor, user, "reset the two-factor authenticator of")


def sessions_end_for(*, user: User) -> int:
    """Delete the user's stored sessions. Sessions are few and short-lived (30 min idle),
    so reading the live ones is cheap; expired ones are skipped."""
    ended = 0
    for session, data in live_sessions():
        if data.get("_auth_user_id") == str(user.pk):
            session_end(session.session_key)
            ended += 1
    return ended
