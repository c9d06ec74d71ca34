"""Approval-engine hooks: what happens to a booking or series when the shared inbox decides."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from situok.approval_models import ApprovalAction, ApprovalRequest
from situok.audit import log_action

from ..models import Booking, BookingEvent, BookingSeries, BookingStatus
from ._common import BookingError, _decider, _event, _lock_resource, _log, _place
from .series import _series_cancel_pending


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
