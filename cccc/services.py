"""Writes to centres and user accounts. Views call these; nothing else writes users."""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cccc.audit import access_log_record
from cccc.models import CENTRE_SETTINGS, AccessLog, Centre, Role, User

# Who may invite whom (SPEC §2, issue: operator → first coordinator; coordinator → the rest).
INVITABLE_BY: dict[str, set[Role]] = {
    Role.OPERATOR: {Role.COORDINATOR},
    Role.COORDINATOR: {Role.CHAIR, Role.VOLUNTEER, Role.REFERRER},
}


def centre_create(
    *, name: str, slug: str, code: str, policy_variant: str, **settings_: Any
) -> Centre:
    centre = Centre(name=name, slug=slug, code=code.upper(), policy_variant=policy_variant)
    for field, value in settings_.items():
        setattr(centre, field, value)
    centre.full_clean()
    centre.save()
    return centre


@transaction.atomic
def centre_settings_change(
    *, centre: Centre, by: User, changes: Mapping[str, object]
) -> dict[str, tuple[object, object]]:
    """Change the centre's safety settings (CENTRE_SETTINGS) as its coordinator or chair.

    Each setting that changes is one audit entry, in this transaction, holding the setting's
    name and its old and new values (settings, never personal data): the chair reads them on
    the settings page. Returns {setting: (old, new)} for what changed.
    """
    if by.centre_id != centre.pk or by.role not in (Role.COORDINATOR, Role.CHAIR):
        raise PermissionDenied("Only the centre's coordinator or chair changes its settings.")
    unknown = set(changes) - set(CENTRE_SETTINGS)
    if unknown:
        raise ValueError(f"Not a centre setting: {', '.join(sorted(unknown))}")
    locked = Centre.objects.select_for_update().get(pk=centre.pk)
    changed = {
        field: (getattr(locked, field), value)
        for field, value in changes.items()
        if getattr(locked, field) != value
    }
    if not changed:
        return {}
    for field, (_, new) in changed.items():
        setattr(locked, field, new)
    locked.full_clean()
    locked.save(update_fields=list(changed))
    for field, (old, new) in changed.items():
        access_log_record(
            user=by,
            action=AccessLog.Action.CENTRE_SETTINGS,
            record=locked,
            centre=locked,
            detail=f"{field}: {old} -> {new}",
        )
        setattr(centre, field, new)
    return changed


def invitation_link(*, user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("invitation_accept", args=[uid, token])


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
) -> User:
    """Create an account without a password and email a one-time link to set one.

    The link is Django's password-reset token: it stops working once a password is set, and
    after PASSWORD_RESET_TIMEOUT. The email names no family and no other person.
    """
    if role not in INVITABLE_BY.get(inviter.role, set()):
        raise PermissionDenied(f"A {inviter.get_role_display()} cannot invite a {role}.")
    if inviter.role == Role.COORDINATOR:
        centre = inviter.centre
    if centre is None:
        raise ValidationError({"centre": "Choose the centre this person belongs to."})
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Someone already has an account with this address."})
    user = User(email=email, full_name=full_name, role=role, centre=centre, agency=agency)
    user.invited_by = inviter
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    link = invitation_link(user=user, base_url=base_url)
    transaction.on_commit(
        lambda: send_mail(
            subject=f"{settings.EMAIL_SUBJECT_PREFIX}You are invited to {centre.name}",
            message=render_to_string(
                "emails/invitation.txt", {"user": user, "centre": centre, "link": link}
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    )
    return user


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
    user.is_active = False
    user.save(update_fields=["is_active"])
    sessions_end_for(user=user)
    return user


def two_factor_reset(*, actor: User, user: User) -> None:
    """A lost phone: remove the account's authenticator and end its sessions. At the next
    sign-in they set up a new one (password first)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    sessions_end_for(user=user)


def user_reactivate(*, actor: User, user: User) -> User:
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def sessions_end_for(*, user: User) -> int:
    """Delete the user's stored sessions. Sessions are few and short-lived (30 min idle),
    so reading the live ones is cheap; expired ones are skipped."""
    from django.utils import timezone

    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended
