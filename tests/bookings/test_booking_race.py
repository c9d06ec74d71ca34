"""No double booking under real concurrency (issue 6, acceptance).

Each run releases all threads at a barrier; every thread requests a random slot inside the same few
hours, so most requests overlap. Afterwards no two holding bookings of the room (or assignments of the
driver) may overlap, and every refused request must have failed with a ``BookingError`` — never a
server error, never "database is locked".

* PostgreSQL: 50 threads × 20 runs (the row lock decides, the exclusion constraint backs it up), plus a
  CONTROL run with the service check switched off and the constraints dropped, which must produce
  double bookings — proof that the test can fail.
* SQLite: 20 threads (IMMEDIATE transactions serialise the writers), plus the same control run.

Both variants run on whichever database the suite uses, so CI (SQLite pass + PostgreSQL pass) runs
all of them; the PostgreSQL-only ones switch to their SQLite twin when the suite runs on SQLite.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
import threading

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from bookings import services
from bookings.approval import ensure_booking_policies
from bookings.models import Booking, Driver, Resource
from bookings.services import BookingError
from situok.formats import WITA

# Dozens of threads, each with its own connection: `make test` runs these alone (see the marker).
pytestmark = pytest.mark.threads

BARRIER_TIMEOUT = 120
constraints_sql = importlib.import_module("bookings.migrations.0002_no_double_booking")


def _is_pg() -> bool:
    return connection.vendor == "postgresql"


def _base_day() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=10)


def _slot(rng: random.Random, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """A random 30–120 minute slot between 08.00 and 12.00 (quarter hours): most pairs overlap."""
    start = dt.datetime.combine(day, dt.time(8), tzinfo=WITA) + dt.timedelta(
        minutes=15 * rng.randrange(0, 13)
    )
    return start, start + dt.timedelta(minutes=15 * rng.randrange(2, 9))


def _overlapping_pairs(rows: list[tuple]) -> int:
    """Pairs among ``(key, start, end)`` rows with the same key whose ranges overlap."""
    pairs = 0
    by_key: dict = {}
    for key, start, end in rows:
        by_key.setdefault(key, []).append((start, end))
    for ranges in by_key.values():
        ranges.sort()
        for i, (_s1, e1) in enumerate(ranges):
            for s2, _e2 in ranges[i + 1 :]:
                if s2 >= e1:
                    break
                pairs += 1
    return pairs


def _race(personas, *, threads_n: int, runs: int, make_request) -> list:
    """Run ``make_request(rng, run)`` in ``threads_n`` threads released together, ``runs`` times;
    returns every outcome ("ok", "refused" or the unexpected exception)."""
    start = threading.Barrier(threads_n + 1, timeout=BARRIER_TIMEOUT)
    go = threading.Barrier(threads_n, timeout=BARRIER_TIMEOUT)
    done = threading.Barrier(threads_n + 1, timeout=BARRIER_TIMEOUT)
    outcomes: list = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        rng = random.Random(1000 + i)
        try:
            for run in range(runs):
                start.wait()
                go.wait()
                try:
                    make_request(rng, run)
                    result = "ok"
                except BookingError:
                    result = "refused"
                except BaseException as exc:  # reported by the main thread
                    result = exc
                with lock:
                    outcomes.append(result)
                done.wait()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads_n)]
    for t in threads:
        t.start()
    try:
        for _run in range(runs):
            start.wait()
            done.wait()
    except BaseException:
        for barrier in (start, go, done):
            barrier.abort()  # releases any thread still waiting
        raise
    finally:
        for t in threads:
            t.join(timeout=BARRIER_TIMEOUT)
    return outcomes


def _room(personas) -> Resource:
    ensure_booking_policies()  # published once up front, not by 50 first requests at once
    return Resource.objects.create(
        kind=Resource.Kind.ROOM,
        name="Ruang Rapat Balapan",
        capacity=40,
        holds_pending=True,
        min_duration_minutes=15,
    )


def _room_race(personas, *, threads_n: int, runs: int) -> tuple[list, int, int]:
    room = _room(personas)
    requester = personas["pegawai"]
    day0 = _base_day()

    def make_request(rng, run):
        start, end = _slot(rng, day0 + dt.timedelta(days=run))
        services.booking_request(
            resource=room, requester=requester.employee, start=start, end=end, purpose="Rapat", by=requester
        )

    outcomes = _race(personas, threads_n=threads_n, runs=runs, make_request=make_request)
    rows = list(
        Booking.objects.filter(resource=room, holds_slot=True).values_list("resource", "start", "end")
    )
    return outcomes, len(rows), _overlapping_pairs(rows)


def _driver_race(personas, *, threads_n: int, runs: int) -> tuple[list, int, int]:
    ensure_booking_policies()
    cars = [
        Resource.objects.create(
            kind=Resource.Kind.VEHICLE, name=f"Mobil {n}", plate=f"DK {n} RB", seats=7, holds_pending=True,
            min_duration_minutes=15,
        )
        for n in (101, 102)
    ]  # fmt: skip
    driver = Driver.objects.create(employee=personas["honorer"].employee)
    operator = personas["peminjaman"]
    day0 = _base_day()

    def make_request(rng, run):
        start, end = _slot(rng, day0 + dt.timedelta(days=run))
        services.booking_request(
            resource=cars[rng.randrange(2)], requester=operator.employee, start=start, end=end,
            purpose="Perjalanan dinas", driver=driver, by=operator,
        )  # fmt: skip

    outcomes = _race(personas, threads_n=threads_n, runs=runs, make_request=make_request)
    rows = list(Booking.objects.filter(driver=driver, holds_slot=True).values_list("driver", "start", "end"))
    # The vehicles themselves must not be double-booked either.
    vehicle_rows = list(
        Booking.objects.filter(resource__in=cars, holds_slot=True).values_list("resource", "start", "end")
    )
    return outcomes, len(rows), _overlapping_pairs(rows) + _overlapping_pairs(vehicle_rows)


def _assert_clean(outcomes: list, holding: int, pairs: int, *, expected: int) -> None:
    errors = [o for o in outcomes if o not in ("ok", "refused")]
    assert not errors, f"{len(errors)} unexpected errors, e.g. {errors[:3]!r}"
    assert len(outcomes) == expected
    assert pairs == 0, f"{pairs} overlapping pairs among {holding} holding bookings"
    assert outcomes.count("ok") == holding
    assert outcomes.count("refused") > 0  # the race really raced


class _ChecksOff:
    """The control: the service's lock+check off and (PostgreSQL) the exclusion constraints dropped."""

    def __enter__(self):
        self.override = override_settings(BOOKINGS_UNSAFE_SKIP_CONFLICT_CHECK=True)
        self.override.enable()
        if _is_pg():
            with connection.cursor() as cursor:
                for sql in constraints_sql.DROP_SQL:
                    cursor.execute(sql)
        return self

    def __exit__(self, *exc):
        self.override.disable()
        if _is_pg():
            Booking.objects.all().delete()  # the constraints cannot be re-created over double bookings
            with connection.cursor() as cursor:
                for sql in constraints_sql.DROP_SQL + constraints_sql.CREATE_SQL:
                    cursor.execute(sql)
        return False


