"""Staff reports: DUK, staff list, composition recap, reminders, Daftar Riwayat Hidup, the reports page.

Files are read back the way a user opens them: XLSX with openpyxl, PDF text with pypdf.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from matrix_staff_reports import QUERY_ROWS
from openpyxl import load_workbook
from pypdf import PdfReader

from situok.audit import AuditEvent
from situok.exports import get_exporter
from staff.models import (
    EducationHistory,
    Employee,
    KgbHistory,
    OrgUnit,
    Position,
    PositionHistory,
    RankHistory,
)
from staff.reminders import ReminderKind, reminder_query, staff_reminders
from staff.services import unit_save

NIK_RE = re.compile(r"\b\d{16}\b")
_serial = itertools.count(1)


# --- helpers ----------------------------------------------------------------------------------------


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _download(client, identifier: str, fmt: str, **query):
    response = client.get(reverse("export_download", args=[identifier, fmt]), query)
    assert response.status_code == 200, response.status_code
    return _body(response)


def _sheet_rows(content: bytes, sheet: str | None = None) -> list[tuple]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    ws = book[sheet] if sheet else book.active
    return list(ws.iter_rows(values_only=True))


def _pdf_text(content: bytes) -> str:
    """Extracted text with whitespace normalised (wrapped cells become single spaces)."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def _unit(code: str, name: str, parent: OrgUnit | None = None, kind: str = "bagian") -> OrgUnit:
    return unit_save(OrgUnit(code=code, name=name, abbreviation=code, kind=kind, parent=parent))


def _position(unit: OrgUnit, name: str, eselon: str = "", kind: str = "PELAKSANA", bup: int = 58) -> Position:
    return Position.objects.create(unit=unit, name=name, kind=kind, eselon=eselon, bup=bup)


def _employee(unit: OrgUnit, name: str, **fields) -> Employee:
    """An active PNS by default, with dates chosen so that no reminder falls due around mid-2026."""
    n = next(_serial)
    etype = fields.setdefault("employee_type", Employee.Type.PNS)
    asn = etype in Employee.ASN_TYPES
    defaults = {
        "sex": "L",
        "status": Employee.Status.AKTIF,
        "nip": f"19900101{2015 + n % 5}011{n % 1000:03d}" if asn else None,
        "nik": f"5171{n:012d}",
        "birth_date": dt.date(1990, 1, 1),
        "golongan": "III/a" if etype in Employee.PNS_TYPES else "",
        "tmt_golongan": dt.date(2025, 4, 1) if asn else None,
        "tmt_cpns": dt.date(2015, 1, 1) if etype in Employee.PNS_TYPES else None,
        "tmt_kgb": dt.date(2025, 12, 1) if asn else None,
        "education_level": "S1",
    }
    defaults.update(fields)
    return Employee.objects.create(unit=unit, name=name, **defaults)


# --- DUK --------------------------------------------------------------------------------------------

DUK_ON = dt.date(2026, 12, 31)
# Expected DUK order; each neighbour pair is decided by the criterion in the comment.
DUK_ORDER = [
    "I Made Kepala Uji",  # IV/a: highest golongan
    "Ni Luh Senior",  # III/d, TMT 2019: earlier TMT golongan than everyone below
    "I Wayan Eselon Dua",  # III/d 2021, eselon II.a: higher eselon
    "I Nyoman Eselon Tiga Awal",  # III/d 2021, III.a, TMT jabatan 2020: earlier TMT jabatan
    "Ni Ketut Eselon Tiga Baru",  # III/d 2021, III.a, TMT jabatan 2022
    "I Putu Masa Kerja Panjang",  # III/d 2021, no eselon, CPNS 2000: longer masa kerja
    "Ni Kadek Magister",  # … CPNS 2005, S2: higher education
    "I Komang Sarjana Tua",  # … CPNS 2005, S1, born 1978: older
    "Ni Komang Sarjana Muda",  # … CPNS 2005, S1, born 1982
    "I Gede Subbagian",  # III/b in a sub-unit: sub-units are included
]


