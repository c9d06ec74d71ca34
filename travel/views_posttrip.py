"""After the trip: visum, expenses and receipts, advance and payment, the trip report and its
acknowledgement (issue 5 items 4-back, 6, 7). Mounted under ``/perjalanan-dinas/``.

Access: whoever may see the trip sees its post-trip pages (``trip_get_for_user``; 404 otherwise). Visum
and expenses are written by the traveller or the travel operator, the report by the lead traveller or
the operator, the acknowledgement by the lead's supervisor, the advance and payment by the treasurer
(``travel.pay_trip``) — anyone else who can see the trip gets 403. The rules themselves are in
:mod:`travel.posttrip`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from situok.actions import flash_outcome
from situok.permissions import has_perm, require_login, require_perm
from situok.uploads import serve_protected

from . import posttrip
from .forms_posttrip import (
    AcknowledgeForm,
    AdvanceForm,
    ExpenseForm,
    NoHotelForm,
    ReportForm,
    VisumForm,
    stop_formset,
)
from .models import TripReport, TripReportFile
from .selectors import trip_get_for_user


def _form_error(form, exc: posttrip.PostTripError) -> None:
    for _index, field, message in exc.errors:
        form.add_error(field if field in form.fields else None, message)


def _report_of(trip) -> TripReport | None:
    return TripReport.objects.filter(trip=trip).select_related("filed_by", "acknowledged_by").first()


# --- Summary (the trip detail panel's content) --------------------------------------------------------
@require_login
@require_GET
def posttrip_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """Per traveller the cost summary and links, plus the report state. The trip detail page loads it
    into its panel with htmx; without JavaScript the panel links here as a page of its own."""
    trip = trip_get_for_user(request.user, pk)
    sppds = posttrip.trip_sppds(trip)
    context = {
        "trip": trip,
        "rows": [(posttrip.sppd_cost_summary(s), posttrip.sppd_can_record(request.user, s)) for s in sppds],
        "state": posttrip.trip_report_state(request.user, trip),
        "available": trip.status in posttrip.POSTTRIP_STATUSES,
        "can_pay": has_perm(request.user, "travel.pay_trip"),
    }
    if request.headers.get("HX-Request"):
        return render(request, "travel/posttrip/panel_body.html", context)
    return render(request, "travel/posttrip/summary.html", context)


# --- Visum --------------------------------------------------------------------------------------------
@require_login
@require_http_methods(["GET", "POST"])
def sppd_visum(request: HttpRequest, pk: int) -> HttpResponse:
    sppd = posttrip.sppd_get_for_user(request.user, pk, write=True)
    trip = sppd.member.trip
    blocks = posttrip.stop_blocks()
    data = request.POST if request.method == "POST" else None
    formset = stop_formset(data, initial=posttrip.sppd_stops_initial(sppd), blocks=blocks)
    form = VisumForm(data, initial={"actual_return_date": sppd.actual_return_date})
    if request.method == "POST" and formset.is_valid() and form.is_valid():
        try:
            posttrip.sppd_stops_save(
                sppd,
                stops=[f.cleaned_data for f in formset.forms],
                actual_return_date=form.cleaned_data["actual_return_date"],
                by=request.user,
                request=request,
            )
        except posttrip.PostTripError as exc:
            for index, field, message in exc.errors:
                target = formset.forms[index] if index is not None and index < len(formset.forms) else form
                target.add_error(field if field in target.fields else None, message)
        else:
            messages.success(request, _("Visum SPPD tersimpan."))
            return redirect("travel:sppd_costs", pk=sppd.pk)
    context = {
        "sppd": sppd,
        "trip": trip,
        "formset": formset,
        "form": form,
        "open": posttrip.trip_has_started(trip) and posttrip.sppd_costs_open(sppd),
    }
    return render(request, "travel/posttrip/visum_form.html", context)


# --- Costs --------------------------------------------------------------------------------------------
@require_login
@require_GET
def sppd_costs(request: HttpRequest, pk: int) -> HttpResponse:
    sppd = posttrip.sppd_get_for_user(request.user, pk)
    can_record = posttrip.sppd_can_record(request.user, sppd)
    can_pay = has_perm(request.user, "travel.pay_trip")
    context = {
        "sppd": sppd,
        "trip": sppd.member.trip,
        "summary": posttrip.sppd_cost_summary(sppd),
        "expenses": sppd.expenses.order_by("kind", "spent_on", "id"),
        "stops": sppd.stops.order_by("order", "id"),
        "open": posttrip.sppd_costs_open(sppd),
        "can_record": can_record,
        "can_pay": can_pay,
        "returned": posttrip.trip_has_returned(sppd.member.trip),
        "no_hotel_form": NoHotelForm(initial={"no_hotel": sppd.no_hotel}),
        "no_hotel_rule": posttrip.no_hotel_rule_enabled(),
        "lodging": posttrip.sppd_has_lodging(sppd),
        "advance_form": AdvanceForm(initial={"amount": sppd.advance}) if can_pay else None,
    }
    return render(request, "travel/posttrip/costs.html", context)


def _expense_form_view(request: HttpRequest, sppd, expense=None) -> HttpResponse:
    if expense is None:
        form = ExpenseForm(request.POST or None, request.FILES or None)
    else:
        form = ExpenseForm.for_expense(expense, request.POST or None, request.FILES or None)
    open_ = posttrip.sppd_costs_open(sppd)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            posttrip.expense_save(
                sppd,
                by=request.user,
                data=data,
                receipt=data.get("receipt"),
                expense=expense,
                request=request,
            )
        except posttrip.PostTripError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Biaya tersimpan dan rincian biaya dihitung ulang."))
            return redirect("travel:sppd_costs", pk=sppd.pk)
    context = {"form": form, "sppd": sppd, "trip": sppd.member.trip, "expense": expense, "open": open_}
    return render(request, "travel/posttrip/expense_form.html", context)


@require_login
@require_http_methods(["GET", "POST"])
def expense_add(request: HttpRequest, pk: int) -> HttpResponse:
    sppd = posttrip.sppd_get_for_user(request.user, pk, write=True)
    return _expense_form_view(request, sppd)


@require_login
@require_http_methods(["GET", "POST"])
def expense_edit(request: HttpRequest, pk: int) -> HttpResponse:
    expense = posttrip.expense_get_for_user(request.user, pk, write=True)
    return _expense_form_view(request, expense.sppd, expense)


@require_login
@require_http_methods(["GET", "POST"])
def expense_delete(request: HttpRequest, pk: int) -> HttpResponse:
    expense = posttrip.expense_get_for_user(request.user, pk, write=True)
    sppd = expense.sppd
    if request.method == "POST":
        flash_outcome(
            request,
            lambda: posttrip.expense_delete(expense, by=request.user, request=request),
            success=_("Biaya dihapus dan rincian biaya dihitung ulang."),
            errors=(posttrip.PostTripError,),
        )
        return redirect("travel:sppd_costs", pk=sppd.pk)
    return render(
        request,
        "travel/posttrip/expense_confirm_delete.html",
        {"expense": expense, "sppd": sppd, "trip": sppd.member.trip},
    )


@require_login
@require_GET
def expense_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    expense = posttrip.expense_get_for_user(request.user, pk)
    if not expense.receipt:
        raise Http404
    ext = expense.receipt.name.rsplit(".", 1)[-1]
    return serve_protected(expense.receipt, download_name=f"bukti-{expense.sppd_id}-{expense.pk}.{ext}")


@require_login
@require_POST
def sppd_no_hotel(request: HttpRequest, pk: int) -> HttpResponse:
    sppd = posttrip.sppd_get_for_user(request.user, pk, write=True)
    form = NoHotelForm(request.POST)
    form.is_valid()  # a missing checkbox is "no"
    flash_outcome(
        request,
        lambda: posttrip.sppd_no_hotel_set(
            sppd, no_hotel=form.cleaned_data.get("no_hotel", False), by=request.user, request=request
        ),
        success=_("Pernyataan penginapan tersimpan dan rincian biaya dihitung ulang."),
        errors=(posttrip.PostTripError,),
    )
    return redirect("travel:sppd_costs", pk=sppd.pk)


# --- Treasurer ----------------------------------------------------------------------------------------
@require_perm("travel.pay_trip")
@require_http_methods(["GET", "POST"])
def sppd_advance(request: HttpRequest, pk: int) -> HttpResponse:
    sppd = posttrip.sppd_get_for_user(request.user, pk)
    form = AdvanceForm(request.POST or None, initial={"amount": sppd.advance})
    if request.method == "POST" and form.is_valid():
        try:
            posttrip.sppd_advance_set(
                sppd, amount=form.cleaned_data["amount"], by=request.user, request=request
            )
        except posttrip.PostTripError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Uang muka tersimpan."))
            return redirect("travel:sppd_costs", pk=sppd.pk)
    context = {
        "form": form,
        "sppd": sppd,
        "trip": sppd.member.trip,
        "summary": posttrip.sppd_cost_summary(sppd),
        "open": posttrip.sppd_costs_open(sppd),
    }
    return render(request, "travel/posttrip/advance_form.html", context)


@require_perm("travel.pay_trip")
@require_POST
def sppd_pay(request: HttpRequest, pk: int) -> HttpResponse:
    sppd = posttrip.sppd_get_for_user(request.user, pk)
    flash_outcome(
        request,
        lambda: posttrip.sppd_mark_paid(sppd, by=request.user, request=request),
        success=_("Pembayaran SPPD tercatat."),
        errors=(posttrip.PostTripError,),
    )
    return redirect("travel:sppd_costs", pk=sppd.pk)


@require_perm("travel.pay_trip")
@require_POST
def sppd_pay_undo(request: HttpRequest, pk: int) -> HttpResponse:
    sppd = posttrip.sppd_get_for_user(request.user, pk)
    flash_outcome(
        request,
        lambda: posttrip.sppd_payment_undo(sppd, by=request.user, request=request),
        success=_("Catatan pembayaran dibatalkan."),
        errors=(posttrip.PostTripError,),
    )
    return redirect("travel:sppd_costs", pk=sppd.pk)


# --- Trip report --------------------------------------------------------------------------------------
@require_login
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    trip = trip_get_for_user(request.user, pk)
    report = _report_of(trip)
    files = list(report.files.order_by("kind", "id")) if report is not None else []
    context = {
        "trip": trip,
        "report": report,
        "photos": [f for f in files if f.kind == TripReportFile.Kind.PHOTO],
        "attachments": [f for f in files if f.kind == TripReportFile.Kind.ATTACHMENT],
        "state": posttrip.trip_report_state(request.user, trip),
        "form": AcknowledgeForm(),
    }
    return render(request, "travel/posttrip/report_detail.html", context)


@require_login
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    trip = trip_get_for_user(request.user, pk)
    if not posttrip.report_can_file(request.user, trip):
        raise PermissionDenied
    report = _report_of(trip)
    initial = {f: getattr(report, f) for f in posttrip.REPORT_FIELDS} if report is not None else None
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            posttrip.trip_report_save(
                trip,
                by=request.user,
                data=data,
                photos=data["photos"],
                attachments=data["attachments"],
                request=request,
            )
        except posttrip.PostTripError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Laporan perjalanan dinas tersimpan."))
            return redirect("travel:report_detail", pk=trip.pk)
    context = {
        "trip": trip,
        "report": report,
        "form": form,
        "files": list(report.files.order_by("kind", "id")) if report is not None else [],
        "state": posttrip.trip_report_state(request.user, trip),
    }
    return render(request, "travel/posttrip/report_form.html", context)


@require_login
@require_http_methods(["GET", "POST"])
def report_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    trip = trip_get_for_user(request.user, pk)
    report = _report_of(trip)
    if report is None or report.filed_at is None:
        raise Http404
    if not posttrip.report_can_acknowledge(request.user, report):
        raise PermissionDenied
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            posttrip.trip_report_acknowledge(
                report, by=request.user, note=form.cleaned_data["note"], request=request
            )
        except posttrip.PostTripError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Laporan perjalanan dinas diterima."))
            return redirect("travel:report_detail", pk=trip.pk)
    return render(
        request, "travel/posttrip/report_acknowledge.html", {"trip": trip, "report": report, "form": form}
    )


@require_login
@require_GET
def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    item = posttrip.report_file_get_for_user(request.user, pk)
    ext = item.file.name.rsplit(".", 1)[-1]
    photo = item.kind == TripReportFile.Kind.PHOTO
    return serve_protected(
        item.file,
        download_name=f"{'foto' if photo else 'lampiran'}-laporan-{item.report.trip_id}-{item.pk}.{ext}",
        as_attachment=not photo or "unduh" in request.GET,
    )


@require_login
@require_POST
def report_file_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = posttrip.report_file_get_for_user(request.user, pk, write=True)
    trip_id = item.report.trip_id
    try:
        posttrip.trip_report_file_delete(item, by=request.user, request=request)
    except posttrip.PostTripError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Berkas dihapus dari laporan."))
    return redirect("travel:report_edit", pk=trip_id)


# --- To-do lists (home-page counters) -----------------------------------------------------------------
@require_login
@require_GET
def reports_due(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    trips = list(posttrip.reports_due_for(request.user, today=today))
    return render(request, "travel/posttrip/reports_due.html", {"trips": trips, "today": today})


@require_login
@require_GET
def reports_to_acknowledge(request: HttpRequest) -> HttpResponse:
    reports = posttrip.reports_to_acknowledge_for(request.user)
    return render(request, "travel/posttrip/reports_to_acknowledge.html", {"reports": reports})


urlpatterns = [
    path("spt/<int:pk>/pasca-perjalanan/", posttrip_summary, name="posttrip_summary"),
    path("sppd/<int:pk>/visum/", sppd_visum, name="sppd_visum"),
    path("sppd/<int:pk>/biaya/", sppd_costs, name="sppd_costs"),
    path("sppd/<int:pk>/biaya/tambah/", expense_add, name="expense_add"),
    path("sppd/<int:pk>/tanpa-hotel/", sppd_no_hotel, name="sppd_no_hotel"),
    path("sppd/<int:pk>/uang-muka/", sppd_advance, name="sppd_advance"),
    path("sppd/<int:pk>/bayar/", sppd_pay, name="sppd_pay"),
    path("sppd/<int:pk>/bayar/batal/", sppd_pay_undo, name="sppd_pay_undo"),
    path("biaya/<int:pk>/ubah/", expense_edit, name="expense_edit"),
    path("biaya/<int:pk>/hapus/", expense_delete, name="expense_delete"),
    path("biaya/<int:pk>/bukti/", expense_receipt, name="expense_receipt"),
    path("spt/<int:pk>/laporan/", report_detail, name="report_detail"),
    path("spt/<int:pk>/laporan/isi/", report_edit, name="report_edit"),
    path("spt/<int:pk>/laporan/terima/", report_acknowledge, name="report_acknowledge"),
    path("laporan/berkas/<int:pk>/", report_file, name="report_file"),
    path("laporan/berkas/<int:pk>/hapus/", report_file_delete, name="report_file_delete"),
    path("laporan/harus-dibuat/", reports_due, name="reports_due"),
    path("laporan/menunggu-diterima/", reports_to_acknowledge, name="reports_to_acknowledge"),
]
