"""Rooms, vehicles, drivers and blackouts: saving and closing resources."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from situok.audit import log_action

from ..models import Blackout, Booking, Driver, Resource
from ._common import BookingError


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
