"""Every write of bookings/: requests, approval, cancellation, rescheduling, bumping, drivers,
blackouts, recurring series and the vehicle trip log.

No double booking
-----------------
Each write that can make a booking hold its slot runs ``_place`` inside one transaction:

1. lock the resource row (``SELECT … FOR UPDATE``), then the driver row when a driver is involved —
   always in that order, so two writers never wait on each other in a cycle;
2. check the booking rules and query the holding bookings that overlap (with the resource's buffer);
3. write, inside a savepoint; on PostgreSQL the exclusion constraints back the check up, and an
   ``IntegrityError`` from them becomes the same clear :class:`BookingError`.

On SQLite ``select_for_update`` is a no-op, but every transaction starts ``BEGIN IMMEDIATE``
(settings), so writers are serialised and the check in step 2 decides.

The setting ``BOOKINGS_UNSAFE_SKIP_CONFLICT_CHECK`` switches steps 1–2 off; it exists only for the
race tests' control run (which must show double bookings once the constraints are dropped too).

Where the approval engine decides (the shared inbox), its hooks call back into this module
(:func:`booking_on_approved`, :func:`booking_on_rejected`, :func:`booking_on_changed` and the series
equivalents); :class:`BookingError` subclasses ``ApprovalError`` so the inbox shows its message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from situok.approval_models import ApprovalAction, ApprovalAssignment, ApprovalRequest
from situok.approvals import ApprovalError, approval_approve, approval_reject, approval_submit
from situok.audit import diff, log_action, snapshot
from situok.formats import tanggal
from situok.uploads import clean_upload

from .models import (
    Blackout,
    Booking,
    BookingEvent,
    BookingSeries,
    BookingStatus,
    Driver,
    FuelLevel,
    Resource,
    TripLog,
    TripLogPhoto,
)
from .selectors import _span_text, booking_can_change, booking_can_manage, booking_conflicts, rule_problems

__all__ = [
    "BookingError",
    "Occurrence",
    "SeriesRule",
    "blackout_create",
    "blackout_delete",
    "booking_approve",
    "booking_bump",
    "booking_cancel",
    "booking_mark_no_show",
    "booking_reject",
    "booking_request",
    "booking_reschedule",
    "booking_update",
    "bookings_complete_past",
    "driver_assign",
    "driver_save",
    "occurrence_cancel",
    "resource_save",
    "series_approve",
    "series_cancel_from",
    "series_create",
    "series_preview",
    "series_reject",
    "trip_handover",
    "trip_return",
]

TRIP_STATUSES_FOR_VEHICLE = ("approved", "numbered", "travelling")
MAX_OCCURRENCES = 370  # a daily-ish series for a year; more is a typo, not a plan


class BookingError(ApprovalError):
    """A booking rule was broken. ``message`` is translated; ``field`` names the form field;
    ``conflicts`` lists the bookings it collided with. An ``ApprovalError`` so the shared inbox shows it."""

    def __init__(self, message: str, *, field: str | None = None, conflicts: Iterable[Booking] = ()):
        super().__init__(message, field=field)
        self.conflicts = list(conflicts)


# --- Helpers ----------------------------------------------------------------------------------------
def _skip_checks() -> bool:
    return bool(getattr(settings, "BOOKINGS_UNSAFE_SKIP_CONFLICT_CHECK", False))


def _holds(status: str, resource: Resource, priority: bool) -> bool:
    if status in (BookingStatus.APPROVED, BookingStatus.COMPLETED):
        return True
    return status == BookingStatus.PENDING and (resource.holds_pending or priority)


def _who(booking: Booking) -> str:
    name = booking.requester.name_with_titles
    if booking.outside_party:
        name = f"{booking.outside_party} ({name})"
    return f"{name}, {booking.unit.name}" if booking.unit_id else name


def conflict_message(booking_or_resource, conflicts: list[Booking], *, driver: Driver | None = None) -> str:
    """``Waktu ini bentrok dengan peminjaman … oleh …`` naming the first conflict (and how many more)."""
    first = conflicts[0]
    if (
        driver is not None
        and first.driver_id == driver.pk
        and first.resource_id
        != getattr(booking_or_resource, "resource_id", getattr(booking_or_resource, "pk", None))
    ):
        message = _(
            "Pengemudi %(driver)s sudah ditugaskan pada %(span)s (%(resource)s, peminjaman oleh %(who)s)."
        ) % {
            "driver": driver.employee.name_with_titles,
            "span": _span_text(first.start, first.end),
            "resource": first.resource,
            "who": _who(first),
        }
    else:
        message = _(
            "Waktu ini bentrok dengan peminjaman %(resource)s pada %(span)s oleh %(who)s (%(status)s)."
        ) % {
            "resource": first.resource,
            "span": _span_text(first.start, first.end),
            "who": _who(first),
            "status": first.get_status_display().lower(),
        }
    if len(conflicts) > 1:
        message += " " + _("Ada %(n)s peminjaman lain yang juga bentrok.") % {"n": len(conflicts) - 1}
    return message


def _lock_resource(resource: Resource | int) -> Resource:
    pk = getattr(resource, "pk", resource)
    return Resource.objects.select_for_update().get(pk=pk)


def _lock_driver(driver: Driver | int | None) -> Driver | None:
    if driver is None:
        return None
    pk = getattr(driver, "pk", driver)
    return Driver.objects.select_for_update().select_related("employee").get(pk=pk)


def _event(booking: Booking, kind: str, *, by=None, note: str = "", data: dict | None = None) -> BookingEvent:
    return BookingEvent.objects.create(booking=booking, kind=kind, by=by, note=note or "", data=data or {})


def _log(booking: Booking, verb: str, *, by, request=None, data: dict | None = None, changes=None) -> None:
    log_action(
        booking,
        f"bookings.booking.{verb}",
        by=by,
        request=request,
        data=data,
        changes=changes,
        label=f"{booking.resource} {_span_text(booking.start, booking.end)}",
    )


def _raise_first(problems: list[tuple[str | None, str]]) -> None:
    if problems:
        field_name, message = problems[0]
        raise BookingError(message, field=field_name)


def _validate_file(upload, field_name: str, kinds=("pdf", "jpeg", "png")):
    if not upload:
        return None
    try:
        cleaned = clean_upload(upload, kinds=kinds)
    except ValidationError as exc:
        raise BookingError(" ".join(exc.messages), field=field_name) from exc
    return cleaned.content


def _check_driver(driver: Driver | None, resource: Resource, start: dt.datetime, end: dt.datetime) -> None:
    if driver is None:
        return
    if not resource.is_vehicle:
        raise BookingError(_("Pengemudi hanya untuk peminjaman kendaraan."), field="driver")
    if not driver.is_active:
        raise BookingError(_("Pengemudi %(name)s tidak aktif.") % {"name": driver}, field="driver")
    last_day = timezone.localtime(end - dt.timedelta(microseconds=1)).date()
    if not driver.licence_valid_on(last_day):
        raise BookingError(
            _("SIM pengemudi %(name)s berlaku sampai %(date)s, sebelum tanggal perjalanan.")
            % {"name": driver, "date": tanggal(driver.licence_expiry)},
            field="driver",
        )


def _conflict_error(booking: Booking, conflicts: list[Booking], driver: Driver | None) -> BookingError:
    driver_clash = (
        driver is not None
        and conflicts[0].driver_id == driver.pk
        and conflicts[0].resource_id != booking.resource_id
    )
    return BookingError(
        conflict_message(booking, conflicts, driver=driver),
        field="driver" if driver_clash else "start",
        conflicts=conflicts,
    )


def _place(
    booking: Booking, *, fields: list[str] | None = None, check_rules: bool = False, by=None
) -> Booking:
    """Lock, check and write ``booking`` (insert when ``fields`` is None, else update those fields).

    The caller has set ``status``/``start``/``end``/``driver``; this sets ``block_end`` and
    ``holds_slot``. Raises :class:`BookingError` on a conflict (never an ``IntegrityError``).

    The rules and a first conflict check run before the lock: a conflict already committed is final
    (refusing it then is the same as refusing it a moment later), so refused requests do not queue on
    the resource row; only the re-check under the lock decides for the others.
    """
    skip = _skip_checks()
    if check_rules:
        _raise_first(
            rule_problems(
                booking.resource, booking.start, booking.end, participants=booking.participants, by=by
            )
        )
    # Every active booking is checked (a pending request that could never be approved is refused
    # at once); only holding ones take the lock and are guarded by the constraint.
    if booking.status in Booking.ACTIVE and not skip:
        conflicts = booking_conflicts(
            booking.resource, booking.start, booking.end, driver=booking.driver, exclude=booking.pk
        )
        if conflicts:
            raise _conflict_error(booking, conflicts, booking.driver)
    resource = booking.resource if skip else _lock_resource(booking.resource_id)
    booking.resource = resource
    driver = booking.driver if (skip or booking.driver_id is None) else _lock_driver(booking.driver_id)
    if driver is not None:
        booking.driver = driver
    booking.block_end = booking.end + dt.timedelta(minutes=resource.buffer_minutes)
    booking.holds_slot = _holds(booking.status, resource, booking.priority)
    if booking.holds_slot and not skip:
        conflicts = booking_conflicts(resource, booking.start, booking.end, driver=driver, exclude=booking.pk)
        if conflicts:
            raise _conflict_error(booking, conflicts, driver)
    try:
        with transaction.atomic():
            if fields is None:
                booking.save(force_insert=True)
            else:
                booking.save(update_fields=[*fields, "block_end", "holds_slot", "updated_at"])
    except IntegrityError as exc:
        conflicts = booking_conflicts(resource, booking.start, booking.end, driver=driver, exclude=booking.pk)
        if not conflicts:  # another integrity problem: not ours to explain
            raise
        raise _conflict_error(booking, conflicts, driver) from exc
    return booking


def _refresh(booking: Booking) -> Booking:
    return Booking.objects.select_related(
        "resource__building", "requester__unit", "unit", "driver__employee", "series", "created_by"
    ).get(pk=booking.pk)


# --- Approval bridge --------------------------------------------------------------------------------
def _open_request(obj, *, lock: bool = False) -> ApprovalRequest | None:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    qs = ApprovalRequest.objects.filter(
        content_type=content_type, object_id=obj.pk, status__in=ApprovalRequest.OPEN
    ).select_related("requester_employee")
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.order_by("-submitted_at", "-id").first()


def _close_request(req: ApprovalRequest | None, *, by, note: str = "") -> None:
    """Close an open approval request because the booking ended outside the engine (cancelled, bumped,
    rescheduled): the same conditional UPDATE the engine uses, plus an action row for the history."""
    if req is None:
        return
    updated = ApprovalRequest.objects.filter(pk=req.pk, status__in=ApprovalRequest.OPEN).update(
        status=ApprovalRequest.Status.CANCELLED, finished_at=timezone.now(), version=F("version") + 1
    )
    if not updated:
        return
    ApprovalAssignment.objects.filter(request=req, is_current=True).update(is_current=False)
    step = req.chain[req.current_index] if req.current_index < len(req.chain) else None
    ApprovalAction.objects.create(
        request=req,
        step_index=req.current_index,
        step_name=step["name"] if step else "",
        actor=by,
        decision=ApprovalAction.Decision.CANCELLED,
        note=note,
    )


def _submit(obj, *, by, document_type: str, request=None) -> ApprovalRequest:
    from .approval import ensure_booking_policies

    ensure_booking_policies()
    return approval_submit(obj, by=by, document_type=document_type, request=request)


def _decider(req: ApprovalRequest, decision: str):
    action = (
        ApprovalAction.objects.filter(request=req, decision=decision)
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    return action.actor if action is not None else None


def booking_on_approved(booking: Booking, req: ApprovalRequest) -> None:
    """Engine hook (final approval): the booking takes its slot — re-checked under the lock."""
    booking = Booking.objects.select_related("requester", "unit").get(pk=booking.pk)
    if booking.status != BookingStatus.PENDING:
        raise BookingError(
            _("Peminjaman ini tidak lagi menunggu persetujuan (%(status)s).")
            % {"status": booking.get_status_display().lower()}
        )
    by = _decider(req, ApprovalAction.Decision.APPROVED)
    booking.status = BookingStatus.APPROVED
    booking.decided_at, booking.decided_by = timezone.now(), by
    _place(booking, fields=["status", "decided_at", "decided_by"])
    _event(booking, BookingEvent.Kind.APPROVED, by=by)
    _log(booking, "approved", by=by)


def booking_on_rejected(booking: Booking, req: ApprovalRequest) -> None:
    booking = Booking.objects.select_related("resource").get(pk=booking.pk)
    if booking.status != BookingStatus.PENDING:
        return
    by = _decider(req, ApprovalAction.Decision.REJECTED)
    action = ApprovalAction.objects.filter(request=req, decision=ApprovalAction.Decision.REJECTED).last()
    Booking.objects.filter(pk=booking.pk).update(
        status=BookingStatus.REJECTED,
        holds_slot=False,
        decided_at=timezone.now(),
        decided_by=by,
        updated_at=timezone.now(),
    )
    _event(booking, BookingEvent.Kind.REJECTED, by=by, note=action.note if action else "")
    _log(booking, "rejected", by=by)


def booking_on_changed(booking: Booking, req: ApprovalRequest) -> None:
    """Mirror the engine's end states the engine reached by itself (withdrawn/cancelled in the inbox)."""
    if req.status in (ApprovalRequest.Status.CANCELLED, ApprovalRequest.Status.WITHDRAWN):
        current = Booking.objects.filter(pk=booking.pk, status=BookingStatus.PENDING)
        if current.update(status=BookingStatus.CANCELLED, holds_slot=False, cancelled_at=timezone.now()):
            _event(booking, BookingEvent.Kind.CANCELLED, by=req.requester)
            _log(booking, "cancelled", by=req.requester)


