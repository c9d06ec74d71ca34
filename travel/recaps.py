"""Travel recaps (issue 5 item 9): per-employee travel recap and per-month cost recap by budget line.

Both aggregate in the database — one ``GROUP BY`` query each (plus one for the budget lines), whatever
the number of trips — and count only trips that really happen or happened: numbered (signed) SPTs and
later, never drafts, rejected or cancelled ones (a cancelled numbered SPT costs nothing). Costs are the
SPPD totals (``Sppd.total``, Decimal). The month of a trip is its departure month.

Scope: holders of ``travel.view_trip``/``travel.manage_trip`` see every trip; unit heads see their units
(the employee recap: the employees of the units they head; the budget recap: the trips they may see,
:func:`travel.selectors.trips_visible_to`); anyone else gets nothing (views answer 403 first, through
:func:`can_see_recaps`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, DecimalField, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone

from situok import formats
from situok.permissions import has_perm
from staff.models import OrgUnit
from staff.selectors import supervised_unit_paths

from .models import BudgetLine, Sppd, TripMember
from .selectors import ON_TRAVEL_STATUSES, can_see_register, trips_visible_to

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
MONTHS = tuple(range(1, 13))
MIN_YEAR, MAX_YEAR = 2000, 2100
# Trips the recaps count: the SPT is numbered (approved and signed) and not cancelled.
COUNTED_STATUSES = ON_TRAVEL_STATUSES
_MONEY = DecimalField(max_digits=17, decimal_places=2)


def can_see_recaps(user) -> bool:
    """The recaps are for whoever may see the SPT register: ``travel.view_trip`` holders and unit heads."""
    return can_see_register(user)


def _sees_everything(user) -> bool:
    return has_perm(user, "travel.view_trip") or has_perm(user, "travel.manage_trip")


# --- Parameters -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RecapParams:
    """What the recap pages and their exports take from the query string."""

    year: int
    date_from: dt.date
    date_to: dt.date
    unit: OrgUnit | None = None

    def as_query(self) -> dict[str, str]:
        query = {
            "tahun": str(self.year),
            "dari": self.date_from.isoformat(),
            "sampai": self.date_to.isoformat(),
        }
        if self.unit is not None:
            query["unit"] = str(self.unit.pk)
        return query


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _first(form_data: Mapping[str, Any], key: str) -> Any:
    value = form_data.get(key)
    if isinstance(value, list | tuple):
        return value[0] if value else None
    return value


def recap_params(form_data: Mapping[str, Any], *, today: dt.date | None = None) -> RecapParams:
    """Lenient parsing (exports must never fail on a hand-edited URL): ``tahun`` (default this year),
    ``dari``/``sampai`` (ISO dates, default the whole year; swapped when reversed), ``unit`` (an
    ``OrgUnit`` id, sub-units included; unknown ids are ignored)."""
    today = today or timezone.localdate()
    year = _int(_first(form_data, "tahun"))
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        year = today.year
    date_from = _date(_first(form_data, "dari")) or dt.date(year, 1, 1)
    date_to = _date(_first(form_data, "sampai")) or dt.date(year, 12, 31)
    if date_to < date_from:
        date_from, date_to = date_to, date_from
    unit_id = _int(_first(form_data, "unit"))
    unit = OrgUnit.objects.filter(pk=unit_id).only("pk", "name", "path").first() if unit_id else None
    return RecapParams(year=year, date_from=date_from, date_to=date_to, unit=unit)


# --- Per-employee recap ---------------------------------------------------------------------------
@dataclass(frozen=True)
class EmployeeRecapRow:
    employee_id: int
    name: str
    nip: str
    position: str
    unit: str
    trips: int
    days: int
    lump_sum: Decimal
    at_cost: Decimal
    cost: Decimal


@dataclass
class EmployeeRecap:
    params: RecapParams
    rows: list[EmployeeRecapRow] = field(default_factory=list)

    @property
    def trips(self) -> int:
        """Sum of the rows' trips (a trip with two travellers counts once per traveller)."""
        return sum(r.trips for r in self.rows)

    @property
    def days(self) -> int:
        return sum(r.days for r in self.rows)

    @property
    def lump_sum(self) -> Decimal:
        return sum((r.lump_sum for r in self.rows), ZERO)

    @property
    def at_cost(self) -> Decimal:
        return sum((r.at_cost for r in self.rows), ZERO)

    @property
    def cost(self) -> Decimal:
        return sum((r.cost for r in self.rows), ZERO)


