"""Hypothesis state machine: create / approve / cancel / reschedule against an in-memory interval model.

The model is the specification in a few lines: pending requests do not hold the room; approving
a request (or a move by the Operator) is accepted exactly when no approved booking overlaps it;
approving succeeds exactly when no other approved booking overlaps (half-open ranges, so touching is
fine); cancelling ends an active booking. After every step the database
must agree with the model — statuses, times, and which operations were refused — and no two holding
bookings may overlap. Deterministic (derandomize) and bounded.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from bookings import services
from bookings.models import Booking, Resource
from bookings.services import BookingError
from situok.formats import WITA

QUARTERS = st.integers(min_value=0, max_value=6)  # 08.00 + n × 15 min
LENGTHS = st.integers(min_value=1, max_value=4)  # 15 min … 1 h
_rooms = itertools.count(1)


def _range(day: dt.date, q: int, n: int) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(8), tzinfo=WITA) + dt.timedelta(minutes=15 * q)
    return start, start + dt.timedelta(minutes=15 * n)


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class BookingMachine(RuleBasedStateMachine):
    personas: dict = {}

    bookings = Bundle("bookings")

    def __init__(self) -> None:
        super().__init__()
        # A fresh room per example keeps examples independent inside one test transaction.
        self.room = Resource.objects.create(
            kind=Resource.Kind.ROOM, name=f"Ruang Mesin {next(_rooms)}", capacity=20, min_duration_minutes=15
        )
        self.day = timezone.localdate() + dt.timedelta(days=12)
        self.model: dict[int, dict] = {}  # pk → {"range": (start, end), "status": str}
        self.requester = self.personas["pegawai"]
        self.operator = self.personas["peminjaman"]

    def _approved_except(self, pk: int) -> list[tuple]:
        return [m["range"] for k, m in self.model.items() if k != pk and m["status"] == "approved"]

    @rule(target=bookings, q=QUARTERS, n=LENGTHS)
    def create(self, q, n):
        start, end = _range(self.day, q, n)
        expect_ok = not any(_overlaps((start, end), r) for r in self._approved_except(None))
        try:
            b = services.booking_request(
                resource=self.room, requester=self.requester.employee, start=start, end=end,
                purpose="Rapat", by=self.requester,
            )  # fmt: skip
        except BookingError:
            assert not expect_ok
            return multiple()
        assert expect_ok
        self.model[b.pk] = {"range": (start, end), "status": "pending"}
        return b.pk

    @rule(pk=bookings)
    def approve(self, pk):
        m = self.model[pk]
        expect_ok = m["status"] == "pending" and not any(
            _overlaps(m["range"], r) for r in self._approved_except(pk)
        )
        try:
            services.booking_approve(Booking.objects.get(pk=pk), by=self.operator)
            ok = True
        except BookingError:
            ok = False
        assert ok == expect_ok, (pk, m, self.model)
        if ok:
            m["status"] = "approved"

    @rule(pk=bookings)
    def cancel(self, pk):
        m = self.model[pk]
        expect_ok = m["status"] in ("pending", "approved")
        try:
            services.booking_cancel(Booking.objects.get(pk=pk), by=self.requester)
            ok = True
        except BookingError:
            ok = False
        assert ok == expect_ok
        if ok:
            m["status"] = "cancelled"

    @rule(pk=bookings, q=QUARTERS, n=LENGTHS)
    def reschedule(self, pk, q, n):
        m = self.model[pk]
        new = _range(self.day, q, n)
        expect_ok = m["status"] in ("pending", "approved") and not any(
            _overlaps(new, r) for r in self._approved_except(pk)
        )
        try:
            services.booking_reschedule(
                Booking.objects.get(pk=pk), start=new[0], end=new[1], by=self.operator
            )
            ok = True
        except BookingError:
            ok = False
        assert ok == expect_ok, (pk, m, new)
        if ok:
            m["range"] = new

    @invariant()
    def database_matches_model(self):
        rows = {
            b.pk: b
            for b in Booking.objects.filter(resource=self.room).only("start", "end", "status", "holds_slot")
        }
        assert set(rows) == set(self.model)
        for pk, m in self.model.items():
            b = rows[pk]
            assert (b.start, b.end) == m["range"]
            assert b.status == m["status"]
            assert b.holds_slot == (m["status"] == "approved")
        holding = sorted((b.start, b.end) for b in rows.values() if b.holds_slot)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(holding))


@pytest.mark.django_db
def test_booking_state_machine_matches_the_interval_model(personas):
    from bookings.approval import ensure_booking_policies

    ensure_booking_policies()
    BookingMachine.personas = personas
    run_state_machine_as_test(
        BookingMachine,
        settings=settings(
            derandomize=True,
            max_examples=30,
            stateful_step_count=15,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
