"""The cost sheet of an SPPD: days, lodging, cost lines, totals and the summary the documents print."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from situok.audit import diff, log_action, snapshot
from situok.formats import tanggal

from ..costs import AT_COST, LUMP_SUM, NO_HOTEL_SHARE, OVERNIGHT_TYPES, ZERO, balance, money
from ..models import LodgingCeiling, Sppd, TravelType, TripExpense
from ..rates import RateNotFound, rate_on
from ._common import EXPENSE_LINE_KIND, PostTripError, no_hotel_rule_enabled
from .access import _locked_sppd


# --- Cost sheet -----------------------------------------------------------------------------------------
def sppd_days(sppd: Sppd) -> int:
    """Days paid: the SPT's (inclusive), fewer when the traveller came back early. A later return is
    not paid without an amended SPT."""
    trip = sppd.member.trip
    end = trip.return_date
    if sppd.actual_return_date and trip.depart_date <= sppd.actual_return_date < end:
        end = sppd.actual_return_date
    return (end - trip.depart_date).days + 1


def sppd_has_lodging(sppd: Sppd) -> bool:
    """Whether the trip's type and length allow lodging (hotel bills or the 30 % rule)."""
    return sppd.member.trip.travel_type in OVERNIGHT_TYPES and sppd_days(sppd) > 1


def _unit(amount: Decimal, quantity: int) -> Decimal:
    """Amount per unit for display (two places); the line's ``amount`` is what is paid."""
    if quantity <= 1:
        return amount
    return (amount / quantity).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _line(kind: str, label: str, basis: str, quantity: int, unit_amount: Decimal, **extra) -> dict[str, Any]:
    unit = money(unit_amount)
    return {
        "kind": kind,
        "label": str(label),
        "basis": basis,
        "quantity": quantity,
        "unit_amount": str(unit),
        "amount": str(money(unit * quantity)),
        **extra,
    }


def _expense_line(expense: TripExpense, amount: Decimal, **extra) -> dict[str, Any]:
    return {
        "kind": EXPENSE_LINE_KIND[expense.kind],
        "label": expense.description,
        "basis": AT_COST,
        "quantity": expense.quantity,
        "unit_amount": str(_unit(amount, expense.quantity)),
        "amount": str(amount),
        "expense_id": expense.pk,
        "has_receipt": expense.has_receipt,
        **extra,
    }


def _freeze_ceiling(sppd: Sppd) -> Decimal:
    trip = sppd.member.trip
    try:
        row = rate_on(
            LodgingCeiling,
            on=sppd.rates_on,
            province_id=trip.destination_province_code(),
            cost_tier=sppd.cost_tier,
        )
    except RateNotFound as exc:
        raise PostTripError(
            _(
                "Batas biaya penginapan yang berlaku pada %(date)s belum ada di tabel tarif; hubungi Administrator."
            )
            % {"date": tanggal(sppd.rates_on)},
            field="kind",
        ) from exc
    return money(row.amount)


def _cost_lines(sppd: Sppd, expenses: Sequence[TripExpense]) -> tuple[list[dict[str, Any]], Decimal]:
    trip = sppd.member.trip
    days = sppd_days(sppd)
    nights = days - 1
    travel_type = TravelType(trip.travel_type)
    lodging = [e for e in expenses if e.kind == TripExpense.Kind.LODGING]
    nights_with_hotel = sum(e.quantity for e in lodging)
    without_hotel = max(nights - nights_with_hotel, 0)
    pay_30 = (
        no_hotel_rule_enabled()
        and sppd.no_hotel
        and travel_type in OVERNIGHT_TYPES
        and travel_type != TravelType.DIKLAT
        and without_hotel > 0
    )
    ceiling = money(sppd.lodging_ceiling)
    if (lodging or pay_30) and ceiling == ZERO:
        ceiling = _freeze_ceiling(sppd)
    lines: list[dict[str, Any]] = []
    # Official document text: stored in the site language whatever the user's interface language.
    with translation.override(settings.LANGUAGE_CODE):
        if sppd.daily_rate > 0:
            lines.append(_line("uang_harian", _("Uang harian"), LUMP_SUM, days, sppd.daily_rate))
        if sppd.representation_rate > 0:
            lines.append(
                _line("representasi", _("Uang representasi"), LUMP_SUM, days, sppd.representation_rate)
            )
        if pay_30:
            lines.append(
                _line(
                    "penginapan_30",
                    _("Biaya penginapan (30% tanpa hotel)"),
                    LUMP_SUM,
                    without_hotel,
                    ceiling * NO_HOTEL_SHARE,
                )
            )
    for expense in lodging:
        claimed = money(expense.amount)
        cap = money(ceiling * expense.quantity)
        paid = min(claimed, cap)
        lines.append(_expense_line(expense, paid, claimed=str(claimed), capped=paid < claimed))
    for expense in expenses:
        if expense.kind != TripExpense.Kind.LODGING:
            lines.append(_expense_line(expense, money(expense.amount)))
    return lines, ceiling


