"""Permission-matrix rows of the work-calendar pages (situok/views_calendar.py).

``@calendarday`` is the id of a CalendarDay made by :func:`make_objects`, which the matrix fixture in
tests/test_permissions.py merges into its placeholder map.
"""

from __future__ import annotations

import datetime as dt

LOGIN = 302
DAY = {"pk": "@calendarday"}
YEAR = {"year": 2026}

ROWS = [
    # Every signed-in user reads the calendar and downloads it.
    ("calendar", {}, "get", "anon", LOGIN),
    ("calendar", {}, "get", "pegawai", 200),
    ("calendar", {}, "get", "honorer", 200),
    ("calendar", {}, "get", "admin", 200),
    ("calendar_ics", YEAR, "get", "anon", LOGIN),
    ("calendar_ics", YEAR, "get", "pegawai", 200),
    ("calendar_ics", YEAR, "get", "admin", 200),
    ("calendar_ics", {"year": 99999}, "get", "admin", 404),
    # Confirming and filling need situok.change_calendarday (Administrator); POST only.
    ("calendar_confirm", DAY, "post", "anon", LOGIN),
    ("calendar_confirm", DAY, "post", "pegawai", 403),
    ("calendar_confirm", DAY, "post", "kepegawaian", 403),
    ("calendar_confirm", DAY, "post", "admin", 302),
    ("calendar_confirm", DAY, "get", "admin", 405),
    ("calendar_confirm", {"pk": 987654321}, "post", "admin", 404),
    ("calendar_seed", {}, "post", "anon", LOGIN),
    ("calendar_seed", {}, "post", "pegawai", 403),
    ("calendar_seed", {}, "post", "pimpinan", 403),
    ("calendar_seed", {}, "post", "admin", 302),
    ("calendar_seed", {}, "get", "admin", 405),
]


def make_objects(personas) -> dict:
    """Create the objects the rows refer to; returns the placeholder → id map."""
    from situok.calendar_models import CalendarDay

    day, _created = CalendarDay.objects.get_or_create(
        date=dt.date(2026, 6, 17),
        kind=CalendarDay.Kind.DISPENSASI_BALI,
        name="Hari Raya Galungan",
        defaults={"source": CalendarDay.Source.COMPUTED_PAWUKON},
    )
    return {"@calendarday": day.pk}