def series_on_approved(series: BookingSeries, req: ApprovalRequest) -> None:
    """Engine hook: approve every pending occurrence, re-checking each under the lock; an occurrence
    taken meanwhile is rejected (and recorded) rather than failing the whole series."""
    by = _decider(req, ApprovalAction.Decision.APPROVED)
    series = BookingSeries.objects.select_for_update().get(pk=series.pk)
    if series.status != BookingSeries.Status.PENDING:
        raise BookingError(_("Seri peminjaman ini tidak lagi menunggu persetujuan."))
    _lock_resource(series.resource_id)
    now = timezone.now()
    for occ in series.occurrences.filter(status=BookingStatus.PENDING).select_related("requester", "unit"):
        occ.status = BookingStatus.APPROVED
        occ.decided_at, occ.decided_by = now, by
        try:
            with transaction.atomic():
                _place(occ, fields=["status", "decided_at", "decided_by"])
        except BookingError as exc:
            Booking.objects.filter(pk=occ.pk).update(
                status=BookingStatus.REJECTED, holds_slot=False, decided_at=now, decided_by=by
            )
            _event(occ, BookingEvent.Kind.REJECTED, by=by, note=exc.message)
            continue
        _event(occ, BookingEvent.Kind.APPROVED, by=by)
    series.status = BookingSeries.Status.APPROVED
    series.save(update_fields=["status", "updated_at"])
    log_action(series, "bookings.series.approved", by=by)


