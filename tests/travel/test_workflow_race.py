"""Many SPTs approved at the same moment: every SPT and SPPD number is taken once, without gaps.

Each thread approves the final step of its own SPT; all wait at a barrier and go together, so the
numbering counter is contended for real. PostgreSQL runs 20 threads (row locks); SQLite, whose writers
are serialised anyway, runs the same race with fewer threads.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from matrix_travel import make_trip, setup_travel

from situok.approvals import approval_approve, approval_current
from situok.numbering import IssuedNumber
from travel.models import Sppd, Trip
from travel.services import trip_submit

# Dozens of threads, each with its own connection: `make test` runs these alone (see the marker).
pytestmark = pytest.mark.threads

BARRIER_TIMEOUT = 120


@pytest.mark.django_db(transaction=True)
def test_concurrent_final_approvals_take_unique_gap_free_numbers(personas):
    n = 20 if connection.vendor == "postgresql" else 5
    setup_travel()
    pegawai, honorer = personas["pegawai"], personas["honorer"]
    trips = []
    for i in range(n):
        day = dt.date(2026, 3, 10) + dt.timedelta(days=7 * i)  # every Tuesday: no overlaps
        trip = make_trip(pegawai, [pegawai.employee, honorer.employee], depart_date=day, return_date=day)
        trip_submit(trip, by=pegawai)
        approval_approve(approval_current(trip), by=personas["atasan"])
        trips.append(trip)
    requests = [approval_current(t) for t in trips]
    leader = personas["pimpinan"]
    go = threading.Barrier(n, timeout=BARRIER_TIMEOUT)
    outcomes: list[object] = [None] * n

    def worker(i: int) -> None:
        try:
            go.wait()
            approval_approve(requests[i], by=leader)
            outcomes[i] = "ok"
        except BaseException as exc:  # reported by the main thread
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=BARRIER_TIMEOUT)
    assert outcomes == ["ok"] * n, outcomes
    numbers = list(Trip.objects.filter(pk__in=[t.pk for t in trips]).values_list("spt_number", flat=True))
    assert all(numbers) and len(set(numbers)) == n
    assert sorted(
        IssuedNumber.objects.filter(scheme__code="travel-spt").values_list("sequence", flat=True)
    ) == list(range(1, n + 1))
    sppd_numbers = list(Sppd.objects.values_list("number", flat=True))
    assert len(sppd_numbers) == 2 * n and len(set(sppd_numbers)) == 2 * n
    assert sorted(
        IssuedNumber.objects.filter(scheme__code="travel-sppd").values_list("sequence", flat=True)
    ) == list(range(1, 2 * n + 1))
    assert set(Trip.objects.values_list("status", flat=True)) == {Trip.Status.NUMBERED}
