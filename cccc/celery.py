"""Celery, configured from Django settings (CELERY_ namespace). Tasks are thin: IDs in, a
service call out. Without CELERY_BROKER_URL they run in-process (development)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cccc.settings")

app = Celery("cccc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
