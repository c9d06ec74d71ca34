"""Run the daily functions (reminder producers, job housekeeping) once — for cron, when Celery beat is not
used: ``0 6 * * * cd /srv/situok && .venv/bin/python manage.py run_daily_reminders`` (TZ=Asia/Makassar)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from situok.jobs import daily_run


class Command(BaseCommand):
    help = "Call every function registered with situok.jobs.register_daily (daily reminders)."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="Reference date YYYY-MM-DD (default: today in WITA).")

    def handle(self, *args, **options):
        on = None
        if options["on"]:
            try:
                on = dt.date.fromisoformat(options["on"])
            except ValueError as exc:
                raise CommandError(f"--on must be YYYY-MM-DD, got {options['on']!r}") from exc
        outcome = daily_run(on)
        for name, result in outcome.items():
            self.stdout.write(f"{name}: {result}")
        failed = [name for name, result in outcome.items() if result == "error"]
        if failed:
            raise CommandError(f"Daily functions failed: {', '.join(failed)}")
