"""Reads of travel/ reused by views, exports and services (querysets, no writes)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from situok.permissions import get_for_user, has_perm
from staff.selectors import employee_for_user, supervised_unit_paths

from .models import BudgetLine, DailyAllowanceRate, LodgingCeiling, Trip, TripMember
from .rates import valid_on

# Statuses in which the SPT is still the requester's to edit.
EDITABLE_STATUSES = (Trip.Status.DRAFT, Trip.Status.RETURNED_FOR_REVISION)


def trips_visible_to(user, qs: QuerySet[Trip] | None = None) -> QuerySet[Trip]:
    """Trips ``user`` may open: everyone with ``travel.view_trip``/``travel.manage_trip``; otherwise the trips
    they travel on or created, and — for a unit head — every trip of their unit and its sub-units (members or
    owning unit). Everyone else gets 404."""
    qs = Trip.objects.all() if qs is None else qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if has_perm(user, "travel.view_trip") or has_perm(user, "travel.manage_trip"):
        return qs
    me = employee_for_user(user)
    cond = Q(created_by=user)
    if me is not None:
        cond |= Q(Exists(TripMember.objects.filter(trip=OuterRef("pk"), employee=me)))
    for path in supervised_unit_paths(user):
        cond |= Q(unit__path__startswith=path) | Q(
            Exists(TripMember.objects.filter(trip=OuterRef("pk"), employee__unit__path__startswith=path))
        )
    return qs.filter(cond)


def trip_can_change(user, trip: Trip) -> bool:
    """Edit the SPT itself: the operator any time before it is numbered; the creator while it is theirs."""
    if trip.status not in EDITABLE_STATUSES:
        return False
    return has_perm(user, "travel.manage_trip") or trip.created_by_id == user.pk


def trip_get_for_user(user, pk, *, write: bool = False) -> Trip:
    """The trip, 404 when ``user`` may not see it, 403 when ``write`` and they may not change it."""
    return get_for_user(
        user,
        Trip.objects.select_related("unit", "budget_line", "origin", "signer", "ppk", "created_by"),
        pk,
        visible=trips_visible_to,
        can_change=trip_can_change,
        write=write,
    )


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