def series_on_rejected(series: BookingSeries, req: ApprovalRequest) -> None:
    by = _decider(req, ApprovalAction.Decision.REJECTED)
    now = timezone.now()
    pending = list(series.occurrences.filter(status=BookingStatus.PENDING))
    Booking.objects.filter(pk__in=[b.pk for b in pending]).update(
        status=BookingStatus.REJECTED, holds_slot=False, decided_at=now, decided_by=by
    )
    BookingEvent.objects.bulk_create(
        BookingEvent(booking=b, kind=BookingEvent.Kind.REJECTED, by=by) for b in pending
    )
    BookingSeries.objects.filter(pk=series.pk).update(status=BookingSeries.Status.REJECTED, updated_at=now)
    log_action(series, "bookings.series.rejected", by=by)


def series_on_changed(series: BookingSeries, req: ApprovalRequest) -> None:
    if req.status in (ApprovalRequest.Status.CANCELLED, ApprovalRequest.Status.WITHDRAWN):
        _series_cancel_pending(series, by=req.requester, reason="")


# --- Requests ---------------------------------------------------------------------------------------
@transaction.atomic
def booking_request(
    *,
    resource: Resource,
    requester,
    unit=None,
    start: dt.datetime,
    end: dt.datetime,
    purpose: str,
    participants: int = 1,
    attachment=None,
    destination: str = "",
    passengers: str = "",
    needs_driver: bool = False,
    driver: Driver | None = None,
    trip=None,
    outside_party: str = "",
    outside_contact: str = "",
    outside_letter=None,
    priority: bool = False,
    bump_reason: str = "",
    by,
    request=None,
) -> Booking:
    """Request ``resource`` for ``[start, end)`` and submit it for approval.

    Outside parties (another agency) are recorded by the Operator Peminjaman with their letter.
    ``priority``/``bump_reason`` (Operator only) mark a leadership event; with ``bump_reason`` the
    bookings in the way are bumped (their requesters notified) in the same transaction.
    """
    manager = booking_can_manage(by)
    purpose = (purpose or "").strip()
    if not purpose:
        raise BookingError(_("Tuliskan keperluan peminjaman."), field="purpose")
    if requester is None:
        raise BookingError(_("Pemohon belum terdaftar sebagai pegawai."), field="requester")
    if not manager and getattr(requester, "user_id", None) != by.pk:
        raise BookingError(_("Anda hanya dapat mengajukan peminjaman atas nama sendiri."), field="requester")
    if (priority or bump_reason) and not manager:
        raise BookingError(
            _("Hanya Operator Peminjaman yang dapat menetapkan acara pimpinan."), field="priority"
        )
    outside_party = (outside_party or "").strip()
    if outside_party:
        if not manager:
            raise BookingError(
                _("Peminjaman oleh pihak luar dicatat oleh Operator Peminjaman."), field="outside_party"
            )
        if not resource.outside_parties_allowed:
            raise BookingError(
                _("%(resource)s tidak dapat dipinjam oleh pihak luar.") % {"resource": resource.name},
                field="outside_party",
            )
        if not outside_letter:
            raise BookingError(_("Lampirkan surat permohonan dari pihak luar."), field="outside_letter")
    if trip is not None:
        if not resource.is_vehicle:
            raise BookingError(_("SPT hanya dapat dikaitkan dengan peminjaman kendaraan."), field="trip")
        if trip.status not in TRIP_STATUSES_FOR_VEHICLE:
            raise BookingError(_("SPT yang dikaitkan harus sudah disetujui."), field="trip")
    if driver is not None and not manager:
        raise BookingError(_("Pengemudi ditugaskan oleh Operator Peminjaman."), field="driver")
    _check_driver(driver, resource, start, end)
    booking = Booking(
        resource=resource,
        requester=requester,
        unit=unit or requester.unit,
        start=start,
        end=end,
        purpose=purpose[:255],
        participants=participants,
        destination=(destination or "").strip() if resource.is_vehicle else "",
        passengers=(passengers or "").strip() if resource.is_vehicle else "",
        needs_driver=bool(needs_driver or driver) if resource.is_vehicle else False,
        driver=driver,
        trip=trip,
        outside_party=outside_party,
        outside_contact=(outside_contact or "").strip(),
        priority=bool(priority or bump_reason),
        status=BookingStatus.PENDING,
        created_by=by,
    )
    content = _validate_file(attachment, "attachment")
    if content is not None:
        booking.attachment.save(content.name, content, save=False)
    letter = _validate_file(outside_letter, "outside_letter")
    if letter is not None:
        booking.outside_letter.save(letter.name, letter, save=False)
    if bump_reason and not _skip_checks():
        locked = _lock_resource(resource)
        _raise_first(rule_problems(locked, start, end, participants=participants, by=by))
        booking.resource = locked
        _bump_conflicts(booking, by=by, reason=bump_reason, request=request)
    _place(booking, check_rules=not _skip_checks(), by=by)
    _event(booking, BookingEvent.Kind.CREATED, by=by, data={"start": start, "end": end})
    _log(
        booking,
        "created",
        by=by,
        request=request,
        data={"resource": resource.pk, "start": start, "end": end, "outside_party": outside_party},
    )
    _submit(booking, by=by, document_type="bookings-booking", request=request)
    return booking


