"""Read-only queries of the bookings UI that the domain selectors do not cover: SPT choices for a vehicle
request, the building's day for the front desk, the calendar's entries and day counts, no-shows and the
report aggregates.

No-show (issue 6 item 9), as decided here: a booking counts as a no-show when the Operator marked it
(``Booking.no_show``), or — for vehicles — when it was approved (or completed) and its end has passed
without a handover in the trip log: the car never left, so the slot was wasted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from situok.derived import cached
from situok.formats import WITA, to_local

from .models import Blackout, Booking, Building, Resource, TripLog

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


# --- Calendar -------------------------------------------------------------------------------------------
# A calendar window is a run of whole local (WITA) days. A booking within one local day overlaps it
# exactly when it starts in it: an index range on ``start``, whatever the length of the history. Only a
# booking crossing a local midnight can start earlier and still reach in; those come from a small partial
# index. On PostgreSQL the reads are the functions of migration 0003 (their SQL is there: the plan is
# kept per connection), each one query for the bookings and the blackouts; the month of all rooms or
# vehicles reads each day's first entries and takes "+N lainnya" from a per-day summary kept by triggers.
# Resources are given as ids (a kind's ids come from the cached resource list). Elsewhere (SQLite) the
# ORM reads every booking of the window.
_WINDOW_CALL = (
    "SELECT * FROM bookings_calendar_window(%(resources)s::bigint[], %(statuses)s::text[], "
    "%(start)s, %(end)s)"
)
_FIRST_CALL = (
    "SELECT * FROM bookings_calendar_first(%(resources)s::bigint[], %(statuses)s::text[], "
    "%(first)s::timestamp, %(last)s::timestamp, %(per_day)s)"
)
# One booking row: (id, start, end, status, purpose, outside_party, resource_id, requester's front title,
# name, back title, unit id), start and end as naive WITA wall-clock times (psycopg's timestamptz loader
# costs ~5 µs a value, a plain timestamp ~0.1 µs); unit names come from :func:`calendar_unit_names`.
_ENTRY_FIELDS = (
    "id", "start", "end", "status", "purpose", "outside_party", "resource_id",
    "requester__front_title", "requester__name", "requester__back_title", "unit_id",
)  # fmt: skip

Entries = tuple[list[tuple], list[tuple]]


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _split(rows: list[tuple]) -> Entries:
    """Booking rows, and blackouts (``status`` NULL) as ``(id, start, end, reason, resource_id)``."""
    bookings, blackouts, seen = [], [], set()
    for row in rows:
        if row[3] is None:
            blackouts.append((row[0], row[1], row[2], row[4], row[6]))
        elif row[0] not in seen:  # a multi-day booking starting on one of the days comes twice
            seen.add(row[0])
            bookings.append(row)
    return bookings, blackouts


def _naive_local(rows) -> list[tuple]:
    """Columns 1 and 2 (start, end) as naive WITA wall-clock times, as the PostgreSQL queries give them."""
    return [
        (r[0], to_local(r[1]).replace(tzinfo=None), to_local(r[2]).replace(tzinfo=None), *r[3:]) for r in rows
    ]


def _orm_entries(resources: list[int], start: dt.datetime, end: dt.datetime) -> Entries:
    bookings = Booking.objects.filter(
        resource__in=resources, start__lt=end, end__gt=start, status__in=Booking.VISIBLE
    ).order_by("start", "end", "id")
    blackouts = Blackout.objects.filter(resource__in=resources, start__lt=end, end__gt=start)
    return (
        _naive_local(bookings.values_list(*_ENTRY_FIELDS)),
        _naive_local(
            blackouts.order_by("start", "end", "id").values_list(
                "id", "start", "end", "reason", "resource_id"
            )
        ),
    )


def _fetch(sql: str, params: dict | list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def calendar_entries(resources: list[int], start: dt.datetime, end: dt.datetime) -> Entries:
    """The bookings in a calendar status (``Booking.VISIBLE``) and the blackouts of ``resources`` (ids)
    overlapping ``[start, end)`` (local midnights): booking rows (see ``_ENTRY_FIELDS``) and blackouts
    ``(id, start, end, reason, resource_id)``, each by start, end, id. One query on PostgreSQL."""
    if not resources:
        return [], []
    if not _is_postgresql():
        return _orm_entries(resources, start, end)
    params = {"resources": list(resources), "statuses": list(Booking.VISIBLE), "start": start, "end": end}
    return _split(_fetch(_WINDOW_CALL, params))


def calendar_first_entries(resources: list[int], first: dt.date, last: dt.date, per_day: int) -> Entries:
    """:func:`calendar_entries` for a month of many resources (PostgreSQL only). Of the bookings: on
    each day of ``[first, last]`` the first ``per_day`` starting that day (by start, end, id), and every
    multi-day one reaching into the days — together they hold each day's first ``per_day`` entries (a
    booking started on an earlier day sorts first). A few index entries a day, not the month's ~20,000."""
    if not resources:
        return [], []
    params = {
        "resources": list(resources),
        "statuses": list(Booking.VISIBLE),
        "first": dt.datetime.combine(first, dt.time.min),  # naive WITA midnights
        "last": dt.datetime.combine(last, dt.time.min),
        "per_day": per_day,
    }
    return _split(_fetch(_FIRST_CALL, params))


