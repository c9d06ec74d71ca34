"""Shared ground of the SPT services: TravelError, the numbering scheme codes, limits and the audited
fields."""

from __future__ import annotations

from django.utils.translation import gettext as _

from situok.approvals import ApprovalError

from ..models import TravelType, Trip

SPT_SCHEME = "travel-spt"
SPPD_SCHEME = "travel-sppd"
# Defaults when a database was never seeded (seed_demo creates the same); an Administrator edits them.
DEFAULT_SCHEMES = {
    SPT_SCHEME: ("Surat Perintah Tugas", "800.1.11.1"),
    SPPD_SCHEME: ("Surat Perintah Perjalanan Dinas", "000.1.2.3"),
}
MAX_MEMBERS = 50
MAX_DESTINATIONS = 10
MAX_DASAR = 20
DALAM_KOTA_TYPES = (TravelType.DALAM_KOTA_LEBIH_8_JAM, TravelType.DALAM_KOTA_SAMPAI_8_JAM)
# Fields of the SPT whose changes the audit trail records as a diff.
AUDITED_FIELDS = (
    "unit",
    "dasar",
    "purpose",
    "travel_type",
    "origin",
    "depart_date",
    "return_date",
    "transport",
    "budget_line",
    "signer",
    "signer_prefix",
    "ppk",
    "issued_place",
    "notes",
    "status",
    "spt_number",
    "spt_date",
    "cancel_reason",
)


class TravelError(Exception):
    """A travel rule was broken; ``message`` is translated, ``field`` names the form field it belongs to."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _travel_error(exc: ApprovalError) -> TravelError:
    return TravelError(exc.message, field=exc.field if exc.field == "note" else None)


def _trip_label(trip: Trip) -> str:
    """How a message names another SPT: its number, or "draf #id"."""
    return trip.spt_number or _("draf #%(id)s") % {"id": trip.pk}
