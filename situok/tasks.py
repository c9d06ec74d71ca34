"""Celery tasks of the shared kernel: thin wrappers over services, so each runs the same in-process
(eager) and on a worker. Arguments are ids and strings only (JSON serialisation)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="situok.tasks.run_job", ignore_result=True)
def run_job(job_id: int) -> None:
    """Run a background job (see :func:`situok.jobs.job_run`)."""
    from .jobs import job_run

    job_run(job_id)


@shared_task(name="situok.tasks.send_notification_email", ignore_result=True)
def send_notification_email(notification_id: int, subject: str, text: str, html: str) -> None:
    """Send the e-mail copy of a notification (see :func:`situok.notifications.notification_send_email`)."""
    from .notifications import notification_send_email

    notification_send_email(notification_id, subject, text, html)


@shared_task(name="situok.tasks.daily_reminders", ignore_result=True)
def daily_reminders() -> dict[str, str]:
    """Call every function registered with :func:`situok.jobs.register_daily` (beat: 06:00 WITA)."""
    from .jobs import daily_run

    return daily_run()
