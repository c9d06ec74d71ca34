"""Booking calendars (month / week / day; one resource, all rooms or all vehicles), the ICS feed per
resource and the front desk's daily schedule per building.

The calendar is server-rendered; prev/next/today are plain links that htmx turns into in-place swaps of
``#bk-calendar`` (``hx-push-url`` keeps the address bar right, and without JavaScript the links still
work). Small screens get a day list instead of the grid. A page costs the same few queries whatever the
number of bookings: resources, bookings, blackouts, the work calendar and which bookings the user may open.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from situok import formats
from situok.permissions import public, require_login
from situok.tables import esc, url_maker
from situok.workcalendar import WEEKDAY_NAMES, working_days_in
from staff.models import name_with_titles

from . import selectors
from .forms import STATUS_BADGES, ScheduleForm
from .ics import resource_ics
from .models import Booking, Building, Resource
from .pdf import DailySchedulePDF
from .queries import building_day, day_bounds

VIEWS = {"bulan": gettext_lazy("Bulan"), "minggu": gettext_lazy("Minggu"), "hari": gettext_lazy("Hari")}
MIN_DATE, MAX_DATE = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
BLACKOUT_BADGE = "text-bg-dark"


def _today() -> dt.date:
    return timezone.localdate()


def _parse_date(value: str | None) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if MIN_DATE <= day <= MAX_DATE else None


@dataclass
class Entry:
    """One booking (or blackout) as a calendar day shows it."""

    label: str  # times on that day: "08.00–10.00", "s.d. 12.00", "sepanjang hari"
    title: str
    subtitle: str
    css: str
    status_label: str
    url: str = ""
    resource: str = ""
    html: str = ""  # its markup (SafeString from _entry_html)


@dataclass
class Day:
    date: dt.date | None
    is_today: bool = False
    is_working_day: bool = True
    entries: list[Entry] = field(default_factory=list)
    more: int = 0  # entries not shown in a busy multi-resource month cell (see MONTH_CELL_ENTRIES)

    @property
    def is_weekend(self) -> bool:
        return self.date is not None and self.date.weekday() >= 5


def _clip_label(start: dt.datetime, end: dt.datetime, day: dt.date) -> str:
    day_start, day_end = day_bounds(day)
    starts_today, ends_today = start >= day_start, end <= day_end
    if starts_today and ends_today:
        return f"{formats.jam(start)}–{formats.jam(end)}"
    if starts_today:
        return _("mulai %(time)s") % {"time": formats.jam(start)}
    if ends_today:
        return _("s.d. %(time)s") % {"time": formats.jam(end)}
    return _("sepanjang hari")


def _local_days(start: dt.datetime, end: dt.datetime, first: dt.date, last: dt.date) -> list[dt.date]:
    a = max(formats.to_local(start).date(), first)
    b = min(formats.to_local(end - dt.timedelta(microseconds=1)).date(), last)
    return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]


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


# What a calendar entry reads of a booking, as plain values (no model instances: a month of one room
# is a few hundred bookings).
_ENTRY_FIELDS = (
    "id", "start", "end", "status", "purpose", "outside_party", "resource_id",
    "resource__name", "resource__kind", "resource__plate",
    "requester__front_title", "requester__name", "requester__back_title", "unit__name",
)  # fmt: skip


def _entry_html(entry: Entry, *, show_resource: bool) -> SafeString:
    """One entry's markup, built once per entry and day and shown both in the grid and in the phone list
    (a template included per entry — twice — was most of a month view's time)."""
    if entry.url:
        title = f'<a href="{esc(entry.url)}">{esc(entry.title)}</a>'
    else:
        title = f"<span>{esc(entry.title)}</span>"
    extra = f'<div class="text-body-secondary">{esc(entry.resource)}</div>' if show_resource else ""
    if entry.subtitle:
        extra += f'<div class="text-body-secondary">{esc(entry.subtitle)}</div>'
    return mark_safe(  # every value is escaped
        f'<div class="mt-1 lh-sm" data-testid="calendar-entry"><span class="badge {esc(entry.css)} text-wrap '
        f'text-start">{esc(entry.label)}<span class="visually-hidden"> · {esc(entry.status_label)}</span></span>'
        f"\n  {title}\n  {extra}</div>"
    )


# The month view of *all* rooms or vehicles shows at most this many entries per day and "+N lainnya",
# linking to that day's view (as Outlook and Google Calendar do): a busy month of every room is thousands
# of bookings, which no one reads in a month grid and which made the page megabytes long.
MONTH_CELL_ENTRIES = 4


def calendar_context(user, *, kind: str, resource: Resource | None, view: str, day: dt.date) -> dict:
    """Everything ``bookings/partials/calendar.html`` needs (a constant number of queries)."""
    window = _window(view, day)
    start, end = day_bounds(window.first)[0], day_bounds(window.last)[1]
    target = resource if resource is not None else kind
    bookings = list(selectors.bookings_in_range(target, start, end).values_list(*_ENTRY_FIELDS))
    blackouts = list(selectors.blackouts_in_range(target, start, end))
    visible = selectors.booking_ids_visible_to(user, [b[0] for b in bookings])
    today = _today()
    working = set(working_days_in(window.days))
    days = {d: Day(d, is_today=d == today, is_working_day=d in working) for d in window.days}
    per_resource: dict[int, dict[dt.date, list[Entry]]] = {}
    detail_url = url_maker("bookings:booking_detail")
    statuses = {value: str(label) for value, label in Booking.Status.choices}  # gettext once per page
    show_resource = resource is None
    for (pk, b_start, b_end, status, purpose, outside_party, resource_id, resource_name, resource_kind,
         plate, front_title, name, back_title, unit_name) in bookings:  # fmt: skip
        subtitle = outside_party or unit_name
        if pk in visible:
            subtitle = f"{name_with_titles(front_title, name, back_title)} · {subtitle}"
        css = STATUS_BADGES.get(status, "text-bg-secondary")
        status_label = statuses.get(status, status)
        url = detail_url(pk) if pk in visible else ""
        if resource_kind == Resource.Kind.VEHICLE and plate:  # as Resource.__str__
            resource_name = f"{resource_name} ({plate})"
        for d in _local_days(b_start, b_end, window.first, window.last):
            entry = Entry(
                label=_clip_label(b_start, b_end, d),
                title=purpose,
                subtitle=subtitle,
                css=css,
                status_label=status_label,
                url=url,
                resource=resource_name,
            )
            days[d].entries.append(entry)
            if view == "hari":
                per_resource.setdefault(resource_id, {}).setdefault(d, []).append(entry)
    for x in blackouts:
        for d in _local_days(x.start, x.end, window.first, window.last):
            entry = Entry(
                label=_clip_label(x.start, x.end, d),
                title=x.reason,
                subtitle="",
                css=BLACKOUT_BADGE,
                status_label=str(_("Tidak tersedia")),
                resource=str(x.resource),
            )
            days[d].entries.append(entry)
            if view == "hari":
                per_resource.setdefault(x.resource_id, {}).setdefault(d, []).append(entry)
    cap = MONTH_CELL_ENTRIES if view == "bulan" and resource is None else None
    for d in days.values():
        d.entries.sort(key=lambda e: e.label)
        if cap is not None and len(d.entries) > cap:
            d.more = len(d.entries) - cap
            d.entries = d.entries[:cap]
        for entry in d.entries:  # HTML only for what is shown
            if not entry.html:
                entry.html = _entry_html(entry, show_resource=show_resource)
    for entries_by_day in per_resource.values():  # the day view's rows (not capped)
        for entries in entries_by_day.values():
            for entry in entries:
                if not entry.html:
                    entry.html = _entry_html(entry, show_resource=show_resource)
    weeks: list[list[Day]] = []
    if view == "bulan":
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(day.year, day.month):
            weeks.append([days.get(d, Day(None)) if d.month == day.month else Day(None) for d in week])
    elif view == "minggu":
        weeks.append([days[d] for d in window.days])
    resources = list(selectors.resource_list(kind)) if resource is None else [resource]
    rows = (
        [(r, per_resource.get(r.pk, {}).get(window.first, [])) for r in resources] if view == "hari" else []
    )
    if view == "bulan":
        heading = formats.BULAN[day.month - 1] + f" {day.year}"
    elif view == "minggu":
        heading = f"{formats.tanggal(window.first)} – {formats.tanggal(window.last)}"
    else:
        heading = formats.tanggal_hari(window.first)

    def url(**changes) -> str:
        params = {"jenis": kind, "tampilan": view, "tanggal": day.isoformat()}
        if resource is not None:
            params["sumber"] = resource.pk
        params.update(changes)
        return f"{reverse('bookings:calendar')}?{urlencode(params)}"

    return {
        "kind": kind,
        "kinds": Resource.Kind.choices,
        "resource": resource,
        "resources_for_filter": selectors.resource_list(kind) if resource is None else None,
        "view": view,
        "views": [(code, label, url(tampilan=code)) for code, label in VIEWS.items()],
        "day": day,
        "heading": heading,
        "weeks": weeks,
        "day_list": [d for d in days.values() if d.entries],
        "rows": rows,
        "weekday_names": [str(n) for n in WEEKDAY_NAMES],
        "previous_url": url(tanggal=_shift(view, day, -1).isoformat()),
        "next_url": url(tanggal=_shift(view, day, 1).isoformat()),
        "today_url": url(tanggal=_today().isoformat()),
        "legend": [
            (str(label), STATUS_BADGES[value])
            for value, label in Booking.Status.choices
            if value in Booking.VISIBLE
        ]
        + [(str(_("Tidak tersedia")), BLACKOUT_BADGE)],
        "booking_count": len(bookings),
    }


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
        resource = selectors.resource_get_for_user(request.user, params["sumber"])
    kind = resource.kind if resource is not None else params.get("jenis", Resource.Kind.ROOM)
    if kind not in Resource.Kind.values:
        kind = Resource.Kind.ROOM
    view = params.get("tampilan") if params.get("tampilan") in VIEWS else "bulan"
    day = _parse_date(params.get("tanggal")) or _today()
    context = calendar_context(request.user, kind=kind, resource=resource, view=view, day=day)
    template = "bookings/partials/calendar.html" if _is_htmx(request) else "bookings/calendar.html"
    response = render(request, template, context)
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
