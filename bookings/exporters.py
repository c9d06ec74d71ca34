"""Booking reports as exporters (design.md §3.8), downloaded through ``situok.views.export_download``
(``/ekspor/<identifier>/<fmt>/?tahun=2026&bulan=3``); all need ``bookings.view_booking``.

- ``bookings-utilisation``: per resource for the month — bookable hours, booked hours, utilisation.
  *Bookable hours* of a day: the resource's bookable window (``bookable_from``–``bookable_until``), or
  when it has none the office hours of the work calendar (Pergub Bali 58/2023: Monday–Thursday 07.30–16.30,
  Friday 07.30–14.30); rooms limited to working days count only working days, the others every day
  within their window (no window: working days only). *Booked hours*: approved and completed bookings,
  clipped to the month. Utilisation = booked ÷ bookable (may exceed 100 % when bookings run outside
  the window, which is itself worth seeing).
- ``bookings-per-unit``: bookings starting in the month (or the year, without ``bulan``) per requesting
  unit: total, approved/completed, pending, cancelled/bumped, rejected, no-shows, booked hours.
- ``bookings-vehicle-usage``: per vehicle for the month — trips handed over, returned, late returns, km
  driven (returned trips), litres refuelled and fuel cost (Decimal rupiah).
- ``bookings-no-show``: no-shows of the month as defined in :mod:`bookings.queries`.
- ``bookings-list``: the booking list exactly as filtered (``bookings.filters.BookingFilter``
  parameters), or the month given by ``tahun``/``bulan``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from situok import formats
from situok.exports import Column, ListExporter, register
from situok.workcalendar import working_days_in, working_hours

from .filters import BookingFilter
from .models import Booking, Resource
from .queries import month_bounds, no_show_q, no_shows, per_unit, used_spans, vehicle_usage
from .selectors import bookings_visible_to, resource_list

PERMISSION = "bookings.view_booking"
HOUR = Decimal(3600)
TWO_PLACES = Decimal("0.01")


def report_month(form_data: Mapping[str, Any]) -> tuple[int, int | None]:
    """``(year, month)`` from ``tahun``/``bulan``; no ``bulan`` → the whole year (``month=None``) only
    when ``tahun`` is given, otherwise the current month (WITA)."""
    today = timezone.localdate()
    try:
        year = int(form_data.get("tahun") or today.year)
    except (TypeError, ValueError):
        year = today.year
    if not 2000 <= year <= 2100:
        year = today.year
    raw = form_data.get("bulan")
    if not raw:
        return (year, None) if form_data.get("tahun") else (year, today.month)
    try:
        month = int(raw)
    except (TypeError, ValueError):
        return year, today.month
    return year, month if 1 <= month <= 12 else today.month


def period_bounds(year: int, month: int | None) -> tuple[dt.datetime, dt.datetime]:
    if month is None:
        return month_bounds(year, 1)[0], month_bounds(year, 12)[1]
    return month_bounds(year, month)


def period_label(year: int, month: int | None) -> str:
    if month is None:
        return gettext("Tahun %(year)s") % {"year": year}
    return f"{formats.BULAN[month - 1]} {year}"


def _hours(seconds: float | Decimal) -> Decimal:
    return (Decimal(seconds) / HOUR).quantize(TWO_PLACES)


def _minutes_between(a: dt.time, b: dt.time) -> int:
    return (b.hour * 60 + b.minute) - (a.hour * 60 + a.minute)


class _MonthExporter(ListExporter):
    permission = PERMISSION

    def subtitle(self, form_data: dict[str, Any]) -> str | None:
        return period_label(*report_month(form_data))


@register
class UtilisationExporter(_MonthExporter):
    identifier = "bookings-utilisation"
    verbose_name = _("Utilisasi ruang dan kendaraan")
    title = _("Utilisasi Ruang dan Kendaraan")
    columns = (
        Column("resource", _("Ruang / kendaraan"), "text", 34),
        Column("kind", _("Jenis"), "text", 14),
        Column("building", _("Gedung"), "text", 24),
        Column("bookings", _("Jumlah peminjaman"), "int", 12),
        Column("booked", _("Jam terpakai"), "decimal", 12),
        Column("bookable", _("Jam dapat dipinjam"), "decimal", 14),
        Column("utilisation", _("Utilisasi (%)"), "decimal", 12),
    )

    def rows(self, form_data: dict[str, Any], *, user) -> Iterable[Sequence[Any]]:
        year, month = report_month(form_data)
        start, end = period_bounds(year, month)
        first = formats.to_local(start).date()
        days = [first + dt.timedelta(days=i) for i in range((formats.to_local(end).date() - first).days)]
        working = set(working_days_in(days))
        # Office minutes per weekday from the schedule in force mid-period (one query per weekday kind).
        middle = days[len(days) // 2]
        office = {}
        for weekday in range(7):
            probe = middle + dt.timedelta(days=(weekday - middle.weekday()) % 7)
            hours = working_hours(probe) if weekday < 5 else None
            office[weekday] = _minutes_between(hours[0], hours[3]) if hours else 0
        booked: dict[int, float] = defaultdict(float)
        counts: dict[int, int] = defaultdict(int)
        for resource_id, b_start, b_end in used_spans(start, end):
            booked[resource_id] += (b_end - b_start).total_seconds()
            counts[resource_id] += 1
        kinds = dict(Resource.Kind.choices)
        for r in resource_list(form_data.get("jenis") or None, active_only=False).iterator(chunk_size=500):
            minutes = 0
            for day in days:
                if r.bookable_from is not None:
                    if r.working_days_only and day not in working:
                        continue
                    minutes += _minutes_between(r.bookable_from, r.bookable_until)
                elif day in working:
                    minutes += office[day.weekday()]
            bookable = _hours(minutes * 60)
            used = _hours(booked.get(r.pk, 0))
            ratio = (used / bookable * 100).quantize(TWO_PLACES) if bookable else None
            yield (
                str(r),
                str(kinds.get(r.kind, r.kind)),
                r.building.name if r.building_id else "",
                counts.get(r.pk, 0),
                used,
                bookable,
                ratio,
            )


@register
class PerUnitExporter(_MonthExporter):
    identifier = "bookings-per-unit"
    verbose_name = _("Peminjaman per unit")
    title = _("Peminjaman per Unit")
    columns = (
        Column("unit", _("Unit pemohon"), "text", 40),
        Column("total", _("Jumlah"), "int", 10),
        Column("used", _("Disetujui/selesai"), "int", 12),
        Column("pending", _("Menunggu"), "int", 10),
        Column("cancelled", _("Batal/digeser"), "int", 12),
        Column("rejected", _("Ditolak"), "int", 10),
        Column("no_show", _("Tidak hadir"), "int", 10),
        Column("hours", _("Jam terpakai"), "decimal", 12),
    )

    def rows(self, form_data: dict[str, Any], *, user) -> Iterable[Sequence[Any]]:
        start, end = period_bounds(*report_month(form_data))
        kind = form_data.get("jenis") or None
        units: dict[int, dict[str, Any]] = {}
        for row in per_unit(start, end, kind=kind):
            unit = units.setdefault(
                row["unit_id"], {"name": row["unit__name"], "path": row["unit__path"], "by": defaultdict(int)}
            )
            unit["by"][row["status"]] += row["n"]
        hours: dict[int, float] = defaultdict(float)
        absent: dict[int, int] = defaultdict(int)
        qs = Booking.objects.filter(start__gte=start, start__lt=end)
        if kind:
            qs = qs.filter(resource__kind=kind)
        used = qs.filter(status__in=(Booking.Status.APPROVED, Booking.Status.COMPLETED))
        for unit_id, b_start, b_end in used.values_list("unit_id", "start", "end").iterator(chunk_size=2000):
            hours[unit_id] += (b_end - b_start).total_seconds()
        for unit_id in qs.filter(no_show_q()).values_list("unit_id", flat=True).iterator(chunk_size=2000):
            absent[unit_id] += 1
        S = Booking.Status
        for unit_id, unit in sorted(units.items(), key=lambda item: item[1]["path"]):
            by = unit["by"]
            yield (
                unit["name"],
                sum(by.values()),
                by[S.APPROVED] + by[S.COMPLETED],
                by[S.PENDING],
                by[S.CANCELLED] + by[S.BUMPED],
                by[S.REJECTED],
                absent.get(unit_id, 0),
                _hours(hours.get(unit_id, 0)),
            )


@register
class VehicleUsageExporter(_MonthExporter):
    identifier = "bookings-vehicle-usage"
    verbose_name = _("Pemakaian kendaraan dinas (jarak dan bahan bakar)")
    title = _("Pemakaian Kendaraan Dinas")
    columns = (
        Column("vehicle", _("Kendaraan"), "text", 34),
        Column("fuel_type", _("Bahan bakar"), "text", 12),
        Column("trips", _("Perjalanan"), "int", 11),
        Column("returned", _("Sudah kembali"), "int", 11),
        Column("late", _("Terlambat kembali"), "int", 11),
        Column("km", _("Jarak (km)"), "int", 11),
        Column("litres", _("BBM (liter)"), "decimal", 11),
        Column("cost", _("Biaya BBM"), "money", 16),
    )

    def rows(self, form_data: dict[str, Any], *, user) -> Iterable[Sequence[Any]]:
        start, end = period_bounds(*report_month(form_data))
        usage = vehicle_usage(start, end)
        fuels = dict(Resource.FuelType.choices)
        for v in resource_list(Resource.Kind.VEHICLE, active_only=False):
            row = usage.get(v.pk)
            if row is None:
                yield (str(v), str(fuels.get(v.fuel_type, "")), 0, 0, 0, 0, Decimal("0.00"), Decimal("0"))
                continue
            km = (row["km_end"] or 0) - (row["km_start"] or 0)
            yield (
                str(v),
                str(fuels.get(v.fuel_type, "")),
                row["trips"],
                row["returned"],
                row["late"],
                km,
                row["litres"] or Decimal("0.00"),
                row["cost"] or Decimal("0"),
            )


@register
class NoShowExporter(_MonthExporter):
    identifier = "bookings-no-show"
    verbose_name = _("Peminjaman tidak hadir (no-show)")
    title = _("Peminjaman Tidak Hadir")
    columns = (
        Column("start", _("Mulai"), "datetime", 17),
        Column("resource", _("Ruang / kendaraan"), "text", 30),
        Column("requester", _("Pemohon"), "text", 28),
        Column("unit", _("Unit"), "text", 30),
        Column("purpose", _("Keperluan"), "text", 34),
        Column("reason", _("Keterangan"), "text", 30),
    )

    def rows(self, form_data: dict[str, Any], *, user) -> Iterable[Sequence[Any]]:
        start, end = period_bounds(*report_month(form_data))
        marked, never = (
            gettext("Ditandai tidak hadir oleh Operator"),
            gettext("Kendaraan tidak pernah diserahterimakan"),
        )
        for b in no_shows(start, end).iterator(chunk_size=2000):
            yield (
                b.start,
                str(b.resource),
                b.requester.name_with_titles,
                b.outside_party or b.unit.name,
                b.purpose,
                marked if b.no_show else never,
            )


@register
class BookingListExporter(ListExporter):
    identifier = "bookings-list"
    verbose_name = _("Daftar peminjaman")
    title = _("Daftar Peminjaman")
    permission = PERMISSION
    columns = (
        Column("start", _("Mulai"), "datetime", 17),
        Column("end", _("Selesai"), "datetime", 17),
        Column("resource", _("Ruang / kendaraan"), "text", 30),
        Column("requester", _("Pemohon"), "text", 28),
        Column("unit", _("Unit"), "text", 28),
        Column("purpose", _("Keperluan"), "text", 34),
        Column("participants", _("Peserta"), "int", 9),
        Column("status", _("Status"), "text", 16),
    )

    def subtitle(self, form_data: dict[str, Any]) -> str | None:
        if form_data.get("tahun") or form_data.get("bulan"):
            return period_label(*report_month(form_data))
        return None

    def rows(self, form_data: dict[str, Any], *, user) -> Iterable[Sequence[Any]]:
        qs = BookingFilter(form_data, queryset=bookings_visible_to(user)).qs
        if form_data.get("tahun") or form_data.get("bulan"):
            start, end = period_bounds(*report_month(form_data))
            qs = qs.filter(start__gte=start, start__lt=end).order_by("start", "id")
        for b in qs.iterator(chunk_size=2000):
            yield (
                b.start,
                b.end,
                str(b.resource),
                b.requester.name_with_titles,
                b.outside_party or b.unit.name,
                b.purpose,
                b.participants,
                str(b.get_status_display()),
            )
