"""Scale data for the booking budgets: 200,000 existing bookings, generated inside PostgreSQL.

Bench resources (``Bench …`` rooms and vehicles, 60 by default) are created next to the demo bureau's,
each with an even share of the bookings: two-hour approved bookings every three hours from December 2025
(so the months around "now" are full), requested by the generated employees. They never overlap, so the
exclusion constraints of ``bookings/migrations/0002`` accept them. A marker row ``bookings`` in
``bench_dataset`` records the id ranges; the next run reuses them (see ``bench.dataset``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import psycopg

from .dataset import _read_named_marker

BOOKINGS_MARKER = "bookings"
BOOKINGS_VERSION = 1
ROOMS = 40
VEHICLES = 20
SLOT_HOURS = 3  # a booking every three hours per resource …
BOOKING_HOURS = 2  # … lasting two: the hour between is free (and touching is allowed anyway)
FIRST_SLOT = "2025-12-01 00:00:00+08"

RESOURCE_SQL = """
INSERT INTO bookings_resource
    (kind, name, description, is_active, managing_unit_id, approver_rule, building_id, floor, capacity, plate,
     make, vehicle_type, seats, fuel_type, vehicle_status, asset_code, bookable_from, bookable_until,
     working_days_only, min_duration_minutes, max_duration_minutes, min_notice_minutes, max_days_ahead,
     buffer_minutes, holds_pending, outside_parties_allowed, ics_token, created_at, updated_at)
SELECT CASE WHEN k <= %(rooms)s THEN 'room' ELSE 'vehicle' END,
       CASE WHEN k <= %(rooms)s THEN 'Bench Ruang Rapat ' || k ELSE 'Bench Kendaraan ' || k END,
       '', true, NULL, 'operator', NULL, '', CASE WHEN k <= %(rooms)s THEN 20 + k %% 5 * 20 END,
       CASE WHEN k <= %(rooms)s THEN '' ELSE 'DK ' || (9000 + k) || ' BN' END,
       CASE WHEN k <= %(rooms)s THEN '' ELSE 'Toyota' END,
       CASE WHEN k <= %(rooms)s THEN '' ELSE 'Innova' END,
       CASE WHEN k <= %(rooms)s THEN NULL ELSE 7 END,
       CASE WHEN k <= %(rooms)s THEN '' ELSE 'bensin' END,
       'available', '', NULL, NULL, false, 30, NULL, 0, 1000, 0, false, false,
       'bench-' || md5(random()::text), now(), now()
FROM generate_series(1, %(rooms)s + %(vehicles)s) k
ORDER BY k
RETURNING id
"""

BOOKING_SQL = """
INSERT INTO bookings_booking
    (resource_id, requester_id, unit_id, start, "end", block_end, purpose, participants, attachment, priority,
     destination, passengers, needs_driver, driver_id, trip_id, outside_party, outside_contact, outside_letter,
     status, holds_slot, series_id, no_show, decided_at, decided_by_id, cancelled_at, cancelled_by_id,
     cancel_reason, created_by_id, created_at, updated_at)
SELECT r.id, e.id, e.unit_id, s.start, s.start + make_interval(hours => %(hours)s),
       s.start + make_interval(hours => %(hours)s),
       'Rapat koordinasi ' || g, 10, '', false, '', '', false, NULL, NULL, '', '', '',
       'approved', true, NULL, false, s.start - interval '3 days', %(admin)s, NULL, NULL, '', %(admin)s,
       s.start - interval '5 days', s.start - interval '3 days'
FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) g
JOIN LATERAL (SELECT (%(resources)s::bigint[])[1 + (g %% %(n_resources)s)] AS rid,
                     %(first_slot)s::timestamptz + (g / %(n_resources)s) * make_interval(hours => %(slot)s) AS start) s
  ON true
