"""Every write of the SPT workflow: drafting, submitting, approval hooks, numbering, cancelling and the
date-driven statuses (design.md §3.1). Views call these; nothing here knows about HTTP.

Flow (domain.md §2.1): draft → submitted → (approval engine) → numbered (SPT and SPPD numbers taken at
the final approval, inside its transaction) → travelling → returned → reported → settled; plus
rejected, returned for revision and cancelled. A cancelled numbered SPT keeps its numbers (*batal*).
"""

from ._common import (
    AUDITED_FIELDS,
    DALAM_KOTA_TYPES,
    DEFAULT_SCHEMES,
    MAX_DASAR,
    MAX_DESTINATIONS,
    MAX_MEMBERS,
    SPPD_SCHEME,
    SPT_SCHEME,
    TravelError,
)
from .checks import (
    approved_leave_overlaps,
    conflict_message,
    travel_type_suggest,
    trip_conflicts,
    trip_warnings,
)
from .numbering import (
    STATUS_FROM_APPROVAL,
    ensure_numbering_schemes,
    trip_mirror_status,
    trip_number,
    trips_advance,
)
from .orders import trip_cancel, trip_save, trip_submit, trip_withdraw

__all__ = [
    "AUDITED_FIELDS",
    "DALAM_KOTA_TYPES",
    "DEFAULT_SCHEMES",
    "MAX_DASAR",
    "MAX_DESTINATIONS",
    "MAX_MEMBERS",
    "SPPD_SCHEME",
    "SPT_SCHEME",
    "STATUS_FROM_APPROVAL",
    "TravelError",
    "approved_leave_overlaps",
    "conflict_message",
    "ensure_numbering_schemes",
    "travel_type_suggest",
    "trip_cancel",
    "trip_conflicts",
    "trip_mirror_status",
    "trip_number",
    "trip_save",
    "trip_submit",
    "trip_warnings",
    "trip_withdraw",
    "trips_advance",
]
