"""Log in, see the home page, switch language, log out — on a 360 px wide phone screen."""

import pytest
from playwright.sync_api import expect

from staff.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def bureau(transactional_db, personas):
    return personas


def test_employee_logs_in_sees_home_switches_language_and_logs_out(page, bureau):
    page.goto(page.base_url + "/")
    expect(page).to_have_url(page.base_url + "/masuk/?next=/")
    expect(page.get_by_role("heading", name="Masuk ke SITU OK")).to_be_visible()

    page.get_by_label("Nama pengguna atau NIP").fill("pegawai")
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Selamat datang, Ni Made Ayu Kartika")).to_be_visible()
    expect(page.get_by_test_id("nothing-pending")).to_be_visible()

    page.get_by_test_id("language").select_option("en")
    expect(page.get_by_role("heading", name="Welcome, Ni Made Ayu Kartika")).to_be_visible()
    page.get_by_test_id("language").select_option("id")
    expect(page.get_by_role("heading", name="Selamat datang, Ni Made Ayu Kartika")).to_be_visible()

    page.get_by_role("button", name="Buka menu").click()  # collapsed navigation on a phone
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_text("Anda telah keluar.")).to_be_visible()
    page.goto(page.base_url + "/")
    expect(page).to_have_url(page.base_url + "/masuk/?next=/")


def test_administrator_logs_in_with_nip_and_opens_the_audit_trail(page, bureau):
    nip = bureau["admin"].employee.nip
    page.goto(page.base_url + "/masuk/")
    page.get_by_label("Nama pengguna atau NIP").fill(f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="Jejak Audit").first.click()
    expect(page.get_by_role("heading", name="Jejak Audit")).to_be_visible()
    expect(page.get_by_text("auth.login").first).to_be_visible()