@transaction.atomic
def booking_update(
    booking: Booking,
    *,
    by,
    request=None,
    purpose: str | None = None,
    participants: int | None = None,
    attachment=None,
    destination: str | None = None,
    passengers: str | None = None,
    needs_driver: bool | None = None,
) -> Booking:
    """Change the details (not the time) of an active booking."""
    booking = _refresh(booking)
    _require_change(booking, by)
    if booking.status not in Booking.ACTIVE:
        raise BookingError(_("Peminjaman yang sudah selesai atau dibatalkan tidak dapat diubah."))
    fields = ["purpose", "participants", "destination", "passengers", "needs_driver"]
    before = snapshot(booking, fields)
    if purpose is not None:
        if not purpose.strip():
            raise BookingError(_("Tuliskan keperluan peminjaman."), field="purpose")
        booking.purpose = purpose.strip()[:255]
    if participants is not None:
        _raise_first(
            [
                p
                for p in rule_problems(
                    booking.resource,
                    booking.start,
                    booking.end,
                    participants=participants,
                    by=by,
                    check_calendar=False,
                )
                if p[0] == "participants"
            ]
        )
        booking.participants = participants
    if booking.resource.is_vehicle:
        if destination is not None:
            booking.destination = destination.strip()
        if passengers is not None:
            booking.passengers = passengers.strip()
        if needs_driver is not None:
            booking.needs_driver = bool(needs_driver)
    content = _validate_file(attachment, "attachment")
    if content is not None:
        booking.attachment.save(content.name, content, save=False)
        fields.append("attachment")
    booking.save(update_fields=[*fields, "updated_at"])
    changes = diff(before, snapshot(booking, fields[:5]))
    _event(booking, BookingEvent.Kind.CHANGED, by=by, data={"changes": changes})
    _log(booking, "changed", by=by, request=request, changes=changes)
    return booking


