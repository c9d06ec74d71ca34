"""Work-calendar pages: the month grid, confirming seeded days, filling a year, the ICS download.

Mounted by ``situok/urls.py`` from :data:`urlpatterns` (names without a namespace, like the other shell
pages). Every signed-in user may read the calendar; changing it needs ``situok.change_calendarday``.
The rules live in :mod:`situok.workcalendar`; these views only read parameters, call it and render.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from . import formats
from .calendar_models import CalendarDay
from .permissions import get_for_user, has_perm, require_login, require_perm
from .workcalendar import WEEKDAY_NAMES, calendar_day_confirm, calendar_ics, seed_year, working_days_in

CHANGE_PERM = "situok.change_calendarday"
# Years the pages accept; outside them a parameter is treated as missing (the package and the
# Pawukon arithmetic work for any year, but no office plans its holidays a millennium ahead).
MIN_YEAR, MAX_YEAR = 1900, 2200

Kind = CalendarDay.Kind

#: Badge of each kind in the grid and the legend: (short label, Bootstrap classes).
KIND_BADGES: dict[str, tuple[str, str]] = {
    Kind.LIBUR_NASIONAL: (gettext_lazy("Libur nasional"), "text-bg-danger"),
    Kind.CUTI_BERSAMA: (gettext_lazy("Cuti bersama"), "text-bg-warning"),
    Kind.DISPENSASI_BALI: (gettext_lazy("Dispensasi Bali"), "text-bg-primary"),
    Kind.HARI_KERJA_KHUSUS: (gettext_lazy("Hari kerja khusus"), "text-bg-success"),
}


# --- Reading the parameters ---------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localtime(timezone.now(), formats.WITA).date()


def _int_param(params: QueryDict, name: str, low: int, high: int) -> int | None:
    try:
        value = int(params.get(name, ""))
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None


def _month_from(params: QueryDict) -> tuple[int, int]:
    """``(year, month)`` from ``tahun``/``bulan``; a missing or invalid value falls back to today's (WITA)."""
    today = _today()
    year = _int_param(params, "tahun", MIN_YEAR, MAX_YEAR) or today.year
    month = _int_param(params, "bulan", 1, 12) or today.month
    return year, month


def _month_url(year: int, month: int) -> str:
    return f"{reverse('calendar')}?{urlencode({'tahun': year, 'bulan': month})}"


def _shift(year: int, month: int, delta: int) -> tuple[int, int] | None:
    index = year * 12 + month - 1 + delta
    year, month0 = divmod(index, 12)
    return (year, month0 + 1) if MIN_YEAR <= year <= MAX_YEAR else None


# --- The month grid -----------------------------------------------------------------------------------


@dataclass
class Entry:
    """One CalendarDay as a cell shows it."""

    day: CalendarDay
    label: str
    badge_class: str


@dataclass
class Cell:
    date: dt.date | None  # None: a padding cell of the previous or next month
    is_today: bool = False
    is_weekend: bool = False
    is_working_day: bool = True
    entries: list[Entry] = field(default_factory=list)

    @property
    def is_day_off(self) -> bool:
        """A weekday off because of an entry (weekends are shaded on their own)."""
        return self.date is not None and not self.is_weekend and not self.is_working_day


def _month_entries(first: dt.date, last: dt.date) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(date__range=(first, last)).order_by("date", "kind", "name")


