"""The daily DBS run: thin, no arguments, idempotent (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from volunteers import dbs_services


@shared_task(name="volunteers.dbs_daily")
def dbs_daily() -> dict:
    """Withdraw lapsed clearances, then send the renewal reminders due today."""
    lapsed = dbs_services.clearances_lapse()
    reminders = dbs_services.dbs_reminders_send()
    return {"lapsed": len(lapsed), "reminders": len(reminders)}