def _require_change(booking: Booking, by) -> None:
    if not booking_can_change(by, booking):
        raise BookingError(_("Anda tidak berwenang mengubah peminjaman ini."))


@transaction.atomic
def booking_reschedule(
    booking: Booking, *, start: dt.datetime, end: dt.datetime, by, request=None
) -> Booking:
    """Move an active booking. The Operator keeps its status; a requester's approved booking goes back
    to pending with a new approval request (its slot is then held only as pending requests are)."""
    booking = _refresh(booking)
    _require_change(booking, by)
    if booking.status not in Booking.ACTIVE:
        raise BookingError(_("Hanya peminjaman yang masih berlaku yang dapat dijadwalkan ulang."))
    if booking.series_id and booking.series.status == BookingSeries.Status.PENDING:
        raise BookingError(_("Jadwal ulang satu kejadian setelah seri disetujui."))
    manager = booking_can_manage(by)
    # Lock order: approval request first (as the engine does when approving), then the resource.
    req = _open_request(booking, lock=True)
    _check_driver(booking.driver, booking.resource, start, end)
    old = {"start": booking.start, "end": booking.end, "status": booking.status}
    booking.start, booking.end = start, end
    resubmit = False
    if not manager and booking.status == BookingStatus.APPROVED:
        booking.status, booking.decided_at, booking.decided_by = BookingStatus.PENDING, None, None
        resubmit = True
    _place(booking, fields=["start", "end", "status", "decided_at", "decided_by"], check_rules=True, by=by)
    data = {"from": [old["start"], old["end"]], "to": [start, end]}
    _event(booking, BookingEvent.Kind.CHANGED, by=by, note=_("Dijadwalkan ulang."), data=data)
    _log(booking, "rescheduled", by=by, request=request, data=data)
    if resubmit:
        _close_request(req, by=by)
        _submit(booking, by=by, document_type="bookings-booking", request=request)
        _event(booking, BookingEvent.Kind.SUBMITTED, by=by)
    elif req is not None:
        # Keep the inbox title in step with the new time.
        from .approval import booking_title

        ApprovalRequest.objects.filter(pk=req.pk).update(title=booking_title(booking)[:255])
    return booking


def _pending_request(booking: Booking) -> ApprovalRequest:
    if booking.series_id:
        raise BookingError(_("Kejadian dari peminjaman berulang disetujui melalui serinya."))
    req = _open_request(booking)
    if req is None or req.status != ApprovalRequest.Status.PENDING:
        raise BookingError(_("Peminjaman ini tidak sedang menunggu persetujuan."))
    return req


@transaction.atomic
def booking_approve(booking: Booking, *, by, note: str = "", request=None) -> Booking:
    """Approve the current step through the shared approval engine (the final step takes the slot)."""
    approval_approve(_pending_request(booking), by=by, note=note, request=request)
    return _refresh(booking)


@transaction.atomic
def booking_reject(booking: Booking, *, by, note: str, request=None) -> Booking:
    approval_reject(_pending_request(booking), by=by, note=note, request=request)
    return _refresh(booking)


def _cancel_one(booking: Booking, *, by, reason: str, status: str = BookingStatus.CANCELLED) -> None:
    now = timezone.now()
    Booking.objects.filter(pk=booking.pk).update(
        status=status,
        holds_slot=False,
        cancelled_at=now,
        cancelled_by=by,
        cancel_reason=reason,
        updated_at=now,
    )
    booking.status, booking.holds_slot, booking.cancelled_at = status, False, now
    booking.cancelled_by, booking.cancel_reason = by, reason


