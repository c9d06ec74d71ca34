"""Excel import of employees (issue 3, item 6): template, pre-parse checks, dry run, all-or-nothing commit,
idempotent updates by NIP/NIK, audit, and the upload → preview → confirm flow."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from situok.audit import AuditEvent
from staff import imports
from staff.demo import LEAF_UNITS
from staff.imports import check_xlsx_upload, import_commit, import_dry_run, import_template
from staff.models import Employee, Position
from staff.resources import DATA_SHEET, EXAMPLE_NIP, EmployeeResource, column_labels
from staff.views_import import SESSION_KEY

LABELS = column_labels()
H = dict(LABELS)  # field name → header
BIG_ROWS = 5_000
BAD_EVERY = 100  # one bad row in every hundred: 50 in 5,000
BAD_OFFSET = 37


# --- Building workbooks ----------------------------------------------------------------------------
def nip_for(birth: dt.date, sex: str, seq: int, *, tmt: tuple[int, int] | None = None) -> str:
    year, month = tmt or (birth.year + 25, birth.month)
    return f"{birth:%Y%m%d}{year}{month:02d}{'1' if sex == 'L' else '2'}{seq:03d}"


def ni_pppk_for(birth: dt.date, sex: str, seq: int) -> str:
    return f"{birth:%Y%m%d}202421{'1' if sex == 'L' else '2'}{seq:03d}"


def nik_for(birth: dt.date, sex: str, seq: int) -> str:
    day = birth.day + (40 if sex == "P" else 0)
    return f"517101{day:02d}{birth.month:02d}{birth.year % 100:02d}{seq:04d}"


def xlsx(
    rows: Iterable[Mapping[str, Any]], columns: Iterable[str] | None = None, *, sheet: str = DATA_SHEET
) -> bytes:
    """A workbook with the given columns (field names) and rows (field name → cell value)."""
    rows = list(rows)
    columns = list(columns or LABELS)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet(sheet)
    date_format = book.add_format({"num_format": "dd-mm-yyyy"})
    for col, name in enumerate(columns):
        ws.write_string(0, col, LABELS.get(name, name))
    for r, row in enumerate(rows, start=1):
        for col, name in enumerate(columns):
            value = row.get(name)
            if value is None:
                continue
            if isinstance(value, dt.date):
                ws.write_datetime(r, col, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, (int, float)):
                ws.write_number(r, col, value)
            else:
                ws.write_string(r, col, str(value))
    book.close()
    return out.getvalue()


def person(i: int, **overrides: Any) -> dict[str, Any]:
    """A valid PNS row, unique per ``i`` (births one day apart, sequences 500–899: no persona collides)."""
    sex = "L" if i % 2 else "P"
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=i)
    unit = LEAF_UNITS[i % len(LEAF_UNITS)]
    row = {
        "nip": nip_for(birth, sex, 500 + i % 400),
        "name": f"Pegawai Uji {i}",
        "sex": sex,
        "birth_date": birth,
        "employee_type": "PNS",
        "golongan": "III/a",
        "unit": unit,
        "phone": f"0812{i:08d}",
        "email": f"pegawai{i}@example.com",
    }
    if unit == "BUP.TU.1" and i % 3 == 0:
        row["position"] = "Analis SDM Aparatur"  # a persona's position in that unit
    row.update(overrides)
    return row


BIG_COLUMNS = ["nip", "nik", "name", "sex", "birth_date", "employee_type", "golongan", "pppk_golongan",
               "unit", "position", "phone", "email"]  # fmt: skip
BAD_KINDS = ("invalid_nip", "duplicate_nip", "unknown_unit", "bad_date", "golongan_for_type")
MISMATCH_INDEX = 2_500  # a valid row whose birth date differs from its NIP: a warning only


def big_rows() -> tuple[list[dict[str, Any]], dict[int, tuple[str, str]]]:
    """5,000 rows, of which 50 are bad; returns the rows and {Excel row: (kind, column header)}."""
    rows = [person(i) for i in range(BIG_ROWS)]
    for i in range(0, BIG_ROWS, 7):  # some PPPK rows, valid
        if i % BAD_EVERY != BAD_OFFSET:
            birth = rows[i]["birth_date"]
            rows[i].update(
                employee_type="PPPK", nip=ni_pppk_for(birth, rows[i]["sex"], 1 + i % 900), golongan=None,
                pppk_golongan="IX",
            )  # fmt: skip
    rows[MISMATCH_INDEX]["birth_date"] += dt.timedelta(days=1)
    expected: dict[int, tuple[str, str]] = {}
    for n, i in enumerate(range(BAD_OFFSET, BIG_ROWS, BAD_EVERY)):
        kind = BAD_KINDS[n % len(BAD_KINDS)]
        row = rows[i] = person(i)
        if kind == "invalid_nip":
            row["nip"] = row["nip"][:12] + "13" + row["nip"][14:]  # month 13 of TMT CPNS
            column = H["nip"]
        elif kind == "duplicate_nip":
            row["nip"] = rows[i - 1]["nip"]
            row["employee_type"] = rows[i - 1]["employee_type"]
            row["golongan"], row["pppk_golongan"] = (
                rows[i - 1].get("golongan"),
                rows[i - 1].get("pppk_golongan"),
            )
            column = H["nip"]
        elif kind == "unknown_unit":
            row["unit"] = "TIDAK.ADA"
            column = H["unit"]
        elif kind == "bad_date":
            row["birth_date"] = "31-02-1980"
            column = H["birth_date"]
        else:  # a PPPK with a PNS golongan ruang
            row.update(
                employee_type="PPPK", nip=ni_pppk_for(row["birth_date"], row["sex"], 7), pppk_golongan=None
            )
            column = H["golongan"]
        expected[i + 2] = (kind, column)  # header is row 1
    return rows, expected


@pytest.fixture(scope="module")
def big_files() -> dict[str, Any]:
    rows, expected = big_rows()
    clean_rows = [r for i, r in enumerate(rows) if i + 2 not in expected]
    return {
        "bad": xlsx(rows, BIG_COLUMNS),
        "clean": xlsx(clean_rows, BIG_COLUMNS),
        "expected": expected,
        "clean_count": len(clean_rows),
    }


# --- Template ----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_template_has_indonesian_headers_instructions_and_reference_lists(personas):
    book = openpyxl.load_workbook(io.BytesIO(import_template()))
    assert book.sheetnames == [DATA_SHEET, "Petunjuk", "Referensi"]
    header = [c.value for c in book[DATA_SHEET][1]]
    assert header == list(LABELS.values())
    assert header[:3] == ["NIP", "NIK", "Nama"] and "Tanggal Lahir (DD-MM-YYYY)" in header
    assert book[DATA_SHEET]["A2"].value == EXAMPLE_NIP
    help_text = " ".join(str(c.value) for row in book["Petunjuk"].iter_rows() for c in row if c.value)
    assert all(label in help_text for label in LABELS.values())
    codes = {row[0].value for row in book["Referensi"].iter_rows(min_row=2) if row[0].value}
    assert {"BUP.TU.1", "BUP.RT.2", "BHK.PU"} <= codes


@pytest.mark.django_db
def test_template_reimports_cleanly_with_its_example_row_kept(personas):
    report = import_dry_run(import_template())
    assert report.ok, report.errors
    assert (report.total, report.new) == (1, 1)
    assert any("contoh" in w.message for w in report.warnings)


@pytest.mark.django_db
def test_template_filled_in_place_of_the_example_row_imports_cleanly(personas):
    book = openpyxl.load_workbook(io.BytesIO(import_template()))
    sheet = book[DATA_SHEET]
    sheet.delete_rows(2)
    for i in (1, 2):
        row = person(i, birth_date=(dt.date(1970, 1, 1) + dt.timedelta(days=i)).strftime("%d-%m-%Y"))
        sheet.append([row.get(name) for name in LABELS])
    out = io.BytesIO()
    book.save(out)
    report = import_commit(out.getvalue(), by=personas["kepegawaian"])
    assert report.committed and report.ok, report.errors
    assert report.new == 2
    assert not Employee.objects.filter(nip=EXAMPLE_NIP).exists()


# --- The acceptance test: all or nothing -------------------------------------------------------------
@pytest.mark.django_db
def test_fifty_bad_rows_in_five_thousand_are_all_reported_and_nothing_is_saved(personas, big_files):
    before = Employee.objects.count()
    started = time.perf_counter()
    report = import_dry_run(big_files["bad"], by=personas["kepegawaian"])
    elapsed = time.perf_counter() - started
    expected = big_files["expected"]
    assert len(expected) == 50
    assert report.total == BIG_ROWS
    assert report.error_rows == sorted(expected)
    assert {(e.row, e.column) for e in report.errors} == {(row, col) for row, (_k, col) in expected.items()}
    messages = {expected[e.row][0]: e.message for e in report.errors}
    assert "Bulan TMT CPNS" in messages["invalid_nip"]
    for error in report.errors:
        if expected[error.row][0] == "duplicate_nip":  # points at the row it copies
            assert error.message.endswith(f"sudah ada di baris {error.row - 1}.")
    assert messages["unknown_unit"].startswith("Kode unit tidak dikenal: TIDAK.ADA")
    assert messages["bad_date"].startswith("Tanggal tidak valid: 31-02-1980")
    assert "PNS/CPNS" in messages["golongan_for_type"]
    # The NIP/birth-date mismatch is a warning, never an error.
    mismatch = [w for w in report.warnings if w.row == MISMATCH_INDEX + 2]
    assert mismatch and mismatch[0].column == "NIP" and "berbeda" in mismatch[0].message
    assert MISMATCH_INDEX + 2 not in report.error_rows
    assert elapsed < 30

    committed = import_commit(big_files["bad"], by=personas["kepegawaian"])
    assert not committed.committed
    assert committed.error_rows == sorted(expected)
    assert Employee.objects.count() == before
    event = AuditEvent.objects.get(action="staff.employee.import_rejected")
    assert event.data["errors"] == 50


@pytest.mark.django_db
def test_clean_five_thousand_rows_commit_and_reimport_is_idempotent(personas, big_files):
    before = Employee.objects.count()
    report = import_commit(big_files["clean"], by=personas["kepegawaian"], filename="pegawai.xlsx")
    assert report.committed, report.errors[:5]
    assert (report.new, report.updated) == (big_files["clean_count"], 0)
    assert Employee.objects.count() == before + big_files["clean_count"]
    pppk = Employee.objects.get(nip=ni_pppk_for(dt.date(1970, 1, 1), "P", 1))
    assert (pppk.employee_type, pppk.pppk_golongan, pppk.golongan) == ("PPPK", "IX", "")
    assert Employee.objects.filter(
        position__name="Analis SDM Aparatur", name__startswith="Pegawai Uji"
    ).exists()

    again = import_commit(big_files["clean"], by=personas["kepegawaian"], filename="pegawai.xlsx")
    assert again.committed
    assert (again.new, again.updated, again.unchanged) == (0, 0, big_files["clean_count"])
    events = list(AuditEvent.objects.filter(action="staff.employee.imported").order_by("id"))
    assert [e.data["created"] for e in events] == [big_files["clean_count"], 0]
    assert events[0].data["rows"] == big_files["clean_count"]
    assert events[0].data["filename"] == "pegawai.xlsx"
    assert events[0].actor == personas["kepegawaian"]


# --- Updates -------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_update_by_nip_changes_only_the_changed_fields(personas):
    employee = personas["pegawai"].employee
    original = Employee.objects.get(pk=employee.pk)
    row = {
        "nip": " ".join([employee.nip[:8], employee.nip[8:14], employee.nip[14], employee.nip[15:]]),
        "employee_type": employee.employee_type,
        "name": employee.name,
        "phone": "081999888777",
        "email": None,  # blank cell: keep
    }
    report = import_commit(
        xlsx([row], ["nip", "employee_type", "name", "phone", "email"]), by=personas["kepegawaian"]
    )
    assert report.committed and (report.new, report.updated) == (0, 1)
    assert report.changes[0].columns == ("Telepon",)
    employee.refresh_from_db()
    assert employee.phone == "081999888777"
    for name in (
        "name",
        "address",
        "bank_account",
        "unit_id",
        "position_id",
        "golongan",
        "birth_date",
        "email",
    ):
        assert getattr(employee, name) == getattr(original, name), name
    event = AuditEvent.objects.get(action="staff.employee.imported")
    assert event.data["updated_fields"] == {str(employee.pk): ["phone"]}
    assert "081999888777" not in str(event.data)  # names of fields, never personal values


@pytest.mark.django_db
def test_non_asn_employee_is_matched_by_nik(personas):
    honorer = personas["honorer"].employee
    count = Employee.objects.count()
    row = {"nik": honorer.nik, "employee_type": "Non-ASN", "address": "Jl. Baru No. 2, Denpasar"}
    report = import_commit(xlsx([row], ["nik", "employee_type", "address"]), by=personas["kepegawaian"])
    assert report.committed and (report.new, report.updated) == (0, 1)
    honorer.refresh_from_db()
    assert honorer.address == "Jl. Baru No. 2, Denpasar"
    assert Employee.objects.count() == count


@pytest.mark.django_db
def test_identity_rules_per_employee_type(personas):
    birth = dt.date(1990, 5, 17)
    rows = [
        person(1, employee_type="NON_ASN", nik=nik_for(birth, "L", 1), golongan=None),  # has a NIP
        person(2, nip=None),  # PNS without NIP
        person(3, employee_type="NON_ASN", nip=None, nik=None, golongan=None),  # non-ASN without NIK
        person(4, employee_type="PPPK", nip=ni_pppk_for(birth, "P", 4), golongan=None, pppk_golongan="XVIII"),
        person(5, unit="bup.tu.1"),  # unit codes match case-insensitively
    ]
    report = import_dry_run(xlsx(rows, BIG_COLUMNS))
    by_row = {(e.row, e.column): e.message for e in report.errors}
    assert by_row[(2, "NIP")] == "Pegawai non-ASN tidak memiliki NIP; kosongkan kolom ini."
    assert by_row[(3, "NIP")] == "NIP wajib diisi untuk PNS/CPNS."
    assert by_row[(4, "NIK")] == "NIK wajib diisi untuk pegawai non-ASN."
    assert by_row[(5, "Golongan PPPK")].startswith("Golongan PPPK tidak dikenal: XVIII")
    assert report.error_rows == [2, 3, 4, 5]


@pytest.mark.django_db
def test_unknown_position_and_internal_number_of_someone_else_are_errors(personas):
    rows = [
        person(1, unit="BUP.TU.1", position="Jabatan Khayalan"),
        person(2, internal_number="DEMO-admin"),
    ]
    report = import_dry_run(xlsx(rows, [*BIG_COLUMNS, "internal_number"]))
    messages = {e.row: e.message for e in report.errors}
    assert (
        messages[2]
        == 'Jabatan "Jabatan Khayalan" tidak ditemukan di unit BUP.TU.1. Daftarkan jabatannya lebih dahulu.'
    )
    assert messages[3] == "Nomor internal DEMO-admin sudah dipakai pegawai lain."


@pytest.mark.django_db
def test_dates_are_read_from_excel_dates_and_three_text_forms(personas):
    birth = dt.date(1986, 9, 26)
    serial = (birth - dt.date(1899, 12, 30)).days  # what a date cell that lost its format holds
    forms = [birth, "26-09-1986", "26/09/1986", "1986-09-26", serial]
    rows = [
        person(i, nip=nip_for(birth, "L", 600 + i), sex="L", birth_date=value)
        for i, value in enumerate(forms)
    ]
    rows.append(person(9, birth_date="26 September 1986"))
    report = import_commit(xlsx(rows, BIG_COLUMNS), by=personas["kepegawaian"])
    assert [e.row for e in report.errors] == [7]
    assert report.errors[0].message.startswith("Tanggal tidak valid: 26 September 1986")
    rows.pop()
    report = import_commit(xlsx(rows, BIG_COLUMNS), by=personas["kepegawaian"])
    assert report.committed, report.errors
    assert set(Employee.objects.filter(nip__startswith="19860926").values_list("birth_date", flat=True)) == {
        birth
    }


@pytest.mark.django_db
def test_a_nip_typed_as_a_number_is_refused_with_advice(personas):
    row = person(1, nip=198609262015051001)
    report = import_dry_run(xlsx([row], BIG_COLUMNS))
    assert "harus ditulis sebagai teks" in report.errors[0].message


@pytest.mark.django_db
def test_missing_required_header_is_a_file_level_error(personas):
    report = import_dry_run(xlsx([person(1)], ["nip", "name", "sex", "unit", "Kolom Aneh"]))
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(1, "Jenis Pegawai")]
    assert any(w.column == "Kolom Aneh" for w in report.warnings)


@pytest.mark.django_db
def test_a_changed_type_drops_the_golongan_of_the_old_type(personas):
    employee = personas["pegawai"].employee
    assert employee.employee_type == "PNS" and employee.golongan
    row = {"nip": employee.nip, "employee_type": "PPPK", "pppk_golongan": "IX"}
    report = import_commit(xlsx([row], ["nip", "employee_type", "pppk_golongan"]), by=personas["kepegawaian"])
    assert report.committed, report.errors
    employee.refresh_from_db()
    assert (employee.employee_type, employee.golongan, employee.pppk_golongan) == ("PPPK", "", "IX")


@pytest.mark.django_db
def test_moving_to_another_unit_needs_the_new_position(personas):
    employee = personas["pegawai"].employee  # BUP.TU.1, a position of that unit
    base = {"nip": employee.nip, "employee_type": "PNS", "unit": "BUP.TU.2"}
    report = import_dry_run(xlsx([base], ["nip", "employee_type", "unit", "position"]))
    assert [(e.column, e.message[:13]) for e in report.errors] == [("Jabatan", "Jabatan lama ")]
    moved = {**base, "position": "pengadministrasi  keuangan"}  # matched ignoring case and spaces
    report = import_commit(
        xlsx([moved], ["nip", "employee_type", "unit", "position"]), by=personas["kepegawaian"]
    )
    assert report.committed, report.errors
    employee.refresh_from_db()
    assert (employee.unit.code, employee.position.name) == ("BUP.TU.2", "Pengadministrasi Keuangan")


@pytest.mark.django_db
def test_a_new_asn_row_with_the_nik_of_a_non_asn_record_is_flagged(personas):
    honorer = personas["honorer"].employee
    birth = honorer.birth_date
    row = person(1, employee_type="PPPK_PARUH_WAKTU", nip=ni_pppk_for(birth, "L", 9), golongan=None, nik=honorer.nik,
                 birth_date=birth, sex="L")  # fmt: skip
    report = import_dry_run(xlsx([row], BIG_COLUMNS))
    assert report.ok and report.new == 1
    assert any(w.column == "NIK" and honorer.name in w.message for w in report.warnings)


@pytest.mark.django_db
def test_a_sheet_without_data_rows_is_an_error(personas):
    report = import_dry_run(xlsx([], BIG_COLUMNS))
    assert not report.ok and report.errors[0].message == "Berkas tidak berisi data pegawai."


@pytest.mark.django_db
def test_a_conflict_while_writing_saves_nothing(personas, monkeypatch):
    from django.db import IntegrityError

    def conflict(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: staff_employee.nip")

    count = Employee.objects.count()
    monkeypatch.setattr(Employee.objects, "bulk_update", conflict)
    employee = personas["pegawai"].employee
    rows = [person(1), {"nip": employee.nip, "employee_type": "PNS", "phone": "0811111111"}]
    report = import_commit(xlsx(rows, BIG_COLUMNS), by=personas["kepegawaian"])
    assert not report.committed and report.errors[0].row == 0
    assert Employee.objects.count() == count  # the created row was rolled back too
    assert not AuditEvent.objects.filter(action="staff.employee.imported").exists()


# --- Checks before parsing -----------------------------------------------------------------------------
def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _refusal(data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        check_xlsx_upload(data)
    return info.value


def test_a_pdf_renamed_to_xlsx_is_refused():
    error = _refusal(b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert error.code == "bad_type"
    assert "bukan berkas Excel .xlsx" in error.messages[0]


def test_an_old_xls_file_is_refused_with_advice():
    error = _refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert error.code == "legacy"


def test_a_zip_that_is_not_a_workbook_is_refused():
    assert (
        _refusal(_zip({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"})).code == "bad_type"
    )


def test_a_zip_bomb_is_refused_before_parsing():
    bomb = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/big.xml": bytes(60 * 1024 * 1024),
        }
    )
    assert len(bomb) < imports.MAX_UPLOAD_BYTES  # small on the wire
    assert _refusal(bomb).code == "zip_bomb"


def test_a_highly_compressed_member_under_the_total_cap_is_refused():
    bomb = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/big.xml": bytes(8 * 1024 * 1024),
        }
    )
    assert _refusal(bomb).code == "zip_bomb"


def test_an_oversized_file_is_refused():
    error = _refusal(b"PK\x03\x04" + bytes(imports.MAX_UPLOAD_BYTES))
    assert error.code == "too_large"
    assert "melebihi batas 5 MB" in error.messages[0]


def test_too_many_rows_are_refused_from_the_sheet_dimension():
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet(DATA_SHEET)
    sheet.write_string(0, 0, "NIP")
    for r in range(1, imports.MAX_ROWS + 2):
        sheet.write_number(r, 0, r)
    book.close()
    error = _refusal(out.getvalue())
    assert error.code == "too_many_rows"
    assert "10.000" in error.messages[0]


@pytest.mark.django_db
def test_too_many_rows_are_refused_while_streaming_when_no_dimension_is_declared(monkeypatch, personas):
    monkeypatch.setattr(imports.checks, "MAX_ROWS", 3)  # read where the check runs
    data = xlsx([person(i) for i in range(4)], BIG_COLUMNS)
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {
        i.filename: re.sub(rb"<dimension [^>]*/>", b"", source.read(i.filename)) for i in source.infolist()
    }
    stripped = _zip(members)
    check_xlsx_upload(stripped)  # nothing declared: the pre-check cannot tell
    with pytest.raises(ValidationError) as info:
        import_dry_run(stripped)
    assert info.value.code == "too_many_rows"


# --- Round trip with the resource ----------------------------------------------------------------------
@pytest.mark.django_db
def test_an_export_with_the_resource_reimports_without_changes(personas):
    dataset = EmployeeResource().export()
    assert dataset.headers == list(LABELS.values())
    report = import_dry_run(dataset.export("xlsx"))
    assert report.ok, report.errors
    assert (report.new, report.updated, report.unchanged) == (0, 0, Employee.objects.count())


# --- Views -----------------------------------------------------------------------------------------------
def _upload(client, data: bytes, name: str = "pegawai.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("staff:import_upload"), {"file": file})


@pytest.mark.django_db
def test_template_download_and_upload_page(client_as):
    client = client_as("kepegawaian")
    response = client.get(reverse("staff:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == imports.XLSX_CONTENT_TYPE
    assert response.content.startswith(b"PK\x03\x04")
    page = client.get(reverse("staff:import_upload"))
    assert page.status_code == 200
    assert reverse("staff:import_template") in page.content.decode()


@pytest.mark.django_db
def test_upload_with_errors_shows_them_and_cannot_be_confirmed(client_as):
    client = client_as("kepegawaian")
    rows = [person(1), person(2, unit="TIDAK.ADA")]
    response = _upload(client, xlsx(rows, BIG_COLUMNS))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kode unit tidak dikenal: TIDAK.ADA" in html
    assert 'data-testid="import-confirm"' not in html
    count = Employee.objects.count()
    refused = client.post(reverse("staff:import_confirm"), {"token": "abc"})
    assert refused.status_code == 302 and refused["Location"] == reverse("staff:import_upload")
    assert Employee.objects.count() == count


@pytest.mark.django_db
def test_clean_upload_is_previewed_then_confirmed(client_as, personas):
    client = client_as("kepegawaian")
    response = _upload(client, xlsx([person(1), person(2)], BIG_COLUMNS))
    html = response.content.decode()
    assert 'data-testid="import-confirm"' in html
    token = re.search(r'name="token" value="([0-9a-f]+)"', html).group(1)
    stored = client.session[SESSION_KEY]["name"]
    assert default_storage.exists(stored)
    assert not Employee.objects.filter(name="Pegawai Uji 1").exists()  # the preview wrote nothing

    done = client.post(reverse("staff:import_confirm"), {"token": token}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("staff:import_upload")
    assert "Impor selesai. Baru: 2" in done.content.decode()
    assert Employee.objects.filter(name__in=["Pegawai Uji 1", "Pegawai Uji 2"]).count() == 2
    assert not default_storage.exists(stored)
    assert SESSION_KEY not in client.session
    again = client.post(reverse("staff:import_confirm"), {"token": token})  # one confirmation per preview
    assert again.status_code == 302
    assert AuditEvent.objects.filter(action="staff.employee.imported").count() == 1


@pytest.mark.django_db
def test_an_expired_preview_cannot_be_confirmed(client_as):
    client = client_as("kepegawaian")
    html = _upload(client, xlsx([person(1)], BIG_COLUMNS)).content.decode()
    token = re.search(r'name="token" value="([0-9a-f]+)"', html).group(1)
    session = client.session
    stored = session[SESSION_KEY]["name"]
    session[SESSION_KEY]["stored_at"] = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)).isoformat()
    session.save()
    response = client.post(reverse("staff:import_confirm"), {"token": token})
    assert response.status_code == 302
    assert not Employee.objects.filter(name="Pegawai Uji 1").exists()
    assert not default_storage.exists(stored)


@pytest.mark.django_db
def test_a_refused_file_shows_the_error_next_to_the_file_field(client_as):
    response = _upload(client_as("kepegawaian"), b"%PDF-1.7\n%%EOF\n", name="laporan.xlsx")
    assert response.status_code == 200
    html = response.content.decode()
    assert "is-invalid" in html and "bukan berkas Excel .xlsx" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method"), [("import_template", "get"), ("import_upload", "get"), ("import_confirm", "post")]
)
def test_an_ordinary_employee_cannot_import(client_as, name, method):
    response = getattr(client_as("pegawai"), method)(reverse(f"staff:{name}"))
    assert response.status_code == 403


@pytest.mark.django_db
def test_position_rows_exist_for_the_big_file(personas):
    # Guards the 5,000-row fixture: its Jabatan must exist in BUP.TU.1.
    assert Position.objects.filter(unit__code="BUP.TU.1", name="Analis SDM Aparatur").exists()