def month_context(year: int, month: int) -> dict:
    """Everything ``partials/calendar_month.html`` needs for ``year``/``month`` (two queries)."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, pycalendar.monthrange(year, month)[1])
    today = _today()
    by_date: dict[dt.date, list[Entry]] = {}
    for day in _month_entries(first, last):
        label, css = KIND_BADGES.get(day.kind, (day.get_kind_display(), "text-bg-secondary"))
        by_date.setdefault(day.date, []).append(Entry(day, str(label), css))
    days = [first + dt.timedelta(days=i) for i in range(last.day)]
    # hindu=None: a Hindu-only dispensation shows as a day off, as the offices largely close.
    working = set(working_days_in(days))
    weeks: list[list[Cell]] = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row: list[Cell] = []
        for d in week:
            if d.month != month:
                row.append(Cell(date=None))
                continue
            row.append(
                Cell(
                    date=d,
                    is_today=d == today,
                    is_weekend=d.weekday() >= 5,
                    is_working_day=d in working,
                    entries=by_date.get(d, []),
                )
            )
        weeks.append(row)
    special = [cell for week in weeks for cell in week if cell.entries]
    previous, following = _shift(year, month, -1), _shift(year, month, 1)
    return {
        "year": year,
        "month": month,
        "first_day": first,
        "weeks": weeks,
        "special_days": special,
        "weekday_names": [str(name) for name in WEEKDAY_NAMES],
        "previous_url": _month_url(*previous) if previous else "",
        "next_url": _month_url(*following) if following else "",
        "today_url": _month_url(today.year, today.month),
        "is_current_month": (year, month) == (today.year, today.month),
        "unconfirmed_count": sum(1 for cell in special for e in cell.entries if not e.day.confirmed),
        "kind_badges": [(str(label), css) for label, css in KIND_BADGES.values()],
    }


def _render_month(request: HttpRequest, year: int, month: int, *, partial: bool) -> HttpResponse:
    context = month_context(year, month)
    context["can_change"] = has_perm(request.user, CHANGE_PERM)
    template = "situok/partials/calendar_month.html" if partial else "situok/calendar.html"
    return render(request, template, context)


def _is_htmx(request: HttpRequest) -> bool:
    """An htmx swap; a history restore (back button after a cache miss) needs the whole page."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


# --- Views -------------------------------------------------------------------------------------------


@require_login
@require_GET
def calendar_month(request: HttpRequest) -> HttpResponse:
    """The month grid; an htmx request (prev/next) gets only the month partial."""
    year, month = _month_from(request.GET)
    response = _render_month(request, year, month, partial=_is_htmx(request))
    # The same URL answers with a page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
    return response


def calendarday_get_for_user(user, pk, *, write: bool = False) -> CalendarDay:
    """The CalendarDay ``pk``: every signed-in user sees the calendar; changing needs the permission."""
    return get_for_user(
        user,
        CalendarDay.objects.all(),
        pk,
        visible=lambda _user, queryset: queryset,
        can_change=lambda u, _obj: has_perm(u, CHANGE_PERM),
        write=write,
    )


@require_perm(CHANGE_PERM)
@require_POST
def calendar_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm one entry against the signed decree; htmx re-renders the month in place."""
    day = calendarday_get_for_user(request.user, pk, write=True)
    htmx = _is_htmx(request)
    if day.confirmed:
        if not htmx:
            messages.info(request, _("%(name)s sudah dikonfirmasi.") % {"name": day.name})
    else:
        try:
            calendar_day_confirm(day, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if not htmx:
                messages.success(
                    request,
                    _("%(name)s (%(date)s) telah dikonfirmasi.")
                    % {"name": day.name, "date": formats.tanggal(day.date)},
                )
    if htmx:
        return _render_month(request, day.date.year, day.date.month, partial=True)
    return redirect(_month_url(day.date.year, day.date.month))


@require_perm(CHANGE_PERM)
@require_POST
def calendar_seed(request: HttpRequest) -> HttpResponse:
    """Pre-fill the year shown (holidays, cuti bersama, Pawukon days); running it twice adds nothing."""
    today = _today()
    year = _int_param(request.POST, "tahun", MIN_YEAR, MAX_YEAR) or today.year
    month = _int_param(request.POST, "bulan", 1, 12) or (today.month if year == today.year else 1)
    created = seed_year(year, by=request.user)
    if created:
        messages.success(
            request,
            _("%(count)s hari ditambahkan ke kalender kerja %(year)s. Periksa dan konfirmasi setiap hari.")
            % {"count": created, "year": year},
        )
    else:
        messages.info(
            request, _("Kalender kerja %(year)s sudah lengkap; tidak ada hari baru.") % {"year": year}
        )
    return redirect(_month_url(year, month))


@require_login
@require_GET
def calendar_ics_download(request: HttpRequest, year: int) -> HttpResponse:
    """The year as an iCalendar file, for Outlook/Google Calendar/phones."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    response = HttpResponse(calendar_ics(year), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kalender-kerja-{year}.ics"'
    return response


urlpatterns = [
    path("kalender/", calendar_month, name="calendar"),
    path("kalender/hari/<int:pk>/konfirmasi/", calendar_confirm, name="calendar_confirm"),
    path("kalender/isi-otomatis/", calendar_seed, name="calendar_seed"),
    path("kalender/<int:year>.ics", calendar_ics_download, name="calendar_ics"),
]