@transaction.atomic
def booking_cancel(booking: Booking, *, by, reason: str = "", request=None) -> Booking:
    """Cancel an active booking (the requester, whoever filed it, or the Operator)."""
    booking = _refresh(booking)
    _require_change(booking, by)
    if booking.status not in Booking.ACTIVE:
        raise BookingError(
            _("Peminjaman berstatus %(status)s tidak dapat dibatalkan.")
            % {"status": booking.get_status_display().lower()}
        )
    if hasattr(booking, "trip_log"):
        raise BookingError(_("Kendaraan sudah diserahterimakan; catat pengembaliannya."))
    reason = (reason or "").strip()
    if booking.series_id is None:
        _close_request(_open_request(booking, lock=True), by=by, note=reason)
    _cancel_one(booking, by=by, reason=reason)
    _event(booking, BookingEvent.Kind.CANCELLED, by=by, note=reason)
    _log(booking, "cancelled", by=by, request=request, data={"reason": reason})
    if booking.series_id:
        _series_close_if_empty(booking.series, by=by)
    return booking


def _bump_conflicts(booking: Booking, *, by, reason: str, request=None) -> list[Booking]:
    """Bump every holding booking in ``booking``'s way (resource lock already held)."""
    from situok.notifications import notify_many

    resource = booking.resource
    conflicts = booking_conflicts(
        resource, booking.start, booking.end, driver=booking.driver, exclude=booking.pk
    )
    if not conflicts:
        return []
    for req in [_open_request(b, lock=True) for b in conflicts if b.series_id is None]:
        _close_request(req, by=by, note=reason)
    for other in conflicts:
        _cancel_one(other, by=by, reason=reason, status=BookingStatus.BUMPED)
        _event(other, BookingEvent.Kind.BUMPED, by=by, note=reason, data={"by_booking": booking.pk})
        _log(other, "bumped", by=by, request=request, data={"reason": reason, "by_booking": booking.pk})
        recipients = {u for u in (other.requester.user, other.created_by) if u is not None}
        from .approval import booking_url

        notify_many(
            sorted(recipients, key=lambda u: u.pk),
            "reminder",
            category="booking",
            context={
                "reminder_title": _("Peminjaman %(resource)s digeser acara pimpinan")
                % {"resource": other.resource},
                "reminder_text": _(
                    "Peminjaman %(resource)s pada %(span)s untuk %(purpose)s dibatalkan karena "
                    "didahulukan untuk acara pimpinan. Alasan: %(reason)s"
                )
                % {
                    "resource": other.resource,
                    "span": _span_text(other.start, other.end),
                    "purpose": other.purpose,
                    "reason": reason,
                },
            },
            url=booking_url(other),
        )
    return conflicts


@transaction.atomic
def booking_bump(booking: Booking, *, by, reason: str, request=None) -> list[Booking]:
    """The Operator Peminjaman gives ``booking`` (a leadership event) precedence: the bookings in its way
    are marked bumped and their requesters notified; ``booking`` becomes a priority request holding
    its slot while it goes through approval (or keeps its approval)."""
    if not booking_can_manage(by):
        raise BookingError(_("Hanya Operator Peminjaman yang dapat menggeser peminjaman."))
    reason = (reason or "").strip()
    if not reason:
        raise BookingError(_("Tuliskan alasan penggeseran."), field="reason")
    booking = _refresh(booking)
    if booking.status not in Booking.ACTIVE:
        raise BookingError(_("Hanya peminjaman yang masih berlaku yang dapat didahulukan."))
    # Lock order: the approval requests of those in the way, then the resource (as the engine does).
    in_way = booking_conflicts(
        booking.resource, booking.start, booking.end, driver=booking.driver, exclude=booking.pk
    )
    for other in in_way:
        if other.series_id is None:
            _open_request(other, lock=True)
    booking.resource = _lock_resource(booking.resource_id)
    bumped = _bump_conflicts(booking, by=by, reason=reason, request=request)
    booking.priority = True
    _place(booking, fields=["priority"])
    _event(booking, BookingEvent.Kind.BUMPED, by=by, note=reason, data={"bumped": [b.pk for b in bumped]})
    _log(
        booking, "priority", by=by, request=request, data={"reason": reason, "bumped": [b.pk for b in bumped]}
    )
    return bumped


@transaction.atomic
def booking_mark_no_show(booking: Booking, *, by, request=None) -> Booking:
    """The Operator records that an approved booking was not used."""
    if not booking_can_manage(by):
        raise BookingError(_("Hanya Operator Peminjaman yang dapat mencatat ketidakhadiran."))
    booking = _refresh(booking)
    if booking.status not in (BookingStatus.APPROVED, BookingStatus.COMPLETED):
        raise BookingError(_("Hanya peminjaman yang disetujui yang dapat dicatat tidak hadir."))
    if booking.start > timezone.now():
        raise BookingError(_("Peminjaman ini belum dimulai."))
    if hasattr(booking, "trip_log"):
        raise BookingError(_("Kendaraan sudah diserahterimakan."))
    booking.no_show = True
    booking.save(update_fields=["no_show", "updated_at"])
    _event(booking, BookingEvent.Kind.NO_SHOW, by=by)
    _log(booking, "no_show", by=by, request=request)
    return booking