def _scoped_members(user, qs: QuerySet[TripMember]) -> QuerySet[TripMember]:
    if _sees_everything(user):
        return qs
    paths = supervised_unit_paths(user) if getattr(user, "is_authenticated", False) else []
    if not paths:
        return qs.none()
    cond = Q()
    for path in paths:
        cond |= Q(employee__unit__path__startswith=path)
    return qs.filter(cond)


def _display_name(front: str, name: str, back: str) -> str:
    full = f"{front} {name}".strip() if front else name
    return f"{full}, {back}" if back else full


def employee_recap(user, params: RecapParams) -> EmployeeRecap:
    """Per traveller: trips (departing in the period), days (inclusive, as on the SPT) and cost (the SPPD
    totals, split into lump sum and at cost). One ``GROUP BY`` query; rows by name."""
    qs = TripMember.objects.filter(
        trip__status__in=COUNTED_STATUSES,
        trip__depart_date__gte=params.date_from,
        trip__depart_date__lte=params.date_to,
    )
    qs = _scoped_members(user, qs)
    if params.unit is not None:
        qs = qs.filter(employee__unit__path__startswith=params.unit.path)
    span = ExpressionWrapper(F("trip__return_date") - F("trip__depart_date"), output_field=DurationField())
    rows = (
        qs.values(
            "employee_id",
            "employee__name",
            "employee__front_title",
            "employee__back_title",
            "employee__nip",
            "employee__position__name",
            "employee__unit__name",
        )
        .annotate(
            trip_count=Count("id"),
            span=Sum(span),
            lump=Coalesce(Sum("sppd__lump_sum_total"), Value(ZERO), output_field=_MONEY),
            at_cost=Coalesce(Sum("sppd__at_cost_total"), Value(ZERO), output_field=_MONEY),
            cost=Coalesce(Sum("sppd__total"), Value(ZERO), output_field=_MONEY),
        )
        .order_by("employee__name", "employee_id")
    )
    recap = EmployeeRecap(params)
    for row in rows:
        span_days = row["span"].days if row["span"] is not None else 0
        recap.rows.append(
            EmployeeRecapRow(
                employee_id=row["employee_id"],
                name=_display_name(
                    row["employee__front_title"], row["employee__name"], row["employee__back_title"]
                ),
                nip=row["employee__nip"] or "",
                position=row["employee__position__name"] or "",
                unit=row["employee__unit__name"] or "",
                trips=row["trip_count"],
                # Inclusive days: every trip adds one day to its return − departure span.
                days=span_days + row["trip_count"],
                lump_sum=Decimal(row["lump"]).quantize(ZERO),
                at_cost=Decimal(row["at_cost"]).quantize(ZERO),
                cost=Decimal(row["cost"]).quantize(ZERO),
            )
        )
    return recap


# --- Per-month cost recap by budget line ---------------------------------------------------------
@dataclass(frozen=True)
class BudgetRecapRow:
    line: BudgetLine | None  # None: trips charged to no budget line
    months: tuple[Decimal, ...]  # January … December
    total: Decimal
    ceiling: Decimal | None
    remaining: Decimal | None
    realisation: Decimal | None  # percent of the ceiling, two places

    @property
    def realisation_text(self) -> str:
        return percent_text(self.realisation)

    @property
    def kode_rekening(self) -> str:
        return self.line.kode_rekening if self.line else ""

    @property
    def name(self) -> str:
        return self.line.name if self.line else ""

    @property
    def sub_activity(self) -> str:
        if self.line is None:
            return ""
        return " ".join(p for p in (self.line.sub_activity_code, self.line.sub_activity_name) if p)


