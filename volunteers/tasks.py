"""The daily DBS run, the emails about the rota and their reminders: thin, a row's id or
nothing in their arguments, idempotent (settings.CELERY_BEAT_SCHEDULE)."""

import datetime

from celery import shared_task
from django.utils import timezone

from families.mail_services import MAX_RETRIES, MailServerUnavailable, retry_delay
from volunteers import dbs_services, rota_mail_services


@shared_task(name="volunteers.dbs_daily")
def dbs_daily() -> dict:
    """Withdraw lapsed clearances, then send the renewal reminders due today."""
    lapsed = dbs_services.clearances_lapse()
    reminders = dbs_services.dbs_reminders_send()
    return {"lapsed": len(lapsed), "reminders": len(reminders)}


@shared_task(bind=True, name="volunteers.rota_mail_send", max_retries=MAX_RETRIES)
def rota_mail_send(self, mail_id: int) -> str:
    """Send one logged email to a volunteer; a mail server that is down is tried again, as
    families.tasks.family_mail_send does."""
    try:
        return rota_mail_services.rota_mail_send(mail_id=mail_id)
    except MailServerUnavailable as exc:
        if self.request.retries >= self.max_retries:
            return rota_mail_services.rota_mail_give_up(mail_id=mail_id)
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries)) from exc


@shared_task(name="volunteers.reminders_daily")
def reminders_daily() -> int:
    """The day before: a reminder to each volunteer on the rota of one of tomorrow's sessions.
    Run twice, it sends each once."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return rota_mail_services.rota_reminders_queue(day=tomorrow)