# --- The races ----------------------------------------------------------------------------------------
def _size() -> tuple[int, int]:
    return (50, 20) if _is_pg() else (20, 3)


@pytest.mark.django_db(transaction=True)
def test_racing_requests_on_one_room_never_double_book(personas):
    threads_n, runs = _size()
    outcomes, holding, pairs = _room_race(personas, threads_n=threads_n, runs=runs)
    _assert_clean(outcomes, holding, pairs, expected=threads_n * runs)


@pytest.mark.django_db(transaction=True)
def test_racing_assignments_of_one_driver_across_two_vehicles_never_overlap(personas):
    threads_n, runs = _size()
    outcomes, holding, pairs = _driver_race(personas, threads_n=threads_n, runs=runs)
    _assert_clean(outcomes, holding, pairs, expected=threads_n * runs)


@pytest.mark.django_db(transaction=True)
def test_control_without_lock_and_constraint_double_books_a_room(personas):
    threads_n = 50 if _is_pg() else 20
    with _ChecksOff():
        outcomes, _holding, pairs = _room_race(personas, threads_n=threads_n, runs=2)
        assert all(o == "ok" for o in outcomes), [o for o in outcomes if o != "ok"][:3]
        assert pairs > 0, "the control run must show double bookings (else the race test proves nothing)"


@pytest.mark.django_db(transaction=True)
def test_control_without_lock_and_constraint_double_books_a_driver(personas):
    threads_n = 50 if _is_pg() else 20
    with _ChecksOff():
        outcomes, _holding, pairs = _driver_race(personas, threads_n=threads_n, runs=2)
        assert all(o == "ok" for o in outcomes), [o for o in outcomes if o != "ok"][:3]
        assert pairs > 0


@pytest.mark.django_db(transaction=True)
def test_constraint_alone_refuses_a_double_booking_on_postgresql_or_the_check_does_on_sqlite(personas):
    """With only the service check off, PostgreSQL's exclusion constraint still refuses the overlap
    (turned into the same BookingError); on SQLite the check is the only guard, so it stays on."""
    room = _room(personas)
    user = personas["pegawai"]
    day = _base_day()
    start = dt.datetime.combine(day, dt.time(9), tzinfo=WITA)
    services.booking_request(
        resource=room,
        requester=user.employee,
        start=start,
        end=start + dt.timedelta(hours=1),
        purpose="A",
        by=user,
    )
    settings_override = override_settings(BOOKINGS_UNSAFE_SKIP_CONFLICT_CHECK=_is_pg())
    with settings_override, pytest.raises(BookingError, match="bentrok"):
        services.booking_request(
            resource=room, requester=user.employee, start=start + dt.timedelta(minutes=30),
            end=start + dt.timedelta(minutes=90), purpose="B", by=user,
        )  # fmt: skip
    assert Booking.objects.filter(resource=room).count() == 1
