"""The bookings demo data is coherent: every venue, six vehicles, four drivers, a year of bookings with
recurring series and trip logs, no two slot-holding bookings overlapping (resource with its buffer, or
driver), pending requests in the approval inbox — and a second run adds nothing."""

from __future__ import annotations

import itertools
import time
from collections import defaultdict

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.demo import BUILDINGS, ROOMS, seed_bookings
from bookings.models import Booking, BookingSeries, Building, Driver, Resource, TripLog
from situok.approval_models import ApprovalRequest


def _overlaps(spans: list[tuple]) -> list[tuple]:
    spans.sort()
    return [(a, b) for a, b in itertools.pairwise(spans) if b[0] < a[1]]


@pytest.mark.django_db
def test_demo_bookings_are_complete_coherent_fast_and_idempotent(personas, client_as):
    started = time.process_time()  # CPU time: robust when the suite runs in parallel
    count = seed_bookings(1)
    elapsed = time.process_time() - started
    assert elapsed < 5, f"seed_bookings took {elapsed:.1f} s"

    assert set(Building.objects.values_list("name", flat=True)) >= {b[0] for b in BUILDINGS}
    assert {"Gedung Wiswa Sabha Utama", "Jayasabha"} <= set(Building.objects.values_list("name", flat=True))
    assert Resource.objects.filter(kind=Resource.Kind.ROOM).count() == len(ROOMS)
    assert Resource.objects.filter(kind=Resource.Kind.VEHICLE).count() == 6
    assert all(
        p.startswith("DK ") for p in Resource.objects.filter(kind="vehicle").values_list("plate", flat=True)
    )
    assert Driver.objects.count() == 4

    bookings = Booking.objects.all()
    assert count == bookings.count() > 1000
    first, last = bookings.order_by("start").first().start, bookings.order_by("-start").first().start
    assert (last - first).days >= 300  # about a year
    assert BookingSeries.objects.filter(status=BookingSeries.Status.APPROVED).count() == 2
    assert all(s.occurrences.count() >= 5 for s in BookingSeries.objects.all())
    assert TripLog.objects.filter(returned_at__isnull=False).count() > 100
    assert TripLog.objects.filter(is_late=True).exists()
    assert bookings.filter(no_show=True).exists()
    assert bookings.filter(status=Booking.Status.CANCELLED).exists()
    # Pending requests went through the service: each has an open approval request.
    pending = bookings.filter(status=Booking.Status.PENDING)
    assert pending.count() >= 3
    assert (
        ApprovalRequest.objects.filter(document_type="bookings-booking", status="pending").count()
        == pending.count()
    )

    # No overlaps: per resource on [start, block_end), per driver on [start, end).
    by_resource, by_driver = defaultdict(list), defaultdict(list)
    for b in bookings.filter(holds_slot=True).select_related("resource"):
        assert b.holds_slot == (b.status in (Booking.Status.APPROVED, Booking.Status.COMPLETED)) or (
            b.status == Booking.Status.PENDING and b.resource.holds_pending
        )
        assert b.participants <= b.resource.limit
        by_resource[b.resource_id].append((b.start, b.block_end, b.pk))
        if b.driver_id:
            by_driver[b.driver_id].append((b.start, b.end, b.pk))
    for spans in [*by_resource.values(), *by_driver.values()]:
        assert _overlaps(spans) == []
    # Returned trips run forward: the odometer never goes back.
    for log in TripLog.objects.filter(returned_at__isnull=False)[:200]:
        assert log.odometer_end >= log.odometer_start
        assert log.booking.resource.is_vehicle
        assert log.booking.end <= timezone.now()

    # The pages and reports render the demo year.
    operator = client_as("peminjaman")
    for kind in ("room", "vehicle"):
        for view in ("bulan", "minggu", "hari"):
            page = operator.get(reverse("bookings:calendar"), {"jenis": kind, "tampilan": view})
            assert page.status_code == 200
    assert (
        operator.get(reverse("bookings:my_bookings"), {"semua": "1"}).context["page"].paginator.count == count
    )
    for identifier in (
        "bookings-utilisation",
        "bookings-vehicle-usage",
        "bookings-no-show",
        "bookings-per-unit",
    ):
        assert operator.get(reverse("export_download", args=[identifier, "xlsx"])).status_code == 200

    assert seed_bookings(1) == count  # idempotent
    assert Booking.objects.count() == count
    assert Resource.objects.count() == len(ROOMS) + 6
