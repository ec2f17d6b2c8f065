"""Email to the adults of a family (families/mail_services.py): thin tasks, a row's id or
nothing in their arguments, idempotent (settings.CELERY_BEAT_SCHEDULE for the reminders)."""

import datetime

from celery import shared_task
from django.utils import timezone

from families import mail_services


@shared_task(bind=True, name="families.mail_send", max_retries=mail_services.MAX_RETRIES)
def family_mail_send(self, mail_id: int) -> str:
    """Send one logged email. A mail server that is down is tried again, waiting 1, 2, 4 ...
    minutes (at most an hour), then the row is marked failed for the family page."""
    try:
        return mail_services.family_mail_send(mail_id=mail_id)
    except mail_services.MailServerUnavailable as exc:
        if self.request.retries >= self.max_retries:
            return mail_services.family_mail_give_up(mail_id=mail_id)
        raise self.retry(
            exc=exc, countdown=mail_services.retry_delay(self.request.retries)
        ) from exc


@shared_task(name="families.reminders_daily")
def family_reminders_daily() -> int:
    """The day before: a reminder of each of tomorrow's sessions to every adult of it who
    consented to email. Run twice, it sends each once."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return mail_services.reminders_queue(day=tomorrow)
