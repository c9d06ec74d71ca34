"""Registration hook of the travel documents, called from ``TravelConfig.ready``.

When an SPT is cancelled its printed papers stay out in the world: the seals of the SPT, its trip
report and every SPPD paper are marked cancelled so the verification page answers *Dibatalkan*.
"""

from __future__ import annotations

from situok.verification import DocumentSeal, seals_set_status

from .models import Sppd, Trip
from .signals import trip_cancelled


def trip_seals_cancel(*, trip: Trip, by=None) -> int:
    """Mark every seal of ``trip`` and of its SPPDs cancelled; returns how many changed."""
    changed = seals_set_status(trip, DocumentSeal.Status.CANCELLED, by=by)
    for sppd in Sppd.objects.filter(member__trip=trip):
        changed += seals_set_status(sppd, DocumentSeal.Status.CANCELLED, by=by)
    return changed


def _on_trip_cancelled(sender, *, trip: Trip, by=None, **kwargs) -> None:
    trip_seals_cancel(trip=trip, by=by)


def register() -> None:
    trip_cancelled.connect(_on_trip_cancelled, dispatch_uid="travel.documents.trip_cancelled")
