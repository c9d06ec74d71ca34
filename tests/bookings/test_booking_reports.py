"""Booking reports through the shared export view, read back: utilisation (booked ÷ bookable hours),
bookings per unit, vehicle usage (km, fuel, cost), no-shows, the filtered list — Excel and PDF."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from slots import at

from bookings import services
from bookings.models import Booking, Resource


@pytest.fixture
def month() -> tuple[int, int]:
    """Last month: every booking in it is in the past."""
    first = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


@pytest.fixture
def data(personas, month):
    """In the month: a room bookable 08.00–16.00 on working days booked 2 × 2 h (one marked no-show),
    a cancelled booking, and a car trip of 120 km with 20 litres for Rp200.000 plus an approved car
    booking that never left (a no-show)."""
    from django.contrib.auth.models import Group

    year, mon = month
    # A second Operator Peminjaman approves what the first one records on others' behalf.
    Group.objects.get(name="operator_peminjaman").user_set.add(personas["admin"])
    operator, approver = personas["peminjaman"], personas["admin"]
    biro = personas["pimpinan"].employee.unit
    room = Resource.objects.create(
        kind=Resource.Kind.ROOM, name="Ruang Rapat Biro", capacity=20, bookable_from=dt.time(8),
        bookable_until=dt.time(16), working_days_only=True, managing_unit=biro,
    )  # fmt: skip
    car = Resource.objects.create(
        kind=Resource.Kind.VEHICLE,
        name="Innova",
        plate="DK 1234 X",
        seats=7,
        fuel_type="bensin",
        managing_unit=biro,
    )
    days = [dt.date(year, mon, d) for d in range(1, 29) if dt.date(year, mon, d).weekday() < 4][:4]

    def record(resource, day, start, end, who="pegawai", approve=True):
        b = services.booking_request(
            resource=resource, requester=personas[who].employee, start=at(day, start), end=at(day, end),
            purpose=f"Kegiatan {day:%d}", by=operator,
        )  # fmt: skip
        if approve:
            services.booking_approve(b, by=approver)
        return b

    record(room, days[0], "08:00", "10:00")
    absent = record(room, days[1], "10:00", "12:00", who="luar")
    services.booking_mark_no_show(absent, by=operator)
    services.booking_cancel(
        record(room, days[2], "08:00", "09:00", approve=False), by=operator, reason="Batal"
    )
    trip = record(car, days[0], "08:00", "15:00")
    services.trip_handover(trip, by=operator, odometer=10_000, fuel_level="100", at=at(days[0], "08:00"))
    services.trip_return(
        trip, by=operator, odometer=10_120, fuel_level="50", fuel_litres=Decimal("20"), fuel_cost=Decimal("200000"),
        at=at(days[0], "14:30"),
    )  # fmt: skip
    never = record(car, days[1], "08:00", "12:00", who="atasan")
    return {"room": room, "car": car, "absent": absent, "never": never, "year": year, "month": mon}


def xlsx_rows(client, identifier: str, params: dict) -> list[tuple]:
    response = client.get(reverse("export_download", args=[identifier, "xlsx"]), params)
    assert response.status_code == 200, identifier
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [tuple(row) for row in book.active.iter_rows(values_only=True)]


def pdf_text(client, identifier: str, params: dict) -> str:
    response = client.get(reverse("export_download", args=[identifier, "pdf"]), params)
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.mark.django_db
def test_utilisation_divides_booked_by_bookable_hours(client_as, data):
    from situok.workcalendar import working_days_in

    year, mon = data["year"], data["month"]
    params = {"tahun": year, "bulan": mon}
    rows = xlsx_rows(client_as("peminjaman"), "bookings-utilisation", params)
    assert rows[0][0] == "Ruang / kendaraan"
    room_row = next(r for r in rows[1:] if r[0] == "Ruang Rapat Biro")
    last = (dt.date(year + (mon == 12), mon % 12 + 1, 1) - dt.timedelta(days=1)).day
    workdays = len(working_days_in([dt.date(year, mon, d) for d in range(1, last + 1)]))
    bookable = workdays * 8
    assert room_row[3:6] == (2, 4, bookable)  # the no-show still held the room
    assert room_row[6] == pytest.approx(round(400 / bookable, 2))
    car_row = next(r for r in rows[1:] if r[0] == "Innova (DK 1234 X)")
    assert car_row[3:5] == (2, 11)  # 7 h + 4 h
    assert "Utilisasi" in pdf_text(client_as("pimpinan"), "bookings-utilisation", params)


@pytest.mark.django_db
def test_vehicle_usage_sums_distance_fuel_and_cost(client_as, data):
    rows = xlsx_rows(
        client_as("peminjaman"), "bookings-vehicle-usage", {"tahun": data["year"], "bulan": data["month"]}
    )
    car = next(r for r in rows[1:] if r[0] == "Innova (DK 1234 X)")
    assert car[2:8] == (1, 1, 0, 120, 20, 200000)
    text = pdf_text(
        client_as("peminjaman"), "bookings-vehicle-usage", {"tahun": data["year"], "bulan": data["month"]}
    )
    assert "Rp200.000" in text.replace(" ", "")


@pytest.mark.django_db
def test_no_shows_are_marked_ones_and_cars_never_handed_over(client_as, personas, data):
    rows = xlsx_rows(
        client_as("peminjaman"), "bookings-no-show", {"tahun": data["year"], "bulan": data["month"]}
    )
    reasons = {r[2]: r[5] for r in rows[1:]}
    assert reasons == {
        personas["luar"].employee.name_with_titles: "Ditandai tidak hadir oleh Operator",
        personas["atasan"].employee.name_with_titles: "Kendaraan tidak pernah diserahterimakan",
    }


@pytest.mark.django_db
def test_bookings_per_unit_count_statuses_and_hours(client_as, personas, data):
    rows = xlsx_rows(
        client_as("peminjaman"), "bookings-per-unit", {"tahun": data["year"], "bulan": data["month"]}
    )
    by_unit = {r[0]: r[1:] for r in rows[1:]}
    pegawai_unit = personas["pegawai"].employee.unit.name
    # pegawai and their head atasan: room, car trip, the car that never left; one cancelled
    assert by_unit[pegawai_unit] == (4, 3, 0, 1, 0, 1, 13)  # 2 h room + 7 h + 4 h car
    assert by_unit[personas["luar"].employee.unit.name][5] == 1  # the no-show


@pytest.mark.django_db
def test_booking_list_export_follows_the_filters_and_the_scope(client_as, personas, data):
    rows = xlsx_rows(client_as("peminjaman"), "bookings-list", {"kind": "vehicle"})
    assert {r[2] for r in rows[1:]} == {"Innova (DK 1234 X)"}
    assert len(rows) == 3
    everything = xlsx_rows(
        client_as("pimpinan"), "bookings-list", {"tahun": data["year"], "bulan": data["month"]}
    )
    assert len(everything) == 1 + Booking.objects.count()
    assert (
        client_as("pegawai").get(reverse("export_download", args=["bookings-list", "xlsx"])).status_code
        == 404
    )


@pytest.mark.django_db
def test_reports_page_links_every_report_with_the_month(client_as, data):
    page = client_as("peminjaman").get(
        reverse("bookings:reports"), {"tahun": data["year"], "bulan": data["month"]}
    )
    html = page.content.decode()
    for identifier in (
        "bookings-utilisation",
        "bookings-per-unit",
        "bookings-vehicle-usage",
        "bookings-no-show",
    ):
        assert f'data-testid="download-{identifier}-xlsx"' in html
    assert (
        f"tahun={data['year']}&amp;bulan={data['month']}" in html
        or f"tahun={data['year']}&bulan={data['month']}" in html
    )