TOTAL_FIELDS = ("lump_sum_total", "at_cost_total", "total", "lodging_ceiling", "cost_lines")


@transaction.atomic
def sppd_recompute(sppd: Sppd, *, by=None) -> Sppd:
    """Recompute the cost sheet of one SPPD from its frozen rates and its recorded expenses.

    Writes ``cost_lines`` (lump-sum lines first, then at-cost lines), ``lump_sum_total``,
    ``at_cost_total`` and ``total``; freezes the lodging ceiling if it was never frozen. A paid SPPD is
    never recomputed. Returns the refreshed SPPD.
    """
    sppd = _locked_sppd(sppd)
    if sppd.paid_at is not None:
        raise PostTripError(_("SPPD ini sudah dibayar; rinciannya tidak dapat diubah lagi."))
    expenses = list(sppd.expenses.order_by("kind", "spent_on", "id"))
    before = snapshot(sppd, TOTAL_FIELDS)
    lines, ceiling = _cost_lines(sppd, expenses)
    lump = sum((Decimal(line["amount"]) for line in lines if line["basis"] == LUMP_SUM), ZERO)
    at_cost = sum((Decimal(line["amount"]) for line in lines if line["basis"] == AT_COST), ZERO)
    sppd.lump_sum_total = money(lump)
    sppd.at_cost_total = money(at_cost)
    sppd.total = money(lump + at_cost)
    sppd.lodging_ceiling = ceiling
    sppd.cost_lines = lines
    sppd.save(update_fields=[*TOTAL_FIELDS, "updated_at"])
    changes = diff(before, snapshot(sppd, TOTAL_FIELDS))
    changes.pop("cost_lines", None)  # the totals say what changed; the lines are on the SPPD
    if changes:
        log_action(sppd, "travel.sppd.recomputed", by=by, changes=changes)
    return sppd


@dataclass(frozen=True)
class CostSummary:
    """What the panel, the cost page and the PDFs show of one SPPD (no queries: read from the SPPD)."""

    sppd: Sppd
    lump_sum_lines: list[dict[str, Any]]
    at_cost_lines: list[dict[str, Any]]
    lump_sum_total: Decimal
    at_cost_total: Decimal
    total: Decimal
    advance: Decimal
    to_pay: Decimal
    to_return: Decimal
    dpr_total: Decimal

    @property
    def paid(self) -> bool:
        return self.sppd.paid_at is not None


def _as_decimal_line(line: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(line)
    for key in ("unit_amount", "amount", "claimed"):
        if key in out:
            out[key] = Decimal(str(out[key]))
    return out


def sppd_cost_summary(sppd: Sppd) -> CostSummary:
    lines = [_as_decimal_line(line) for line in sppd.cost_lines or []]
    to_pay, to_return = balance(sppd.total, sppd.advance)
    dpr = sum(
        (line["amount"] for line in lines if line["basis"] == AT_COST and line.get("has_receipt") is False),
        ZERO,
    )
    return CostSummary(
        sppd=sppd,
        lump_sum_lines=[line for line in lines if line["basis"] == LUMP_SUM],
        at_cost_lines=[line for line in lines if line["basis"] == AT_COST],
        lump_sum_total=money(sppd.lump_sum_total),
        at_cost_total=money(sppd.at_cost_total),
        total=money(sppd.total),
        advance=money(sppd.advance),
        to_pay=to_pay,
        to_return=to_return,
        dpr_total=money(dpr),
    )


def sppd_dpr_expenses(sppd: Sppd) -> QuerySet[TripExpense]:
    """The expenses without receipts: the lines of the *daftar pengeluaran riil*."""
    return sppd.expenses.filter(has_receipt=False).order_by("spent_on", "id")
