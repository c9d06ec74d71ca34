"""Booking calendars (month / week / day; one resource, all rooms or all vehicles), the ICS feed per
resource and the front desk's daily schedule per building.

The calendar is server-rendered; prev/next/today are plain links that htmx turns into in-place swaps of
``#bk-calendar`` (``hx-push-url`` keeps the address bar right, and without JavaScript the links still
work). The month and week are one list of days: a 7-column grid from md up, a list of the days with
entries on phones (CSS only, each entry written once). A page costs the same few queries whatever the
number of bookings: resources, bookings, blackouts, the work calendar and which bookings the user may open
(the month of all rooms/vehicles: per-day counts and each day's first entries, see ``bookings/queries.py``).

``#bk-calendar`` — its header (filter, navigation, view buttons) and the grid, day list or day view — is
built here as strings (a month of a busy room is hundreds of entries; through the template language they
were most of the page's time): the header from markup kept per language with slots, each entry's markup
only when it is shown. The full page (``bookings/calendar.html``) adds the sub-navigation and the legend.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import functools
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlencode

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from situok import formats
from situok.derived import cached
from situok.permissions import public, require_login
from situok.tables import esc, fill, frame, slot, url_maker
from situok.workcalendar import WEEKDAY_NAMES, working_days_in
from staff.models import name_with_titles

from . import queries, selectors
from .forms import STATUS_BADGES, ScheduleForm
from .ics import resource_ics
from .models import Booking, Building, Resource
from .pdf import DailySchedulePDF
from .queries import building_day, day_bounds

VIEWS = {"bulan": gettext_lazy("Bulan"), "minggu": gettext_lazy("Minggu"), "hari": gettext_lazy("Hari")}
MIN_DATE, MAX_DATE = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
BLACKOUT_BADGE = "text-bg-dark"
ONE_DAY = dt.timedelta(days=1)
ONE_MICRO = dt.timedelta(microseconds=1)

# The month view shows at most this many entries per day and "+N lainnya", linking to that day's view
# (as Outlook and Google Calendar do): a busy month of every room is thousands of bookings, which no one
# reads in a month grid and which made the page megabytes long; a busy room has eight or more a day, more
# than a grid cell shows on a laptop. The week and day views show every entry.
MONTH_CELL_ENTRIES = 4


def _today() -> dt.date:
    return timezone.localdate()


def _parse_date(value: str | None) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if MIN_DATE <= day <= MAX_DATE else None


@dataclass
class Window:
    view: str
    first: dt.date
    last: dt.date  # inclusive

    @property
    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=i) for i in range((self.last - self.first).days + 1)]


def _window(view: str, day: dt.date) -> Window:
    if view == "bulan":
        first = day.replace(day=1)
        return Window(view, first, first.replace(day=pycalendar.monthrange(day.year, day.month)[1]))
    if view == "minggu":
        first = day - dt.timedelta(days=day.weekday())
        return Window(view, first, first + dt.timedelta(days=6))
    return Window(view, day, day)


def _shift(view: str, day: dt.date, step: int) -> dt.date:
    if view == "bulan":
        index = day.year * 12 + day.month - 1 + step
        return dt.date(index // 12, index % 12 + 1, 1)
    return day + dt.timedelta(days=step * (7 if view == "minggu" else 1))


def _working_days(days: list[dt.date]) -> frozenset[dt.date]:
    """The working days among ``days`` (consecutive), kept under the ``workcalendar`` cache version
    (work calendar entries change a few times a year)."""
    return cached(
        f"bookings.calendar.working|{days[0]}|{days[-1]}",
        depends_on=("workcalendar",),
        compute=lambda: frozenset(working_days_in(days)),
    )


# --- Entries ------------------------------------------------------------------------------------------
class Item:
    """One booking or blackout on the calendar; times are naive WITA wall-clock times. Its markup is
    built by :class:`_Entries` when it is shown (a capped month shows about half of a busy room's)."""

    __slots__ = ("end", "first", "last", "order", "parts", "resource_id", "row", "start")

    def __init__(self, row: tuple, order: tuple, resource_id: int) -> None:
        self.row, self.order, self.resource_id = row, order, resource_id
        self.start, self.end = start, end = row[1], row[2]
        self.first, self.last = start.date(), (end - ONE_MICRO).date()  # the local days it covers
        self.parts: tuple[str, str] | None = None  # (markup up to the time label, markup after it)


def _booking_items(rows: list[tuple]) -> list[Item]:
    """Items of booking rows (``queries._ENTRY_FIELDS``), ordered as the query returned them."""
    return [Item(row, (row[1], row[2], 0, row[0]), row[6]) for row in rows]


def _blackout_items(rows: list[tuple]) -> list[Item]:
    """Items of blackout rows ``(id, start, end, reason, resource_id)``."""
    return [Item(row, (row[1], row[2], 1, row[0]), row[4]) for row in rows]


@dataclass
class Day:
    date: dt.date
    is_today: bool = False
    is_working_day: bool = True
    items: list[Item] = field(default_factory=list)
    total: int = 0  # entries that day (more than ``items`` in a capped month cell)
    html: str = ""  # the entries' markup (the day's grid cell, a list item on phones)

    @property
    def more(self) -> int:
        return max(self.total - len(self.items), 0)


def _badge(css: str) -> str:
    # .bk-e (static/css/app.css): the entry's spacing, its badge wrapping, its subtitles as lines
    return f'<div class="bk-e"><span class="badge {esc(css)}">'


def _tail(status: str, title: str, extra: str) -> str:
    """The entry's markup after its time label: ``status`` escaped, ``title`` and ``extra`` markup."""
    return f'<span class="visually-hidden"> · {status}</span></span> {title}{extra}</div>'


def _resource_label(name: str, kind: str, plate: str) -> str:
    return f"{name} ({plate})" if kind == Resource.Kind.VEHICLE and plate else name  # as Resource.__str__


class _Entries:
    """The markup of the entries of one page. The requester's name and the link only for the bookings
    the user may open (one query, none for those who see all); ``names``: escaped resource labels to
    show with each entry (empty for the calendar of one resource). Labels are translated once."""

    def __init__(self, user, rows: list[tuple], names: dict[int, str]) -> None:
        self.visible = selectors.booking_ids_visible_to(user, [r[0] for r in rows])
        self.statuses = {value: esc(label) for value, label in Booking.Status.choices}
        self.units = queries.calendar_unit_names() if rows else {}
        self.names = names
        self.badges: dict[str, str] = {}
        self.detail_url = url_maker("bookings:booking_detail")
        self.blackout = (_badge(BLACKOUT_BADGE), esc(_("Tidak tersedia")))
        self.starts = _("mulai %(time)s")
        self.ends = _("s.d. %(time)s")
        self.all_day = esc(_("sepanjang hari"))

    def _parts(self, item: Item) -> tuple[str, str]:
        row, names = item.row, self.names
        extra = f"<small>{names[item.resource_id]}</small>" if names else ""
        if item.order[2]:  # a blackout: (id, start, end, reason, resource_id)
            badge, status = self.blackout
            item.parts = parts = (badge, _tail(status, f"<span>{escape(row[3])}</span>", extra))
            return parts
        (pk, _start, _end, status, purpose, outside_party, _resource, front_title, name, back_title,
         unit_id) = row  # fmt: skip
        badge = self.badges.get(status)
        if badge is None:
            badge = self.badges[status] = _badge(STATUS_BADGES.get(status, "text-bg-secondary"))
        where = outside_party or self.units.get(unit_id, "")
        if pk in self.visible:
            title = f'<a href="{self.detail_url(pk)}">{escape(purpose)}</a>'
            where = f"{name_with_titles(front_title, name, back_title)} · {where}"
        else:
            title = f"<span>{escape(purpose)}</span>"
        if where:
            extra += f"<small>{escape(where)}</small>"
        item.parts = parts = (badge, _tail(self.statuses.get(status) or escape(status), title, extra))
        return parts

    def _label(self, start: dt.datetime, end: dt.datetime, day: dt.date, following: dt.datetime) -> str:
        """The time label of an entry on ``day``: "08.00–10.00", "mulai 20.00", "s.d. 10.00",
        "sepanjang hari"."""
        starts_today, ends_today = start.date() >= day, end <= following
        if starts_today and ends_today:
            return f"{start.hour:02d}.{start.minute:02d}–{end.hour:02d}.{end.minute:02d}"
        if starts_today:
            return esc(self.starts % {"time": f"{start.hour:02d}.{start.minute:02d}"})
        if ends_today:
            return esc(self.ends % {"time": f"{end.hour:02d}.{end.minute:02d}"})
        return self.all_day

    def html(self, items: list[Item], day: dt.date) -> str:
        following = dt.datetime.combine(day + ONE_DAY, dt.time.min)
        parts = []
        for item in items:
            badge, tail = item.parts or self._parts(item)
            start, end = item.start, item.end
            if item.first == item.last:
                label = f"{start.hour:02d}.{start.minute:02d}–{end.hour:02d}.{end.minute:02d}"
            else:
                label = self._label(start, end, day, following)
            parts.append(f"{badge}{label}{tail}")
        return "".join(parts)


def _place(items: list[Item], days: dict[dt.date, Day], first: dt.date, last: dt.date) -> int:
    """Put each item on every day of ``[first, last]`` it covers; how many more places than items."""
    extra = 0
    for item in items:
        a, b = max(item.first, first), min(item.last, last)
        extra += (b - a).days
        while a <= b:
            days[a].items.append(item)
            a += ONE_DAY
    return extra


# --- Markup -------------------------------------------------------------------------------------------
class _Links:
    """The calendar's own URLs, built from one reversed prefix."""

    def __init__(self, kind: str, resource: Resource | None) -> None:
        self.base = reverse("bookings:calendar")
        self.day_prefix = f"{self.base}?jenis={kind}"
        if resource is not None:
            self.day_prefix += f"&amp;sumber={resource.pk}"
        self.day_prefix += "&amp;tampilan=hari&amp;tanggal="  # also where "+N lainnya" leads

    def resource_day(self, pk: int, day: dt.date) -> str:
        return f"{self.base}?sumber={pk}&amp;tampilan=hari&amp;tanggal={day.isoformat()}"


@functools.lru_cache(maxsize=256)
def _more_text(language: str, n: int) -> str:
    return esc(ngettext("+%(counter)s lainnya", "+%(counter)s lainnya", n) % {"counter": n})


def _more_html(n: int, href: str) -> str:
    return f'<a class="d-block small" href="{href}" data-testid="calendar-more">{_more_text(get_language(), n)}</a>'


def _month_html(days: list[Day], heading: str, links: _Links, offset: int) -> str:
    """The month or week: each day written once, in a list that ``static/css/app.css`` (section
    "Booking calendar") lays out as a 7-column grid from md up and as a list of the days with entries on
    phones. ``offset``: the first day's weekday (its grid column). Every day has a heading with its full
    date (visually hidden on the grid, where the day's number shows instead)."""
    parts = ['<div class="bk-cal" data-testid="calendar-grid">\n<div class="bk-cal-head" aria-hidden="true">']
    for i, name in enumerate(WEEKDAY_NAMES):
        parts.append(
            f'<div class="bg-body-secondary">{esc(name)}</div>' if i >= 5 else f"<div>{esc(name)}</div>"
        )
    parts.append(
        f'</div>\n<ol class="bk-cal-days" aria-label="{esc(heading)}" data-testid="calendar-list">\n'
    )
    any_entries = False
    for n, cell in enumerate(days):
        iso = cell.date.isoformat()
        css = "bk-day"
        if n == 0 and offset:
            css += f" bk-col-{offset + 1}"
        if cell.items:
            any_entries = True
        else:
            css += " bk-empty"
        if cell.date.weekday() >= 5:
            css += " bg-body-secondary"
        elif not cell.is_working_day:
            css += " bg-danger-subtle"
        current = ""
        if cell.is_today:
            css += " border border-primary border-2"
            current = ' aria-current="date"'
        parts.append(
            f'<li class="{css}" data-date="{iso}"{current}><h3 class="bk-day-head"><a '
            f'href="{links.day_prefix}{iso}"><span class="bk-num" aria-hidden="true">'
            f'{cell.date.day}</span><span class="bk-date">{formats.tanggal_hari(cell.date)}</span></a></h3>'
            f"{cell.html}"
        )
        if cell.more:
            parts.append(_more_html(cell.more, links.day_prefix + iso))
        parts.append("</li>\n")
    if not any_entries:
        parts.append(
            '<li class="bk-none d-md-none text-body-secondary">'
            f"{esc(_('Tidak ada peminjaman pada periode ini.'))}</li>\n"
        )
    parts.append("</ol>\n</div>\n")
    return "".join(parts)


def _day_rows_html(
    resources: list[tuple], items: list[Item], day: dt.date, links: _Links, entries: _Entries
) -> str:
    """The day view: one row per resource (``(id, label, building name)``) with all its entries."""
    by_resource: dict[int, list[Item]] = {}
    for item in sorted(items, key=lambda i: i.order):
        by_resource.setdefault(item.resource_id, []).append(item)
    free_label = _("Kosong sepanjang hari")  # outside the f-string: xgettext does not look inside
    free = f'<div class="small text-success">{esc(free_label)}</div>'
    parts = ['<ul class="list-group list-group-flush" data-testid="calendar-day">\n']
    for pk, label, building in resources:
        place = f' <span class="small text-body-secondary">· {esc(building)}</span>' if building else ""
        shown = by_resource.get(pk)
        parts.append(
            f'<li class="list-group-item"><div class="fw-semibold"><a href="{links.resource_day(pk, day)}">'
            f"{esc(label)}</a>{place}</div>{entries.html(shown, day) if shown else free}</li>\n"
        )
    if not resources:
        parts.append(
            f'<li class="list-group-item text-body-secondary">{esc(_("Belum ada ruang/kendaraan."))}</li>\n'
        )
    parts.append("</ul>\n")
    return "".join(parts)


# --- The page -----------------------------------------------------------------------------------------
@dataclass
class _Shown:
    """What the body of one calendar shows: resources (ids, escaped labels, the active ones as resource
    list rows), window, view."""

    kind: str
    resource: Resource | None
    view: str
    window: Window
    today: dt.date
    ids: list[int]
    labels: dict[int, str]
    names: dict[int, str]
    active: list[tuple]
    heading: str
    links: _Links


def _body(user, shown: _Shown) -> tuple[str, int]:
    """The grid, day list or day rows, and how many bookings the window holds (a constant number of
    queries)."""
    view, window, resource, ids = shown.view, shown.window, shown.resource, shown.ids
    start, end = day_bounds(window.first)[0], day_bounds(window.last)[1]
    capped = view == "bulan"
    # All resources: each day's first entries and the per-day counts (PostgreSQL); one resource's month is
    # a few hundred rows at most, read whole (the per-day function costs more for it) and cut here.
    counts = (
        queries.calendar_day_counts(ids, window.first, window.last) if capped and resource is None else None
    )
    if counts is not None:  # PostgreSQL: each day's first entries, and the counts from the summary
        rows, blackout_rows = queries.calendar_first_entries(
            ids, window.first, window.last, MONTH_CELL_ENTRIES
        )
    else:
        rows, blackout_rows = queries.calendar_entries(ids, start, end)
    items = _booking_items(rows)
    blackouts = _blackout_items(blackout_rows)
    # The day view groups the entries under their resource: no resource label on each entry there.
    entries = _Entries(user, rows, shown.names if view != "hari" else {})
    working = _working_days(window.days)
    days = {d: Day(d, is_today=d == shown.today, is_working_day=d in working) for d in window.days}
    repeated = _place(items, days, window.first, window.last)
    booking_count = len(rows)
    if counts is not None:  # every multi-day booking is in ``rows``: count each once
        booking_count = sum(counts.values()) - repeated
    if blackouts:
        _place(blackouts, days, window.first, window.last)
    for d in days.values():
        if blackouts or counts is not None:
            d.items.sort(key=lambda i: i.order)
        d.total = len(d.items)
        if counts is not None:
            d.total = counts.get(d.date, 0) + sum(1 for i in d.items if i.order[2])
        if capped:
            del d.items[MONTH_CELL_ENTRIES:]
        if view != "hari":
            d.html = entries.html(d.items, d.date)
    if view == "hari":
        if resource is not None:
            row_resources = [(resource.pk, str(resource), resource.building_name)]
        else:
            row_resources = [(r[0], shown.labels[r[0]], r[5] or "") for r in shown.active]
        return _day_rows_html(
            row_resources, items + blackouts, window.first, shown.links, entries
        ), booking_count
    offset = window.first.weekday() if view == "bulan" else 0
    return _month_html(list(days.values()), shown.heading, shown.links, offset), booking_count


def _kept_body(user, shown: _Shown) -> tuple[str, int]:
    """:func:`_body`, kept until one of its resources' bookings or blackouts is written (their stamps,
    bookings/migrations/0004) or what else it shows changes: resource names (``bookings_resources``),
    requesters and units (``staff``), working days (``workcalendar``) — and, for those who may open only
    some bookings, who may open which (``auth``, ``bookings_approvers``; kept per user then). Also keyed
    by the language, the URL prefix, the day (today's mark) and what is shown. The stamps are read
    before the bookings: a body is never kept under stamps newer than its rows."""
    stamps = queries.calendar_stamps(shown.ids)
    if stamps is None:
        return _body(user, shown)
    depends_on = ("bookings_resources", "staff", "workcalendar")
    scope = "all"
    if not selectors.sees_all_bookings(user):
        scope = f"user {user.pk}"
        depends_on += ("auth", "bookings_approvers")
    resource = shown.resource.pk if shown.resource is not None else ""
    key = (
        f"bookings.calendar|{connection.alias}|{get_language()}|{get_script_prefix()}|{get_urlconf()}|"
        f"{shown.kind}|{resource}|{shown.view}|{shown.window.first}|{shown.today}|{scope}|{stamps}"
    )
    return cached(key, depends_on=depends_on, compute=lambda: _body(user, shown))


def calendar_context(user, *, kind: str, resource: Resource | None, view: str, day: dt.date) -> dict:
    """Everything :func:`calendar_html` needs (a constant number of queries)."""
    window = _window(view, day)
    today = _today()
    if resource is None:
        all_resources = [r for r in queries.calendar_resources() if r[2] == kind]
        ids = [r[0] for r in all_resources]
        resource_labels = {
            pk: _resource_label(name, r_kind, plate) for pk, name, r_kind, plate, _a, _b in all_resources
        }
        active = [r for r in all_resources if r[4]]
    else:
        ids, resource_labels, active = [resource.pk], {}, []
    names = {pk: escape(label) for pk, label in resource_labels.items()}  # shown with each entry
    if view == "bulan":
        heading = formats.BULAN[day.month - 1] + f" {day.year}"
    elif view == "minggu":
        heading = f"{formats.tanggal(window.first)} – {formats.tanggal(window.last)}"
    else:
        heading = formats.tanggal_hari(window.first)
    links = _Links(kind, resource)
    shown = _Shown(kind, resource, view, window, today, ids, resource_labels, names, active, heading, links)
    body, booking_count = _kept_body(user, shown)
    options = "".join(f'<option value="{r[0]}">{names[r[0]]}</option>' for r in active)

    def url(**changes) -> str:
        params = {"jenis": kind, "tampilan": view, "tanggal": day.isoformat()}
        if resource is not None:
            params["sumber"] = resource.pk
        params.update(changes)
        return f"{links.base}?{urlencode(params)}"

    kinds = "".join(
        f'<option value="{value}"{" selected" if value == kind else ""}>{esc(label)}</option>'
        for value, label in Resource.Kind.choices
    )
    return {
        "kind": kind,
        "kind_options": mark_safe(kinds),  # labels escaped
        "resource": resource,
        "resource_options": mark_safe(options),  # names escaped
        "view": view,
        "views": [(code, label, url(tampilan=code)) for code, label in VIEWS.items()],
        "day": day,
        "day_iso": day.isoformat(),
        "heading": heading,
        "body": mark_safe(body),  # built above; every value escaped
        "calendar_url": links.base,
        "resource_detail_url": reverse("bookings:resource_detail", args=[resource.pk]) if resource else "",
        "previous_url": url(tanggal=_shift(view, day, -1).isoformat()),
        "next_url": url(tanggal=_shift(view, day, 1).isoformat()),
        "today_url": url(tanggal=today.isoformat()),
        "booking_count": booking_count,
    }


_HX = 'hx-target="#bk-calendar" hx-swap="outerHTML" hx-push-url="true"'


@functools.lru_cache(maxsize=16)
def _calendar_frame(language: str, prefix: str, urlconf: str | None) -> tuple[str, ...]:
    """``#bk-calendar`` (header with the filter, navigation and view buttons, then the body) as fixed
    markup around its slots (see :func:`situok.tables.fill`), built once per language and URL prefix:
    through the template language its ~40 nodes cost a fifth of a busy month's time."""
    # Translated outside the f-strings: xgettext does not read f-string expressions.
    kind_label, resource_label, show = esc(_("Jenis")), esc(_("Ruang / kendaraan")), esc(_("Tampilkan"))
    navigation, previous, following = esc(_("Navigasi kalender")), esc(_("Sebelumnya")), esc(_("Berikutnya"))
    today, views = esc(_("Hari ini")), esc(_("Tampilan"))
    action = esc(reverse("bookings:calendar"))
    return frame(
        f'<section id="bk-calendar" class="card" aria-labelledby="bk-calendar-title" data-view="{slot("view")}" '
        f'data-kind="{slot("kind")}">\n  <div class="card-header">\n'
        f'    <form method="get" action="{action}" class="d-flex flex-wrap gap-2 align-items-end mb-2" '
        'data-testid="calendar-filter">\n'
        f'      <input type="hidden" name="tampilan" value="{slot("view")}"><input type="hidden" name="tanggal" '
        f'value="{slot("day")}">\n'
        f'      <div><label class="form-label small mb-0" for="bk-kind">{kind_label}</label>\n'
        '        <select class="form-select form-select-sm" id="bk-kind" name="jenis" data-autosubmit>'
        f"{slot('kinds')}</select></div>\n"
        f'      <div><label class="form-label small mb-0" for="bk-resource">{resource_label}</label>\n'
        '        <select class="form-select form-select-sm" id="bk-resource" name="sumber" data-autosubmit '
        f'data-testid="calendar-resource">\n          <option value="">{slot("all")}</option>\n'
        f"          {slot('resources')}\n        </select></div>\n"
        f'      <noscript><button type="submit" class="btn btn-sm btn-outline-secondary">{show}</button></noscript>\n'
        f"      {slot('all_link')}\n    </form>\n"
        '    <div class="d-flex flex-wrap align-items-center gap-2">\n'
        f'      <nav class="d-flex align-items-center gap-1" aria-label="{navigation}">\n'
        f'        <a class="btn btn-outline-secondary btn-sm" href="{slot("previous")}" hx-get="{slot("previous")}" '
        f'{_HX} data-testid="calendar-prev"><i class="bi bi-chevron-left" aria-hidden="true"></i>'
        f'<span class="visually-hidden">{previous}</span></a>\n'
        '        <h2 id="bk-calendar-title" class="h5 mb-0 px-1" aria-live="polite" data-testid="calendar-heading">'
        f"{slot('heading')}</h2>\n"
        f'        <a class="btn btn-outline-secondary btn-sm" href="{slot("next")}" hx-get="{slot("next")}" {_HX} '
        'data-testid="calendar-next"><i class="bi bi-chevron-right" aria-hidden="true"></i>'
        f'<span class="visually-hidden">{following}</span></a>\n'
        f'        <a class="btn btn-link btn-sm" href="{slot("today")}" hx-get="{slot("today")}" {_HX} '
        f'data-testid="calendar-today">{today}</a>\n      </nav>\n'
        f'      <div class="btn-group btn-group-sm ms-auto" role="group" aria-label="{views}">\n'
        f"        {slot('views')}\n      </div>\n    </div>\n    {slot('ics')}\n  </div>\n\n"
        f"  {slot('body')}\n</section>\n"
    )


def calendar_html(context: dict) -> SafeString:
    """``#bk-calendar`` for :func:`calendar_context`'s values (every value escaped)."""
    kind, view, resource = context["kind"], context["view"], context["resource"]
    all_label = esc(_("Semua kendaraan") if kind == Resource.Kind.VEHICLE else _("Semua ruang"))
    buttons = []
    for code, label, url in context["views"]:
        current = ' aria-current="page"' if code == view else ""
        buttons.append(
            f'<a class="btn btn-outline-primary{" active" if current else ""}" href="{esc(url)}" '
            f'hx-get="{esc(url)}" {_HX}{current} data-testid="view-{code}">{esc(label)}</a>'
        )
    if resource is not None:
        resources = f'<option value="{resource.pk}" selected>{esc(str(resource))}</option>'
        all_url = f"{context['calendar_url']}?jenis={kind}&tampilan={view}&tanggal={context['day_iso']}"
        all_link = f'<a class="btn btn-sm btn-link" href="{esc(all_url)}">{all_label}</a>'
        ics_label = esc(_("Rincian dan langganan kalender (ICS)"))
        ics = (
            f'<p class="small mb-0 mt-2"><a href="{esc(context["resource_detail_url"])}">{ics_label}</a></p>'
        )
    else:
        resources, all_link, ics = context["resource_options"], "", ""
    values = {
        "view": esc(view),
        "kind": esc(kind),
        "day": context["day_iso"],
        "kinds": context["kind_options"],
        "all": all_label,
        "resources": resources,
        "all_link": all_link,
        "previous": esc(context["previous_url"]),
        "next": esc(context["next_url"]),
        "today": esc(context["today_url"]),
        "heading": esc(context["heading"]),
        "views": "".join(buttons),
        "ics": ics,
        "body": context["body"],
    }
    return fill(_calendar_frame(get_language(), get_script_prefix(), get_urlconf()), values)


_NAV: dict[tuple, str] = {}


def _nav_html(request: HttpRequest) -> str:
    """``bookings/partials/nav.html`` as the calendar shows it: the same for every request with the same
    language and permission, so rendered once per process for each."""
    can_view = request.user.has_perm("bookings.view_booking")
    key = (get_language(), get_script_prefix(), can_view)
    html = _NAV.get(key)
    if html is None:
        context = {"request": request, "perms": {"bookings": {"view_booking": can_view}}}
        html = _NAV[key] = get_template("bookings/partials/nav.html").render(context)
    return html


def _page_context(request: HttpRequest, context: dict) -> None:
    """What the full page adds around ``#bk-calendar``: sub-navigation, request link and legend."""
    context["nav"] = mark_safe(_nav_html(request))  # a rendered template
    context["request_url"] = f"{reverse('bookings:request_create')}?jenis={context['kind']}"
    if context["resource"] is not None:
        context["request_url"] += f"&sumber={context['resource'].pk}"
    context["legend"] = [
        (label, STATUS_BADGES[value]) for value, label in Booking.Status.choices if value in Booking.VISIBLE
    ] + [(_("Tidak tersedia"), BLACKOUT_BADGE)]


def _is_htmx(request: HttpRequest) -> bool:
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


@require_login
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    params = request.GET
    resource = None
    if params.get("sumber"):
        resource = selectors.resource_for_calendar(request.user, params["sumber"])
    kind = resource.kind if resource is not None else params.get("jenis", Resource.Kind.ROOM)
    if kind not in Resource.Kind.values:
        kind = Resource.Kind.ROOM
    view = params.get("tampilan") if params.get("tampilan") in VIEWS else "bulan"
    day = _parse_date(params.get("tanggal")) or _today()
    context = calendar_context(request.user, kind=kind, resource=resource, view=view, day=day)
    context["calendar"] = calendar_html(context)
    if _is_htmx(request):
        response = HttpResponse(context["calendar"])
    else:
        _page_context(request, context)
        response = render(request, "bookings/calendar.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
    return response


@public
@require_GET
def ics_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The resource's bookings as an iCalendar feed for Outlook/Google Calendar. No login: the long
    random token in the URL is the key (kept on the resource, shown to signed-in users)."""
    resource = selectors.resource_by_ics_token(token)
    if resource is None:
        raise Http404
    response = HttpResponse(resource_ics(resource), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="peminjaman-{resource.pk}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _schedule_form(request: HttpRequest) -> ScheduleForm:
    data = request.GET.copy()
    data.setdefault("date", _today().isoformat())
    if not data.get("building"):
        first = Building.objects.order_by("name").values_list("pk", flat=True).first()
        if first is not None:
            data["building"] = str(first)
    return ScheduleForm(data)


@require_login
@require_GET
def daily_schedule(request: HttpRequest) -> HttpResponse:
    """The day's bookings of one building, for the front desk; printable as PDF."""
    form = _schedule_form(request)
    rows = []
    if form.is_valid():
        rows = list(building_day(form.cleaned_data["building"], form.cleaned_data["date"]))
    query = urlencode({k: form.data.get(k, "") for k in ("building", "date")})
    context = {"form": form, "rows": rows, "badges": STATUS_BADGES, "pdf_query": query}
    return render(request, "bookings/daily_schedule.html", context)


@require_login
@require_GET
def daily_schedule_pdf(request: HttpRequest) -> HttpResponse:
    form = _schedule_form(request)
    if not form.is_valid():
        raise Http404
    building, day = form.cleaned_data["building"], form.cleaned_data["date"]
    pdf = DailySchedulePDF(building=building, day=day, bookings=list(building_day(building, day))).render()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="jadwal-{building.pk}-{day.isoformat()}.pdf"'
    return response


urlpatterns = [
    path("kalender/", calendar, name="calendar"),
    path("kalender/<str:token>.ics", ics_feed, name="ics_feed"),
    path("jadwal-harian/", daily_schedule, name="daily_schedule"),
    path("jadwal-harian/pdf/", daily_schedule_pdf, name="daily_schedule_pdf"),
]
