"""Celery tasks of the SPT workflow: thin wrappers over services (arguments are JSON-safe)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task


@shared_task(name="travel.tasks.trips_advance", ignore_result=True)
def trips_advance(on: str | None = None) -> int:
    """Numbered → travelling on the departure date, travelling → returned after the return date.

    Also part of the daily run (``situok.tasks.daily_reminders``, registered by ``travel.approval``); this
    task lets an operator or a beat entry run it on its own. ``on`` is an ISO date (default: today WITA).
    """
    from .services import trips_advance as advance

    return advance(dt.date.fromisoformat(on) if on else None)
