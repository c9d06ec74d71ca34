"""After the trip (issue 5 items 4-back, 6, 7): visum stops, expenses and the cost sheet, advance and
payment, the trip report with its acknowledgement, overdue reminders and settlement.

Services (every write) and the selectors the post-trip views, the panel and the PDFs read.

Cost rules (domain.md §2.5), all Decimal and whole rupiah through :func:`travel.costs.money`:

* lump sum — *uang harian* and *representasi* × days, from the rates **frozen on the SPPD** at approval
  (``daily_rate``, ``representation_rate``); days are the SPT's, fewer when the traveller came back
  early (``actual_return_date``); *penginapan 30 %* for the nights without a hotel bill when the traveller
  declared they used no hotel (``Sppd.no_hotel``) and ``settings.TRAVEL_NO_HOTEL_RULE`` (default on);
* at cost — every :class:`~travel.models.TripExpense`; ``amount`` is the line total (``quantity`` is
  informative, e.g. nights), a hotel line is capped at ``quantity × lodging_ceiling`` (the frozen
  ceiling); an expense without a receipt goes on the *daftar pengeluaran riil* (DPR).

Editing the rate tables therefore never changes an SPPD: :func:`sppd_recompute` reads only the SPPD's
own snapshot (the one exception — a ceiling that was never frozen because no lodging was expected at
approval — is looked up once, for the departure date, and frozen then).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from situok.audit import diff, log_action, snapshot
from situok.formats import tanggal
from situok.notification_models import Notification
from situok.notifications import notify
from situok.permissions import get_for_user, has_perm
from situok.uploads import clean_upload
from situok.workcalendar import next_working_day
from staff.selectors import employee_for_user, employee_supervisor, supervised_unit_paths

from .costs import AT_COST, LUMP_SUM, NO_HOTEL_SHARE, OVERNIGHT_TYPES, ZERO, balance, money
from .models import (
    LodgingCeiling,
    Sppd,
    SppdStop,
    TravelType,
    Trip,
    TripExpense,
    TripMember,
    TripReport,
    TripReportFile,
)
from .rates import RateNotFound, rate_on
from .selectors import trips_visible_to
from .services import TravelError

Status = Trip.Status

# A trip whose costs can still be entered (tickets are often bought before departure).
COST_STATUSES = (Status.NUMBERED, Status.TRAVELLING, Status.RETURNED, Status.REPORTED)
# Statuses in which the trip has started (visum) — a numbered trip counts from its departure date.
STARTED_STATUSES = (Status.TRAVELLING, Status.RETURNED, Status.REPORTED, Status.SETTLED)
# Statuses in which the trip may be over (the date-driven move to "returned" may not have run yet).
NOT_RETURNED_YET = (Status.NUMBERED, Status.TRAVELLING)
POSTTRIP_STATUSES = (*COST_STATUSES, Status.SETTLED)

# Visum and expense dates must lie in a sensible window around the SPT dates.
VISUM_DAYS_BEFORE = 1
VISUM_DAYS_AFTER = 14
EXPENSE_DAYS_BEFORE = 90  # tickets bought well ahead
MAX_REPORT_PHOTOS = 20
MAX_REPORT_ATTACHMENTS = 10
NOTIFICATION_CATEGORY = "travel_report"
OVERDUE_KIND = "travel_report_overdue"

EXPENSE_FIELDS = ("kind", "description", "quantity", "amount", "has_receipt", "spent_on")
REPORT_FIELDS = ("background", "activities", "results", "follow_up")
REQUIRED_REPORT_FIELDS = ("background", "activities", "results")
# Cost-line kind of each expense kind (the snapshot's kinds: uang_harian, representasi, penginapan …).
EXPENSE_LINE_KIND = {
    TripExpense.Kind.TRANSPORT: "transport",
    TripExpense.Kind.LODGING: "penginapan",
    TripExpense.Kind.VEHICLE_RENTAL: "sewa_kendaraan",
    TripExpense.Kind.OTHER: "lain_lain",
}


class PostTripError(TravelError):
    """A post-trip rule was broken. ``field`` (and ``index`` for a visum row) place the message on the
    form; ``errors`` lists every problem found as ``(index, field, message)``."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        index: int | None = None,
        errors: Sequence[tuple[int | None, str | None, str]] | None = None,
    ):
        super().__init__(str(message), field=field)
        self.index = index
        self.errors = list(errors) if errors else [(index, field, str(message))]

    @classmethod
    def collect(cls, errors: Sequence[tuple[int | None, str | None, str]]) -> PostTripError:
        index, field, message = errors[0]
        return cls(message, field=field, index=index, errors=errors)