def calendar_day_counts(resources: list[int], first: dt.date, last: dt.date) -> dict[dt.date, int] | None:
    """How many bookings in a calendar status cover each local day of ``[first, last]`` over
    ``resources``, from the per-day summary kept by triggers (PostgreSQL; migration 0003). ``None``
    elsewhere: count the bookings themselves."""
    if not _is_postgresql():
        return None
    if not resources:
        return {}
    rows = _fetch(
        """SELECT c.day, sum(c.n) FROM bookings_daycount c
           WHERE c.resource_id = ANY(%(resources)s::bigint[]) AND c.day BETWEEN %(first)s AND %(last)s
           GROUP BY c.day""",
        {"resources": list(resources), "first": first, "last": last},
    )
    return {day: int(n) for day, n in rows}


def _all_resources() -> list[tuple]:
    return _fetch(
        """SELECT r.id, r.name, r.kind, r.plate, r.is_active, g.name FROM bookings_resource r
           LEFT JOIN bookings_building g ON g.id = r.building_id
           ORDER BY g.name, r.name, r.id""",
        {},
    )


def calendar_unit_names() -> dict[int, str]:
    """Unit id → name of every organisation unit (derived data kept under the ``staff`` version)."""
    return cached(
        f"bookings.calendar.units|{connection.alias}",
        depends_on=("staff",),
        compute=lambda: dict(_fetch("SELECT id, name FROM staff_orgunit", {})),
    )


def calendar_resources() -> list[tuple]:
    """``(id, name, kind, plate, is_active, building name)`` of every resource (inactive ones too: their
    bookings still show), in the order of the resource lists (by building, name). Derived data kept
    per process under the ``bookings_resources`` version (migration 0003): no query while no resource
    or building is written. Shared between requests: never mutate it."""
    return cached(
        f"bookings.calendar.resources|{connection.alias}",
        depends_on=("bookings_resources",),
        compute=_all_resources,
    )


def calendar_stamps(resources: list[int]) -> str | None:
    """The stamps of ``resources`` (bookings/migrations/0004: a version per resource, bumped by every
    write to its bookings or blackouts) as one string, ``""`` for resources never written; ``None`` on a
    database without them (nothing is then kept)."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return None
    if not resources:
        return ""
    placeholders = ", ".join(["%s"] * len(resources))
    rows = _fetch(
        "SELECT resource_id, version FROM bookings_resourcestamp "  # noqa: S608 (placeholders only)
        f"WHERE resource_id IN ({placeholders}) ORDER BY resource_id",
        list(resources),
    )
    return ",".join(f"{pk}:{version}" for pk, version in rows)
