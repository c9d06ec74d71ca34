"""Loading a trip or SPPD for its documents, which documents exist when, and rendering, naming and
printing them (seal, audit event)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils.text import slugify

from situok import formats
from situok.verification import DocumentSeal, seal_for, seal_record_pdf, verification_url

from ..models import Sppd, Trip, TripMember, TripReport
from .base import members_of
from .payment import CostSheetPDF, DprPDF, ReceiptPDF
from .report import ReportPDF
from .sppd import SppdPDF
from .spt import SptPDF


# --- Queries --------------------------------------------------------------------------------------
def trip_for_documents(pk: int) -> Trip:
    """The trip with everything the SPT and the report print (a fixed number of queries)."""
    return (
        Trip.objects.select_related("unit", "origin", "budget_line")
        .prefetch_related(
            Prefetch("members", queryset=TripMember.objects.select_related("employee__position")),
            "destinations__region",
        )
        .get(pk=pk)
    )


def sppd_for_documents(pk: int) -> Sppd:
    """The SPPD with its traveller, trip, fellow members, destinations, stops and expenses."""
    return (
        Sppd.objects.select_related(
            "member__employee__position",
            "member__trip__unit",
            "member__trip__origin",
            "member__trip__budget_line",
        )
        .prefetch_related(
            Prefetch(
                "member__trip__members", queryset=TripMember.objects.select_related("employee__position")
            ),
            "member__trip__destinations__region",
            "stops",
            "expenses",
        )
        .get(pk=pk)
    )


# --- Documents, availability and printing ---------------------------------------------------------


@dataclass(frozen=True)
class TravelDocument:
    key: str  # URL-facing key: spt, sppd, cost_sheet, receipt, dpr, report
    kind: str  # seal kind, also the audit action prefix ("travel.spt.printed")
    title: str  # official title (verification page)
    per_sppd: bool  # the document belongs to one traveller's SPPD (else to the trip)
    file_prefix: str


DOCUMENTS: dict[str, TravelDocument] = {
    d.key: d
    for d in (
        TravelDocument("spt", "travel.spt", "Surat Perintah Tugas", False, "spt"),
        TravelDocument("sppd", "travel.sppd", "Surat Perintah Perjalanan Dinas", True, "sppd"),
        TravelDocument(
            "cost_sheet", "travel.cost_sheet", "Rincian Biaya Perjalanan Dinas", True, "rincian-biaya"
        ),
        TravelDocument("receipt", "travel.receipt", "Kuitansi Perjalanan Dinas", True, "kuitansi"),
        TravelDocument("dpr", "travel.dpr", "Daftar Pengeluaran Riil", True, "dpr"),
        TravelDocument("report", "travel.report", "Laporan Perjalanan Dinas", False, "laporan-perjalanan"),
    )
}


def _trip_of(obj: Trip | Sppd) -> Trip:
    return obj.member.trip if isinstance(obj, Sppd) else obj


def _report_of(trip: Trip) -> TripReport | None:
    try:
        return trip.report
    except TripReport.DoesNotExist:
        return None


def document_available(key: str, obj: Trip | Sppd) -> bool:
    """Whether document ``key`` exists yet: SPT and SPPD papers once numbered (a cancelled numbered
    trip still prints, marked BATAL); the report once filed."""
    doc = DOCUMENTS[key]
    trip = _trip_of(obj)
    if doc.per_sppd:
        return isinstance(obj, Sppd) and bool(obj.number) and bool(trip.spt_number)
    if key == "report":
        return _report_of(trip) is not None
    return bool(trip.spt_number)


def _placeholder_url() -> str:
    return str(getattr(settings, "SITUOK_BASE_URL", "") or "").rstrip("/") + "/verifikasi/" + "x" * 32 + "/"


def _seal_args(seal: DocumentSeal | None, trip: Trip) -> dict[str, Any]:
    cancelled = trip.status == Trip.Status.CANCELLED or (
        seal is not None and seal.status == DocumentSeal.Status.CANCELLED
    )
    if seal is None:
        return {"qr_url": _placeholder_url(), "token": "-", "cancelled": cancelled}
    return {"qr_url": verification_url(seal), "token": seal.token, "cancelled": cancelled}


def spt_pdf(trip: Trip, *, seal: DocumentSeal | None = None) -> bytes:
    return SptPDF(trip, **_seal_args(seal, trip)).render()


def sppd_pdf(sppd: Sppd, *, seal: DocumentSeal | None = None) -> bytes:
    """SPPD front (items 1–10) and back (visum blocks) in one PDF."""
    return SppdPDF(sppd, **_seal_args(seal, sppd.member.trip)).render()


def cost_sheet_pdf(sppd: Sppd, *, seal: DocumentSeal | None = None) -> bytes:
    return CostSheetPDF(sppd, **_seal_args(seal, sppd.member.trip)).render()


def receipt_pdf(sppd: Sppd, *, seal: DocumentSeal | None = None) -> bytes:
    return ReceiptPDF(sppd, **_seal_args(seal, sppd.member.trip)).render()


def dpr_pdf(sppd: Sppd, *, seal: DocumentSeal | None = None) -> bytes:
    return DprPDF(sppd, **_seal_args(seal, sppd.member.trip)).render()


def report_pdf(trip: Trip, *, seal: DocumentSeal | None = None) -> bytes:
    report = TripReport.objects.prefetch_related("files").get(trip=trip)
    return ReportPDF(trip, report, **_seal_args(seal, trip)).render()


RENDERERS: dict[str, Callable[..., bytes]] = {
    "spt": spt_pdf,
    "sppd": sppd_pdf,
    "cost_sheet": cost_sheet_pdf,
    "receipt": receipt_pdf,
    "dpr": dpr_pdf,
    "report": report_pdf,
}


def sppd_pdf_bytes(sppd: Sppd) -> bytes:
    """Bench hook: the SPPD (front + back) as bytes, with a placeholder QR and no seal written."""
    return sppd_pdf(sppd)


def _facts(key: str, obj: Trip | Sppd) -> dict[str, Any]:
    """What the verification page shows: number, date, signer, names (never a NIK)."""
    trip = _trip_of(obj)
    names = [m.employee.name_with_titles for m in members_of(trip)]
    if key == "spt":
        return {
            "number": trip.spt_number,
            "issued_on": trip.spt_date,
            "signer_name": trip.signer_name,
            "persons": names,
        }
    if key == "report":
        report = _report_of(trip)
        filed = formats.to_local(report.filed_at).date() if report and report.filed_at else None
        return {
            "number": trip.spt_number,
            "issued_on": filed,
            "signer_name": names[0] if names else "",
            "persons": names,
        }
    traveller = obj.member.employee.name_with_titles
    persons = [traveller]
    if key == "sppd" and obj.member.is_lead:
        persons += [n for n in names if n != traveller]
    return {
        "number": obj.number,
        "issued_on": trip.spt_date,
        "signer_name": trip.ppk_name or trip.signer_name,
        "persons": persons,
    }


def document_filename(key: str, obj: Trip | Sppd) -> str:
    doc = DOCUMENTS[key]
    trip = _trip_of(obj)
    number = obj.number if doc.per_sppd else trip.spt_number
    slug = slugify(number.replace("/", "-").replace(".", "-")) if number else str(obj.pk)
    return f"{doc.file_prefix}-{slug or obj.pk}.pdf"


def document_print(key: str, obj: Trip | Sppd, *, by, request=None) -> tuple[str, bytes]:
    """Issue one print of document ``key`` of ``obj`` (a trip, or an SPPD for per-traveller papers):
    seal (created on first print), render, record the SHA-256 and the print in the audit log.

    Returns ``(filename, pdf_bytes)``. The caller checks access and :func:`document_available` first.
    """
    doc = DOCUMENTS[key]
    obj = sppd_for_documents(obj.pk) if doc.per_sppd else trip_for_documents(obj.pk)
    trip = _trip_of(obj)
    status = DocumentSeal.Status.CANCELLED if trip.status == Trip.Status.CANCELLED else None
    seal = seal_for(obj, doc.kind, title=doc.title, status=status, by=by, **_facts(key, obj))
    content = RENDERERS[key](obj, seal=seal)
    seal_record_pdf(seal, content, by=by, request=request)
    return document_filename(key, obj), content