# --- Settings ------------------------------------------------------------------------------------------
def no_hotel_rule_enabled() -> bool:
    """``settings.TRAVEL_NO_HOTEL_RULE`` (default ``True``): 30 % of the ceiling for nights without hotel."""
    return bool(getattr(settings, "TRAVEL_NO_HOTEL_RULE", True))


def report_due_working_days() -> int:
    return int(getattr(settings, "TRAVEL_REPORT_DUE_WORKING_DAYS", 5))


def stop_blocks() -> int:
    """Visum blocks II.. on the SPPD back page (``settings.TRAVEL_SPPD_STOP_BLOCKS``, at least 3)."""
    return max(3, int(getattr(settings, "TRAVEL_SPPD_STOP_BLOCKS", 3)))


# --- Who may do what ------------------------------------------------------------------------------------
def trip_lead(trip: Trip) -> TripMember | None:
    """The lead traveller (``is_lead``; the first member when none is flagged)."""
    members = list(trip.members.all())
    return next((m for m in members if m.is_lead), None) or (
        min(members, key=lambda m: (m.order, m.pk)) if members else None
    )


def _user_id_of(member: TripMember | None) -> int | None:
    return member.employee.user_id if member is not None else None


def sppd_is_traveller(user, sppd: Sppd) -> bool:
    return bool(getattr(user, "is_authenticated", False) and sppd.member.employee.user_id == user.pk)


def sppd_can_record(user, sppd: Sppd) -> bool:
    """Visum and expenses of one SPPD: its traveller or the travel operator."""
    return sppd_is_traveller(user, sppd) or has_perm(user, "travel.manage_trip")


def report_can_file(user, trip: Trip) -> bool:
    """The trip report: the lead traveller or the travel operator."""
    if not getattr(user, "is_authenticated", False):
        return False
    return _user_id_of(trip_lead(trip)) == user.pk or has_perm(user, "travel.manage_trip")


def report_supervisor(trip: Trip):
    """The employee who acknowledges the report: the lead traveller's direct supervisor."""
    lead = trip_lead(trip)
    return employee_supervisor(lead.employee) if lead is not None else None


def report_can_acknowledge(user, report: TripReport) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    supervisor = report_supervisor(report.trip)
    return supervisor is not None and supervisor.user_id == user.pk


# --- Object access --------------------------------------------------------------------------------------
def _sppds_visible_to(user, qs: QuerySet[Sppd]) -> QuerySet[Sppd]:
    return qs.filter(member__trip__in=trips_visible_to(user).values("pk"))


def sppd_get_for_user(user, pk, *, write: bool = False) -> Sppd:
    """The SPPD if ``user`` may see its trip (else 404); with ``write``, 403 unless traveller/operator."""
    qs = Sppd.objects.select_related(
        "member__employee__unit", "member__trip__unit", "member__trip__budget_line", "paid_by"
    )
    return get_for_user(user, qs, pk, visible=_sppds_visible_to, can_change=sppd_can_record, write=write)


def expense_get_for_user(user, pk, *, write: bool = False) -> TripExpense:
    qs = TripExpense.objects.select_related("sppd__member__employee", "sppd__member__trip")
    return get_for_user(
        user,
        qs,
        pk,
        visible=lambda u, q: q.filter(sppd__member__trip__in=trips_visible_to(u).values("pk")),
        can_change=lambda u, e: sppd_can_record(u, e.sppd),
        write=write,
    )


def report_file_get_for_user(user, pk, *, write: bool = False) -> TripReportFile:
    qs = TripReportFile.objects.select_related("report__trip")
    return get_for_user(
        user,
        qs,
        pk,
        visible=lambda u, q: q.filter(report__trip__in=trips_visible_to(u).values("pk")),
        can_change=lambda u, f: report_can_file(u, f.report.trip),
        write=write,
    )