@pytest.fixture
def duk_unit(db):
    """A bagian with a sub-unit, a crafted set of PNS covering every DUK tie-breaker, and people who
    must not appear (PPPK, non-ASN, CPNS, retired, another unit)."""
    unit = _unit("UJI", "Bagian Uji Kepegawaian", kind="bagian")
    sub = _unit("UJI.1", "Subbagian Uji", parent=unit, kind="subbagian")
    other = _unit("LAIN", "Bagian Lain")
    head_pos = _position(unit, "Kepala Bagian Uji Kepegawaian", "II.a", "JPT", 60)
    asisten = _position(unit, "Asisten Uji", "II.a", "JPT", 60)
    kabag_a = _position(unit, "Kepala Seksi A", "III.a", "ADMINISTRATOR")
    kabag_b = _position(unit, "Kepala Seksi B", "III.a", "ADMINISTRATOR")
    analis = _position(unit, "Analis Uji", "", "FUNGSIONAL")
    g2021 = {"golongan": "III/d", "tmt_golongan": dt.date(2021, 4, 1), "tmt_cpns": dt.date(2005, 1, 1)}
    plain = {
        **g2021,
        "position": analis,
        "tmt_jabatan": dt.date(2010, 1, 1),
        "birth_date": dt.date(1980, 1, 1),
    }
    specs = [
        (
            "I Made Kepala Uji",
            {"golongan": "IV/a", "tmt_golongan": dt.date(2020, 4, 1), "position": head_pos},
        ),
        ("Ni Luh Senior", {"golongan": "III/d", "tmt_golongan": dt.date(2019, 4, 1), "sex": "P"}),
        ("I Wayan Eselon Dua", {**g2021, "position": asisten, "tmt_jabatan": dt.date(2024, 1, 1)}),
        ("I Nyoman Eselon Tiga Awal", {**g2021, "position": kabag_a, "tmt_jabatan": dt.date(2020, 1, 1)}),
        (
            "Ni Ketut Eselon Tiga Baru",
            {**g2021, "position": kabag_b, "tmt_jabatan": dt.date(2022, 1, 1), "sex": "P"},
        ),
        ("I Putu Masa Kerja Panjang", {**plain, "tmt_cpns": dt.date(2000, 1, 1)}),
        ("Ni Kadek Magister", {**plain, "education_level": "S2", "sex": "P"}),
        ("I Komang Sarjana Tua", {**plain, "birth_date": dt.date(1978, 1, 1)}),
        ("Ni Komang Sarjana Muda", {**plain, "birth_date": dt.date(1982, 1, 1), "sex": "P"}),
        ("I Gede Subbagian", {"golongan": "III/b", "tmt_golongan": dt.date(2022, 4, 1)}),
    ]
    people = {}
    # NIPs descend along the expected order, so the technical NIP/name fallback would give the opposite.
    for index, (name, fields) in enumerate(specs):
        target = sub if name == "I Gede Subbagian" else unit
        nip = f"198001012005011{900 - index:03d}"
        people[name] = _employee(target, name, nip=nip, **fields)
    unit.head = people["I Made Kepala Uji"]
    unit.head_position = head_pos
    unit.save(update_fields=["head", "head_position"])
    excluded = [
        _employee(unit, "PPPK Tidak Masuk", employee_type=Employee.Type.PPPK, pppk_golongan="IX"),
        _employee(unit, "Honorer Tidak Masuk", employee_type=Employee.Type.NON_ASN),
        _employee(unit, "CPNS Tidak Masuk", employee_type=Employee.Type.CPNS, golongan="IV/e"),
        _employee(unit, "Pensiunan Tidak Masuk", golongan="IV/e", status=Employee.Status.PENSIUN),
        _employee(other, "Unit Lain Tidak Masuk", golongan="IV/e"),
    ]
    return unit, people, excluded