@transaction.atomic
def bookings_complete_past(*, now: dt.datetime | None = None) -> int:
    """Approved bookings that ended are completed (vehicles: only once returned, see trip_return)."""
    now = now or timezone.now()
    qs = Booking.objects.filter(
        status=BookingStatus.APPROVED, end__lte=now, resource__kind=Resource.Kind.ROOM
    )
    ids = list(qs.values_list("pk", flat=True)[:5000])
    Booking.objects.filter(pk__in=ids).update(status=BookingStatus.COMPLETED, updated_at=now)
    BookingEvent.objects.bulk_create(
        BookingEvent(booking_id=pk, kind=BookingEvent.Kind.COMPLETED) for pk in ids
    )
    return len(ids)


# --- Drivers, resources, blackouts ----------------------------------------------------------------------
@transaction.atomic
def driver_assign(booking: Booking, *, driver: Driver | None, by, request=None) -> Booking:
    """Assign (or with ``None`` unassign) the driver of a vehicle booking; a driver cannot hold two
    overlapping approved trips (locks: the vehicle, then the driver)."""
    if not booking_can_manage(by):
        raise BookingError(_("Pengemudi ditugaskan oleh Operator Peminjaman."), field="driver")
    booking = _refresh(booking)
    if not booking.resource.is_vehicle:
        raise BookingError(_("Pengemudi hanya untuk peminjaman kendaraan."), field="driver")
    if booking.status not in Booking.ACTIVE:
        raise BookingError(_("Peminjaman ini tidak lagi berlaku."), field="driver")
    previous = booking.driver_id
    _check_driver(driver, booking.resource, booking.start, booking.end)
    booking.driver = driver
    if driver is not None:
        booking.needs_driver = True
    _place(booking, fields=["driver", "needs_driver"])
    data = {"from": previous, "to": driver.pk if driver else None}
    _event(
        booking,
        BookingEvent.Kind.DRIVER_ASSIGNED,
        by=by,
        note=str(driver) if driver else _("Pengemudi dilepas."),
        data=data,
    )
    _log(booking, "driver_assigned", by=by, request=request, data=data)
    return booking


def _require_resource_perm(by) -> None:
    from situok.permissions import has_perm

    if not has_perm(by, "bookings.change_resource"):
        raise BookingError(_("Anda tidak berwenang mengelola ruang dan kendaraan."))


@transaction.atomic
def resource_save(resource: Resource, *, by, request=None) -> Resource:
    """Create or update a room/vehicle (validated; plate normalised)."""
    _require_resource_perm(by)
    creating = resource.pk is None
    try:
        resource.full_clean()
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise BookingError(" ".join(messages), field=None if name == "__all__" else name) from exc
    resource.save()
    log_action(
        resource,
        "bookings.resource.created" if creating else "bookings.resource.changed",
        by=by,
        request=request,
    )
    return resource


@transaction.atomic
def driver_save(driver: Driver, *, by, request=None) -> Driver:
    _require_resource_perm(by)
    creating = driver.pk is None
    try:
        driver.full_clean()
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise BookingError(" ".join(messages), field=None if name == "__all__" else name) from exc
    driver.save()
    log_action(
        driver, "bookings.driver.created" if creating else "bookings.driver.changed", by=by, request=request
    )
    return driver


@transaction.atomic
def blackout_create(
    *, resource: Resource, start: dt.datetime, end: dt.datetime, reason: str, by, request=None
) -> Blackout:
    """Close ``resource`` for ``[start, end)``. Existing bookings are not touched (listed in the audit
    data so the Operator can contact their requesters)."""
    _require_resource_perm(by)
    reason = (reason or "").strip()
    if end <= start:
        raise BookingError(_("Waktu selesai harus setelah waktu mulai."), field="end")
    if not reason:
        raise BookingError(_("Tuliskan alasannya."), field="reason")
    blackout = Blackout.objects.create(
        resource=resource, start=start, end=end, reason=reason[:255], created_by=by
    )
    affected = list(
        Booking.objects.filter(
            resource=resource, status__in=Booking.ACTIVE, start__lt=end, end__gt=start
        ).values_list("pk", flat=True)
    )
    log_action(
        blackout, "bookings.blackout.created", by=by, request=request, data={"affected_bookings": affected}
    )
    return blackout


@transaction.atomic
def blackout_delete(blackout: Blackout, *, by, request=None) -> None:
    _require_resource_perm(by)
    log_action(
        blackout, "bookings.blackout.deleted", by=by, request=request, data={"reason": blackout.reason}
    )
    blackout.delete()


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


def _series_close_if_empty(series: BookingSeries, *, by) -> None:
    if series.occurrences.filter(status__in=Booking.ACTIVE).exists():
        return
    _close_request(_open_request(series, lock=True), by=by)
    if series.status in (BookingSeries.Status.PENDING, BookingSeries.Status.APPROVED):
        BookingSeries.objects.filter(pk=series.pk).update(
            status=BookingSeries.Status.CANCELLED, updated_at=timezone.now()
        )
        log_action(series, "bookings.series.cancelled", by=by)


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


# --- Vehicle trip log -----------------------------------------------------------------------------------
def _photos(log: TripLog, photos: Iterable, stage: str) -> None:
    for upload in photos or ():
        content = _validate_file(upload, "photos", kinds=("jpeg", "png"))
        photo = TripLogPhoto(log=log, stage=stage)
        photo.file.save(content.name, content, save=False)
        photo.save()


