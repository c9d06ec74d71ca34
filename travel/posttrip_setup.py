"""Registration of the post-trip part (called from ``TravelConfig.ready``): the home-page counters, the
notification category of trip-report messages, and the daily overdue-report reminder."""

from django.utils.translation import gettext_lazy as _

from situok.jobs import register_daily
from situok.notifications import register_category
from situok.permissions import PendingCounter, register_pending_counter


def register() -> None:
    from . import posttrip, tasks_posttrip  # noqa: F401  (tasks_posttrip registers its Celery task)

    register_category(
        posttrip.NOTIFICATION_CATEGORY,
        _("Laporan perjalanan dinas"),
        _("Laporan perjalanan dinas yang terlambat, menunggu diterima, atau sudah diterima atasan."),
    )
    register_pending_counter(
        PendingCounter(
            "travel_reports_due",
            _("Laporan perjalanan dinas yang harus dibuat"),
            "travel:reports_due",
            posttrip.reports_due_count,
        )
    )
    register_pending_counter(
        PendingCounter(
            "travel_reports_to_acknowledge",
            _("Laporan perjalanan dinas menunggu diterima"),
            "travel:reports_to_acknowledge",
            posttrip.reports_to_acknowledge_count,
        )
    )
    # Runs with the other daily reminders (beat "daily-reminders", 06:00 WITA); idempotent per day.
    register_daily(posttrip.report_reminders_daily)
