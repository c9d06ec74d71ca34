"""Availability search: "a free room for 30 people with a projector on Tuesday 09.00–12.00" and "which
vehicle with 7 seats is free tomorrow 08.00–15.00", honouring bookings (with buffers), blackouts,
bookable hours, vehicle status and working days — in a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from slots import at

from bookings import selectors, services
from bookings.models import Blackout, Building, Facility, Resource
from situok.calendar_models import CalendarDay


@pytest.fixture
def tuesday() -> dt.date:
    d = timezone.localdate() + dt.timedelta(days=14)
    return d + dt.timedelta(days=(1 - d.weekday()) % 7)


@pytest.fixture
def rooms(personas):
    projector = Facility.objects.create(code="proyektor", name="Proyektor")
    sound = Facility.objects.create(code="sound", name="Sound system")
    hall = Building.objects.create(name="Gedung Wiswa Sabha Utama")
    other = Building.objects.create(name="Jayasabha")

    def make(name, capacity, facilities, building=hall, **kw):
        room = Resource.objects.create(
            kind=Resource.Kind.ROOM, name=name, capacity=capacity, building=building, **kw
        )
        room.facilities.set(facilities)
        return room

    return {
        "big": make("Wiswa Sabha Utama", 300, [projector, sound]),
        "mid": make("Ruang Rapat Lt. 2", 40, [projector]),
        "small": make("Ruang Rapat Kecil", 12, [projector]),
        "nopro": make("Ruang Kertha", 50, [sound], building=other),
    }


def names(resources) -> list[str]:
    return sorted(r.name for r in resources)


def _book(personas, resource, start, end):
    b = services.booking_request(
        resource=resource,
        requester=personas["pegawai"].employee,
        start=start,
        end=end,
        purpose="Rapat",
        by=personas["pegawai"],
    )
    return services.booking_approve(b, by=personas["peminjaman"])


def test_room_for_thirty_with_a_projector(personas, rooms, tuesday):
    found = selectors.free_rooms(
        at(tuesday, "09:00"), at(tuesday, "12:00"), min_capacity=30, facilities=["proyektor"]
    )
    assert names(found) == ["Ruang Rapat Lt. 2", "Wiswa Sabha Utama"]
    _book(personas, rooms["mid"], at(tuesday, "11:00"), at(tuesday, "13:00"))
    found = selectors.free_rooms(
        at(tuesday, "09:00"), at(tuesday, "12:00"), min_capacity=30, facilities=["proyektor"]
    )
    assert names(found) == ["Wiswa Sabha Utama"]
    # Touching is free; facilities may be given as objects or ids; the building narrows.
    projector = Facility.objects.get(code="proyektor")
    found = selectors.free_rooms(
        at(tuesday, "09:00"), at(tuesday, "11:00"), min_capacity=30, facilities=[projector.pk],
        building=rooms["mid"].building,
    )  # fmt: skip
    assert names(found) == ["Ruang Rapat Lt. 2", "Wiswa Sabha Utama"]


def test_pending_requests_block_only_rooms_that_hold_them(personas, rooms, tuesday):
    services.booking_request(
        resource=rooms["small"], requester=personas["pegawai"].employee, start=at(tuesday, "09:00"),
        end=at(tuesday, "10:00"), purpose="Rapat", by=personas["pegawai"],
    )  # fmt: skip
    assert rooms["small"] in selectors.free_rooms(at(tuesday, "09:00"), at(tuesday, "10:00"))
    rooms["mid"].holds_pending = True
    rooms["mid"].save()
    services.booking_request(
        resource=rooms["mid"], requester=personas["pegawai"].employee, start=at(tuesday, "09:00"),
        end=at(tuesday, "10:00"), purpose="Rapat", by=personas["pegawai"],
    )  # fmt: skip
    assert rooms["mid"] not in selectors.free_rooms(at(tuesday, "09:00"), at(tuesday, "10:00"))


def test_buffers_blackouts_hours_and_working_days(personas, rooms, tuesday):
    rooms["big"].buffer_minutes = 30
    rooms["big"].save()
    _book(personas, rooms["big"], at(tuesday, "08:00"), at(tuesday, "09:00"))
    assert rooms["big"] not in selectors.free_rooms(at(tuesday, "09:15"), at(tuesday, "10:00"))
    assert rooms["big"] in selectors.free_rooms(at(tuesday, "09:30"), at(tuesday, "10:00"))

    Blackout.objects.create(
        resource=rooms["small"],
        start=at(tuesday, "00:00"),
        end=at(tuesday, "23:59"),
        reason="Perbaikan plafon",
    )
    assert rooms["small"] not in selectors.free_rooms(at(tuesday, "13:00"), at(tuesday, "14:00"))

    rooms["mid"].bookable_from, rooms["mid"].bookable_until = dt.time(7, 30), dt.time(16, 30)
    rooms["mid"].save()
    assert rooms["mid"] in selectors.free_rooms(at(tuesday, "15:00"), at(tuesday, "16:30"))
    assert rooms["mid"] not in selectors.free_rooms(at(tuesday, "16:00"), at(tuesday, "17:00"))

    rooms["nopro"].working_days_only = True
    rooms["nopro"].save()
    CalendarDay.objects.create(date=tuesday, kind="LIBUR_NASIONAL", name="Hari Uji", is_day_off=True)
    assert rooms["nopro"] not in selectors.free_rooms(at(tuesday, "13:00"), at(tuesday, "14:00"))
    wednesday = tuesday + dt.timedelta(days=1)
    assert rooms["nopro"] in selectors.free_rooms(at(wednesday, "13:00"), at(wednesday, "14:00"))
    # Rooms open on any day are still offered on the holiday.
    assert rooms["big"] in selectors.free_rooms(at(tuesday, "13:00"), at(tuesday, "14:00"))


def test_vehicle_with_seven_seats_tomorrow(personas, tuesday):
    def car(name, plate, seats, **kw):
        return Resource.objects.create(kind=Resource.Kind.VEHICLE, name=name, plate=plate, seats=seats, **kw)

    innova = car("Toyota Innova", "DK 1001 A", 7)
    hiace = car("Toyota Hiace", "DK 1002 A", 15)
    car("Toyota Avanza", "DK 1003 A", 6)
    car("Mitsubishi Pajero", "DK 1004 A", 7, vehicle_status=Resource.VehicleStatus.MAINTENANCE)
    found = selectors.free_vehicles(at(tuesday, "08:00"), at(tuesday, "15:00"), min_seats=7)
    assert found == [hiace, innova] or names(found) == ["Toyota Hiace", "Toyota Innova"]
    _book(personas, innova, at(tuesday, "14:00"), at(tuesday, "18:00"))
    assert selectors.free_vehicles(at(tuesday, "08:00"), at(tuesday, "15:00"), min_seats=7) == [hiace]
    assert innova in selectors.free_vehicles(at(tuesday, "08:00"), at(tuesday, "14:00"), min_seats=7)


def test_availability_queries_do_not_grow_with_resources(
    personas, rooms, tuesday, django_assert_max_num_queries
):
    for i in range(10):
        Resource.objects.create(
            kind=Resource.Kind.ROOM, name=f"Ruang {i}", capacity=20, working_days_only=True
        )
    with django_assert_max_num_queries(4):
        found = selectors.free_rooms(at(tuesday, "09:00"), at(tuesday, "10:00"), min_capacity=10)
    assert len(found) == 14
