"""The nightly retention run: thin, no arguments, idempotent (settings.CELERY_BEAT_SCHEDULE,
entry "retention-nightly", in UTC)."""

from celery import shared_task

from retention import services


@shared_task(name="retention.nightly")
def retention_nightly() -> dict:
    """Flag records due within 30 days, destroy the due and unheld ones; counts only back."""
    return services.retention_run().summary()
