"""Shared ground of the post-trip part: PostTripError, the status groups, limits and the settings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings

from ..models import Trip, TripExpense
from ..services import TravelError

Status = Trip.Status

# A trip whose costs can still be entered (tickets are often bought before departure).
COST_STATUSES = (Status.NUMBERED, Status.TRAVELLING, Status.RETURNED, Status.REPORTED)
# Statuses in which the trip has started (visum) — a numbered trip counts from its departure date.
STARTED_STATUSES = (Status.TRAVELLING, Status.RETURNED, Status.REPORTED, Status.SETTLED)
# Statuses in which the trip may be over (the date-driven move to "returned" may not have run yet).
NOT_RETURNED_YET = (Status.NUMBERED, Status.TRAVELLING)
POSTTRIP_STATUSES = (*COST_STATUSES, Status.SETTLED)

# Visum and expense dates must lie in a sensible window around the SPT dates.
VISUM_DAYS_BEFORE = 1
VISUM_DAYS_AFTER = 14
EXPENSE_DAYS_BEFORE = 90  # tickets bought well ahead
MAX_REPORT_PHOTOS = 20
MAX_REPORT_ATTACHMENTS = 10
NOTIFICATION_CATEGORY = "travel_report"
OVERDUE_KIND = "travel_report_overdue"

EXPENSE_FIELDS = ("kind", "description", "quantity", "amount", "has_receipt", "spent_on")
REPORT_FIELDS = ("background", "activities", "results", "follow_up")
REQUIRED_REPORT_FIELDS = ("background", "activities", "results")
# Cost-line kind of each expense kind (the snapshot's kinds: uang_harian, representasi, penginapan …).
EXPENSE_LINE_KIND = {
    TripExpense.Kind.TRANSPORT: "transport",
    TripExpense.Kind.LODGING: "penginapan",
    TripExpense.Kind.VEHICLE_RENTAL: "sewa_kendaraan",
    TripExpense.Kind.OTHER: "lain_lain",
}


class PostTripError(TravelError):
    """A post-trip rule was broken. ``field`` (and ``index`` for a visum row) place the message on the
    form; ``errors`` lists every problem found as ``(index, field, message)``."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        index: int | None = None,
        errors: Sequence[tuple[int | None, str | None, str]] | None = None,
    ):
        super().__init__(str(message), field=field)
        self.index = index
        self.errors = list(errors) if errors else [(index, field, str(message))]

    @classmethod
    def collect(cls, errors: Sequence[tuple[int | None, str | None, str]]) -> PostTripError:
        index, field, message = errors[0]
        return cls(message, field=field, index=index, errors=errors)


# --- Settings ------------------------------------------------------------------------------------------
def no_hotel_rule_enabled() -> bool:
    """``settings.TRAVEL_NO_HOTEL_RULE`` (default ``True``): 30 % of the ceiling for nights without hotel."""
    return bool(getattr(settings, "TRAVEL_NO_HOTEL_RULE", True))


def report_due_working_days() -> int:
    return int(getattr(settings, "TRAVEL_REPORT_DUE_WORKING_DAYS", 5))


def stop_blocks() -> int:
    """Visum blocks II.. on the SPPD back page (``settings.TRAVEL_SPPD_STOP_BLOCKS``, at least 3)."""
    return max(3, int(getattr(settings, "TRAVEL_SPPD_STOP_BLOCKS", 3)))


def _clean_text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]
