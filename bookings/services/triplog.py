"""The vehicle trip log: handover and return (odometer, fuel, condition, photos)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Booking, BookingEvent, BookingStatus, FuelLevel, TripLog, TripLogPhoto
from ..selectors import booking_can_manage
from ._common import BookingError, _event, _log, _refresh, _validate_file, _who


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
