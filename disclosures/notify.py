"""Telling the centre's chairs: an exception used (disclosures/request_services.py) or a
witness summons recorded (disclosures/summons_services.py). With no active chair, an exception
is told to the network safeguarding contact instead (issue 14). The emails hold no personal
data (SPEC §4)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from cccc.models import Role, User


def email_chairs(centre_id: int, *, subject: str, body: str) -> bool:
    """Email the centre's active chairs once the transaction commits. The caller's text holds
    no personal data (SPEC §4). False when the centre has no chair to tell."""
    recipients = list(
        User.objects.filter(
            memberships__centre_id=centre_id,
            memberships__role=Role.CHAIR,
            memberships__is_active=True,
            is_active=True,
        )
        .order_by("pk")
        .values_list("email", flat=True)
    )
    if not recipients:
        return False
    transaction.on_commit(
        lambda: send_mail(
            subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
            message=body,
            from_email=None,
            recipient_list=recipients,
        )
    )
    return True


def email_safeguarding_contact(*, subject: str, body: str) -> bool:
    """Email the network safeguarding contact the operator sets for the installation
    (SAFEGUARDING_CONTACT_EMAIL), when a centre has no chair to tell. False when none is set."""
    address = settings.SAFEGUARDING_CONTACT_EMAIL
    if not address:
        return False
    transaction.on_commit(
        lambda: send_mail(
            subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
            message=body,
            from_email=None,
            recipient_list=[address],
        )
    )
    return True


# What the screen says once a release under an exception is recorded: the truth about who
# was told (issue 14). Keyed by DisclosureRequest.notice_to.
TOLD = {
    "chair": "The chair has been told.",
    "safeguarding": (
        "The centre has no active chair: the network safeguarding contact has been told."
    ),
    "": (
        "Nobody has been told: the centre has no active chair and the installation has no "
        "network safeguarding contact. Tell the installation's operator now, and appoint a chair."
    ),
}
