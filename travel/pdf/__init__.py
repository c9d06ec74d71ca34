"""Official travel documents as PDF (issue #5 items 6 and 8; domain.md §2.1, §8.3–8.5).

SPT, SPPD (front and back), *rincian biaya*, *kuitansi*, *daftar pengeluaran riil* (DPR) and the trip
report, each a ``TravelPDF`` on the shared kit (letterhead on page 1, signature lines from
``situok.signatures``, Indonesian dates and Rupiah from ``situok.formats``).

Every document carries a QR code and the verification URL and token in the footer of each page
(``situok.verification``). The output is deterministic — ReportLab ``invariant`` mode and no print time
on the page — so the SHA-256 on the verification page matches every download of the current version.
A cancelled trip prints with a large *BATAL* mark on every page.

Official document text is Indonesian whatever the UI language (like ``situok.signatures``): the text
here is plain strings, and rendering runs under ``translation.override("id")`` so choice labels
(transport, travel type) come out in Indonesian too.

Entry points: :func:`document_print` (seal + render + hash + audit, used by the download views),
:func:`document_available`, the renderers ``spt_pdf`` … ``report_pdf`` and the bench hook
:func:`sppd_pdf_bytes`.
"""

from .base import (
    COST_LINE_LABELS,
    DEFAULT_AN_PRINCIPAL,
    DEFAULT_UB_INTERMEDIATE,
    DEFAULT_UB_PRINCIPAL,
    DPR_CLOSING,
    DPR_STATEMENT_1,
    DPR_STATEMENT_2,
    EXPENSE_LABELS,
    GRID,
    LIGHT,
    METERAI_NOTE,
    METERAI_THRESHOLD,
    SPPD_LIABILITY_NOTICE,
    SPPD_RETURN_STATEMENT,
    SPT_CLOSING,
    TravelPDF,
    date_range,
    days_text,
    destination_text,
    destinations_text,
    employee_nip,
    employee_pangkat,
    employee_position,
    members_of,
    origin_text,
    ppk_lines,
    spt_signer_lines,
    stop_block_count,
    traveller_lines,
)
from .payment import (
    CostItem,
    CostSheetPDF,
    CostSummary,
    DprPDF,
    ReceiptPDF,
    SppdDocumentPDF,
    bendahara_name,
    cost_summary,
)
from .printing import (
    DOCUMENTS,
    RENDERERS,
    TravelDocument,
    cost_sheet_pdf,
    document_available,
    document_filename,
    document_print,
    dpr_pdf,
    receipt_pdf,
    report_pdf,
    sppd_for_documents,
    sppd_pdf,
    sppd_pdf_bytes,
    spt_pdf,
    trip_for_documents,
)
from .report import ReportPDF
from .sppd import SppdPDF
from .spt import SptPDF

__all__ = [
    "COST_LINE_LABELS",
    "DEFAULT_AN_PRINCIPAL",
    "DEFAULT_UB_INTERMEDIATE",
    "DEFAULT_UB_PRINCIPAL",
    "DOCUMENTS",
    "DPR_CLOSING",
    "DPR_STATEMENT_1",
    "DPR_STATEMENT_2",
    "EXPENSE_LABELS",
    "GRID",
    "LIGHT",
    "METERAI_NOTE",
    "METERAI_THRESHOLD",
    "RENDERERS",
    "SPPD_LIABILITY_NOTICE",
    "SPPD_RETURN_STATEMENT",
    "SPT_CLOSING",
    "CostItem",
    "CostSheetPDF",
    "CostSummary",
    "DprPDF",
    "ReceiptPDF",
    "ReportPDF",
    "SppdDocumentPDF",
    "SppdPDF",
    "SptPDF",
    "TravelDocument",
    "TravelPDF",
    "bendahara_name",
    "cost_sheet_pdf",
    "cost_summary",
    "date_range",
    "days_text",
    "destination_text",
    "destinations_text",
    "document_available",
    "document_filename",
    "document_print",
    "dpr_pdf",
    "employee_nip",
    "employee_pangkat",
    "employee_position",
    "members_of",
    "origin_text",
    "ppk_lines",
    "receipt_pdf",
    "report_pdf",
    "sppd_for_documents",
    "sppd_pdf",
    "sppd_pdf_bytes",
    "spt_pdf",
    "spt_signer_lines",
    "stop_block_count",
    "traveller_lines",
    "trip_for_documents",
]
