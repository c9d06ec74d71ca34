"""Trip cost computation (*rincian biaya perjalanan dinas*, domain.md §2.5) — Decimal only, no float.

Lump-sum lines (uang harian, representasi, 30 % lodging) and at-cost lines (transport, hotel bills)
are kept apart, as the rincian biaya requires. Every amount is rounded to whole rupiah with
``ROUND_HALF_UP`` and carried with two decimal places to match the ``DecimalField`` columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from .models import CostTier, DailyAllowanceRate, LodgingCeiling, RepresentationRate, TravelType
from .rates import RateNotFound, rate_on

LUMP_SUM = "lump_sum"
AT_COST = "at_cost"
NO_HOTEL_SHARE = Decimal("0.30")  # central rule; unverified for Bali (domain.md §2.5)
ZERO = Decimal("0.00")

# Types that pay uang harian, and those that may carry a lodging component.
DAILY_ALLOWANCE_TYPES = frozenset(
    {TravelType.LUAR_KOTA, TravelType.LUAR_DAERAH, TravelType.DALAM_KOTA_LEBIH_8_JAM, TravelType.DIKLAT}
)
OVERNIGHT_TYPES = frozenset({TravelType.LUAR_KOTA, TravelType.LUAR_DAERAH, TravelType.DIKLAT})


def money(value: Decimal | int) -> Decimal:
    """Whole rupiah, half up, as a two-place Decimal. Floats are refused (binary rounding errors)."""
    if isinstance(value, float | bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"money must be Decimal or int, not {type(value).__name__}")
    return Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class CostLine:
    kind: str  # uang_harian | representasi | penginapan | transport
    label: str
    basis: str  # LUMP_SUM | AT_COST
    quantity: int
    unit_amount: Decimal
    amount: Decimal

    def as_dict(self) -> dict[str, str | int]:
        """JSON-safe form for the SPPD snapshot (amounts as strings, never floats)."""
        return {
            "kind": self.kind,
            "label": str(self.label),
            "basis": self.basis,
            "quantity": self.quantity,
            "unit_amount": str(self.unit_amount),
            "amount": str(self.amount),
        }


@dataclass(frozen=True)
class CostSheet:
    lines: tuple[CostLine, ...]
    lump_sum_total: Decimal
    at_cost_total: Decimal
    total: Decimal
    lodging_ceiling: Decimal = ZERO  # per night; 0 when no lodging line needed a ceiling

    def snapshot(self) -> dict[str, object]:
        """Field values for ``Sppd`` so later rate-table edits never change an issued SPPD."""
        return {
            "daily_rate": self.rate_of("uang_harian"),
            "representation_rate": self.rate_of("representasi"),
            "lodging_ceiling": self.lodging_ceiling,
            "lump_sum_total": self.lump_sum_total,
            "at_cost_total": self.at_cost_total,
            "total": self.total,
            "cost_lines": [line.as_dict() for line in self.lines],
        }

    def rate_of(self, kind: str) -> Decimal:
        """Unit amount of the first line of ``kind`` (0 when absent) — for the SPPD snapshot."""
        return next((line.unit_amount for line in self.lines if line.kind == kind), ZERO)


def _line(kind: str, label, basis: str, quantity: int, unit_amount: Decimal) -> CostLine:
    unit = money(unit_amount)
    return CostLine(kind, label, basis, quantity, unit, money(unit * quantity))


def compute_costs(
    *,
    travel_type: str,
    days: int,
    destination_province_code: str,
    tier: str,
    on: dt.date,
    transport_at_cost: Decimal | int = 0,
    lodging_nights_receipts: Iterable[Decimal | int] = (),
    no_hotel_30_percent: bool = True,
    representation: bool = False,
) -> CostSheet:
    """Compute the cost sheet of one traveller; rates are those valid on ``on`` (the departure date).

    - uang harian × days, lump sum (not for *dalam kota ≤ 8 jam*, which is transport only);
      for *luar daerah* the province's ``luar_daerah`` row is used, else its ``luar_kota`` row;
    - representasi × days when ``representation`` and the tier has a rate for the travel type;
    - lodging for ``days − 1`` nights: each receipt at cost capped at the ceiling; nights without a
      receipt get 30 % of the ceiling lump sum when ``no_hotel_30_percent`` (not for diklat, where
      lodging is provided);
    - transport at cost.

    Raises ``TypeError`` for float amounts, ``ValueError`` for impossible inputs and
    ``travel.rates.RateNotFound`` when a needed rate is missing.
    """
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError("days must be a positive int")
    transport = money(transport_at_cost)
    receipts = [money(r) for r in lodging_nights_receipts]
    if transport < 0 or any(r < 0 for r in receipts):
        raise ValueError("amounts must not be negative")
    travel_type = TravelType(travel_type)
    tier = CostTier(tier)
    province = destination_province_code[:2]
    nights = days - 1
    if len(receipts) > nights and travel_type in OVERNIGHT_TYPES:
        raise ValueError("more hotel receipts than nights")
    lines: list[CostLine] = []
    ceiling = ZERO

    if travel_type in DAILY_ALLOWANCE_TYPES:
        try:
            daily = rate_on(DailyAllowanceRate, on=on, province_id=province, travel_type=travel_type)
        except RateNotFound:
            if travel_type != TravelType.LUAR_DAERAH:
                raise
            daily = rate_on(DailyAllowanceRate, on=on, province_id=province, travel_type=TravelType.LUAR_KOTA)
        lines.append(_line("uang_harian", _("Uang harian"), LUMP_SUM, days, daily.amount))

    if representation and travel_type in DAILY_ALLOWANCE_TYPES:
        try:
            rep = rate_on(RepresentationRate, on=on, cost_tier=tier, travel_type=travel_type)
        except RateNotFound:
            rep = None  # the table defines who is entitled; no row → no representation
        if rep is not None:
            lines.append(_line("representasi", _("Uang representasi"), LUMP_SUM, days, rep.amount))

    if travel_type in OVERNIGHT_TYPES and nights > 0:
        with_hotel = receipts
        without = nights - len(receipts)
        if with_hotel or (without and no_hotel_30_percent and travel_type != TravelType.DIKLAT):
            ceiling = money(rate_on(LodgingCeiling, on=on, province_id=province, cost_tier=tier).amount)
            for receipt in with_hotel:
                lines.append(_line("penginapan", _("Biaya penginapan"), AT_COST, 1, min(receipt, ceiling)))
            if without and no_hotel_30_percent and travel_type != TravelType.DIKLAT:
                lines.append(
                    _line(
                        "penginapan_30",
                        _("Biaya penginapan (30% tanpa hotel)"),
                        LUMP_SUM,
                        without,
                        ceiling * NO_HOTEL_SHARE,
                    )
                )
    elif receipts:
        raise ValueError("this travel type has no lodging")

    if transport:
        lines.append(_line("transport", _("Biaya transport"), AT_COST, 1, transport))

    lump = sum((line.amount for line in lines if line.basis == LUMP_SUM), ZERO)
    at_cost = sum((line.amount for line in lines if line.basis == AT_COST), ZERO)
    return CostSheet(tuple(lines), money(lump), money(at_cost), money(lump + at_cost), ceiling)


def balance(total: Decimal | int, advance: Decimal | int) -> tuple[Decimal, Decimal]:
    """``(to_pay, to_return)`` after an advance (*uang muka*): at most one of them is non-zero."""
    total, advance = money(total), money(advance)
    diff = total - advance
    return (diff, ZERO) if diff >= 0 else (ZERO, -diff)
