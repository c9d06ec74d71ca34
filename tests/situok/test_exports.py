"""The export kit: exporter contract and registry, XLSX/CSV/PDF writers, formula-injection defence."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from openpyxl import load_workbook
from pypdf import PdfReader

from situok.exports import (
    BaseExporter,
    Column,
    ExportResult,
    ListExporter,
    exporters,
    get_exporter,
    neutralise,
    register,
)
from situok.exports.pdf import BasePDF, ListPDF, qr_flowable, write_pdf
from situok.exports.xlsx import sheet_name, write_xlsx

INSTITUTION = {
    "government": "PEMERINTAH PROVINSI BALI",
    "office": "SEKRETARIAT DAERAH",
    "unit": "BIRO UMUM DAN PROTOKOL",
    "address": "Jl. Basuki Rahmat, Niti Mandala Renon, Denpasar",
    "contact": "Telp. (0361) 000000",
    "city": "Denpasar",
    "logo": "",
}

FORMULA_PAYLOADS = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]

COLUMNS = (
    Column("name", "Nama", "text", 30),
    Column("count", "Jumlah", "int", 8),
    Column("ratio", "Rasio", "decimal", 8),
    Column("cost", "Biaya", "money", 16),
    Column("day", "Tanggal", "date", 14),
    Column("at", "Waktu", "datetime", 18),
    Column("active", "Aktif", "bool", 6),
)

# 00:30 UTC is 08:30 WITA.
AWARE = dt.datetime(2026, 11, 22, 0, 30, tzinfo=dt.UTC)
DAY = dt.date(2026, 11, 22)


def sample_rows():
    for index, payload in enumerate(FORMULA_PAYLOADS):
        yield (payload, index, Decimal("12.5"), Decimal("1250000"), DAY, AWARE, index % 2 == 0)
    yield ("Negatif", -5, Decimal("-0.25"), Decimal("-480000"), None, None, None)
    yield ("Tag <b>&amp;</b>", None, None, None, None, None, False)


class SampleExporter(ListExporter):
    """Not registered: the registry stays as the application built it."""

    identifier = "uji-ekspor"
    verbose_name = "Uji ekspor"
    title = "Daftar Uji Ekspor"
    columns = COLUMNS

    def __init__(self, rows=None):
        self._rows = rows

    def rows(self, form_data, *, user):
        return self._rows if self._rows is not None else sample_rows()

    def subtitle(self, form_data):
        return f"Filter: {form_data.get('q', 'semua')}"


@pytest.fixture(autouse=True)
def institution(settings):
    settings.SITUOK_INSTITUTION = dict(INSTITUTION)
    return settings.SITUOK_INSTITUTION


class FakeUser:
    def __init__(self, *perms):
        self.perms = set(perms)

    def has_perm(self, perm):
        return perm in self.perms


def pdf_pages(file):
    return [page.extract_text() for page in PdfReader(file).pages]


# --- neutralise -----------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_neutralise_prefixes_formula_triggers_with_a_quote(payload):
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize(
    "value", ["Denpasar", "", "a=b", " =1", 5, -5, Decimal("-1.5"), DAY, AWARE, None, True, 2.5]
)
def test_neutralise_leaves_other_values_alone(value):
    assert neutralise(value) is value


# --- contract and registry ------------------------------------------------------------------------


def test_column_rejects_an_unknown_kind():
    with pytest.raises(ImproperlyConfigured):
        Column("x", "X", "currency")


def test_register_rejects_a_duplicate_identifier():
    class First(SampleExporter):
        identifier = "uji-duplikat-ekspor"

    class Second(SampleExporter):
        identifier = "uji-duplikat-ekspor"

    try:
        assert register(First) is First
        assert get_exporter("uji-duplikat-ekspor").__class__ is First
        with pytest.raises(ImproperlyConfigured, match="uji-duplikat-ekspor"):
            register(Second)
        assert exporters["uji-duplikat-ekspor"] is First
    finally:
        exporters.pop("uji-duplikat-ekspor", None)


@pytest.mark.parametrize("identifier", ["", "Bukan Slug", "a/b"])
def test_register_rejects_identifiers_that_are_not_slugs(identifier):
    class Bad(SampleExporter):
        pass

    Bad.identifier = identifier
    with pytest.raises(ImproperlyConfigured):
        register(Bad)
    assert identifier not in exporters


def test_get_exporter_raises_key_error_for_unknown_identifiers():
    with pytest.raises(KeyError):
        get_exporter("tidak-ada-ekspor-ini")


def test_available_for_checks_the_permission():
    exporter = SampleExporter()
    assert exporter.available_for(FakeUser())
    exporter.permission = "travel.export_trip"
    assert not exporter.available_for(FakeUser())
    assert exporter.available_for(FakeUser("travel.export_trip"))


def test_base_exporter_is_abstract():
    with pytest.raises(TypeError):
        BaseExporter()


def test_render_rejects_a_format_the_exporter_does_not_offer():
    with pytest.raises(ValueError):
        SampleExporter().render({}, user=FakeUser(), fmt="docx")


def test_filename_is_the_identifier_and_the_wita_time():
    assert SampleExporter().filename("xlsx", now=AWARE) == "uji-ekspor-20261122-0830.xlsx"


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "text/csv; charset=utf-8"),
        ("pdf", "application/pdf"),
    ],
)
def test_render_returns_an_open_file_at_position_zero(fmt, content_type):
    result = SampleExporter().render({}, user=FakeUser(), fmt=fmt)
    with result.file:
        assert isinstance(result, ExportResult)
        assert re.fullmatch(rf"uji-ekspor-\d{{8}}-\d{{4}}\.{fmt}", result.filename)
        assert result.content_type == content_type
        assert result.file.tell() == 0
        assert result.file.read(4)


# --- XLSX -----------------------------------------------------------------------------------------


@pytest.fixture
def sheet():
    result = SampleExporter().render({}, user=FakeUser(), fmt="xlsx")
    with result.file:
        workbook = load_workbook(io.BytesIO(result.file.read()), read_only=False)
    return workbook.active


def test_xlsx_header_is_bold_frozen_and_filtered(sheet):
    assert [cell.value for cell in sheet[1]] == [str(column.label) for column in COLUMNS]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:G{len(FORMULA_PAYLOADS) + 3}"
    assert sheet.title == "Daftar Uji Ekspor"
    assert sheet.column_dimensions["A"].width == pytest.approx(30, abs=1)


def test_xlsx_never_writes_formulas(sheet):
    for row, payload in enumerate(FORMULA_PAYLOADS, start=2):
        cell = sheet.cell(row=row, column=1)
        assert cell.data_type == "s"
        assert cell.value.startswith("'")
        # Tab and carriage return come back as escaped text; the visible payload must survive.
        assert payload.strip() in cell.value
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_xlsx_keeps_numbers_and_dates_typed(sheet):
    first = {column.key: sheet.cell(row=2, column=index) for index, column in enumerate(COLUMNS, start=1)}
    assert isinstance(first["count"].value, int)
    assert first["ratio"].value == pytest.approx(12.5)
    assert first["cost"].value == 1250000
    assert "Rp" in first["cost"].number_format
    assert first["day"].value == dt.datetime(2026, 11, 22)
    assert first["day"].number_format == "dd/mm/yyyy"
    assert first["at"].value == dt.datetime(2026, 11, 22, 8, 30)  # WITA wall-clock time
    assert first["at"].number_format == "dd/mm/yyyy hh:mm"
    assert first["active"].value == "Ya"

    negative = {column.key: sheet.cell(row=8, column=index) for index, column in enumerate(COLUMNS, start=1)}
    assert negative["name"].value == "Negatif"
    assert negative["count"].value == -5
    assert negative["ratio"].value == pytest.approx(-0.25)
    assert negative["cost"].value == -480000
    assert negative["day"].value is None
    assert negative["active"].value is None


def test_xlsx_sheet_names_are_valid():
    assert sheet_name("Rekap: Perjalanan [Dinas] / 2026 * semua bidang?") == "Rekap Perjalanan Dinas  2026  s"
    assert len(sheet_name("x" * 50)) == 31
    assert sheet_name("///") == "Data"


def test_xlsx_streams_large_exports_to_a_real_file():
    def many_rows():
        for index in range(20_000):
            yield (f"Pegawai {index}", index, Decimal("1.5"), Decimal(index * 1000), DAY, AWARE, True)

    file = write_xlsx("Besar", COLUMNS, many_rows())
    with file:
        assert file.fileno() >= 0
        assert file.tell() == 0
        assert file.read(2) == b"PK"


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_iso_dates_and_neutralised_text():
    result = SampleExporter().render({}, user=FakeUser(), fmt="csv")
    with result.file:
        raw = result.file.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Nama", "Jumlah", "Rasio", "Biaya", "Tanggal", "Waktu", "Aktif"]
    assert [row[0] for row in rows[1:7]] == ["'" + payload for payload in FORMULA_PAYLOADS]
    assert rows[1][1:] == ["0", "12.5", "1250000", "2026-11-22", "2026-11-22 08:30", "Ya"]
    assert rows[7] == ["Negatif", "-5", "-0.25", "-480000", "", "", ""]
    assert rows[8] == ["Tag <b>&amp;</b>", "", "", "", "", "", "Tidak"]


def test_csv_streams_large_exports_to_a_real_file():
    from situok.exports.csv import write_csv

    file = write_csv(COLUMNS, ((f"Pegawai {i}", i, None, None, None, None, None) for i in range(20_000)))
    with file:
        assert file.fileno() >= 0
        assert file.read().count(b"\r\n") == 20_001


# --- PDF ------------------------------------------------------------------------------------------


def test_pdf_has_letterhead_title_and_indonesian_formatting():
    result = SampleExporter().render({"q": "Denpasar"}, user=FakeUser(), fmt="pdf")
    with result.file:
        pages = pdf_pages(result.file)
    assert len(pages) == 1
    text = pages[0]
    for line in (
        "PEMERINTAH PROVINSI BALI",
        "SEKRETARIAT DAERAH",
        "BIRO UMUM DAN PROTOKOL",
        "Jl. Basuki Rahmat",
    ):
        assert line in text
    assert "Daftar Uji Ekspor" in text
    assert "Filter: Denpasar" in text
    assert "Halaman 1 dari 1" in text
    assert re.search(r"Dicetak pada \d{1,2} \w+ \d{4} pukul \d\d\.\d\d WITA", text)
    assert "Rp1.250.000" in text
    assert "(Rp480.000)" in text
    assert "22 November 2026" in text
    assert "22 November 2026 08.30" in text
    assert "Ya" in text
    assert "Tidak" in text
    assert "Tag <b>&amp;</b>" in text  # escaped, not interpreted as markup
    assert '=HYPERLINK("http://x")' in text


def test_pdf_escapes_markup_in_wrapped_cells():
    long_text = "<i>miring</i> & <b>tebal</b> " + "kata " * 60
    file = write_pdf("Uji", [Column("t", "Teks", "text")], [(long_text,)])
    with file:
        text = pdf_pages(file)[0]
    assert "<i>miring</i>" in text
    assert "<b>tebal</b>" in text


def test_long_pdf_lists_put_the_letterhead_on_page_one_only():
    rows = [(f"Pegawai {i:03d}", i, Decimal("1.5"), Decimal(i * 1000), DAY, AWARE, True) for i in range(300)]
    file = write_pdf("Daftar Panjang", COLUMNS, rows, subtitle="Semua unit")
    with file:
        pages = pdf_pages(file)
    count = len(pages)
    assert count > 1
    assert "PEMERINTAH PROVINSI BALI" in pages[0]
    assert f"Halaman 1 dari {count}" in pages[0]
    assert f"Halaman 2 dari {count}" in pages[1]
    for page in pages[1:]:
        assert "PEMERINTAH PROVINSI BALI" not in page
        assert "BIRO UMUM DAN PROTOKOL" not in page
        assert "Nama" in page  # the header row repeats on every page
    all_text = "\n".join(pages)
    assert "Pegawai 000" in all_text
    assert "Pegawai 299" in all_text


def test_wide_lists_are_landscape_and_narrow_lists_portrait():
    wide = ListPDF("Lebar", [Column(str(i), str(i)) for i in range(7)], [])
    narrow = ListPDF("Sempit", [Column(str(i), str(i)) for i in range(6)], [])
    assert wide.pagesize[0] > wide.pagesize[1]
    assert narrow.pagesize[0] < narrow.pagesize[1]


def test_empty_pdf_list_says_there_is_no_data():
    file = write_pdf("Kosong", COLUMNS, iter(()))
    with file:
        assert "Tidak ada data." in pdf_pages(file)[0]


def test_pdf_letterhead_draws_the_logo_when_the_file_exists(institution, tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 40), "red").save(logo)
    institution["logo"] = str(logo)
    with_logo = write_pdf("Logo", COLUMNS, sample_rows())
    institution["logo"] = str(tmp_path / "missing.png")
    without_logo = write_pdf("Logo", COLUMNS, sample_rows())
    with with_logo, without_logo:
        assert PdfReader(with_logo).pages[0].images
        assert not PdfReader(without_logo).pages[0].images


def test_base_pdf_renders_bytes_with_a_qr_code():
    class Stamp(BasePDF):
        title = "Surat Uji"

        def _story(self):
            return [qr_flowable("https://situok.example/verifikasi/abc", size_mm=22)]

    data = Stamp(generated_at=AWARE).render()
    assert data.startswith(b"%PDF")
    text = pdf_pages(io.BytesIO(data))[0]
    assert "BIRO UMUM DAN PROTOKOL" in text
    assert "Dicetak pada 22 November 2026 pukul 08.30 WITA" in text
    assert "Halaman 1 dari 1" in text


def test_qr_flowable_has_the_requested_size():
    drawing = qr_flowable("https://situok.example/v/1", size_mm=30)
    assert drawing.width == pytest.approx(30 * 72 / 25.4)
    assert drawing.height == drawing.width


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "pdf"])
def test_an_error_while_reading_rows_propagates(fmt):
    def failing_rows():
        yield ("Pegawai", 1, None, None, None, None, None)
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError, match="database went away"):
        SampleExporter(rows=failing_rows()).render({}, user=FakeUser(), fmt=fmt)
