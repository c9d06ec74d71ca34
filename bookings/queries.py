"""Read-only queries of the bookings UI that the domain selectors do not cover: SPT choices for a vehicle
request, the building's day for the front desk, no-shows and the report aggregates.

No-show (issue 6 item 9), as decided here: a booking counts as a no-show when the Operator marked it
(``Booking.no_show``), or — for vehicles — when it was approved (or completed) and its end has passed
without a handover in the trip log: the car never left, so the slot was wasted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from situok.formats import WITA

from .models import Booking, Building, Resource, TripLog

# Bookings that used (or were given) their slot: what utilisation counts.
USED_STATUSES = (Booking.Status.APPROVED, Booking.Status.COMPLETED)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """``[00.00, 24.00)`` of ``day`` in WITA as aware datetimes."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min), WITA)
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min), WITA)


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return day_bounds(first)[0], day_bounds(following)[0]


def trips_for_vehicle_booking(user) -> QuerySet:
    """Approved SPTs (approved, numbered or under way) the user may see, newest first, to link a vehicle request to.

    Uses ``travel.selectors.trip_for_vehicle_booking_choices`` when the travel app provides it."""
    from travel import selectors as travel_selectors
    from travel.models import Trip

    provided = getattr(travel_selectors, "trip_for_vehicle_booking_choices", None)
    if provided is not None:
        return provided(user)
    return (
        travel_selectors.trips_visible_to(user)
        .filter(status__in=(Trip.Status.APPROVED, Trip.Status.NUMBERED, Trip.Status.TRAVELLING))
        .order_by("-depart_date", "-id")
    )


def building_day(building: Building, day: dt.date) -> QuerySet[Booking]:
    """Approved and pending bookings of the building's rooms on ``day``, by start (one query)."""
    start, end = day_bounds(day)
    return (
        Booking.objects.filter(
            resource__building=building,
            start__lt=end,
            end__gt=start,
            status__in=(Booking.Status.PENDING, Booking.Status.APPROVED, Booking.Status.COMPLETED),
        )
        .select_related("resource", "requester", "unit")
        .order_by("start", "resource__name", "id")
    )


def no_show_q(now: dt.datetime | None = None) -> Q:
    now = now or timezone.now()
    never_left = Q(
        resource__kind=Resource.Kind.VEHICLE,
        status__in=USED_STATUSES,
        end__lt=now,
        trip_log__isnull=True,
    )
    return Q(no_show=True) | never_left


def no_shows(start: dt.datetime, end: dt.datetime, *, now: dt.datetime | None = None) -> QuerySet[Booking]:
    """No-shows (see the module docstring) starting in ``[start, end)``."""
    return (
        Booking.objects.filter(no_show_q(now), start__gte=start, start__lt=end)
        .select_related("resource", "requester", "unit")
        .order_by("start", "id")
    )


def used_spans(
    start: dt.datetime, end: dt.datetime, *, kind: str | None = None
) -> Iterable[tuple[int, dt.datetime, dt.datetime]]:
    """``(resource id, start, end)`` of every used booking overlapping ``[start, end)``, clipped to it."""
    qs = Booking.objects.filter(start__lt=end, end__gt=start, status__in=USED_STATUSES)
    if kind:
        qs = qs.filter(resource__kind=kind)
    for resource_id, b_start, b_end in qs.values_list("resource_id", "start", "end").iterator(
        chunk_size=2000
    ):
        yield resource_id, max(b_start, start), min(b_end, end)


def per_unit(start: dt.datetime, end: dt.datetime, *, kind: str | None = None) -> QuerySet:
    """Bookings starting in ``[start, end)`` counted per requesting unit and status (one query)."""
    qs = Booking.objects.filter(start__gte=start, start__lt=end)
    if kind:
        qs = qs.filter(resource__kind=kind)
    return (
        qs.values("unit_id", "unit__name", "unit__path", "status")
        .annotate(n=Count("id"))
        .order_by("unit__path", "status")
    )


def vehicle_usage(start: dt.datetime, end: dt.datetime) -> dict[int, dict]:
    """Per vehicle id: trips handed over in ``[start, end)``, km driven, litres, fuel cost, late returns."""
    rows = (
        TripLog.objects.filter(handed_over_at__gte=start, handed_over_at__lt=end)
        .values("booking__resource_id")
        .annotate(
            trips=Count("id"),
            returned=Count("id", filter=Q(returned_at__isnull=False)),
            late=Count("id", filter=Q(is_late=True)),
            litres=Sum("fuel_litres"),
            cost=Sum("fuel_cost"),
            km_end=Sum("odometer_end", filter=Q(odometer_end__isnull=False)),
            km_start=Sum("odometer_start", filter=Q(odometer_end__isnull=False)),
        )
    )
    return {row["booking__resource_id"]: row for row in rows}