JOIN bookings_resource r ON r.id = s.rid
JOIN staff_employee e ON e.id = %(first_emp)s + ((g * 2654435761) %% %(n_emp)s)
ORDER BY g
RETURNING id
"""


@dataclass(frozen=True)
class BookingFacts:
    bookings: int
    resources: list[int]
    room_id: int  # a bench room (its calendar is full)
    sparse_room_id: int  # a demo room (a few bookings a month): same page, other volume
    vehicle_id: int
    first_id: int
    last_id: int
    total: int
    loaded_at: str
    load_seconds: float
    reused: bool

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _valid(conn: psycopg.Connection, info: dict | None, bookings: int) -> bool:
    if not info or info.get("version") != BOOKINGS_VERSION or info.get("bookings") != bookings:
        return False
    (count,) = conn.execute(
        "SELECT count(*) FROM bookings_booking WHERE id BETWEEN %s AND %s",
        (info["first_id"], info["last_id"]),
    ).fetchone()
    return count == bookings


def _load(conn, bookings: int, staff_first: int, staff_rows: int, old: dict | None, progress) -> dict:
    if old and old.get("resources"):
        conn.execute("DELETE FROM bookings_booking WHERE resource_id = ANY(%s)", (old["resources"],))
        conn.execute("DELETE FROM bookings_resource WHERE id = ANY(%s)", (old["resources"],))
        progress("  removed the previous bench resources and their bookings")
    conn.execute("DELETE FROM bench_dataset WHERE name = %s", (BOOKINGS_MARKER,))
    resources = [r[0] for r in conn.execute(RESOURCE_SQL, {"rooms": ROOMS, "vehicles": VEHICLES}).fetchall()]
    (admin,) = conn.execute("SELECT id FROM auth_user WHERE username = 'admin'").fetchone()
    params = {
        "resources": resources,
        "n_resources": len(resources),
        "first_slot": FIRST_SLOT,
        "slot": SLOT_HOURS,
        "hours": BOOKING_HOURS,
        "admin": admin,
        "first_emp": staff_first,
        "n_emp": staff_rows,
    }
    first_id = last_id = None
    chunk = 50_000
    for lo in range(0, bookings, chunk):
        hi = min(lo + chunk, bookings) - 1
        ids = [r[0] for r in conn.execute(BOOKING_SQL, {**params, "lo": lo, "hi": hi}).fetchall()]
        first_id = min(ids) if first_id is None else min(first_id, min(ids))
        last_id = max(ids) if last_id is None else max(last_id, max(ids))
        progress(f"  bookings {hi + 1:,}/{bookings:,}")
    info = {
        "version": BOOKINGS_VERSION,
        "bookings": bookings,
        "resources": resources,
        "first_id": first_id,
        "last_id": last_id,
        "loaded_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    conn.execute(
        "INSERT INTO bench_dataset (name, info) VALUES (%s, %s)", (BOOKINGS_MARKER, json.dumps(info))
    )
    conn.commit()
    return info


def ensure_booking_rows(
    url: str,
    bookings: int,
    *,
    staff_first_id: int,
    staff_rows: int,
    reload: bool,
    progress: Callable[[str], None],
) -> BookingFacts:
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        info = _read_named_marker(conn, BOOKINGS_MARKER)
        reused = not reload and _valid(conn, info, bookings)
        conn.commit()
        if reused:
            progress(f"  reusing {bookings:,} bookings (loaded {info['loaded_at']})")
        else:
            progress(f"  loading {bookings:,} bookings with INSERT … SELECT generate_series")
            info = _load(conn, bookings, staff_first_id, staff_rows, info, progress)
    load_seconds = time.perf_counter() - started
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) bookings_booking" if not reused else "ANALYZE bookings_booking")
        (total,) = conn.execute("SELECT count(*) FROM bookings_booking").fetchone()
        resources = info["resources"]
        (sparse,) = conn.execute(
            "SELECT id FROM bookings_resource WHERE kind = 'room' AND NOT id = ANY(%s) ORDER BY id LIMIT 1",
            (resources,),
        ).fetchone()
    return BookingFacts(
        bookings=bookings,
        resources=resources,
        room_id=resources[0],
        sparse_room_id=sparse,
        vehicle_id=resources[ROOMS],
        first_id=info["first_id"],
        last_id=info["last_id"],
        total=total,
        loaded_at=info["loaded_at"],
        load_seconds=round(load_seconds, 1),
        reused=reused,
    )