@pytest.mark.django_db
def test_duk_xlsx_orders_pns_by_every_pp_15_1979_criterion_and_leaves_out_non_pns(
    duk_unit, personas, client_as
):
    unit, _people, excluded = duk_unit
    rows = _sheet_rows(
        _download(client_as("kepegawaian"), "staff-duk", "xlsx", unit=unit.pk, on=DUK_ON.isoformat())
    )
    header, body = rows[0], rows[1:]
    assert header[:4] == ("No.", "Nama", "NIP", "Pangkat (Golongan/Ruang)")
    assert [r[1] for r in body] == DUK_ORDER
    assert [r[0] for r in body] == list(range(1, len(DUK_ORDER) + 1))
    assert not {e.name for e in excluded} & {r[1] for r in body}
    by_name = {r[1]: r for r in body}
    putu = by_name["I Putu Masa Kerja Panjang"]
    assert putu[3] == "Penata Tingkat I (III/d)"
    assert putu[4] == dt.datetime(2021, 4, 1)  # a real date cell
    assert (putu[8], putu[9]) == (26, 11)  # masa kerja from TMT CPNS 1 Jan 2000 to 31 Dec 2026
    assert putu[12] == 46  # usia on the DUK date
    assert by_name["I Wayan Eselon Dua"][6] == "II.a"


@pytest.mark.django_db
def test_duk_pdf_has_letterhead_title_unit_names_in_order_pangkat_and_signature(
    duk_unit, personas, client_as
):
    unit, people, _excluded = duk_unit
    text = _pdf_text(
        _download(client_as("kepegawaian"), "staff-duk", "pdf", unit=unit.pk, on=DUK_ON.isoformat())
    )
    assert "PEMERINTAH PROVINSI BALI" in text
    assert "DAFTAR URUT KEPANGKATAN" in text
    assert "Bagian Uji Kepegawaian" in text
    assert "Keadaan per 31 Desember 2026" in text
    positions = [text.index(name) for name in DUK_ORDER]
    assert positions == sorted(positions)
    assert "Penata Muda Tingkat I (III/b)" in text
    assert "Pembina (IV/a)" in text
    assert "PPPK Tidak Masuk" not in text and "CPNS Tidak Masuk" not in text
    # Signature block: place/date, head's office title, name, pangkat (golongan), NIP (domain.md §8.4).
    head = people["I Made Kepala Uji"]
    tail = text[text.rindex("Denpasar, 31 Desember 2026") :]
    assert "KEPALA BAGIAN UJI KEPEGAWAIAN," in tail
    assert head.name in tail and "Pembina (IV/a)" in tail
    assert "NIP. 19800101 200501 1 900" in tail
    assert "Halaman 1 dari" in text


@pytest.mark.django_db
def test_duk_without_a_head_prints_a_blank_signature_and_is_audited(duk_unit, personas, client_as):
    _unit, _people, _excluded = duk_unit
    sub = OrgUnit.objects.get(code="UJI.1")
    text = _pdf_text(_download(client_as("kepegawaian"), "staff-duk", "pdf", unit=sub.pk))
    assert "I Gede Subbagian" in text and "I Made Kepala Uji" not in text
    assert "KEPALA SUBBAGIAN UJI," in text and "NIP. ....." in text
    event = AuditEvent.objects.get(action="export.staff-duk")
    assert event.data["filters"] == {"unit": str(sub.pk)}


# --- Staff list -------------------------------------------------------------------------------------


def _cells(rows: list[tuple]) -> list[str]:
    return [str(v) for row in rows for v in row if v is not None]


