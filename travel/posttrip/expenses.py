"""Expenses and the no-hotel switch, then the treasurer's side: advance, payment and settlement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from situok.audit import diff, log_action, snapshot
from situok.permissions import has_perm
from situok.uploads import clean_upload

from ..costs import OVERNIGHT_TYPES, balance, money
from ..models import Sppd, Trip, TripExpense, TripReport
from ._common import (
    COST_STATUSES,
    EXPENSE_DAYS_BEFORE,
    EXPENSE_FIELDS,
    VISUM_DAYS_AFTER,
    PostTripError,
    Status,
    _clean_text,
)
from .access import (
    _check_costs_open,
    _date_window_error,
    _delete_file_on_commit,
    _locked_sppd,
    sppd_can_record,
    trip_has_returned,
)
from .costsheet import sppd_days, sppd_recompute


# --- Expenses ---------------------------------------------------------------------------------------
def _whole_rupiah(value: Any, field: str, *, positive: bool) -> Decimal:
    if isinstance(value, float | bool) or value is None:
        raise PostTripError(_("Isi jumlah dalam rupiah."), field=field)
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise PostTripError(_("Isi jumlah dalam rupiah."), field=field) from exc
    if not amount.is_finite() or amount != amount.to_integral_value():
        raise PostTripError(_("Isi jumlah dalam rupiah penuh, tanpa sen."), field=field)
    if amount < 0 or (positive and amount == 0):
        raise PostTripError(
            _("Jumlah harus lebih dari nol.") if positive else _("Jumlah tidak boleh negatif."), field=field
        )
    if amount >= Decimal(10) ** 13:
        raise PostTripError(_("Jumlah terlalu besar."), field=field)
    return money(amount)


def _validate_expense(
    sppd: Sppd, data: Mapping[str, Any], *, expense: TripExpense | None, has_file: bool, today: dt.date
) -> dict[str, Any]:
    trip = sppd.member.trip
    kind = data.get("kind")
    if kind not in TripExpense.Kind.values:
        raise PostTripError(_("Pilih jenis biaya."), field="kind")
    description = _clean_text(data.get("description"), 255)
    if not description:
        raise PostTripError(_("Isi uraian biaya."), field="description")
    quantity = data.get("quantity") or 1
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 366:
        raise PostTripError(_("Volume harus bilangan bulat 1 sampai 366."), field="quantity")
    amount = _whole_rupiah(data.get("amount"), "amount", positive=True)
    has_receipt = bool(data.get("has_receipt"))
    spent_on = data.get("spent_on") or None
    if spent_on is not None:
        low = trip.depart_date - dt.timedelta(days=EXPENSE_DAYS_BEFORE)
        high = trip.return_date + dt.timedelta(days=VISUM_DAYS_AFTER)
        message = _date_window_error(spent_on, low, high, today)
        if message:
            raise PostTripError(message, field="spent_on")
    if kind == TripExpense.Kind.LODGING:
        nights = sppd_days(sppd) - 1
        if trip.travel_type not in OVERNIGHT_TYPES or nights < 1:
            raise PostTripError(_("Perjalanan dinas ini tidak mendapat biaya penginapan."), field="kind")
        if not has_receipt:
            raise PostTripError(
                _(
                    "Biaya penginapan dibayar sesuai bukti (bill hotel). Bila tidak menginap di hotel, "
                    'nyatakan "tidak menggunakan hotel" pada halaman rincian biaya.'
                ),
                field="has_receipt",
            )
        others = sppd.expenses.filter(kind=TripExpense.Kind.LODGING)
        if expense is not None:
            others = others.exclude(pk=expense.pk)
        booked = sum(others.values_list("quantity", flat=True)) + quantity
        if booked > nights:
            raise PostTripError(
                _("Jumlah malam penginapan (%(booked)s) melebihi lama menginap (%(nights)s malam).")
                % {"booked": booked, "nights": nights},
                field="quantity",
            )
    if has_receipt and not has_file:
        raise PostTripError(
            _(
                'Unggah bukti pengeluaran, atau hapus centang "ada bukti" agar dicatat di daftar pengeluaran riil.'
            ),
            field="receipt",
        )
    return {
        "kind": kind,
        "description": description,
        "quantity": quantity,
        "amount": amount,
        "has_receipt": has_receipt,
        "spent_on": spent_on,
    }


@transaction.atomic
def expense_save(
    sppd: Sppd,
    *,
    by,
    data: Mapping[str, Any],
    receipt=None,
    expense: TripExpense | None = None,
    request=None,
    today: dt.date | None = None,
) -> TripExpense:
    """Add (``expense=None``) or change an at-cost item of one SPPD, then recompute its cost sheet.

    ``data``: kind, description, quantity, amount (Decimal, whole rupiah, the line total), has_receipt,
    spent_on. ``receipt`` (PDF/JPEG/PNG, images re-encoded without EXIF) is required when
    ``has_receipt`` and none is stored yet; without a receipt the item goes on the DPR and a stored
    receipt is removed.
    """
    today = today or timezone.localdate()
    sppd = _locked_sppd(sppd)
    if expense is not None and expense.sppd_id != sppd.pk:
        raise PostTripError(_("Biaya ini bukan milik SPPD tersebut."))
    if not sppd_can_record(by, sppd):
        raise PostTripError(
            _("Hanya pelaksana SPPD ini atau operator perjalanan dinas yang dapat mencatat biaya.")
        )
    _check_costs_open(sppd)
    clean = _validate_expense(
        sppd,
        data,
        expense=expense,
        has_file=bool(receipt) or bool(expense is not None and expense.receipt),
        today=today,
    )
    stored = None
    if receipt and clean["has_receipt"]:
        try:
            stored = clean_upload(receipt, kinds=("pdf", "jpeg", "png"))
        except ValidationError as exc:
            raise PostTripError(" ".join(exc.messages), field="receipt") from exc
    creating = expense is None
    if creating:
        expense = TripExpense(sppd=sppd, created_by=by)
        before: dict[str, Any] = {}
    else:
        expense = TripExpense.objects.select_for_update().get(pk=expense.pk)
        before = snapshot(expense, EXPENSE_FIELDS)
    for field, value in clean.items():
        setattr(expense, field, value)
    old_name = expense.receipt.name if expense.receipt else ""
    if stored is not None:
        expense.receipt.save(stored.content.name, stored.content, save=False)
        if old_name:
            _delete_file_on_commit(expense.receipt, old_name)
    elif not clean["has_receipt"] and expense.receipt:
        _delete_file_on_commit(expense.receipt)
        expense.receipt = ""
    expense.full_clean()
    expense.save()
    log_action(
        expense,
        "travel.expense.added" if creating else "travel.expense.changed",
        by=by,
        request=request,
        changes=diff(before, snapshot(expense, EXPENSE_FIELDS)),
        data={"sppd": sppd.pk, "receipt": bool(expense.receipt)},
    )
    sppd_recompute(sppd, by=by)
    return expense


@transaction.atomic
def expense_delete(expense: TripExpense, *, by, request=None) -> None:
    sppd = _locked_sppd(expense.sppd)
    if not sppd_can_record(by, sppd):
        raise PostTripError(
            _("Hanya pelaksana SPPD ini atau operator perjalanan dinas yang dapat mencatat biaya.")
        )
    _check_costs_open(sppd)
    expense = TripExpense.objects.select_for_update().get(pk=expense.pk)
    log_action(
        expense,
        "travel.expense.deleted",
        by=by,
        request=request,
        data={"sppd": sppd.pk, **snapshot(expense, EXPENSE_FIELDS)},
    )
    _delete_file_on_commit(expense.receipt)
    expense.delete()
    sppd_recompute(sppd, by=by)


@transaction.atomic
def sppd_no_hotel_set(sppd: Sppd, *, no_hotel: bool, by, request=None) -> Sppd:
    """The traveller's statement that they used no hotel: nights without a hotel bill are then paid
    30 % of the frozen ceiling as a lump sum (when ``TRAVEL_NO_HOTEL_RULE`` is on)."""
    sppd = _locked_sppd(sppd)
    if not sppd_can_record(by, sppd):
        raise PostTripError(
            _("Hanya pelaksana SPPD ini atau operator perjalanan dinas yang dapat mencatat biaya.")
        )
    _check_costs_open(sppd)
    if sppd.no_hotel != bool(no_hotel):
        log_action(
            sppd,
            "travel.sppd.no_hotel_set",
            by=by,
            request=request,
            changes={"no_hotel": [sppd.no_hotel, bool(no_hotel)]},
        )
        sppd.no_hotel = bool(no_hotel)
        sppd.save(update_fields=["no_hotel", "updated_at"])
    return sppd_recompute(sppd, by=by)


# --- Advance, payment, settlement ------------------------------------------------------------------------
def _check_treasurer(by) -> None:
    if not has_perm(by, "travel.pay_trip"):
        raise PostTripError(_("Hanya bendahara atau PPK yang dapat mencatat pembayaran."))


@transaction.atomic
def sppd_advance_set(sppd: Sppd, *, amount, by, request=None) -> Sppd:
    """Record the advance (*uang muka*) paid to the traveller; the balance is then to pay or to return."""
    _check_treasurer(by)
    sppd = _locked_sppd(sppd)
    _check_costs_open(sppd)
    amount = _whole_rupiah(amount, "amount", positive=False)
    if amount != sppd.advance:
        log_action(
            sppd,
            "travel.sppd.advance_set",
            by=by,
            request=request,
            changes={"advance": [sppd.advance, amount]},
        )
        sppd.advance = amount
        sppd.save(update_fields=["advance", "updated_at"])
    return sppd


@transaction.atomic
def sppd_mark_paid(sppd: Sppd, *, by, request=None, today: dt.date | None = None) -> Sppd:
    """The treasurer paid the balance (or received the excess back). When every SPPD of the trip is
    paid and the report is filed, the trip is settled."""
    _check_treasurer(by)
    sppd = _locked_sppd(sppd)
    trip = sppd.member.trip
    if sppd.paid_at is not None:
        raise PostTripError(_("SPPD ini sudah tercatat dibayar."))
    if trip.status not in COST_STATUSES or not trip_has_returned(trip, today):
        raise PostTripError(_("Pembayaran dicatat setelah pelaksana kembali dari perjalanan dinas."))
    to_pay, to_return = balance(sppd.total, sppd.advance)
    sppd.paid_at = timezone.now()
    sppd.paid_by = by
    sppd.save(update_fields=["paid_at", "paid_by", "updated_at"])
    log_action(
        sppd,
        "travel.sppd.paid",
        by=by,
        request=request,
        data={"total": sppd.total, "advance": sppd.advance, "to_pay": to_pay, "to_return": to_return},
    )
    _settle_if_complete(trip, by=by, request=request)
    return sppd


@transaction.atomic
def sppd_payment_undo(sppd: Sppd, *, by, request=None) -> Sppd:
    """Correct a payment recorded by mistake (not once the trip is settled)."""
    _check_treasurer(by)
    sppd = _locked_sppd(sppd)
    if sppd.paid_at is None:
        raise PostTripError(_("SPPD ini belum tercatat dibayar."))
    if sppd.member.trip.status == Status.SETTLED:
        raise PostTripError(
            _("Perjalanan dinas sudah selesai dipertanggungjawabkan; pembayaran tidak dapat dibatalkan.")
        )
    log_action(sppd, "travel.sppd.payment_undone", by=by, request=request, data={"paid_at": sppd.paid_at})
    sppd.paid_at = None
    sppd.paid_by = None
    sppd.save(update_fields=["paid_at", "paid_by", "updated_at"])
    return sppd


def _settle_problems(trip: Trip) -> list[str]:
    problems = []
    report = TripReport.objects.filter(trip=trip, filed_at__isnull=False).exists()
    if trip.status != Status.REPORTED or not report:
        problems.append(_("Laporan perjalanan dinas belum dibuat."))
    sppds = Sppd.objects.filter(member__trip=trip)
    if not sppds.exists() or sppds.filter(paid_at__isnull=True).exists():
        problems.append(_("Belum semua SPPD dibayar."))
    return problems


@transaction.atomic
def trip_settle(trip: Trip, *, by, request=None) -> Trip:
    """Reported and every SPPD paid → settled (*selesai dipertanggungjawabkan*). Raises otherwise."""
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    if trip.status == Status.SETTLED:
        return trip
    problems = _settle_problems(trip)
    if problems:
        raise PostTripError(" ".join(problems))
    trip.status = Status.SETTLED
    trip.save(update_fields=["status", "updated_at"])
    log_action(
        trip,
        "travel.trip.settled",
        by=by,
        request=request,
        changes={"status": [Status.REPORTED, Status.SETTLED]},
    )
    return trip


def _settle_if_complete(trip: Trip, *, by, request=None) -> bool:
    if _settle_problems(trip):
        return False
    trip_settle(trip, by=by, request=request)
    return True
