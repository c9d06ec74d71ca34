"""Recurring bookings: SeriesRule, preview, create, approve/reject and cancelling occurrences."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from situok.approval_models import ApprovalRequest
from situok.approvals import approval_approve, approval_reject
from situok.audit import log_action
from situok.formats import tanggal

from ..models import Booking, BookingEvent, BookingSeries, BookingStatus, Resource, TripLog
from ..selectors import booking_can_manage, rule_problems
from ._common import (
    BookingError,
    _cancel_one,
    _event,
    _lock_resource,
    _open_request,
    _place,
    _refresh,
    _require_change,
    _series_close_if_empty,
    _skip_checks,
    _submit,
    _validate_file,
    conflict_message,
)
from .requests import booking_cancel

MAX_OCCURRENCES = 370  # a daily-ish series for a year; more is a typo, not a plan


# --- Recurring series -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SeriesRule:
    """Every ``interval`` weeks (same weekday) or months (same day of month; months without that day are
    left out) from ``first_date`` until ``until`` (inclusive), ``start_time``–``end_time`` WITA."""

    resource: Resource
    first_date: dt.date
    start_time: dt.time
    end_time: dt.time
    frequency: str
    until: dt.date
    interval: int = 1

    def dates(self) -> list[dt.date]:
        if self.frequency not in BookingSeries.Frequency.values:
            raise BookingError(_("Pilih pengulangan mingguan atau bulanan."), field="frequency")
        if self.interval < 1 or self.interval > 12:
            raise BookingError(_("Interval pengulangan 1 sampai 12."), field="interval")
        if self.until < self.first_date:
            raise BookingError(_("Tanggal akhir tidak boleh sebelum tanggal pertama."), field="until")
        out: list[dt.date] = []
        if self.frequency == BookingSeries.Frequency.WEEKLY:
            day = self.first_date
            while day <= self.until:
                out.append(day)
                day += dt.timedelta(weeks=self.interval)
                if len(out) > MAX_OCCURRENCES:
                    break
        else:
            n = 0
            while True:
                month_index = self.first_date.month - 1 + n * self.interval
                year, month = self.first_date.year + month_index // 12, month_index % 12 + 1
                if dt.date(year, month, 1) > self.until:
                    break
                try:
                    day = dt.date(year, month, self.first_date.day)
                except ValueError:  # 31st in a 30-day month
                    day = None
                if day is not None and day <= self.until:
                    out.append(day)
                n += 1
                if len(out) > MAX_OCCURRENCES:
                    break
        if len(out) > MAX_OCCURRENCES:
            raise BookingError(
                _("Terlalu banyak kejadian (lebih dari %(n)s); perpendek rentang tanggal.")
                % {"n": MAX_OCCURRENCES},
                field="until",
            )
        return out

    def ranges(self) -> list[tuple[dt.datetime, dt.datetime]]:
        if self.end_time <= self.start_time:
            raise BookingError(_("Jam selesai harus setelah jam mulai."), field="end_time")
        tz = timezone.get_default_timezone()
        return [
            (
                timezone.make_aware(dt.datetime.combine(d, self.start_time), tz),
                timezone.make_aware(dt.datetime.combine(d, self.end_time), tz),
            )
            for d in self.dates()
        ]


@dataclass
class Occurrence:
    start: dt.datetime
    end: dt.datetime
    conflicts: list[Booking] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.conflicts and not self.problems

    @property
    def date(self) -> dt.date:
        return timezone.localtime(self.start).date()

    @property
    def conflict_text(self) -> str:
        if self.conflicts:
            return conflict_message(None, self.conflicts)
        return " ".join(self.problems)


def series_preview(rule: SeriesRule, *, participants: int = 1, by=None) -> list[Occurrence]:
    """Each occurrence of ``rule`` with its conflicts (holding bookings) and broken rules (holidays,
    blackouts, hours …). A few queries for the whole series."""
    ranges = rule.ranges()
    if not ranges:
        return []
    resource = rule.resource
    first, last = ranges[0][0], ranges[-1][1]
    buffer = dt.timedelta(minutes=resource.buffer_minutes)
    holding = list(
        Booking.objects.filter(
            resource=resource, holds_slot=True, start__lt=last + buffer, block_end__gt=first
        )
        .select_related("resource", "requester", "unit")
        .order_by("start")
    )
    out = []
    for start, end in ranges:
        occ = Occurrence(start, end)
        occ.conflicts = [b for b in holding if b.start < end + buffer and start < b.block_end]
        occ.problems = [m for _f, m in rule_problems(resource, start, end, participants=participants, by=by)]
        out.append(occ)
    return out


@transaction.atomic
def series_create(
    *,
    rule: SeriesRule,
    requester,
    unit=None,
    purpose: str,
    participants: int = 1,
    attachment=None,
    by,
    skip_conflicts: bool = False,
    request=None,
) -> BookingSeries:
    """Create a recurring booking in one request (one approval for the series). Occurrences that
    conflict or break a rule are refused, unless ``skip_conflicts`` — then they are left out and listed
    in ``series.skipped``."""
    manager = booking_can_manage(by)
    if not manager and getattr(requester, "user_id", None) != by.pk:
        raise BookingError(_("Anda hanya dapat mengajukan peminjaman atas nama sendiri."), field="requester")
    purpose = (purpose or "").strip()
    if not purpose:
        raise BookingError(_("Tuliskan keperluan peminjaman."), field="purpose")
    resource = _lock_resource(rule.resource) if not _skip_checks() else rule.resource
    rule = SeriesRule(**{**rule.__dict__, "resource": resource})
    occurrences = series_preview(rule, participants=participants, by=by)
    bad = [o for o in occurrences if not o.ok]
    if bad and not skip_conflicts:
        conflicts = [b for o in bad for b in o.conflicts]
        lines = "; ".join(f"{tanggal(o.date)}: {o.conflict_text}" for o in bad[:5])
        raise BookingError(
            _("%(n)s kejadian bentrok atau tidak memenuhi aturan: %(lines)s")
            % {"n": len(bad), "lines": lines},
            field="first_date",
            conflicts=conflicts,
        )
    good = [o for o in occurrences if o.ok]
    if not good:
        raise BookingError(_("Tidak ada kejadian yang dapat dipesan pada rentang ini."), field="first_date")
    series = BookingSeries.objects.create(
        resource=resource,
        requester=requester,
        unit=unit or requester.unit,
        purpose=purpose[:255],
        participants=participants,
        frequency=rule.frequency,
        interval=rule.interval,
        first_date=rule.first_date,
        until=rule.until,
        start_time=rule.start_time,
        end_time=rule.end_time,
        skipped=[o.date.isoformat() for o in bad],
        created_by=by,
    )
    content = _validate_file(attachment, "attachment")
    for occ in good:
        booking = Booking(
            resource=resource,
            requester=requester,
            unit=series.unit,
            start=occ.start,
            end=occ.end,
            purpose=series.purpose,
            participants=participants,
            status=BookingStatus.PENDING,
            series=series,
            created_by=by,
        )
        if content is not None:
            booking.attachment.name = ""
            if occ is good[0]:
                booking.attachment.save(content.name, content, save=False)
                stored = booking.attachment.name
            else:
                booking.attachment.name = stored
        _place(booking)
        _event(booking, BookingEvent.Kind.CREATED, by=by, data={"series": series.pk})
    log_action(
        series,
        "bookings.series.created",
        by=by,
        request=request,
        data={"occurrences": len(good), "skipped": series.skipped},
    )
    _submit(series, by=by, document_type="bookings-series", request=request)
    return series


def _series_pending_request(series: BookingSeries) -> ApprovalRequest:
    req = _open_request(series)
    if req is None or req.status != ApprovalRequest.Status.PENDING:
        raise BookingError(_("Seri ini tidak sedang menunggu persetujuan."))
    return req


@transaction.atomic
def series_approve(series: BookingSeries, *, by, note: str = "", request=None) -> BookingSeries:
    approval_approve(_series_pending_request(series), by=by, note=note, request=request)
    series.refresh_from_db()
    return series


@transaction.atomic
def series_reject(series: BookingSeries, *, by, note: str, request=None) -> BookingSeries:
    approval_reject(_series_pending_request(series), by=by, note=note, request=request)
    series.refresh_from_db()
    return series


def _series_cancel_pending(series: BookingSeries, *, by, reason: str) -> None:
    active = list(series.occurrences.filter(status__in=Booking.ACTIVE))
    for occ in active:
        _cancel_one(occ, by=by, reason=reason)
        _event(occ, BookingEvent.Kind.CANCELLED, by=by, note=reason)
    BookingSeries.objects.filter(pk=series.pk).update(
        status=BookingSeries.Status.CANCELLED, updated_at=timezone.now()
    )


@transaction.atomic
def occurrence_cancel(booking: Booking, *, by, reason: str = "", request=None) -> Booking:
    """Cancel one occurrence of a series (the others stay)."""
    return booking_cancel(booking, by=by, reason=reason, request=request)


@transaction.atomic
def series_cancel_from(occurrence: Booking, *, by, reason: str = "", request=None) -> list[Booking]:
    """Cancel ``occurrence`` and every later active occurrence of its series."""
    occurrence = _refresh(occurrence)
    if occurrence.series_id is None:
        raise BookingError(_("Peminjaman ini bukan bagian dari seri."))
    _require_change(occurrence, by)
    series = occurrence.series
    reason = (reason or "").strip()
    later = list(
        series.occurrences.filter(status__in=Booking.ACTIVE, start__gte=occurrence.start)
        .select_related("requester", "unit", "resource")
        .order_by("start")
    )
    if TripLog.objects.filter(booking__in=later).exists():
        raise BookingError(_("Ada kejadian yang kendaraannya sudah diserahterimakan."))
    for occ in later:
        _cancel_one(occ, by=by, reason=reason)
        _event(occ, BookingEvent.Kind.CANCELLED, by=by, note=reason, data={"series_from": occurrence.pk})
    log_action(
        series,
        "bookings.series.cancelled_from",
        by=by,
        request=request,
        data={"from": occurrence.start, "cancelled": [b.pk for b in later], "reason": reason},
    )
    _series_close_if_empty(series, by=by)
    return later