@pytest.mark.django_db
def test_staff_list_export_honours_the_list_filters(duk_unit, personas, client_as):
    unit, _people, _excluded = duk_unit
    client = client_as("kepegawaian")
    rows = _sheet_rows(_download(client, "staff-list", "xlsx", unit=unit.pk, employee_type="PNS"))
    expected = Employee.objects.filter(unit__path__startswith=unit.path, employee_type="PNS")
    assert sorted(r[1] for r in rows[1:]) == sorted(e.name_with_titles for e in expected)
    assert "Unit Lain Tidak Masuk" not in {r[1] for r in rows[1:]}

    rows = _sheet_rows(_download(client, "staff-list", "xlsx", q="Honorer"))
    assert [r[1] for r in rows[1:]] == ["Honorer Tidak Masuk"]
    assert rows[1][2] == "Non-ASN"

    rows = _sheet_rows(_download(client, "staff-list", "xlsx", golongan="III/b", sort="nama"))
    assert {r[3] for r in rows[1:]} == {"Penata Muda Tingkat I (III/b)"}

    # An invalid filter value is ignored, as on the list page: everyone the user may list.
    rows = _sheet_rows(_download(client, "staff-list", "xlsx", employee_type="BOGUS"))
    assert len(rows) - 1 == Employee.objects.count()


@pytest.mark.django_db
def test_staff_list_masks_nik_by_default_in_xlsx_csv_and_pdf(personas, client_as):
    client = client_as("kepegawaian")
    nik = personas["pegawai"].employee.nik
    assert NIK_RE.fullmatch(nik)
    rows = _sheet_rows(_download(client, "staff-list", "xlsx"))
    assert rows[0][7] == "NIK"
    assert not [c for c in _cells(rows) if NIK_RE.search(c)]
    assert "*" * 12 + nik[-4:] in _cells(rows)
    csv_text = _download(client, "staff-list", "csv").decode("utf-8-sig")
    assert not NIK_RE.search(csv_text)
    pdf = _download(client, "staff-list", "pdf")
    assert not NIK_RE.search(_pdf_text(pdf))
    assert not NIK_RE.search(pdf.decode("latin-1"))


@pytest.mark.django_db
def test_staff_list_shows_full_nik_only_to_full_access_on_request(personas, client_as):
    nik = personas["pegawai"].employee.nik
    rows = _sheet_rows(_download(client_as("kepegawaian"), "staff-list", "xlsx", pribadi="1"))
    assert nik in _cells(rows)
    event = AuditEvent.objects.get(action="export.staff-list")
    assert event.data["filters"] == {"pribadi": "1"}

    # Pimpinan may list everyone (RECORD) but not see personal data: the request is ignored.
    rows = _sheet_rows(_download(client_as("pimpinan"), "staff-list", "xlsx", pribadi="1"))
    assert not [c for c in _cells(rows) if NIK_RE.search(c)]
    pdf = _download(client_as("pimpinan"), "staff-list", "pdf", pribadi="1")
    assert not NIK_RE.search(_pdf_text(pdf))


@pytest.mark.django_db
def test_staff_list_pdf_describes_the_filters(duk_unit, personas, client_as):
    unit, _people, _excluded = duk_unit
    text = _pdf_text(
        _download(client_as("kepegawaian"), "staff-list", "pdf", unit=unit.pk, employee_type="PNS")
    )
    assert "Daftar Pegawai" in text
    assert "Bagian Uji Kepegawaian" in text and "PNS" in text
    assert "Ni Luh Senior" in text and "Honorer Tidak Masuk" not in text


# --- Composition recap ------------------------------------------------------------------------------


def _recap_sheet(content: bytes, name: str) -> dict[str, tuple]:
    rows = _sheet_rows(content, name)
    return {r[0]: tuple(r[1:]) for r in rows[1:]}


