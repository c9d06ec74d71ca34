"""``manage.py seed_calendar [--year 2026 ...]``: pre-fill the work calendar (thin wrapper over seed_year)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from situok.formats import WITA
from situok.workcalendar import seed_year


class Command(BaseCommand):
    help = (
        "Pre-fill the work calendar with national holidays, cuti bersama and the Pawukon days "
        "(unconfirmed, idempotent). Default: the current and the next year (WITA)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--year",
            dest="years",
            action="append",
            type=int,
            metavar="YEAR",
            help="Year to fill; repeat for several years.",
        )

    def handle(self, *args, years: list[int] | None = None, **options) -> None:
        if not years:
            current = timezone.localtime(timezone.now(), WITA).year
            years = [current, current + 1]
        for year in sorted(set(years)):
            if not 1900 <= year <= 2200:
                raise CommandError(f"Year out of range: {year}")
            created = seed_year(year)
            self.stdout.write(f"{year}: {created} calendar days added.")
