"""Telling the centre's chairs: an exception used (disclosures/request_services.py) or a
witness summons recorded (disclosures/summons_services.py). The emails hold no personal data
(SPEC §4)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from cccc.models import Role, User


def email_chairs(centre_id: int, *, subject: str, body: str) -> bool:
    """Email the centre's active chairs once the transaction commits. The caller's text holds
    no personal data (SPEC §4). False when the centre has no chair to tell."""
    recipients = list(
        User.objects.filter(centre_id=centre_id, role=Role.CHAIR, is_active=True)
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