@pytest.mark.django_db
def test_recap_counts_match_the_database(duk_unit, personas, client_as):
    unit, _people, _excluded = duk_unit
    content = _download(client_as("kepegawaian"), "staff-recap", "xlsx", unit=unit.pk)
    active = Employee.objects.filter(unit__path__startswith=unit.path, status="aktif")
    book = load_workbook(io.BytesIO(content), read_only=True)
    assert book.sheetnames == [
        "Golongan",
        "Golongan PPPK",
        "Jenis Pegawai",
        "Jenis Kelamin",
        "Pendidikan",
        "Unit Kerja",
    ]

    golongan = _recap_sheet(content, "Golongan")
    for code, label in (("III/d", "Penata Tingkat I (III/d)"), ("IV/e", "Pembina Utama (IV/e)")):
        pns = active.filter(golongan=code)
        assert golongan[label] == (
            pns.filter(sex="L").count(),
            pns.filter(sex="P").count(),
            pns.count(),
        )
    assert golongan["Jumlah"][2] == active.filter(employee_type__in=["PNS", "CPNS"]).count()

    types = _recap_sheet(content, "Jenis Pegawai")
    for code, label in Employee.Type.choices:
        assert types[str(label)][2] == active.filter(employee_type=code).count()
    assert types["Jumlah"][2] == active.count()

    sexes = _recap_sheet(content, "Jenis Kelamin")
    women = active.filter(sex="P").count()
    assert sexes["Perempuan"][0] == women
    assert sexes["Perempuan"][1] == pytest.approx(round(100 * women / active.count(), 2))

    education = _recap_sheet(content, "Pendidikan")
    assert education["S-2"][2] == active.filter(education_level="S2").count()
    assert education["S-1"][2] == active.filter(education_level="S1").count()

    units = _recap_sheet(content, "Unit Kerja")
    assert units["Subbagian Uji"][2] == active.filter(unit__code="UJI.1").count() == 1
    assert units["Bagian Uji Kepegawaian"][2] == active.filter(unit=unit).count()
    assert "Bagian Lain" not in units
    assert "Pensiunan Tidak Masuk" not in str(units)


@pytest.mark.django_db
def test_recap_pdf_has_every_table(duk_unit, personas, client_as):
    unit, _people, _excluded = duk_unit
    text = _pdf_text(_download(client_as("kepegawaian"), "staff-recap", "pdf", unit=unit.pk))
    assert "REKAPITULASI KOMPOSISI PEGAWAI" in text
    for heading in (
        "Menurut Golongan/Ruang",
        "Menurut Golongan PPPK",
        "Menurut Jenis Pegawai",
        "Menurut Jenis Kelamin",
        "Menurut Pendidikan",
        "Menurut Unit Kerja",
    ):
        assert heading in text
    assert "Penata Tingkat I (III/d)" in text and "Subbagian Uji" in text


# --- Reminders --------------------------------------------------------------------------------------

ON = dt.date(2026, 6, 15)


@pytest.fixture
def reminder_unit(db):
    unit = _unit("PENGINGAT", "Bagian Pengingat")
    staff_post = _position(unit, "Pengadministrasi", bup=58)
    due = {
        "pensiun": _employee(unit, "Akan Pensiun", position=staff_post, birth_date=dt.date(1968, 9, 10)),
        "kgb": _employee(unit, "KGB Segera", tmt_kgb=dt.date(2024, 8, 1)),
        "kenaikan_pangkat": _employee(unit, "Layak Naik Pangkat", tmt_golongan=dt.date(2022, 4, 1)),
        "kontrak": _employee(
            unit,
            "Kontrak Habis",
            employee_type=Employee.Type.PPPK,
            pppk_golongan="IX",
            contract_end=dt.date(2026, 7, 31),
        ),
    }
    not_due = [
        _employee(unit, "Pensiun Masih Lama", position=staff_post, birth_date=dt.date(1969, 8, 10)),
        _employee(unit, "KGB Masih Lama", tmt_kgb=dt.date(2024, 10, 1)),
        _employee(unit, "Belum Empat Tahun", tmt_golongan=dt.date(2023, 4, 1)),
        _employee(
            unit, "CPNS Belum Bisa", employee_type=Employee.Type.CPNS, tmt_golongan=dt.date(2018, 4, 1)
        ),
        _employee(unit, "Sudah Puncak", golongan="IV/e", tmt_golongan=dt.date(2018, 4, 1)),
        _employee(
            unit,
            "Kontrak Masih Lama",
            employee_type=Employee.Type.PPPK,
            pppk_golongan="IX",
            contract_end=dt.date(2026, 12, 31),
        ),
        _employee(
            unit,
            "Sudah Pensiun",
            status=Employee.Status.PENSIUN,
            position=staff_post,
            birth_date=dt.date(1968, 9, 10),
            tmt_kgb=dt.date(2024, 8, 1),
        ),
    ]
    return unit, due, not_due


