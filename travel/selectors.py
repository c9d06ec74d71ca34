"""Reads of travel/ reused by views, exports and services (querysets, no writes)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from .models import BudgetLine, DailyAllowanceRate, LodgingCeiling, Trip
from .rates import valid_on


def trip_register(
    *,
    status: str | None = None,
    unit_id: int | None = None,
    budget_line_id: int | None = None,
    depart_from: dt.date | None = None,
    depart_to: dt.date | None = None,
) -> QuerySet[Trip]:
    """The SPT register, newest first, with what a list row shows (query count independent of rows)."""
    qs = Trip.objects.select_related("unit", "budget_line", "origin").prefetch_related(
        "members__employee", "destinations__region"
    )
    if status:
        qs = qs.filter(status=status)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if budget_line_id:
        qs = qs.filter(budget_line_id=budget_line_id)
    if depart_from:
        qs = qs.filter(depart_date__gte=depart_from)
    if depart_to:
        qs = qs.filter(depart_date__lte=depart_to)
    return qs.order_by("-depart_date", "-id")


def budget_lines_for_year(year: int) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(year=year).order_by("sub_activity_code", "kode_rekening")


def daily_rates_in_force(on: dt.date) -> QuerySet[DailyAllowanceRate]:
    """Every daily-allowance row valid on ``on`` (several per key only if periods overlap)."""
    return (
        DailyAllowanceRate.objects.filter(valid_on(on))
        .select_related("province")
        .order_by("province", "travel_type", "-berlaku_mulai")
    )


def lodging_ceilings_in_force(on: dt.date) -> QuerySet[LodgingCeiling]:
    return (
        LodgingCeiling.objects.filter(valid_on(on))
        .select_related("province")
        .order_by("province", "cost_tier", "-berlaku_mulai")
    )
