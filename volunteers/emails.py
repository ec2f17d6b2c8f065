"""Emails from the volunteers app to a centre's coordinators.

Emails that leave the centre name no volunteer and no family member: family references,
dates and times only (SPEC §4). Each one asks the reader to sign in to see who.
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import dateformat

from cccc.models import Centre, Role, User


def long_date(day: datetime.date) -> str:
    return dateformat.format(day, "j F Y")


def email_coordinators(centre: Centre, subject: str, body: str) -> None:
    """Queue an email to the centre's coordinators, sent once the transaction commits."""
    recipients = list(
        User.objects.filter(
            memberships__centre=centre,
            memberships__role=Role.COORDINATOR,
            memberships__is_active=True,
            is_active=True,
        ).values_list("email", flat=True)
    )
    if not recipients:
        return
    transaction.on_commit(
        lambda: send_mail(
            subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
            message=body,
            from_email=None,
            recipient_list=recipients,
        )
    )