@pytest.mark.django_db
def test_reminders_list_exactly_the_people_due_in_each_window(reminder_unit, personas):
    unit, due, _not_due = reminder_unit
    found = staff_reminders(personas["kepegawaian"], on=ON, unit=unit)
    assert {(r.kind, r.employee.name) for r in found} == {(kind, e.name) for kind, e in due.items()}
    by_kind = {r.kind: r for r in found}
    assert by_kind["pensiun"].due_date == dt.date(2026, 10, 1)  # 1st of the month after turning 58
    assert by_kind["kgb"].due_date == dt.date(2026, 8, 1)
    assert by_kind["kenaikan_pangkat"].due_date == dt.date(2026, 4, 1)
    assert by_kind["kenaikan_pangkat"].overdue  # eligible since April: still to be processed
    assert by_kind["kontrak"].due_date == dt.date(2026, 7, 31) and not by_kind["kontrak"].overdue
    assert [r.due_date for r in found] == sorted(r.due_date for r in found)

    only = staff_reminders(personas["kepegawaian"], on=ON, unit=unit.pk, kinds=["kgb", "kontrak"])
    assert {r.kind for r in only} == {"kgb", "kontrak"}


@pytest.mark.django_db
def test_reminder_query_parses_the_page_parameters(reminder_unit):
    unit, _due, _not_due = reminder_unit
    query = reminder_query({"on": "2026-06-15", "kind": "kgb,nonsense", "unit": str(unit.pk)})
    assert (query.on, query.kinds, query.unit) == (ON, (ReminderKind.KGB,), unit)
    fallback = reminder_query({"on": "kemarin", "kind": "", "unit": "x"})
    assert fallback.kinds == tuple(ReminderKind.values) and fallback.unit is None


@pytest.mark.django_db
def test_reminders_export_contains_the_right_people(reminder_unit, personas, client_as):
    unit, due, not_due = reminder_unit
    client = client_as("kepegawaian")
    rows = _sheet_rows(_download(client, "staff-reminders", "xlsx", unit=unit.pk, on=ON.isoformat()))
    assert rows[0][:3] == ("Jenis Pengingat", "Jatuh Tempo", "Nama")
    assert {(r[0], r[2]) for r in rows[1:]} == {
        ("Pensiun", due["pensiun"].name),
        ("Kenaikan gaji berkala", due["kgb"].name),
        ("Kenaikan pangkat", due["kenaikan_pangkat"].name),
        ("Akhir kontrak", due["kontrak"].name),
    }
    assert not {e.name for e in not_due} & {r[2] for r in rows[1:]}

    text = _pdf_text(
        _download(client, "staff-reminders", "pdf", unit=unit.pk, on=ON.isoformat(), kind="pensiun")
    )
    assert "Pengingat Kepegawaian" in text and "Per 15 Juni 2026" in text
    assert "Akan Pensiun" in text and "1 Oktober 2026" in text
    assert "KGB Segera" not in text


# --- Daftar Riwayat Hidup ---------------------------------------------------------------------------


