"""Who may do what after a trip, object access, and the trip/SPPD states the other modules check."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from situok.formats import tanggal
from situok.permissions import get_for_user, has_perm
from staff.selectors import employee_supervisor

from ..models import Sppd, Trip, TripExpense, TripMember, TripReport, TripReportFile
from ..selectors import trips_visible_to
from ._common import COST_STATUSES, NOT_RETURNED_YET, STARTED_STATUSES, PostTripError, Status


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