# --- States -------------------------------------------------------------------------------------------
def trip_has_started(trip: Trip, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    if trip.status in STARTED_STATUSES:
        return True
    return trip.status == Status.NUMBERED and trip.depart_date <= today


def trip_has_returned(trip: Trip, today: dt.date | None = None) -> bool:
    """Back from the trip: returned or later, or numbered/travelling with the return date past."""
    today = today or timezone.localdate()
    if trip.status in (Status.RETURNED, Status.REPORTED, Status.SETTLED):
        return True
    return trip.status in NOT_RETURNED_YET and trip.return_date < today


def sppd_costs_open(sppd: Sppd) -> bool:
    """Expenses and visum may change until the SPPD is paid (and while the trip is live)."""
    return sppd.member.trip.status in COST_STATUSES and sppd.paid_at is None


def _check_costs_open(sppd: Sppd) -> None:
    if sppd.paid_at is not None:
        raise PostTripError(_("SPPD ini sudah dibayar; rinciannya tidak dapat diubah lagi."))
    if sppd.member.trip.status not in COST_STATUSES:
        raise PostTripError(
            _("Rincian biaya hanya dapat diubah untuk SPT yang sudah bernomor dan belum selesai.")
        )


def _locked_sppd(sppd: Sppd) -> Sppd:
    return Sppd.objects.select_for_update().select_related("member__employee", "member__trip").get(pk=sppd.pk)


def _delete_file_on_commit(fieldfile, name: str | None = None) -> None:
    """Remove a replaced file from storage once the change is committed (a rollback keeps it)."""
    name = name if name is not None else (fieldfile.name if fieldfile else "")
    if name:
        storage = fieldfile.storage
        transaction.on_commit(lambda: storage.delete(name))


def _date_window_error(value: dt.date | None, low: dt.date, high: dt.date, today: dt.date) -> str | None:
    if value is None:
        return None
    if value > today:
        return _("Tanggal tidak boleh melewati hari ini.")
    if not low <= value <= high:
        return _("Tanggal harus di antara %(start)s dan %(end)s.") % {
            "start": tanggal(low),
            "end": tanggal(high),
        }
    return None


# --- Visum (SPPD back page) -----------------------------------------------------------------------------
def sppd_stops_initial(sppd: Sppd) -> list[dict[str, Any]]:
    """What the visum form starts with: the recorded stops, else one row per SPT destination."""
    stops = list(sppd.stops.order_by("order", "id"))
    if stops:
        return [
            {f: getattr(s, f) for f in ("place", "arrived_on", "departed_on", "departed_to", "officer_name")}
            for s in stops
        ]
    trip = sppd.member.trip
    destinations = list(trip.destinations.select_related("region").order_by("order", "id"))
    names = [d.place or (d.region.name if d.region_id else "") for d in destinations]
    origin = trip.origin.name if trip.origin_id else trip.issued_place
    return [
        {"place": name, "departed_to": names[i + 1] if i + 1 < len(names) else origin}
        for i, name in enumerate(names[: stop_blocks()])
    ]


def _clean_text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


@transaction.atomic
def sppd_stops_save(
    sppd: Sppd,
    *,
    stops: Sequence[Mapping[str, Any]],
    actual_return_date: dt.date | None,
    by,
    request=None,
    today: dt.date | None = None,
) -> list[SppdStop]:
    """Record the visum blocks II.. (arrival/departure per stop) and the date back at the posting.

    Rows whose fields are all empty are skipped (their form index is kept for error messages). Dates
    must not be in the future, must lie between the day before departure and two weeks after the
    planned return, each departure on or after its arrival, and the stops in chronological order.
    Raises :class:`PostTripError` listing every problem; nothing is saved then.
    """
    today = today or timezone.localdate()
    sppd = _locked_sppd(sppd)
    trip = sppd.member.trip
    if not sppd_can_record(by, sppd):
        raise PostTripError(
            _("Hanya pelaksana SPPD ini atau operator perjalanan dinas yang dapat mencatat visum.")
        )
    if not trip_has_started(trip, today) or trip.status not in POSTTRIP_STATUSES:
        raise PostTripError(_("Visum dapat dicatat setelah perjalanan dinas dimulai."))
    _check_costs_open(sppd)
    low = trip.depart_date - dt.timedelta(days=VISUM_DAYS_BEFORE)
    high = trip.return_date + dt.timedelta(days=VISUM_DAYS_AFTER)
    errors: list[tuple[int | None, str | None, str]] = []
    rows: list[tuple[int, dict[str, Any]]] = []
    for index, raw in enumerate(stops):
        row = {
            "place": _clean_text(raw.get("place"), 255),
            "arrived_on": raw.get("arrived_on") or None,
            "departed_on": raw.get("departed_on") or None,
            "departed_to": _clean_text(raw.get("departed_to"), 255),
            "officer_name": _clean_text(raw.get("officer_name"), 150),
        }
        if any(row.values()):
            rows.append((index, row))
    if len(rows) > stop_blocks():
        errors.append(
            (None, None, _("Paling banyak %(n)s tempat singgah dapat dicatat.") % {"n": stop_blocks()})
        )
    previous: dt.date | None = None
    for index, row in rows:
        if not row["place"]:
            errors.append((index, "place", _("Isi nama tempat.")))
        for field in ("arrived_on", "departed_on"):
            message = _date_window_error(row[field], low, high, today)
            if message:
                errors.append((index, field, message))
        arrived, departed = row["arrived_on"], row["departed_on"]
        if arrived and departed and departed < arrived:
            errors.append((index, "departed_on", _("Tanggal berangkat tidak boleh sebelum tanggal tiba.")))
        first = arrived or departed
        if first and previous and first < previous:
            field = "arrived_on" if arrived else "departed_on"
            errors.append(
                (index, field, _("Tanggal tidak runtut: lebih awal dari tanggal di tempat sebelumnya."))
            )
        seen = [d for d in (previous, arrived, departed) if d]
        previous = max(seen) if seen else None
    if actual_return_date is not None:
        message = _date_window_error(actual_return_date, trip.depart_date, high, today)
        if message:
            errors.append((None, "actual_return_date", message))
        elif previous and actual_return_date < previous:
            errors.append(
                (
                    None,
                    "actual_return_date",
                    _("Tanggal tiba kembali tidak boleh sebelum tanggal di tempat terakhir."),
                )
            )
    if errors:
        raise PostTripError.collect(errors)

    before = {
        "stops": [
            [s.place, s.arrived_on, s.departed_on, s.departed_to, s.officer_name]
            for s in sppd.stops.order_by("order", "id")
        ],
        "actual_return_date": sppd.actual_return_date,
    }
    sppd.stops.all().delete()
    now = timezone.now()
    created = SppdStop.objects.bulk_create(
        [
            SppdStop(sppd=sppd, order=order, recorded_by=by, recorded_at=now, **row)
            for order, (_i, row) in enumerate(rows)
        ]
    )
    return_changed = sppd.actual_return_date != actual_return_date
    sppd.actual_return_date = actual_return_date
    sppd.save(update_fields=["actual_return_date", "updated_at"])
    after = {
        "stops": [
            [r["place"], r["arrived_on"], r["departed_on"], r["departed_to"], r["officer_name"]]
            for _i, r in rows
        ],
        "actual_return_date": actual_return_date,
    }
    log_action(sppd, "travel.sppd.visum_recorded", by=by, request=request, changes=diff(before, after))
    if return_changed:
        sppd_recompute(sppd)
    return created


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


# --- Trip report -------------------------------------------------------------------------------------
def trip_report_due(trip: Trip, *, save: bool = False) -> dt.date:
    """The report's due date: ``TRAVEL_REPORT_DUE_WORKING_DAYS`` (default 5) working days after the
    return date, skipping weekends, holidays and cuti bersama (situok.workcalendar). With ``save``, it
    is stored on ``Trip.report_due_date`` when it differs."""
    due = next_working_day(trip.return_date, report_due_working_days())
    if save and trip.report_due_date != due:
        trip.report_due_date = due
        Trip.objects.filter(pk=trip.pk).update(report_due_date=due)
    return due


def _clean_uploads(files: Iterable, *, kinds: tuple[str, ...], field: str) -> list:
    cleaned = []
    for upload in files or ():
        if not upload:
            continue
        try:
            cleaned.append(clean_upload(upload, kinds=kinds))
        except ValidationError as exc:
            name = getattr(upload, "name", "") or _("berkas")
            raise PostTripError(
                _("%(name)s: %(error)s") % {"name": name, "error": " ".join(exc.messages)}, field=field
            ) from exc
    return cleaned


def _notify_user(user, kind: str, *, context: Mapping[str, Any], url: str) -> None:
    if user is not None and user.is_active:
        notify(user, kind, context=context, url=url, category=NOTIFICATION_CATEGORY)


def _report_label(trip: Trip) -> str:
    # Notifications are rendered in the site language (situok.notifications.render_message).
    with translation.override(settings.LANGUAGE_CODE):
        return _("Laporan perjalanan dinas %(spt)s") % {"spt": trip.spt_number or trip.pk}


@transaction.atomic
def trip_report_save(
    trip: Trip,
    *,
    by,
    data: Mapping[str, Any],
    photos: Iterable = (),
    attachments: Iterable = (),
    request=None,
    today: dt.date | None = None,
) -> TripReport:
    """File (or, until it is acknowledged, revise) the trip report: background, activities, results,
    follow-up, photos (JPEG/PNG, re-encoded without EXIF) and attachments (PDF).

    Only the lead traveller or the travel operator, and only after return. The first filing sets the
    trip to *reported*, stamps ``filed_at``, asks the supervisor to acknowledge it and settles the trip
    when every SPPD is already paid.
    """
    today = today or timezone.localdate()
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    if not report_can_file(by, trip):
        raise PostTripError(
            _("Hanya ketua rombongan atau operator perjalanan dinas yang dapat mengisi laporan.")
        )
    if trip.status == Status.SETTLED:
        raise PostTripError(
            _("Perjalanan dinas sudah selesai dipertanggungjawabkan; laporan tidak dapat diubah.")
        )
    if trip.status not in COST_STATUSES or not trip_has_returned(trip, today):
        raise PostTripError(
            _("Laporan dapat diisi setelah perjalanan dinas selesai (kembali %(date)s).")
            % {"date": tanggal(trip.return_date)}
        )
    report = TripReport.objects.select_for_update().filter(trip=trip).first()
    if report is not None and report.acknowledged_at is not None:
        raise PostTripError(_("Laporan sudah diterima atasan dan tidak dapat diubah lagi."))
    clean = {f: str(data.get(f) or "").strip() for f in REPORT_FIELDS}
    for field in REQUIRED_REPORT_FIELDS:
        if not clean[field]:
            raise PostTripError(_("Bagian ini wajib diisi."), field=field)
    photos, attachments = list(photos or ()), list(attachments or ())
    existing = report.files.values_list("kind", flat=True) if report is not None else []
    if (
        sum(k == TripReportFile.Kind.PHOTO for k in existing) + len([p for p in photos if p])
        > MAX_REPORT_PHOTOS
    ):
        raise PostTripError(_("Paling banyak %(n)s foto.") % {"n": MAX_REPORT_PHOTOS}, field="photos")
    if (
        sum(k == TripReportFile.Kind.ATTACHMENT for k in existing) + len([a for a in attachments if a])
        > MAX_REPORT_ATTACHMENTS
    ):
        raise PostTripError(
            _("Paling banyak %(n)s lampiran.") % {"n": MAX_REPORT_ATTACHMENTS}, field="attachments"
        )
    # Every file is checked before anything is written: a bad one leaves nothing half-saved.
    clean_photos = _clean_uploads(photos, kinds=("jpeg", "png"), field="photos")
    clean_attachments = _clean_uploads(attachments, kinds=("pdf",), field="attachments")

    first_filing = report is None or report.filed_at is None
    if report is None:
        report = TripReport(trip=trip)
        before: dict[str, Any] = {}
    else:
        before = snapshot(report, REPORT_FIELDS)
    for field, value in clean.items():
        setattr(report, field, value)
    if first_filing:
        report.filed_by = by
        report.filed_at = timezone.now()
    report.full_clean()
    report.save()
    for kind, cleaned_files in (
        (TripReportFile.Kind.PHOTO, clean_photos),
        (TripReportFile.Kind.ATTACHMENT, clean_attachments),
    ):
        for cleaned in cleaned_files:
            item = TripReportFile(
                report=report, kind=kind, caption=cleaned.original_name[:255], uploaded_by=by
            )
            item.file.save(cleaned.content.name, cleaned.content, save=False)
            item.save()
    trip_changes: dict[str, list[Any]] = {}
    if trip.report_due_date is None:
        trip_changes["report_due_date"] = [None, trip_report_due(trip)]
        trip.report_due_date = trip_changes["report_due_date"][1]
    if trip.status != Status.REPORTED:
        trip_changes["status"] = [trip.status, Status.REPORTED]
        trip.status = Status.REPORTED
    if trip_changes:
        trip.save(update_fields=[*trip_changes, "updated_at"])
        log_action(trip, "travel.trip.reported", by=by, request=request, changes=trip_changes)
    log_action(
        report,
        "travel.report.filed" if first_filing else "travel.report.changed",
        by=by,
        request=request,
        changes=diff(before, snapshot(report, REPORT_FIELDS)),
        data={"photos": len(clean_photos), "attachments": len(clean_attachments)},
    )
    if first_filing:
        supervisor = report_supervisor(trip)
        _notify_user(
            supervisor.user if supervisor is not None else None,
            "approval_request",
            context={"object_label": _report_label(trip), "actor_name": _actor_name(by)},
            url=reverse("travel:report_acknowledge", args=[trip.pk]),
        )
    _settle_if_complete(trip, by=by, request=request)
    return report


def _actor_name(user) -> str:
    employee = employee_for_user(user)
    if employee is not None:
        return employee.name_with_titles
    return user.get_full_name() or user.get_username()


@transaction.atomic
def trip_report_file_delete(item: TripReportFile, *, by, request=None) -> None:
    """Remove a photo or attachment from a report that is not yet acknowledged."""
    report = TripReport.objects.select_for_update().select_related("trip").get(pk=item.report_id)
    if not report_can_file(by, report.trip):
        raise PostTripError(
            _("Hanya ketua rombongan atau operator perjalanan dinas yang dapat mengubah laporan.")
        )
    if report.acknowledged_at is not None or report.trip.status == Status.SETTLED:
        raise PostTripError(_("Laporan sudah diterima atasan dan tidak dapat diubah lagi."))
    log_action(
        report,
        "travel.report.file_deleted",
        by=by,
        request=request,
        data={"kind": item.kind, "caption": item.caption},
    )
    _delete_file_on_commit(item.file)
    item.delete()


@transaction.atomic
def trip_report_acknowledge(report: TripReport, *, by, note: str = "", request=None) -> TripReport:
    """The lead traveller's direct supervisor acknowledges the filed report (*diterima*); the lead is told."""
    report = TripReport.objects.select_for_update().select_related("trip").get(pk=report.pk)
    if not report_can_acknowledge(by, report):
        raise PostTripError(_("Hanya atasan langsung ketua rombongan yang dapat menerima laporan ini."))
    if report.filed_at is None:
        raise PostTripError(_("Laporan belum dibuat."))
    if report.acknowledged_at is not None:
        raise PostTripError(_("Laporan sudah diterima."))
    report.acknowledged_by = by
    report.acknowledged_at = timezone.now()
    report.acknowledgement_note = str(note or "").strip()
    report.save(update_fields=["acknowledged_by", "acknowledged_at", "acknowledgement_note", "updated_at"])
    log_action(
        report,
        "travel.report.acknowledged",
        by=by,
        request=request,
        data={"note": report.acknowledgement_note},
    )
    lead = trip_lead(report.trip)
    lead_user = lead.employee.user if lead is not None and lead.employee.user_id else report.filed_by
    _notify_user(
        lead_user,
        "approval_decision",
        context={
            "object_label": _report_label(report.trip),
            "actor_name": _actor_name(by),
            "approved": True,
            "note": report.acknowledgement_note,
        },
        url=reverse("travel:report_detail", args=[report.trip_id]),
    )
    return report


# --- Lists and reminders -------------------------------------------------------------------------------
def _needs_report(today: dt.date) -> Q:
    """Trips back from travel without a filed report."""
    back = Q(status=Status.RETURNED) | Q(status__in=NOT_RETURNED_YET, return_date__lt=today)
    filed = TripReport.objects.filter(trip=OuterRef("pk"), filed_at__isnull=False)
    return back & ~Q(Exists(filed))


def reports_due_for(user, *, today: dt.date | None = None) -> QuerySet[Trip]:
    """Trips whose report ``user`` (as lead traveller) still has to file, oldest due first."""
    if not getattr(user, "is_authenticated", False):
        return Trip.objects.none()
    today = today or timezone.localdate()
    lead = TripMember.objects.filter(trip=OuterRef("pk"), is_lead=True, employee__user=user)
    return (
        Trip.objects.filter(_needs_report(today), Exists(lead))
        .select_related("unit")
        .prefetch_related("destinations__region")
        .order_by("return_date", "pk")
    )


def reports_to_acknowledge_for(user) -> list[TripReport]:
    """Filed, unacknowledged reports whose lead traveller reports to ``user``."""
    me = employee_for_user(user)
    if me is None:
        return []
    lead = TripMember.objects.filter(trip=OuterRef("trip"), is_lead=True)
    cond = Q(Exists(lead.filter(employee__supervisor=me)))
    for path in supervised_unit_paths(user):
        cond |= Q(
            Exists(lead.filter(employee__supervisor__isnull=True, employee__unit__path__startswith=path))
        )
    candidates = (
        TripReport.objects.filter(cond, filed_at__isnull=False, acknowledged_at__isnull=True)
        .select_related("trip__unit", "filed_by")
        .prefetch_related("trip__members__employee__unit", "trip__members__employee__supervisor")
        .order_by("filed_at", "pk")
    )
    return [r for r in candidates if report_can_acknowledge(user, r)]


def reports_due_count(user) -> int:
    return reports_due_for(user).count()


def reports_to_acknowledge_count(user) -> int:
    return len(reports_to_acknowledge_for(user))


def _fill_due_dates(today: dt.date) -> int:
    filled = 0
    for trip in Trip.objects.filter(_needs_report(today), report_due_date__isnull=True).only(
        "pk", "return_date", "report_due_date"
    ):
        trip_report_due(trip, save=True)
        filled += 1
    return filled


def reports_overdue(today: dt.date | None = None) -> QuerySet[Trip]:
    """Trips back from travel whose report is past its due date and still not filed (due dates never
    stored — e.g. before the date-driven status ran — are filled in first)."""
    today = today or timezone.localdate()
    _fill_due_dates(today)
    return (
        Trip.objects.filter(_needs_report(today), report_due_date__lt=today)
        .prefetch_related("members__employee__user")
        .order_by("report_due_date", "pk")
    )


def report_reminders_send(today: dt.date | None = None) -> int:
    """Remind the lead traveller of every overdue report, at most once per day per trip (the
    notification itself is the record: a run that finds today's reminder sends nothing). Returns the
    number of reminders sent."""
    today = today or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    sent = 0
    for trip in reports_overdue(today):
        lead = trip_lead(trip)
        user = lead.employee.user if lead is not None and lead.employee.user_id else None
        if user is None or not user.is_active:
            continue
        url = reverse("travel:report_edit", args=[trip.pk])
        with transaction.atomic():
            Trip.objects.select_for_update().filter(pk=trip.pk).first()  # one reminder per trip per run
            already = Notification.objects.filter(
                recipient=user, kind=OVERDUE_KIND, url=url, created_at__gte=start
            ).exists()
            if already:
                continue
            notify(
                user,
                OVERDUE_KIND,
                context={
                    "trip": trip,
                    "spt_number": trip.spt_number,
                    "purpose": trip.purpose,
                    "due_date": trip.report_due_date,
                    "days_late": (today - trip.report_due_date).days,
                },
                url=url,
                category=NOTIFICATION_CATEGORY,
            )
            sent += 1
    return sent


def report_reminders_daily(on: dt.date) -> str:
    """Daily run hook (``situok.jobs.register_daily``)."""
    return f"{report_reminders_send(on)} sent"


# --- Panel ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReportState:
    report: TripReport | None
    due_date: dt.date | None
    overdue: bool
    can_file: bool
    can_acknowledge: bool


def trip_report_state(user, trip: Trip, *, today: dt.date | None = None) -> ReportState:
    today = today or timezone.localdate()
    report = TripReport.objects.filter(trip=trip).select_related("filed_by", "acknowledged_by").first()
    filed = report is not None and report.filed_at is not None
    due = trip.report_due_date or (trip_report_due(trip) if trip_has_returned(trip, today) else None)
    return ReportState(
        report=report,
        due_date=due,
        overdue=bool(due and not filed and due < today and trip.status in COST_STATUSES),
        can_file=(
            report_can_file(user, trip)
            and trip.status in COST_STATUSES
            and trip_has_returned(trip, today)
            and not (report is not None and report.acknowledged_at)
        ),
        can_acknowledge=bool(
            filed and report.acknowledged_at is None and report_can_acknowledge(user, report)
        ),
    )


def trip_sppds(trip: Trip) -> list[Sppd]:
    return list(
        Sppd.objects.filter(member__trip=trip)
        .select_related("member__employee", "paid_by")
        .order_by("member__order", "member__pk")
    )