@pytest.fixture
def drh_histories(personas):
    employee = personas["pegawai"].employee
    RankHistory.objects.create(
        employee=employee, golongan="III/a", tmt=dt.date(2016, 4, 1), sk_number="SK-PANGKAT-1"
    )
    RankHistory.objects.create(
        employee=employee, golongan="III/b", tmt=dt.date(2020, 4, 1), sk_number="SK-PANGKAT-2"
    )
    PositionHistory.objects.create(
        employee=employee,
        position_name="Pengadministrasi Umum",
        unit_name="Subbagian Keuangan",
        tmt=dt.date(2016, 1, 1),
    )
    EducationHistory.objects.create(
        employee=employee,
        level="S1",
        major="Manajemen",
        institution="Universitas Udayana",
        graduation_year=2012,
    )
    KgbHistory.objects.create(
        employee=employee, tmt=dt.date(2024, 1, 1), salary="3250000", masa_kerja_years=8, sk_number="KGB-08"
    )
    return employee


@pytest.mark.django_db
def test_drh_pdf_has_identity_histories_and_full_nik_for_the_operator(drh_histories, client_as):
    employee = drh_histories
    text = _pdf_text(_download(client_as("kepegawaian"), "staff-drh", "pdf", pegawai=employee.pk))
    assert "DAFTAR RIWAYAT HIDUP" in text and "PEMERINTAH PROVINSI BALI" in text
    assert employee.name in text
    assert employee.nik in text
    for expected in (
        "Penata Muda (III/a)",
        "Penata Muda Tingkat I (III/b)",
        "SK-PANGKAT-2",
        "Pengadministrasi Umum",
        "Universitas Udayana",
        "Rp3.250.000",
        "8 tahun",
    ):
        assert expected in text


@pytest.mark.django_db
def test_drh_masks_personal_data_without_full_access(drh_histories, client_as):
    employee = drh_histories
    for persona in ("atasan", "pimpinan"):  # RECORD access: histories yes, personal data no
        content = _download(client_as(persona), "staff-drh", "pdf", pegawai=employee.pk)
        text = _pdf_text(content)
        assert "Universitas Udayana" in text
        assert not NIK_RE.search(text) and not NIK_RE.search(content.decode("latin-1"))
        assert "*" * 12 + employee.nik[-4:] in text
        assert employee.address not in text


@pytest.mark.django_db
def test_own_drh_is_the_default_and_shows_own_personal_data(drh_histories, client_as):
    employee = drh_histories
    text = _pdf_text(_download(client_as("pegawai"), "staff-drh", "pdf"))
    assert employee.name in text and employee.nik in text and "Universitas Udayana" in text
    event = AuditEvent.objects.get(action="export.staff-drh")
    assert event.data["filters"] == {}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs", "query", "persona", "expected"), QUERY_ROWS)
def test_report_object_access(client_as, personas, name, kwargs, query, persona, expected):
    data = {
        key: str(personas[value[1:]].employee.pk) if str(value).startswith("@") else value
        for key, value in query.items()
    }
    response = client_as(persona).get(reverse(name, kwargs=kwargs), data)
    assert response.status_code == expected, f"{persona} {data}"
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


# --- Query counts -----------------------------------------------------------------------------------


def _queries(identifier: str, fmt: str, user_pk: int, form_data: dict) -> int:
    """Queries of a warm run: derived data cached per version of its tables (permission sets, filter
    choices: situok/derived.py) is filled by a first run, since the rows added in between bump it."""
    for _warm_then_measured in range(2):
        user = get_user_model().objects.get(pk=user_pk)  # fresh: no per-request permission cache
        with CaptureQueriesContext(connection) as ctx:
            result = get_exporter(identifier).render(form_data, user=user, fmt=fmt)
            result.file.close()
    return len(ctx.captured_queries)