@dataclass
class BudgetRecap:
    params: RecapParams
    rows: list[BudgetRecapRow] = field(default_factory=list)

    @property
    def months(self) -> tuple[Decimal, ...]:
        return tuple(sum((r.months[i] for r in self.rows), ZERO) for i in range(12))

    @property
    def total(self) -> Decimal:
        return sum((r.total for r in self.rows), ZERO)

    @property
    def ceiling(self) -> Decimal:
        return sum((r.ceiling for r in self.rows if r.ceiling is not None), ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.ceiling - sum((r.total for r in self.rows if r.line is not None), ZERO)

    @property
    def realisation_text(self) -> str:
        return percent_text(self.realisation)

    @property
    def realisation(self) -> Decimal | None:
        lined = sum((r.total for r in self.rows if r.line is not None), ZERO)
        return percent(lined, self.ceiling)


def percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    """``part`` as a percentage of ``whole``, two places, half up; ``None`` without a positive whole."""
    if not whole or whole <= 0:
        return None
    return (part * HUNDRED / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def percent_text(value: Decimal | None) -> str:
    """``12,50%`` (Indonesian decimal comma), ``""`` for ``None``."""
    return "" if value is None else f"{formats.angka(value, 2)}%"


def _scoped_sppds(user, qs: QuerySet[Sppd]) -> QuerySet[Sppd]:
    if _sees_everything(user):
        return qs
    if not can_see_recaps(user):
        return qs.none()
    return qs.filter(member__trip__in=trips_visible_to(user).values("pk"))


def budget_recap(user, params: RecapParams) -> BudgetRecap:
    """Rows = the budget lines of ``params.year`` (every line, even unused, in DPA order) plus a row
    for trips charged to no line when there are any; columns = the 12 months of departure, the total,
    the ceiling (*pagu*), what remains and the realisation in percent. ``params.unit`` limits the trips
    to that unit's SPTs (sub-units included). Two queries."""
    year = params.year
    qs = Sppd.objects.filter(
        member__trip__status__in=COUNTED_STATUSES,
        member__trip__depart_date__gte=dt.date(year, 1, 1),
        member__trip__depart_date__lte=dt.date(year, 12, 31),
    )
    qs = _scoped_sppds(user, qs)
    if params.unit is not None:
        qs = qs.filter(member__trip__unit__path__startswith=params.unit.path)
    sums: dict[int | None, list[Decimal]] = {}
    grouped = (
        qs.annotate(month=ExtractMonth("member__trip__depart_date"))
        .values("member__trip__budget_line_id", "month")
        .annotate(amount=Sum("total"))
        .order_by()
    )
    for row in grouped:
        months = sums.setdefault(row["member__trip__budget_line_id"], [ZERO] * 12)
        months[row["month"] - 1] += Decimal(row["amount"] or 0).quantize(ZERO)
    lines = list(
        BudgetLine.objects.filter(Q(year=year) | Q(pk__in=[pk for pk in sums if pk is not None])).order_by(
            "year", "sub_activity_code", "kode_rekening", "pk"
        )
    )
    recap = BudgetRecap(params)
    for line in lines:
        months = tuple(sums.get(line.pk, [ZERO] * 12))
        total = sum(months, ZERO)
        recap.rows.append(
            BudgetRecapRow(
                line=line,
                months=months,
                total=total,
                ceiling=line.ceiling,
                remaining=line.ceiling - total,
                realisation=percent(total, line.ceiling),
            )
        )
    if None in sums:
        months = tuple(sums[None])
        recap.rows.append(
            BudgetRecapRow(
                line=None,
                months=months,
                total=sum(months, ZERO),
                ceiling=None,
                remaining=None,
                realisation=None,
            )
        )
    return recap
