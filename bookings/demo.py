"""Demo resources and bookings for ``seed_demo``: the venues of domain.md §6, the bureau's meeting rooms,
six official cars, four drivers and a year of bookings (about nine months back, three ahead) including
two recurring series, trip logs of past car trips, a few no-shows and cancellations, and pending requests
waiting in the Operator's inbox.

Deterministic (fixed seed, dates relative to the day it runs), fast (bulk inserts; the pending requests
go through the real service so they reach the approval inbox), idempotent (resources are keyed by name
or plate; bookings are generated only while the demo resources have none) and coherent: every booking
is placed against an occupancy map that honours each resource's buffer and each driver's trips, so no
two slot-holding bookings overlap (the PostgreSQL exclusion constraints would refuse them anyway).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from situok.workcalendar import working_days_in
from staff.models import Employee, OrgUnit

from .models import (
    Blackout,
    Booking,
    BookingEvent,
    BookingSeries,
    Building,
    Driver,
    Facility,
    FuelLevel,
    Resource,
    TripLog,
)

SEED = 20260306
DAYS_BACK, DAYS_AHEAD = 275, 90
T = dt.time

FACILITIES = [
    ("proyektor", "Proyektor"),
    ("sound-system", "Sound system"),
    ("video-conference", "Video conference"),
    ("ac", "AC"),
    ("podium", "Podium"),
]

# name, address, managing unit code
BUILDINGS = [
    ("Gedung Wiswa Sabha Utama", "Kompleks Kantor Gubernur Bali, Niti Mandala Renon, Denpasar", "BUP.RT"),
    ("Jayasabha", "Jl. Surapati No. 1, Denpasar", "BUP.RT.1"),
    ("Gedung Kertha Sabha", "Kompleks Jayasabha, Jl. Surapati No. 1, Denpasar", "BUP.RT.1"),
    (
        "Kantor Biro Umum dan Protokol",
        "Kompleks Kantor Gubernur Bali, Niti Mandala Renon, Denpasar",
        "BUP.RT.2",
    ),
]

# name, building, floor, capacity, facilities, (from, until), working days only, buffer, holds pending, outside
ROOMS = [
    ("Aula Wiswa Sabha Utama", 0, "1", 500, ["proyektor", "sound-system", "video-conference", "ac", "podium"],
     (T(7, 0), T(22, 0)), False, 60, True, True),
    ("Ruang Rapat Wiswa Sabha Madya", 0, "2", 60, ["proyektor", "sound-system", "video-conference", "ac"],
     (T(7, 30), T(17, 0)), True, 15, False, False),
    ("Pendopo Jayasabha", 1, "", 300, ["sound-system", "podium"], (T(8, 0), T(22, 0)), False, 60, True, False),
    ("Gedung Kertha Sabha", 2, "1", 250, ["proyektor", "sound-system", "ac", "podium"],
     (T(7, 0), T(22, 0)), False, 30, False, True),
    ("Ruang Rapat Biro Umum", 3, "2", 30, ["proyektor", "video-conference", "ac"],
     (T(7, 30), T(16, 30)), True, 0, False, False),
    ("Ruang Rapat Kecil Biro Umum", 3, "2", 12, ["ac"], (T(7, 30), T(16, 30)), True, 0, False, False),
]  # fmt: skip

# plate, name, make, type, seats, fuel
VEHICLES = [
    ("DK 1021 A", "Innova Zenix", "Toyota", "Innova Zenix 2.0 Q", 7, "bensin"),
    ("DK 1022 A", "Innova Reborn", "Toyota", "Kijang Innova 2.4 G", 7, "solar"),
    ("DK 1023 A", "Fortuner", "Toyota", "Fortuner 2.4 VRZ", 7, "solar"),
    ("DK 1024 A", "Hiace Commuter", "Toyota", "Hiace Commuter 3.0", 15, "solar"),
    ("DK 1025 A", "Xpander", "Mitsubishi", "Xpander Ultimate", 7, "bensin"),
    ("DK 1026 A", "Avanza", "Toyota", "Avanza 1.5 G", 7, "bensin"),
]
FUEL_PRICE = {"bensin": Decimal("10000"), "solar": Decimal("6800")}

# key, name, sex, licence number, licence expiry offset in days from today
DRIVERS = [
    ("DEMO-DRV-1", "I Ketut Sudiarta", "L", "1234-5678-000101", 900),
    ("DEMO-DRV-2", "I Nyoman Wirata", "L", "1234-5678-000102", 600),
    ("DEMO-DRV-3", "I Made Adi Putra", "L", "1234-5678-000103", 400),
    ("DEMO-DRV-4", "I Wayan Suardana", "L", "1234-5678-000104", 45),
]

ROOM_PURPOSES = [
    "Rapat koordinasi persiapan upacara",
    "Rapat evaluasi kinerja triwulan",
    "Sosialisasi tata naskah dinas",
    "Rapat koordinasi keprotokolan",
    "Bimbingan teknis pengelolaan BMD",
    "Rapat pembahasan anggaran perubahan",
    "Audiensi dengan instansi vertikal",
    "Rapat persiapan kunjungan kerja Gubernur",
    "Pelatihan aplikasi SITU OK",
    "Rapat koordinasi rumah tangga pimpinan",
]
HALL_PURPOSES = [
    "Pelantikan pejabat administrator",
    "Rapat paripurna forum perangkat daerah",
    "Penyerahan SK PPPK",
    "Seminar pelestarian budaya Bali",
    "Malam ramah tamah tamu negara",
]
DESTINATIONS = [
    ("Kabupaten Gianyar", "Koordinasi persiapan upacara di Kabupaten Gianyar"),
    ("Kabupaten Buleleng", "Monitoring aset di Singaraja"),
    ("Kabupaten Tabanan", "Pendampingan kunjungan kerja"),
    ("Bandara I Gusti Ngurah Rai", "Penjemputan tamu provinsi"),
    ("Kabupaten Karangasem", "Survei lokasi acara HUT Provinsi"),
    ("Kota Denpasar", "Pengantaran dokumen ke instansi vertikal"),
    ("Kabupaten Klungkung", "Rapat koordinasi keprotokolan"),
]
ROOM_SLOTS = [(T(8, 0), T(9, 30)), (T(10, 30), T(12, 0)), (T(13, 0), T(14, 30)), (T(15, 30), T(16, 30))]
HALL_SLOTS = [(T(8, 0), T(12, 0)), (T(13, 30), T(17, 0)), (T(18, 30), T(21, 30))]
VEHICLE_SLOTS = [[(T(7, 30), T(16, 0))], [(T(7, 30), T(11, 30)), (T(13, 0), T(16, 0))]]


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time), timezone.get_default_timezone())


def seed_resources() -> tuple[list[Resource], list[Resource], list[Driver]]:
    """Facilities, buildings, rooms, vehicles and drivers (get-or-create: safe to run again)."""
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=["BUP.RT", "BUP.RT.1", "BUP.RT.2"])}
    facilities = {}
    for code, name in FACILITIES:
        facilities[code], _ = Facility.objects.get_or_create(code=code, defaults={"name": name})
    buildings = []
    for name, address, unit in BUILDINGS:
        building, _ = Building.objects.get_or_create(
            name=name, defaults={"address": address, "managing_unit": units.get(unit)}
        )
        buildings.append(building)
    rooms = []
    for name, b, floor, capacity, facs, (start, until), workdays, buffer, holds, outside in ROOMS:
        room, created = Resource.objects.get_or_create(
            kind=Resource.Kind.ROOM,
            name=name,
            defaults={
                "building": buildings[b],
                "floor": floor,
                "capacity": capacity,
                "managing_unit": buildings[b].managing_unit,
                "bookable_from": start,
                "bookable_until": until,
                "working_days_only": workdays,
                "buffer_minutes": buffer,
                "holds_pending": holds,
                "outside_parties_allowed": outside,
                "max_duration_minutes": 15 * 60,
                "min_notice_minutes": 60,
            },
        )
        if created:
            room.facilities.set([facilities[c] for c in facs])
        rooms.append(room)
    vehicles = []
    for plate, name, make, vtype, seats, fuel in VEHICLES:
        vehicle, _ = Resource.objects.get_or_create(
            kind=Resource.Kind.VEHICLE,
            plate=plate,
            defaults={
                "name": name,
                "make": make,
                "vehicle_type": vtype,
                "seats": seats,
                "fuel_type": fuel,
                "managing_unit": units.get("BUP.RT.2"),
                "min_duration_minutes": 60,
                "max_days_ahead": 180,
            },
        )
        vehicles.append(vehicle)
    drivers = []
    unit = units.get("BUP.RT.1")
    today = timezone.localdate()
    rng = random.Random(SEED)
    from staff.demo import _employee

    for key, name, sex, licence, expiry in DRIVERS:
        employee = Employee.objects.filter(internal_number=key).first()
        if employee is None and unit is not None:
            employee = _employee(
                rng, key=key, seq=900 + len(drivers), name=name, sex=sex, etype=Employee.Type.NON_ASN,
                unit=unit, position="Pengemudi",
            )  # fmt: skip
        if employee is None:
            continue
        driver, _ = Driver.objects.get_or_create(
            employee=employee,
            defaults={
                "licence_number": licence,
                "licence_class": "A",
                "licence_expiry": today + dt.timedelta(days=expiry),
            },
        )
        drivers.append(driver)
    return rooms, vehicles, drivers


class _Occupancy:
    """Slot-holding intervals per resource and per driver, to place demo bookings without overlaps."""

    def __init__(self) -> None:
        self.by_resource: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
        self.by_driver: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}

    @staticmethod
    def _free(spans, start, end) -> bool:
        return all(end <= s or start >= e for s, e in spans)

    def resource_free(self, resource: Resource, start, end) -> bool:
        buffer = dt.timedelta(minutes=resource.buffer_minutes)
        return self._free(self.by_resource.get(resource.pk, []), start, end + buffer)

    def take(self, resource: Resource, start, end, driver: Driver | None = None) -> None:
        self.by_resource.setdefault(resource.pk, []).append(
            (start, end + dt.timedelta(minutes=resource.buffer_minutes))
        )
        if driver is not None:
            self.by_driver.setdefault(driver.pk, []).append((start, end))

    def driver_free(self, driver: Driver, start, end) -> bool:
        return self._free(self.by_driver.get(driver.pk, []), start, end)


def seed_bookings(scale: int = 1) -> int:
    """Create the demo resources and, once, a year of bookings. Returns the number of demo bookings."""
    rooms, vehicles, drivers = seed_resources()
    resources = rooms + vehicles
    existing = Booking.objects.filter(resource__in=resources).count()
    if existing:
        return existing
    operator = get_user_model().objects.filter(username="peminjaman").first()
    requesters = list(
        Employee.objects.filter(unit__code__startswith="BUP", status=Employee.Status.AKTIF)
        .exclude(internal_number__startswith="DEMO-DRV")
        .select_related("user", "unit")
        .order_by("internal_number")
    )
    if operator is None or not requesters:
        return 0
    with transaction.atomic():
        created = _generate(rooms, vehicles, drivers, requesters, operator, scale=max(scale, 1))
    created += _pending_requests(rooms, vehicles, requesters, operator)
    return created


def _generate(rooms, vehicles, drivers, requesters, operator, *, scale: int) -> int:
    rng = random.Random(SEED)
    today = timezone.localdate()
    now = timezone.now()
    days = [today + dt.timedelta(days=i) for i in range(-DAYS_BACK, DAYS_AHEAD)]
    working = set(working_days_in(days))
    occupancy = _Occupancy()
    bookings: list[Booking] = []
    logs: dict[int, dict] = {}  # index in bookings → trip log values

    def add(resource, requester, start, end, purpose, participants, **extra) -> Booking:
        past = end <= now
        status = extra.pop("status", None) or (Booking.Status.COMPLETED if past else Booking.Status.APPROVED)
        booking = Booking(
            resource=resource,
            requester=requester,
            unit=requester.unit,
            start=start,
            end=end,
            block_end=end + dt.timedelta(minutes=resource.buffer_minutes),
            purpose=purpose,
            participants=participants,
            status=status,
            holds_slot=status in (Booking.Status.APPROVED, Booking.Status.COMPLETED),
            decided_at=start - dt.timedelta(days=2),
            decided_by=operator,
            created_by=requester.user or operator,
            **extra,
        )
        if booking.holds_slot:
            occupancy.take(resource, start, end, booking.driver)
        bookings.append(booking)
        return booking

    # Two recurring series first (they take their slots before the one-off bookings).
    series_specs = [
        (rooms[4], "Rapat koordinasi mingguan Biro Umum dan Protokol", BookingSeries.Frequency.WEEKLY,
         T(9, 0), T(10, 0), 20),
        (rooms[1], "Rapat evaluasi bulanan pimpinan", BookingSeries.Frequency.MONTHLY, T(13, 0), T(15, 0), 40),
    ]  # fmt: skip
    first_monday = days[0] + dt.timedelta(days=(7 - days[0].weekday()) % 7)
    first_tuesday = days[0] + dt.timedelta(days=(8 - days[0].weekday()) % 7)
    for n, (room, purpose, frequency, start_t, end_t, people) in enumerate(series_specs):
        requester = requesters[n % len(requesters)]
        first = first_monday if frequency == BookingSeries.Frequency.WEEKLY else first_tuesday
        series = BookingSeries.objects.create(
            resource=room, requester=requester, unit=requester.unit, purpose=purpose, participants=people,
            frequency=frequency, interval=1, first_date=first, until=days[-1], start_time=start_t,
            end_time=end_t, status=BookingSeries.Status.APPROVED, created_by=requester.user or operator,
        )  # fmt: skip
        skipped = []
        day, month_step = first, 0
        while day <= days[-1]:
            if day in working:
                add(room, requester, _aware(day, start_t), _aware(day, end_t), purpose, people, series=series)
            else:
                skipped.append(day.isoformat())
            if frequency == BookingSeries.Frequency.WEEKLY:
                day += dt.timedelta(weeks=1)
            else:
                month_step += 1
                index = first.month - 1 + month_step
                day = dt.date(first.year + index // 12, index % 12 + 1, min(first.day, 28))
        series.skipped = skipped
        series.save(update_fields=["skipped"])

    # The Avanza's periodic service next month: reserved before any booking is placed.
    service_start = _aware(today + dt.timedelta(days=35), T(0, 0))
    service_end = service_start + dt.timedelta(days=2)
    occupancy.take(vehicles[5], service_start, service_end)

    density = min(0.85, 0.35 + 0.1 * (scale - 1))
    odometers = {v.pk: 12_000 + 7_300 * i for i, v in enumerate(vehicles)}
    for day in days:
        if day not in working:
            continue
        for room in rooms:
            hall = room.capacity >= 200
            slots = HALL_SLOTS if hall else ROOM_SLOTS
            for start_t, end_t in slots:
                if rng.random() > (density * (0.35 if hall else 1)):
                    continue
                start, end = _aware(day, start_t), _aware(day, end_t)
                if not occupancy.resource_free(room, start, end):
                    continue
                requester = rng.choice(requesters)
                purpose = rng.choice(HALL_PURPOSES if hall else ROOM_PURPOSES)
                people = rng.randint(max(5, room.capacity // 4), room.capacity)
                status = None
                roll = rng.random()
                if roll < 0.05:
                    status = Booking.Status.CANCELLED
                elif roll < 0.08:
                    status = Booking.Status.REJECTED
                extra = {"status": status} if status else {}
                booking = add(room, requester, start, end, purpose, people, **extra)
                if status is None and end <= timezone.now() and rng.random() < 0.02:
                    booking.no_show = True
        for vehicle in vehicles:
            if rng.random() > density:
                continue
            for start_t, end_t in rng.choice(VEHICLE_SLOTS):
                start, end = _aware(day, start_t), _aware(day, end_t)
                if not occupancy.resource_free(vehicle, start, end):
                    continue
                driver = next((d for d in rng.sample(drivers, len(drivers)) if occupancy.driver_free(d, start, end)
                               and d.licence_valid_on(day)), None)  # fmt: skip
                place, purpose = rng.choice(DESTINATIONS)
                requester = rng.choice(requesters)
                booking = add(
                    vehicle, requester, start, end, purpose, rng.randint(1, vehicle.seats),
                    destination=place, needs_driver=driver is not None, driver=driver,
                )  # fmt: skip
                if booking.status == Booking.Status.COMPLETED:
                    if rng.random() < 0.03:  # approved but the car never left: a no-show
                        continue
                    km = rng.randint(15, 260)
                    late = rng.random() < 0.08
                    litres = Decimal(rng.randint(0, 45)) if km > 60 else None
                    logs[len(bookings) - 1] = {
                        "handed_over_at": start,
                        "odometer_start": odometers[vehicle.pk],
                        "fuel_start": rng.choice([FuelLevel.HALF, FuelLevel.THREE_QUARTERS, FuelLevel.FULL]),
                        "condition_start": "Baik, bersih.",
                        "returned_at": end + dt.timedelta(minutes=rng.randint(45, 150) if late else -10),
                        "odometer_end": odometers[vehicle.pk] + km,
                        "fuel_end": rng.choice([FuelLevel.QUARTER, FuelLevel.HALF, FuelLevel.THREE_QUARTERS]),
                        "fuel_litres": litres,
                        "fuel_cost": litres * FUEL_PRICE[vehicle.fuel_type] if litres else None,
                        "condition_end": rng.choice(
                            ["Baik.", "Baik, perlu dicuci.", "Lecet kecil bumper belakang."]
                        ),
                        "is_late": late,
                    }
                    odometers[vehicle.pk] += km
    for booking in bookings:
        if booking.status == Booking.Status.CANCELLED:
            booking.cancelled_at, booking.cancelled_by = (
                booking.start - dt.timedelta(days=1),
                booking.created_by,
            )
            booking.cancel_reason = "Kegiatan ditunda."
            booking.decided_at = booking.decided_by = None
        elif booking.status == Booking.Status.REJECTED:
            booking.cancel_reason = ""
    Booking.objects.bulk_create(bookings, batch_size=1000)
    TripLog.objects.bulk_create(
        [
            TripLog(booking=bookings[i], handed_over_by=operator, returned_by=operator, **values)
            for i, values in logs.items()
        ],
        batch_size=1000,
    )
    events = []
    kinds = BookingEvent.Kind
    for i, b in enumerate(bookings):
        events.append(
            BookingEvent(booking=b, kind=kinds.CREATED, at=b.start - dt.timedelta(days=5), by=b.created_by)
        )
        if b.status == Booking.Status.CANCELLED:
            events.append(BookingEvent(booking=b, kind=kinds.CANCELLED, at=b.cancelled_at, by=b.cancelled_by,
                                       note=b.cancel_reason))  # fmt: skip
            continue
        decision = kinds.REJECTED if b.status == Booking.Status.REJECTED else kinds.APPROVED
        events.append(BookingEvent(booking=b, kind=decision, at=b.start - dt.timedelta(days=2), by=operator))
        if i in logs:
            events.append(
                BookingEvent(booking=b, kind=kinds.HANDED_OVER, at=logs[i]["handed_over_at"], by=operator)
            )
            events.append(
                BookingEvent(booking=b, kind=kinds.RETURNED, at=logs[i]["returned_at"], by=operator)
            )
        if b.no_show:
            events.append(BookingEvent(booking=b, kind=kinds.NO_SHOW, at=b.end, by=operator))
    BookingEvent.objects.bulk_create(events, batch_size=2000)
    Blackout.objects.create(
        resource=vehicles[5], start=service_start, end=service_end, reason="Servis berkala 50.000 km",
        created_by=operator,
    )  # fmt: skip
    return len(bookings)


def _pending_requests(rooms, vehicles, requesters, operator) -> int:
    """A few future requests through the real service: they wait in the approver's inbox."""
    from .services import BookingError, booking_request

    users = [e for e in requesters if e.user_id and e.user.is_active]
    if not users:
        return 0
    today = timezone.localdate()
    candidates = [today + dt.timedelta(days=i) for i in range(7, 30)]
    working = [d for d in candidates if d in set(working_days_in(candidates))]
    plans = [
        (rooms[4], T(14, 0), T(15, 0), "Rapat persiapan pameran UMKM", 15, {}),
        (rooms[5], T(8, 30), T(9, 30), "Wawancara calon PPPK", 6, {}),
        (rooms[0], T(18, 0), T(21, 0), "Gala dinner HUT Provinsi Bali", 400, {}),
        (vehicles[3], T(7, 0), T(17, 0), "Kunjungan lapangan ke Kabupaten Bangli", 12,
         {"destination": "Kabupaten Bangli", "needs_driver": True}),
        (vehicles[0], T(12, 0), T(15, 0), "Penjemputan tamu di bandara", 3,
         {"destination": "Bandara I Gusti Ngurah Rai", "needs_driver": True}),
    ]  # fmt: skip
    made = 0
    for n, (resource, start_t, end_t, purpose, people, extra) in enumerate(plans):
        requester = users[n % len(users)]
        for day in working[n * 3 :] + working[: n * 3]:
            start, end = _aware(day, start_t), _aware(day, end_t)
            try:
                with transaction.atomic():
                    booking_request(
                        resource=resource, requester=requester, start=start, end=end, purpose=purpose,
                        participants=min(people, resource.limit or people), by=requester.user, **extra,
                    )  # fmt: skip
            except BookingError:
                continue
            made += 1
            break
    return made
