"""Shared ground of the booking services: BookingError, the lock-check-write helper ``_place``, the
approval-request plumbing and the cancel helpers used by both single bookings and series."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from situok.approval_models import ApprovalAction, ApprovalAssignment, ApprovalRequest
from situok.approvals import ApprovalError, approval_submit
from situok.audit import log_action
from situok.formats import tanggal
from situok.uploads import clean_upload

from ..models import Booking, BookingEvent, BookingSeries, BookingStatus, Driver, Resource
from ..selectors import _span_text, booking_can_change, booking_conflicts, rule_problems


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
        # The savepoint lets a conflict caught by the exclusion constraints (rows holding their slot
        # only) be explained with a query; any other integrity error is not ours to explain.
        with transaction.atomic(savepoint=booking.holds_slot):
            if fields is None:
                booking.save(force_insert=True)
            else:
                booking.save(update_fields=[*fields, "block_end", "holds_slot", "updated_at"])
    except IntegrityError as exc:
        if not booking.holds_slot:
            raise
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


def _submit(obj, *, by, document_type: str, request=None, fresh: bool = False) -> ApprovalRequest:
    """Submit ``obj`` to the engine with the active policy just read (``fresh``: ``obj`` was created in
    this transaction). Every caller runs inside its own atomic service, which any error leaves: no
    savepoint of the engine's own is needed."""
    from ..approval import ensure_booking_policies

    policy, steps = ensure_booking_policies().get(document_type, (None, None))
    return approval_submit(
        obj,
        by=by,
        document_type=document_type,
        request=request,
        policy=policy,
        steps=steps,
        fresh=fresh,
        savepoint=False,
    )


def _decider(req: ApprovalRequest, decision: str):
    action = (
        ApprovalAction.objects.filter(request=req, decision=decision)
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    return action.actor if action is not None else None


# --- Shared by single bookings and series ---------------------------------------------------------
def _require_change(booking: Booking, by) -> None:
    if not booking_can_change(by, booking):
        raise BookingError(_("Anda tidak berwenang mengubah peminjaman ini."))


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


def _series_close_if_empty(series: BookingSeries, *, by) -> None:
    if series.occurrences.filter(status__in=Booking.ACTIVE).exists():
        return
    _close_request(_open_request(series, lock=True), by=by)
    if series.status in (BookingSeries.Status.PENDING, BookingSeries.Status.APPROVED):
        BookingSeries.objects.filter(pk=series.pk).update(
            status=BookingSeries.Status.CANCELLED, updated_at=timezone.now()
        )
        log_action(series, "bookings.series.cancelled", by=by)
