"""Operator Kepegawaian, in the browser: imports a file, fixes an error, searches, opens a profile and
downloads the DUK PDF (issue 3 acceptance)."""

import datetime as dt
import io
from pathlib import Path

import pytest
import xlsxwriter
from playwright.sync_api import expect
from pypdf import PdfReader

from staff.demo import DEMO_PASSWORD
from staff.models import Employee
from staff.resources import DATA_SHEET, column_labels

pytestmark = pytest.mark.e2e
LABELS = dict(column_labels())


@pytest.fixture
def bureau(transactional_db, personas):
    return personas


def _workbook(path: Path, rows: list[dict]) -> Path:
    columns = ["nip", "name", "sex", "birth_date", "employee_type", "golongan", "unit"]
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(DATA_SHEET)
    for col, name in enumerate(columns):
        sheet.write_string(0, col, LABELS[name])
    for r, row in enumerate(rows, start=1):
        for col, name in enumerate(columns):
            sheet.write_string(r, col, str(row[name]))
    book.close()
    return path


def _row(i: int, birth: dt.date, **overrides) -> dict:
    row = {
        "nip": f"{birth:%Y%m%d}{birth.year + 25}0{i}1{700 + i:03d}",
        "name": f"Wayan Impor {i}",
        "sex": "L",
        "birth_date": birth.strftime("%d-%m-%Y"),
        "employee_type": "PNS",
        "golongan": "III/a",
        "unit": "BUP.TU.2",
    }
    row.update(overrides)
    return row


def _login(page, username):
    page.goto(page.base_url + "/masuk/")
    page.get_by_label("Nama pengguna atau NIP").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Selamat datang", exact=False)).to_be_visible()


def test_operator_imports_fixes_an_error_searches_opens_a_profile_and_downloads_the_duk(
    page, bureau, tmp_path
):
    births = [dt.date(1980, 1, 5), dt.date(1981, 2, 6), dt.date(1982, 3, 7)]
    good = [_row(i, b) for i, b in enumerate(births, start=1)]
    bad = [*good[:2], _row(3, births[2], unit="BUP.TIDAK.ADA")]

    _login(page, "kepegawaian")
    page.goto(page.base_url + "/pegawai/impor/")
    page.get_by_label("Berkas Excel (.xlsx)").set_input_files(str(_workbook(tmp_path / "salah.xlsx", bad)))
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.get_by_text("Kode unit tidak dikenal: BUP.TIDAK.ADA", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Konfirmasi impor")).to_have_count(0)
    assert not Employee.objects.filter(name__startswith="Wayan Impor").exists()

    page.get_by_role("link", name="Unggah ulang").click()
    page.get_by_label("Berkas Excel (.xlsx)").set_input_files(str(_workbook(tmp_path / "benar.xlsx", good)))
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.once("dialog", lambda dialog: dialog.accept())  # "Simpan semua baris ini ke data pegawai?"
    page.get_by_role("button", name="Konfirmasi impor").click()
    expect(page.get_by_text("Impor selesai. Baru: 3", exact=False)).to_be_visible()
    assert Employee.objects.filter(name__startswith="Wayan Impor").count() == 3

    page.goto(page.base_url + "/pegawai/")
    page.get_by_label("Cari nama atau NIP").fill("Wayan Impor 2")
    expect(page.get_by_test_id("result-count")).to_have_text("1 pegawai")
    page.get_by_role("link", name="Wayan Impor 2").click()
    expect(page.get_by_role("heading", name="Wayan Impor 2")).to_be_visible()
    expect(page.get_by_text("Penata Muda", exact=False).or_(page.get_by_text("III/a")).first).to_be_visible()

    page.goto(page.base_url + "/pegawai/laporan/")
    with page.expect_download() as download_info:
        page.get_by_test_id("download-staff-duk-pdf").click()
    pdf = Path(download_info.value.path()).read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "DAFTAR URUT KEPANGKATAN" in text
    assert "Wayan Impor 1" in text and "Wayan Impor 3" in text
