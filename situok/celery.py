"""The Celery application of SITU OK.

Configured from Django settings (every ``CELERY_*`` setting, e.g. ``CELERY_BROKER_URL``); tasks are
discovered in each installed app's ``tasks.py``. Without a broker ``CELERY_TASK_ALWAYS_EAGER`` is on and
tasks run in-process, so development and tests need no worker.

Production::

    celery -A situok worker --loglevel=INFO
    celery -A situok beat --loglevel=INFO      # the daily reminders at 06:00 WITA
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "situok.settings")

app = Celery("situok")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Crontab hours are in CELERY_TIMEZONE (Asia/Makassar, WITA).
app.conf.beat_schedule = {
    "daily-reminders": {
        "task": "situok.tasks.daily_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
}
