"""Celery task of the post-trip part: a thin wrapper over :func:`travel.posttrip.report_reminders_send`.

It also runs every morning through ``situok.jobs.register_daily`` (see ``travel.posttrip_setup``); a
separate beat entry may call it directly — either way a trip's lead gets at most one reminder a day.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task


@shared_task(name="travel.tasks_posttrip.report_overdue_reminders", ignore_result=True)
def report_overdue_reminders(on: str | None = None) -> int:
    """Remind lead travellers of overdue trip reports; ``on`` is an ISO date (default: today, WITA)."""
    from .posttrip import report_reminders_send

    return report_reminders_send(dt.date.fromisoformat(on) if on else None)
