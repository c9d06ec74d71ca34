"""Single bookings: request, update, reschedule, approve/reject, cancel, bump, no-show, completion and
driver assignment."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from situok.approval_models import ApprovalRequest
from situok.approvals import approval_approve, approval_reject
from situok.audit import audit_batch, diff, snapshot

from ..models import Booking, BookingEvent, BookingSeries, BookingStatus, Driver, Resource
from ..selectors import _span_text, booking_can_manage, booking_conflicts, rule_problems
from ._common import (
    BookingError,
    _cancel_one,
    _check_driver,
    _close_request,
    _event,
    _lock_resource,
    _log,
    _open_request,
    _place,
    _raise_first,
    _refresh,
    _require_change,
    _series_close_if_empty,
    _skip_checks,
    _submit,
    _validate_file,
)

TRIP_STATUSES_FOR_VEHICLE = ("approved", "numbered", "travelling")


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
    with audit_batch():  # the audit events of the request and of its submission: one INSERT
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
        _submit(booking, by=by, document_type="bookings-booking", request=request, fresh=True)
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
        from ..approval import booking_title

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
        from ..approval import booking_url

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


# --- Drivers --------------------------------------------------------------------------------------------
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
