"""Booking a room end to end on a 360 px phone: an employee books a room, the Operator Peminjaman
approves it in the shared inbox, the calendar shows it (htmx prev/next included), and another employee's
request for an overlapping slot is refused with the clear message next to the time."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.approval import ensure_booking_policies
from bookings.models import Building, Resource
from staff.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

PURPOSE = "Rapat koordinasi persiapan HUT Provinsi"


@pytest.fixture
def setup(transactional_db, personas):
    ensure_booking_policies()  # what seed_demo does for a real installation
    building = Building.objects.create(name="Gedung Wiswa Sabha Utama")
    room = Resource.objects.create(
        kind=Resource.Kind.ROOM, name="Ruang Rapat Wiswa Sabha", building=building, capacity=40
    )
    day = timezone.localdate() + dt.timedelta(days=9)
    day += dt.timedelta(days=(2 - day.weekday()) % 7)  # a Wednesday
    return personas, room, day


def log_in(page, username: str, name: str) -> None:
    page.goto(page.base_url + "/masuk/")
    page.get_by_label("Nama pengguna atau NIP").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name=f"Selamat datang, {name}")).to_be_visible()


def open_menu(page) -> None:
    page.get_by_role("button", name="Buka menu").click()
    expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))


def log_out(page) -> None:
    open_menu(page)
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_text("Anda telah keluar.")).to_be_visible()


def request_room(page, room, day: dt.date, start: str, end: str, purpose: str) -> None:
    page.goto(page.base_url + "/peminjaman/ajukan/?jenis=room")
    expect(page.get_by_role("heading", name="Pinjam ruang/gedung")).to_be_visible()
    page.get_by_label("Ruang / kendaraan").select_option(str(room.pk))
    page.get_by_label("Tanggal mulai").fill(day.isoformat())
    page.get_by_label("Jam mulai (WITA)").fill(start)
    page.get_by_label("Jam selesai (WITA)").fill(end)
    page.get_by_label("Keperluan / nama kegiatan").fill(purpose)
    page.get_by_label("Jumlah peserta").fill("25")
    page.get_by_role("button", name="Ajukan peminjaman").click()


def test_room_is_booked_approved_in_the_inbox_shown_on_the_calendar_and_never_double_booked(page, setup):
    personas, room, day = setup
    employee = personas["pegawai"].employee.name
    operator = personas["peminjaman"].employee.name

    # 1. The employee books the room.
    log_in(page, "pegawai", employee)
    request_room(page, room, day, "10:00", "11:00", PURPOSE)
    expect(page.get_by_text("Permohonan peminjaman terkirim.")).to_be_visible()
    expect(page.get_by_test_id("booking-status")).to_have_text("Menunggu persetujuan")
    expect(page.get_by_test_id("approval-waiting")).to_contain_text(operator)
    log_out(page)

    # 2. The Operator Peminjaman approves it in the shared inbox.
    log_in(page, "peminjaman", operator)
    open_menu(page)
    page.locator("#mainnav").get_by_role("link", name="Persetujuan", exact=True).click()
    expect(page.get_by_role("heading", name="Kotak Persetujuan")).to_be_visible()
    row = page.get_by_test_id("inbox-row").filter(has_text=PURPOSE)
    expect(row).to_have_count(1)
    row.get_by_test_id("approve").click()
    expect(page.get_by_test_id("inbox-feedback")).to_have_text("Permohonan disetujui.")

    # 3. The calendar shows it (the phone's day list), and htmx navigation keeps working.
    open_menu(page)
    page.locator("#mainnav").get_by_role("link", name="Kalender Peminjaman", exact=True).click()
    page.goto(page.base_url + f"/peminjaman/kalender/?jenis=room&tampilan=minggu&tanggal={day.isoformat()}")
    day_list = page.get_by_test_id("calendar-list")
    expect(day_list).to_contain_text(PURPOSE)
    expect(day_list).to_contain_text("10.00–11.00")
    heading = page.get_by_test_id("calendar-heading").inner_text()
    page.get_by_test_id("calendar-next").click()
    expect(page.get_by_test_id("calendar-heading")).not_to_have_text(heading)
    expect(page.get_by_test_id("calendar-list")).not_to_contain_text(PURPOSE)
    assert "tanggal=" in page.url  # pushed into the address bar
    page.get_by_test_id("calendar-prev").click()
    expect(page.get_by_test_id("calendar-heading")).to_have_text(heading)
    expect(page.get_by_test_id("calendar-list")).to_contain_text(PURPOSE)
    log_out(page)

    # 4. Another employee asks for an overlapping slot: refused, with the clear message at the time.
    log_in(page, "honorer", personas["honorer"].employee.name)
    request_room(page, room, day, "10:30", "11:30", "Rapat tim kecil")
    error = page.locator("#id_start_error")
    expect(error).to_contain_text("bentrok")
    expect(error).to_contain_text("10.00–11.00")
    expect(error).to_contain_text(employee)
    expect(page.get_by_test_id("conflicts")).to_contain_text(room.name)
