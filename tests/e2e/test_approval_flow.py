"""A data correction through the approval engine, end to end on a 360 px phone: the employee asks, the
Operator Kepegawaian returns it with a note, the employee fixes and resubmits, the Operator approves —
each side sees its notifications, and the profile shows the new number."""

import re

import pytest
from playwright.sync_api import expect

from staff.approval import ensure_correction_policy
from staff.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

EMPLOYEE = "Ni Made Ayu Kartika"
OPERATOR = "Ni Kadek Sri Wahyuni"
TITLE = f"Perbaikan data: {EMPLOYEE}"
FIRST_PHONE = "081234567890"
FIXED_PHONE = "081298765432"
RETURN_NOTE = "Nomor kurang satu digit, mohon periksa lagi."


@pytest.fixture
def bureau(transactional_db, personas):
    ensure_correction_policy()  # what seed_demo does for a real installation
    return personas


def log_in(page, username: str, name: str) -> None:
    page.goto(page.base_url + "/masuk/")
    page.get_by_label("Nama pengguna atau NIP").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name=f"Selamat datang, {name}")).to_be_visible()


def open_menu(page) -> None:
    page.get_by_role("button", name="Buka menu").click()  # collapsed navigation on a phone
    # "show" comes when the opening animation ends; a click on a link that is still sliding in may miss.
    expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))


def go_to(page, link: str) -> None:
    open_menu(page)
    page.locator("#mainnav").get_by_role("link", name=link, exact=True).click()


def log_out(page) -> None:
    open_menu(page)
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_text("Anda telah keluar.")).to_be_visible()


def expect_bell(page, count: str) -> None:
    """Open the menu and wait for the bell (loaded by htmx) to show ``count`` unread."""
    open_menu(page)
    expect(page.get_by_test_id("notification-count")).to_have_text(count)


def test_correction_is_returned_resubmitted_and_approved_with_notifications(page, bureau):
    page.on("dialog", lambda dialog: dialog.accept())  # "Kirim keputusan ini?" confirmations

    # 1. The employee asks for a new phone number.
    log_in(page, "pegawai", EMPLOYEE)
    go_to(page, "Profil Saya")
    page.get_by_role("link", name="Ajukan perbaikan data").click()
    expect(page.get_by_role("heading", name="Ajukan perbaikan data")).to_be_visible()
    page.get_by_label("Nomor telepon").fill(FIRST_PHONE)
    page.get_by_label("Keterangan", exact=True).fill("Nomor HP saya sudah ganti.")
    page.get_by_role("button", name="Kirim permohonan").click()
    expect(page.get_by_text("Permohonan perbaikan terkirim ke Operator Kepegawaian.")).to_be_visible()
    expect(page.get_by_test_id("approval-waiting")).to_contain_text(f"Menunggu persetujuan: {OPERATOR}")
    log_out(page)

    # 2. The Operator sees it waiting and returns it with a note.
    log_in(page, "kepegawaian", OPERATOR)
    waiting = page.locator("a.card", has_text="Menunggu persetujuan Anda")
    expect(waiting).to_contain_text("1")
    expect_bell(page, "1")
    page.locator("#mainnav").get_by_role("link", name="Persetujuan", exact=True).click()
    expect(page.get_by_role("heading", name="Kotak Persetujuan")).to_be_visible()
    row = page.get_by_test_id("inbox-row").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Tolak / kembalikan…").click()
    page.get_by_label("Catatan (wajib untuk menolak atau mengembalikan)").fill(RETURN_NOTE)
    page.get_by_role("button", name="Kembalikan untuk perbaikan").click()
    expect(page.get_by_test_id("inbox-feedback")).to_have_text("Permohonan dikembalikan untuk perbaikan.")
    expect(page.get_by_test_id("inbox-empty")).to_be_visible()
    log_out(page)

    # 3. The employee is told, reads the note on the profile, fixes the number and resubmits.
    log_in(page, "pegawai", EMPLOYEE)
    expect_bell(page, "1")
    page.get_by_test_id("notification-bell").click()
    page.get_by_role("button", name=re.compile(f"Perlu diperbaiki: {TITLE}")).click()
    expect(page.get_by_role("heading", name="Permohonan perbaikan data")).to_be_visible()  # Profil Saya
    expect(page.get_by_test_id("correction-returned")).to_contain_text(f"Dikembalikan: {RETURN_NOTE}")
    page.get_by_test_id("correction-returned").get_by_role("link", name="Perbaiki dan ajukan kembali").click()
    expect(page.get_by_test_id("return-note")).to_contain_text(RETURN_NOTE)
    phone = page.get_by_label("Nomor telepon")
    expect(phone).to_have_value(FIRST_PHONE)  # what was asked for, not the record
    phone.fill(FIXED_PHONE)
    page.get_by_role("button", name="Ajukan kembali").click()
    expect(page.get_by_text("Permohonan perbaikan diajukan kembali.")).to_be_visible()
    expect(page.get_by_test_id("approval-waiting")).to_contain_text(f"Menunggu persetujuan: {OPERATOR}")
    expect(page.get_by_test_id("notification-count")).to_have_count(0)  # the one notification was read
    log_out(page)

    # 4. The Operator approves it in the inbox.
    log_in(page, "kepegawaian", OPERATOR)
    go_to(page, "Persetujuan")
    row = page.get_by_test_id("inbox-row").filter(has_text=TITLE)
    row.get_by_test_id("approve").click()
    expect(page.get_by_test_id("inbox-feedback")).to_have_text("Permohonan disetujui.")
    expect(page.get_by_test_id("inbox-empty")).to_be_visible()
    log_out(page)

    # 5. The employee sees the approval and the new number.
    log_in(page, "pegawai", EMPLOYEE)
    expect_bell(page, "1")
    page.get_by_test_id("notification-bell").click()
    page.get_by_role("link", name="Lihat semua notifikasi").click()
    notifications = page.get_by_test_id("notification-list")
    expect(notifications).to_contain_text(f"{TITLE} disetujui")
    expect(notifications).to_contain_text(f"Perlu diperbaiki: {TITLE}")
    go_to(page, "Profil Saya")
    expect(page.get_by_test_id("personal")).to_contain_text(FIXED_PHONE)
    expect(page.get_by_test_id("approval-status")).to_contain_text("Disetujui")
    expect(page.get_by_role("link", name="Ajukan perbaikan data")).to_be_visible()
