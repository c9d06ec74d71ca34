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

from ._common import BookingError
from ._common import conflict_message as conflict_message
from .hooks import booking_on_approved as booking_on_approved
from .hooks import booking_on_changed as booking_on_changed
from .hooks import booking_on_rejected as booking_on_rejected
from .hooks import series_on_approved as series_on_approved
from .hooks import series_on_changed as series_on_changed
from .hooks import series_on_rejected as series_on_rejected
from .requests import TRIP_STATUSES_FOR_VEHICLE as TRIP_STATUSES_FOR_VEHICLE
from .requests import (
    booking_approve,
    booking_bump,
    booking_cancel,
    booking_mark_no_show,
    booking_reject,
    booking_request,
    booking_reschedule,
    booking_update,
    bookings_complete_past,
    driver_assign,
)
from .resources import blackout_create, blackout_delete, driver_save, resource_save
from .series import MAX_OCCURRENCES as MAX_OCCURRENCES
from .series import (
    Occurrence,
    SeriesRule,
    occurrence_cancel,
    series_approve,
    series_cancel_from,
    series_create,
    series_preview,
    series_reject,
)
from .triplog import trip_handover, trip_return

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