EXPORTS = [
    ("staff-list", "xlsx", {"unit": "{unit}", "employee_type": "PNS"}),
    ("staff-list", "pdf", {}),
    ("staff-duk", "xlsx", {"unit": "{unit}"}),
    ("staff-duk", "pdf", {"unit": "{unit}"}),
    ("staff-recap", "xlsx", {"unit": "{unit}"}),
    ("staff-recap", "pdf", {}),
    ("staff-reminders", "xlsx", {"unit": "{unit}", "on": "2026-06-15"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("identifier", "fmt", "form_data"), EXPORTS)
def test_export_query_count_does_not_grow_with_rows(personas, identifier, fmt, form_data):
    unit = _unit("BANYAK", "Bagian Banyak Pegawai")
    sub = _unit("BANYAK.1", "Subbagian Banyak", parent=unit, kind="subbagian")
    post = _position(sub, "Kepala Seksi", "IV.a", "PENGAWAS")
    data = {k: v.format(unit=unit.pk) for k, v in form_data.items()}
    user_pk = personas["kepegawaian"].pk

    def add(count: int) -> None:
        for i in range(count):
            _employee(
                sub if i % 2 else unit,
                f"Pegawai Banyak {next(_serial)}",
                position=post if i % 3 == 0 else None,
                sex="LP"[i % 2],
                birth_date=dt.date(1968, 9, 10),  # due for retirement: reminders are built too
                tmt_kgb=dt.date(2024, 8, 1),
            )

    add(5)
    few = _queries(identifier, fmt, user_pk, data)
    add(45)
    assert _queries(identifier, fmt, user_pk, data) == few


@pytest.mark.django_db
def test_drh_query_count_does_not_grow_with_history(drh_histories, personas):
    employee = drh_histories
    data = {"pegawai": str(employee.pk)}
    user_pk = personas["kepegawaian"].pk
    few = _queries("staff-drh", "pdf", user_pk, data)
    for year in range(2000, 2010):
        RankHistory.objects.create(employee=employee, golongan="II/a", tmt=dt.date(year, 4, 1))
        KgbHistory.objects.create(employee=employee, tmt=dt.date(year, 1, 1))
    assert _queries("staff-drh", "pdf", user_pk, data) == few


# --- Reports page -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reports_page_links_each_download_with_the_chosen_unit(duk_unit, client_as):
    unit, _people, _excluded = duk_unit
    client = client_as("kepegawaian")
    response = client.get(reverse("staff:reports"), {"unit": unit.pk, "on": "2026-12-31"})
    assert response.status_code == 200
    html = response.content.decode()
    duk_xlsx = reverse("export_download", args=["staff-duk", "xlsx"])
    assert f'href="{duk_xlsx}?unit={unit.pk}&amp;on=2026-12-31"' in html
    recap_pdf = reverse("export_download", args=["staff-recap", "pdf"])
    assert f'href="{recap_pdf}?unit={unit.pk}"' in html  # the recap takes no date
    for identifier in ("staff-list", "staff-duk", "staff-recap", "staff-reminders", "staff-drh"):
        assert f'data-testid="report-{identifier}"' in html
    # Every link on the page works.
    for href in re.findall(r'href="(/ekspor/[^"]+)"', html):
        assert client.get(href.replace("&amp;", "&")).status_code == 200, href


@pytest.mark.django_db
def test_reports_page_without_filters_and_with_a_bad_unit(client_as, personas):
    client = client_as("pimpinan")
    html = client.get(reverse("staff:reports")).content.decode()
    assert f'href="{reverse("export_download", args=["staff-duk", "pdf"])}"' in html
    response = client.get(reverse("staff:reports"), {"unit": "999999"})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), [("kepegawaian", 200), ("pegawai", 403), ("atasan", 403)])
def test_reports_page_is_for_staff_viewers(client_as, persona, expected):
    assert client_as(persona).get(reverse("staff:reports")).status_code == expected


@pytest.mark.django_db
def test_reports_page_redirects_anonymous_users_to_login(client):
    response = client.get(reverse("staff:reports"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
