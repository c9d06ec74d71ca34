"""Downloads of the official travel PDFs (issue #5 item 8), mounted under ``/perjalanan-dinas/``.

Whoever may see the trip may download its papers (``travel.selectors.trip_get_for_user``; an SPPD
through its trip). A paper that does not exist yet is a 404, the same answer as an invisible trip:
the SPT and the per-traveller papers (SPPD, rincian biaya, kuitansi, DPR) exist once the SPT has its
number — a cancelled numbered SPT still prints, marked *BATAL* — and the trip report once it is filed.

Every download is a print: it seals the document, records the SHA-256 of the bytes served and writes
the audit event ``travel.<document>.printed`` (``travel.pdf.document_print``).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from situok.permissions import require_login

from . import pdf
from .models import Sppd, Trip
from .posttrip import sppd_get_for_user
from .selectors import trip_get_for_user


def _print(request: HttpRequest, key: str, obj: Trip | Sppd) -> HttpResponse:
    if not pdf.document_available(key, obj):
        raise Http404
    filename, content = pdf.document_print(key, obj, by=request.user, request=request)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _trip_document(key: str):
    @require_login
    @require_GET
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _print(request, key, trip_get_for_user(request.user, pk))

    view.__name__ = view.__qualname__ = f"{key}_pdf"
    return view


def _sppd_document(key: str):
    @require_login
    @require_GET
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _print(request, key, sppd_get_for_user(request.user, pk))

    view.__name__ = view.__qualname__ = f"{key}_pdf"
    return view


spt_pdf = _trip_document("spt")
report_pdf = _trip_document("report")
sppd_pdf = _sppd_document("sppd")
cost_sheet_pdf = _sppd_document("cost_sheet")
receipt_pdf = _sppd_document("receipt")
dpr_pdf = _sppd_document("dpr")

urlpatterns = [
    path("spt/<int:pk>/pdf/", spt_pdf, name="spt_pdf"),
    path("spt/<int:pk>/laporan/pdf/", report_pdf, name="report_pdf"),
    path("sppd/<int:pk>/pdf/", sppd_pdf, name="sppd_pdf"),
    path("sppd/<int:pk>/rincian-biaya/pdf/", cost_sheet_pdf, name="cost_sheet_pdf"),
    path("sppd/<int:pk>/kuitansi/pdf/", receipt_pdf, name="receipt_pdf"),
    path("sppd/<int:pk>/dpr/pdf/", dpr_pdf, name="dpr_pdf"),
]