def _fuel(value: str, field_name: str) -> str:
    value = str(value)
    if value not in FuelLevel.values:
        raise BookingError(_("Pilih tingkat bahan bakar."), field=field_name)
    return value


def _decimal(value, field_name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise BookingError(_("Isi dengan angka."), field=field_name) from exc
    if number < 0:
        raise BookingError(_("Tidak boleh negatif."), field=field_name)
    return number


@transaction.atomic
def trip_handover(
    booking: Booking,
    *,
    by,
    odometer: int,
    fuel_level: str,
    condition: str = "",
    photos: Iterable = (),
    at: dt.datetime | None = None,
    request=None,
) -> TripLog:
    """Hand the vehicle of an approved booking over (odometer, fuel, condition, photos)."""
    if not booking_can_manage(by):
        raise BookingError(_("Serah terima kendaraan dicatat oleh Operator Peminjaman."))
    booking = _refresh(booking)
    if not booking.resource.is_vehicle:
        raise BookingError(_("Serah terima hanya untuk kendaraan."))
    if booking.status != BookingStatus.APPROVED:
        raise BookingError(_("Hanya peminjaman yang disetujui yang dapat diserahterimakan."))
    if TripLog.objects.filter(booking=booking).exists():
        raise BookingError(_("Kendaraan ini sudah diserahterimakan."))
    if odometer is None or int(odometer) < 0:
        raise BookingError(_("Isi angka odometer."), field="odometer")
    previous = (
        TripLog.objects.filter(booking__resource=booking.resource, odometer_end__isnull=False)
        .order_by("-returned_at", "-id")
        .values_list("odometer_end", flat=True)
        .first()
    )
    if previous is not None and int(odometer) < previous:
        raise BookingError(
            _("Odometer %(value)s km lebih kecil dari angka saat pengembalian terakhir (%(previous)s km).")
            % {"value": odometer, "previous": previous},
            field="odometer",
        )
    open_log = TripLog.objects.filter(booking__resource=booking.resource, returned_at__isnull=True).first()
    if open_log is not None:
        raise BookingError(
            _("Kendaraan ini belum dikembalikan dari peminjaman sebelumnya (%(who)s).")
            % {"who": _who(open_log.booking)}
        )
    log = TripLog.objects.create(
        booking=booking,
        handed_over_at=at or timezone.now(),
        handed_over_by=by,
        odometer_start=int(odometer),
        fuel_start=_fuel(fuel_level, "fuel_level"),
        condition_start=(condition or "").strip(),
    )
    _photos(log, photos, TripLogPhoto.Stage.HANDOVER)
    data = {"odometer": int(odometer), "fuel": log.fuel_start, "at": log.handed_over_at}
    _event(booking, BookingEvent.Kind.HANDED_OVER, by=by, note=log.condition_start, data=data)
    _log(booking, "handed_over", by=by, request=request, data=data)
    return log


@transaction.atomic
def trip_return(
    booking: Booking,
    *,
    by,
    odometer: int,
    fuel_level: str,
    fuel_litres=None,
    fuel_cost=None,
    condition: str = "",
    photos: Iterable = (),
    at: dt.datetime | None = None,
    request=None,
) -> TripLog:
    """Record the vehicle's return; a return after the booked end is flagged late; the booking is
    completed."""
    if not booking_can_manage(by):
        raise BookingError(_("Pengembalian kendaraan dicatat oleh Operator Peminjaman."))
    booking = _refresh(booking)
    log = TripLog.objects.select_for_update().filter(booking=booking).first()
    if log is None:
        raise BookingError(_("Kendaraan ini belum diserahterimakan."))
    if log.returned_at is not None:
        raise BookingError(_("Pengembalian kendaraan ini sudah dicatat."))
    at = at or timezone.now()
    if at < log.handed_over_at:
        raise BookingError(_("Waktu kembali tidak boleh sebelum waktu serah terima."), field="at")
    if odometer is None or int(odometer) < log.odometer_start:
        raise BookingError(
            _("Odometer akhir tidak boleh kurang dari odometer awal (%(start)s km).")
            % {"start": log.odometer_start},
            field="odometer",
        )
    log.returned_at, log.returned_by = at, by
    log.odometer_end = int(odometer)
    log.fuel_end = _fuel(fuel_level, "fuel_level")
    log.fuel_litres = _decimal(fuel_litres, "fuel_litres")
    log.fuel_cost = _decimal(fuel_cost, "fuel_cost")
    log.condition_end = (condition or "").strip()
    log.is_late = at > booking.end
    log.save()
    _photos(log, photos, TripLogPhoto.Stage.RETURN)
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.COMPLETED, updated_at=timezone.now())
    booking.status = BookingStatus.COMPLETED
    data: dict[str, Any] = {
        "odometer": log.odometer_end,
        "distance_km": log.distance_km,
        "fuel": log.fuel_end,
        "fuel_litres": log.fuel_litres,
        "fuel_cost": log.fuel_cost,
        "late": log.is_late,
        "at": at,
    }
    _event(booking, BookingEvent.Kind.RETURNED, by=by, note=log.condition_end, data=data)
    _log(booking, "returned", by=by, request=request, data=data)
    return log
