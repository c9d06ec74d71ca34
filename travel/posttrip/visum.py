"""The visum (SPPD back page): the stops' initial values and saving them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from situok.audit import diff, log_action

from ..models import Sppd, SppdStop
from ._common import (
    POSTTRIP_STATUSES,
    VISUM_DAYS_AFTER,
    VISUM_DAYS_BEFORE,
    PostTripError,
    _clean_text,
    stop_blocks,
)
from .access import _check_costs_open, _date_window_error, _locked_sppd, sppd_can_record, trip_has_started
from .costsheet import sppd_recompute


# --- Visum (SPPD back page) -----------------------------------------------------------------------------
def sppd_stops_initial(sppd: Sppd) -> list[dict[str, Any]]:
    """What the visum form starts with: the recorded stops, else one row per SPT destination."""
    stops = list(sppd.stops.order_by("order", "id"))
    if stops:
        return [
            {f: getattr(s, f) for f in ("place", "arrived_on", "departed_on", "departed_to", "officer_name")}
            for s in stops
        ]
    trip = sppd.member.trip
    destinations = list(trip.destinations.select_related("region").order_by("order", "id"))
    names = [d.place or (d.region.name if d.region_id else "") for d in destinations]
    origin = trip.origin.name if trip.origin_id else trip.issued_place
    return [
        {"place": name, "departed_to": names[i + 1] if i + 1 < len(names) else origin}
        for i, name in enumerate(names[: stop_blocks()])
    ]


@transaction.atomic
def sppd_stops_save(
    sppd: Sppd,
    *,
    stops: Sequence[Mapping[str, Any]],
    actual_return_date: dt.date | None,
    by,
    request=None,
    today: dt.date | None = None,
) -> list[SppdStop]:
    """Record the visum blocks II.. (arrival/departure per stop) and the date back at the posting.

    Rows whose fields are all empty are skipped (their form index is kept for error messages). Dates
    must not be in the future, must lie between the day before departure and two weeks after the
    planned return, each departure on or after its arrival, and the stops in chronological order.
    Raises :class:`PostTripError` listing every problem; nothing is saved then.
    """
    today = today or timezone.localdate()
    sppd = _locked_sppd(sppd)
    trip = sppd.member.trip
    if not sppd_can_record(by, sppd):
        raise PostTripError(
            _("Hanya pelaksana SPPD ini atau operator perjalanan dinas yang dapat mencatat visum.")
        )
    if not trip_has_started(trip, today) or trip.status not in POSTTRIP_STATUSES:
        raise PostTripError(_("Visum dapat dicatat setelah perjalanan dinas dimulai."))
    _check_costs_open(sppd)
    low = trip.depart_date - dt.timedelta(days=VISUM_DAYS_BEFORE)
    high = trip.return_date + dt.timedelta(days=VISUM_DAYS_AFTER)
    errors: list[tuple[int | None, str | None, str]] = []
    rows: list[tuple[int, dict[str, Any]]] = []
    for index, raw in enumerate(stops):
        row = {
            "place": _clean_text(raw.get("place"), 255),
            "arrived_on": raw.get("arrived_on") or None,
            "departed_on": raw.get("departed_on") or None,
            "departed_to": _clean_text(raw.get("departed_to"), 255),
            "officer_name": _clean_text(raw.get("officer_name"), 150),
        }
        if any(row.values()):
            rows.append((index, row))
    if len(rows) > stop_blocks():
        errors.append(
            (None, None, _("Paling banyak %(n)s tempat singgah dapat dicatat.") % {"n": stop_blocks()})
        )
    previous: dt.date | None = None
    for index, row in rows:
        if not row["place"]:
            errors.append((index, "place", _("Isi nama tempat.")))
        for field in ("arrived_on", "departed_on"):
            message = _date_window_error(row[field], low, high, today)
            if message:
                errors.append((index, field, message))
        arrived, departed = row["arrived_on"], row["departed_on"]
        if arrived and departed and departed < arrived:
            errors.append((index, "departed_on", _("Tanggal berangkat tidak boleh sebelum tanggal tiba.")))
        first = arrived or departed
        if first and previous and first < previous:
            field = "arrived_on" if arrived else "departed_on"
            errors.append(
                (index, field, _("Tanggal tidak runtut: lebih awal dari tanggal di tempat sebelumnya."))
            )
        seen = [d for d in (previous, arrived, departed) if d]
        previous = max(seen) if seen else None
    if actual_return_date is not None:
        message = _date_window_error(actual_return_date, trip.depart_date, high, today)
        if message:
            errors.append((None, "actual_return_date", message))
        elif previous and actual_return_date < previous:
            errors.append(
                (
                    None,
                    "actual_return_date",
                    _("Tanggal tiba kembali tidak boleh sebelum tanggal di tempat terakhir."),
                )
            )
    if errors:
        raise PostTripError.collect(errors)

    before = {
        "stops": [
            [s.place, s.arrived_on, s.departed_on, s.departed_to, s.officer_name]
            for s in sppd.stops.order_by("order", "id")
        ],
        "actual_return_date": sppd.actual_return_date,
    }
    sppd.stops.all().delete()
    now = timezone.now()
    created = SppdStop.objects.bulk_create(
        [
            SppdStop(sppd=sppd, order=order, recorded_by=by, recorded_at=now, **row)
            for order, (_i, row) in enumerate(rows)
        ]
    )
    return_changed = sppd.actual_return_date != actual_return_date
    sppd.actual_return_date = actual_return_date
    sppd.save(update_fields=["actual_return_date", "updated_at"])
    after = {
        "stops": [
            [r["place"], r["arrived_on"], r["departed_on"], r["departed_to"], r["officer_name"]]
            for _i, r in rows
        ],
        "actual_return_date": actual_return_date,
    }
    log_action(sppd, "travel.sppd.visum_recorded", by=by, request=request, changes=diff(before, after))
    if return_changed:
        sppd_recompute(sppd)
    return created
