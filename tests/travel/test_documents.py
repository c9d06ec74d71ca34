"""Official travel PDFs (issue #5 items 6 and 8): SPT, SPPD front and back, rincian biaya, kuitansi,
DPR and the trip report — every required label and value in the text, QR verification, BATAL on
cancellation, deterministic bytes, print audit and the download responses."""

from __future__ import annotations

import hashlib
import io
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.template.loader import render_to_string
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from matrix_travel_documents import (
    SPT_NUMBER,
    add_after_trip_data,
    build_numbered_trip,
    lead_sppd,
)
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table

from situok.audit import AuditEvent
from situok.formats import nip_display, tanggal
from situok.verification import DocumentSeal
from travel import pdf
from travel.models import Sppd, SppdStop, Trip, TripExpense, TripReport, TripReportFile
from travel.pdf import base as pdf_base
from travel.pdf.layout import JUSTIFY, Grid, Painter, Text, TextStyle, wrap_text
from travel.signals import trip_cancelled

pytestmark = pytest.mark.django_db

NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
TOKEN = re.compile(r"Token verifikasi: (\S+)")


def pdf_pages(content: bytes) -> list[str]:
    """Text of each page, whitespace collapsed (table cells and wrapped lines become single spaces)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    return " ".join(pdf_pages(content))


def download(client, name: str, pk: int):
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200, response.status_code
    return response


@pytest.fixture
def trip(personas):
    trip = build_numbered_trip(personas)
    add_after_trip_data(trip, personas)
    return trip


def test_spt_prints_dasar_kepada_untuk_and_the_signer_with_prefix(client_as, personas, trip):
    response = download(client_as("pegawai"), "travel:spt_pdf", trip.pk)
    text = pdf_text(response.content)
    pegawai, honorer = personas["pegawai"].employee, personas["honorer"].employee
    for expected in (
        "SURAT PERINTAH TUGAS",
        f"Nomor : {SPT_NUMBER}",
        "Dasar",
        "1. Peraturan Gubernur Bali tentang Perjalanan Dinas",
        "2. Undangan Dinas Kominfo Kabupaten Buleleng Nomor 005/123/Kominfo",
        "MEMERINTAHKAN:",
        "Kepada",
        "No. Nama NIP Pangkat/Gol. Jabatan",
        pegawai.name,
        nip_display(pegawai.nip),
        honorer.name,
        "Untuk",
        "Koordinasi penyelenggaraan upacara Hari Jadi Provinsi Bali",
        "Tempat tujuan: Kantor Bupati Buleleng, Kabupaten Buleleng",
        "3 (tiga) hari, tanggal 1 Juni 2026 s.d. 3 Juni 2026",
        "Alat angkutan: Kendaraan dinas",
        "kode rekening 5.1.02.04.01.0001",
        "Dikeluarkan di : Denpasar",
        "Pada tanggal : 28 Mei 2026",
        "a.n. SEKRETARIS DAERAH PROVINSI BALI KEPALA BIRO UMUM DAN PROTOKOL,",
        "I Made Sudarsana, S.H., M.Si.",
        "Pembina Tingkat I (IV/b)",
        "NIP. 19700101 199503 1 001",
    ):
        assert expected in text, expected
    # The non-ASN follower has no NIP and the paper shows no NIK of anyone.
    assert honorer.nik and honorer.nik not in text
    assert not NIK.search(text)
    assert "BATAL" not in text


def test_sppd_front_has_items_1_to_10_and_the_back_has_visum_blocks(client_as, personas, trip):
    sppd = lead_sppd(trip)
    response = download(client_as("pegawai"), "travel:sppd_pdf", sppd.pk)
    front, back = pdf_pages(response.content)
    pegawai, honorer = personas["pegawai"].employee, personas["honorer"].employee
    for expected in (
        "Lembar ke",
        "Kode No.",
        f"Nomor : {sppd.number}",
        "SURAT PERINTAH PERJALANAN DINAS (SPPD)",
        "1. Pejabat Pembuat Komitmen Pejabat Pembuat Komitmen (I Nyoman Darmaja, S.E.)",
        "2. Nama/NIP Pegawai yang melaksanakan perjalanan dinas",
        f"{pegawai.name} NIP. {nip_display(pegawai.nip)}",
        "3. a. Pangkat dan Golongan b. Jabatan/Instansi c. Tingkat Biaya Perjalanan Dinas",
        "c. Tingkat E",
        "4. Maksud Perjalanan Dinas Koordinasi penyelenggaraan upacara Hari Jadi Provinsi Bali",
        "5. Alat angkutan yang dipergunakan Kendaraan dinas",
        "6. a. Tempat berangkat b. Tempat tujuan a. Kota Denpasar b. Kantor Bupati Buleleng, Kabupaten Buleleng",
        "7. a. Lamanya Perjalanan Dinas b. Tanggal berangkat c. Tanggal harus kembali/tiba di tempat baru",
        "a. 3 (tiga) hari b. 1 Juni 2026 c. 3 Juni 2026",
        "8. Pengikut: Nama Tanggal Lahir Keterangan",
        honorer.name,
        "9. Pembebanan Anggaran a. Instansi b. Akun",
        "b. 5.1.02.04.01.0001 Belanja Perjalanan Dinas Biasa",
        "10. Keterangan lain-lain Membawa surat tugas asli",
        "Dikeluarkan di : Denpasar",
        "Tanggal : 28 Mei 2026",
        "NIP. 19750505 200003 1 002",
    ):
        assert expected in front, expected
    assert tanggal(honorer.birth_date) in front  # item 8: the follower's date of birth
    for expected in (
        "I. Berangkat dari : Kota Denpasar (tempat kedudukan) Ke : Kantor Bupati Buleleng",
        "Pada tanggal : 1 Juni 2026",
        "II. Tiba di : Singaraja",
        "Berangkat dari : Singaraja Ke : Denpasar Pada tanggal : 3 Juni 2026",
        "(Gede Suyasa)",
        "III. Tiba di",
        "IV. Tiba di",
        "Kepala/Pejabat yang mengesahkan,",
        "V. Tiba kembali di : Kota Denpasar (tempat kedudukan) Pada tanggal : 3 Juni 2026",
        pdf.SPPD_RETURN_STATEMENT,
        "VI. Catatan Lain-lain: Membawa surat tugas asli",
        "VII. PERHATIAN:",
        pdf.SPPD_LIABILITY_NOTICE,
    ):
        assert expected in back, expected
    assert not NIK.search(front + back)


@override_settings(TRAVEL_SPPD_STOP_BLOCKS=5)
def test_the_number_of_stop_blocks_is_a_setting(personas, trip):
    text = pdf_text(pdf.sppd_pdf_bytes(pdf.sppd_for_documents(lead_sppd(trip).pk)))
    assert "VI. Tiba di" in text
    assert "VII. Tiba kembali di" in text
    assert "IX. PERHATIAN:" in text


@override_settings(TRAVEL_SPPD_STOP_BLOCKS=1)
def test_there_are_never_fewer_than_three_stop_blocks(personas, trip):
    text = pdf_text(pdf.sppd_pdf_bytes(pdf.sppd_for_documents(lead_sppd(trip).pk)))
    assert "IV. Tiba di" in text
    assert "V. Tiba kembali di" in text


def test_a_follower_sppd_lists_no_followers(personas, trip):
    follower = Sppd.objects.get(member__trip=trip, member__is_lead=False)
    text = pdf_text(pdf.sppd_pdf_bytes(pdf.sppd_for_documents(follower.pk)))
    assert personas["honorer"].employee.name in text
    assert "8. Pengikut: Nama Tanggal Lahir Keterangan - - -" in text


def text_runs(content: bytes) -> list[tuple[int, float, float, float, str]]:
    """``(page, left, right, baseline, text)`` of every text line drawn, measured from the PDF."""
    runs = []
    for number, page in enumerate(PdfReader(io.BytesIO(content)).pages, start=1):

        def visit(text, cm, tm, font, size, number=number):
            if text.strip() and font:
                x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
                y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
                right = x + stringWidth(text.strip(), font["/BaseFont"][1:], size)
                runs.append((number, x, right, y, text.strip()))

        page.extract_text(visitor_text=visit)
    return runs


def test_long_sppd_values_wrap_inside_the_page_and_the_back_grid_continues_on_a_new_page(personas, trip):
    long_word = "https://jdih.baliprov.go.id/" + "peraturan-gubernur-" * 8
    purpose = "Koordinasi penyelenggaraan upacara Hari Jadi Provinsi Bali"
    Trip.objects.filter(pk=trip.pk).update(
        purpose=f"{purpose} " * 14, notes=f"Lihat {long_word} sebagai rujukan"
    )
    sppd = lead_sppd(trip)
    SppdStop.objects.bulk_create(
        SppdStop(
            sppd=sppd,
            order=order,
            place=f"Kantor Bupati Kabupaten Buleleng Gedung Utama Ruang Rapat Besar Lantai {order}",
            arrived_on=trip.depart_date,
            departed_on=trip.return_date,
            departed_to="Kota Denpasar dan sekitarnya, Provinsi Bali",
            officer_name="Dr. Ir. I Gusti Ngurah Made Anom Wirawan Kusuma, S.T., M.T., M.Si.",
        )
        for order in range(1, 6)
    )
    content = pdf.sppd_pdf_bytes(pdf.sppd_for_documents(sppd.pk))
    pages = pdf_pages(content)
    text = " ".join(pages)
    assert len(pages) > 2
    assert text.count(purpose) == 14  # wrapped at spaces: nothing lost
    assert long_word in "".join(text.split())  # a word longer than the column is broken, not cut
    for expected in ("VII. Tiba di", "VIII. Tiba kembali di", "IX. Catatan Lain-lain", "X. PERHATIAN:"):
        assert expected in text, expected
    body = [run for run in text_runs(content) if run[3] > 27 * mm]
    assert body
    for page, left, right, _y, line in body:
        assert 20 * mm - 0.5 <= left and right <= A4[0] - 15 * mm + 0.5, (page, line)


def test_the_sppd_is_laid_out_without_reportlab_tables_or_paragraphs(monkeypatch, personas, trip):
    """Issue 5 budget: the form's many small cells are measured and painted by ``travel.pdf.layout``
    (through Table and Paragraph the SPPD cost about twice a raw ReportLab document)."""

    def refuse(self, *args):
        raise AssertionError(f"{type(self).__name__} in the SPPD")

    monkeypatch.setattr(Table, "wrap", refuse)
    monkeypatch.setattr(Paragraph, "wrap", refuse)
    content = pdf.sppd_pdf_bytes(pdf.sppd_for_documents(lead_sppd(trip).pk))
    assert len(PdfReader(io.BytesIO(content)).pages) == 2


def test_the_footer_qr_code_is_encoded_once_per_url_and_the_bytes_stay_the_same(monkeypatch, personas, trip):
    encoded = []
    real = pdf_base.qr_image
    monkeypatch.setattr(pdf_base, "qr_image", lambda url: encoded.append(url) or real(url))
    pdf_base.cached_qr_image.cache_clear()
    sppd = pdf.sppd_for_documents(lead_sppd(trip).pk)
    try:
        first, second = pdf.sppd_pdf_bytes(sppd), pdf.sppd_pdf_bytes(sppd)
    finally:
        pdf_base.cached_qr_image.cache_clear()
    assert first == second
    assert len(encoded) == 1
    assert len(PdfReader(io.BytesIO(first)).pages[1].images) == 1


BODY = TextStyle("Helvetica", 9, 11.25)


def test_layout_wraps_like_a_paragraph():
    lines, widths, broken = wrap_text("satu dua\ntiga  empat lima enam", BODY, 60)
    assert lines == ["satu dua", "tiga empat", "lima enam"]
    assert widths == pytest.approx([stringWidth(line, "Helvetica", 9) for line in lines])
    assert broken == [False, True, False]  # only broken lines are stretched when justified
    # A line that fits is kept verbatim; a longer one collapses runs of spaces; a no-break space holds.
    assert wrap_text("a  b", BODY, 100)[0] == ["a  b"]
    assert wrap_text("aaaa\u00a0bbbb cccc", BODY, 50)[0] == ["aaaa\u00a0bbbb", "cccc"]
    # A word longer than the line fills what is left of the current line, then whole lines.
    lines = wrap_text("Lihat " + "x" * 60, BODY, 100)[0]
    assert lines[0].startswith("Lihat x") and "".join(lines).replace(" ", "") == "Lihat" + "x" * 60
    assert all(stringWidth(line, "Helvetica", 9) <= 100 for line in lines)
    assert wrap_text("", BODY, 10)[0] == [""]  # an empty text still takes a line


def test_layout_grid_measures_rows_splits_between_them_and_repeats_the_header():
    rows = [["No", "Uraian"], *[[str(i), "kata " * 30] for i in range(1, 5)]]
    grid = Grid(rows, [30, 170], style=BODY, padding=(3, 3, 2, 3), rule="black", header_rows=1)
    width, _height = grid.wrap(500, 1000)
    assert width == 200
    assert grid.row_heights[0] == 11.25 + 5 and grid.row_heights[1] > 3 * 11.25
    head, tail = grid.split(500, sum(grid.row_heights[:3]) + 1)
    assert [r[0].content for r in head.rows] == ["No", "1", "2"]
    assert [r[0].content for r in tail.rows] == ["No", "3", "4"]  # header repeated
    assert grid.split(500, grid.row_heights[0] + 1) == []  # no body row fits: next page
    with pytest.raises(ValueError):
        Grid([["a"]], [10, 10], style=BODY)  # a row must fill the columns


def test_layout_justifies_broken_lines_with_word_spacing():
    text = Text(pdf.SPPD_LIABILITY_NOTICE, BODY, align=JUSTIFY)
    text.measure(300)
    painter = Painter(Canvas(io.BytesIO()))
    text.paint(painter, 0, 100)
    code = painter.text.getCode()
    assert len(text.lines) > 2 and text.broken == [True] * (len(text.lines) - 1) + [False]
    assert code.count(" Tw") == len(text.lines)  # each broken line stretched, then reset for the last
    assert code.endswith("0 Tw (" + text.lines[-1].replace("(", "\\(").replace(")", "\\)") + ") Tj T* ET")


def test_cost_sheet_keeps_lump_sum_and_at_cost_apart_with_totals(client_as, personas):
    trip = build_numbered_trip(personas, advance=Decimal("1000000"))
    sppd = lead_sppd(trip)
    text = pdf_text(download(client_as("pegawai"), "travel:cost_sheet_pdf", sppd.pk).content)
    for expected in (
        "RINCIAN BIAYA PERJALANAN DINAS",
        f"SPPD Nomor {sppd.number} tanggal 28 Mei 2026",
        "A. Biaya lumsum (lump sum)",
        "1. Uang harian: 3 × Rp480.000 Rp1.440.000",
        "Jumlah lumsum Rp1.440.000",
        "B. Biaya sesuai pengeluaran riil (at cost)",
        "1. Biaya transport: 1 × Rp350.000 Rp350.000",
        "Jumlah sesuai pengeluaran riil Rp350.000",
        "JUMLAH (A + B) Rp1.790.000",
        "Uang muka yang telah diterima Rp1.000.000",
        "Sisa kurang yang harus dibayar Rp790.000",
        "Sisa lebih yang harus dikembalikan Rp0",
        "Terbilang: Satu Juta Tujuh Ratus Sembilan Puluh Ribu Rupiah",
        "Bendahara Pengeluaran,",
        "Yang menerima,",
        "Pejabat Pembuat Komitmen,",
        personas["bendahara"].employee.name,
    ):
        assert expected in text, expected


def test_cost_sheet_uses_recorded_expenses_with_lodging_capped_at_the_ceiling(personas, trip):
    sppd = lead_sppd(trip)
    sppd.lodging_ceiling = Decimal("1100000")
    sppd.advance = Decimal("2000000")
    sppd.save()
    TripExpense.objects.create(
        sppd=sppd,
        kind=TripExpense.Kind.LODGING,
        description="Hotel Singaraja",
        quantity=2,
        amount=Decimal("2500000"),
    )
    summary = pdf.cost_summary(pdf.sppd_for_documents(sppd.pk))
    assert [i.amount for i in summary.at_cost] == [
        Decimal("2200000.00"),
        Decimal("250000.00"),
        Decimal("75000.00"),
    ]
    assert summary.lump_sum_total == Decimal("1440000.00")
    assert summary.total == Decimal("3965000.00")
    assert (summary.to_pay, summary.to_return) == (Decimal("1965000.00"), Decimal("0.00"))
    assert all(isinstance(i.amount, Decimal) for i in summary.at_cost + summary.lump_sum)
    text = pdf_text(pdf.cost_sheet_pdf(pdf.sppd_for_documents(sppd.pk)))
    assert "Biaya transportasi: Taksi dari terminal ke kantor bupati Rp75.000 DPR" in text
    assert "Biaya penginapan: Hotel Singaraja (2 ×) Rp2.200.000 kuitansi; maks. Rp1.100.000/malam" in text
    assert "JUMLAH (A + B) Rp3.965.000" in text
    assert "Biaya transport: 1 × Rp350.000" not in text  # the planned line gives way to real costs


def test_receipt_spells_the_amount_and_has_no_stamp_duty_note_up_to_five_million(client_as, personas):
    trip = build_numbered_trip(personas)
    text = pdf_text(download(client_as("pegawai"), "travel:receipt_pdf", lead_sppd(trip).pk).content)
    for expected in (
        "KUITANSI / BUKTI PEMBAYARAN",
        "Sudah terima dari : Bendahara Pengeluaran Sekretariat Daerah Provinsi Bali",
        "Uang sebesar : Rp1.790.000,00",
        "Terbilang : Satu Juta Tujuh Ratus Sembilan Puluh Ribu Rupiah",
        "Untuk pembayaran : Biaya perjalanan dinas dalam daerah luar kota ke Kantor Bupati Buleleng",
        "Kode Rekening : 5.1.02.04.01.0001",
        "Setuju dibayar,",
        "Lunas dibayar,",
        "Yang menerima,",
    ):
        assert expected in text, expected
    assert "meterai" not in text.lower()


@pytest.mark.parametrize(
    ("daily", "stamped"),
    [
        (Decimal("1550000"), False),  # 3 × 1.550.000 + 350.000 = 5.000.000: not above the threshold
        (Decimal("1550001"), True),  # 5.000.003
        (Decimal("2000000"), True),  # 6.350.000
    ],
)
def test_receipt_carries_the_stamp_duty_note_only_above_five_million(personas, daily, stamped):
    trip = build_numbered_trip(personas, daily=daily)
    text = pdf_text(pdf.receipt_pdf(pdf.sppd_for_documents(lead_sppd(trip).pk)))
    assert (pdf.METERAI_NOTE in text) is stamped
    assert ("Meterai Rp10.000" in text) is stamped
    if daily == Decimal("2000000"):
        assert "Enam Juta Tiga Ratus Lima Puluh Ribu Rupiah" in text


def test_dpr_lists_only_expenses_without_receipt_with_the_statement(client_as, personas, trip):
    sppd = lead_sppd(trip)
    text = pdf_text(download(client_as("pegawai"), "travel:dpr_pdf", sppd.pk).content)
    for expected in (
        "DAFTAR PENGELUARAN RIIL",
        "Yang bertanda tangan di bawah ini:",
        f"Nama : {personas['pegawai'].employee.name}",
        f"berdasarkan SPPD Nomor {sppd.number} tanggal 28 Mei 2026",
        " ".join(pdf.DPR_STATEMENT_1.split()),
        "1. Biaya transportasi: Taksi dari terminal ke kantor bupati (1 Juni 2026) Rp75.000",
        "JUMLAH Rp75.000",
        "Tujuh Puluh Lima Ribu Rupiah",
        " ".join(pdf.DPR_STATEMENT_2.split()),
        pdf.DPR_CLOSING,
        "Pelaksana SPPD,",
    ):
        assert expected in text, expected
    assert "Bahan bakar" not in text  # has a receipt: not on the DPR


def test_trip_report_prints_sections_photos_and_acknowledgement(client_as, personas, trip):
    png = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(png, format="PNG")
    TripReportFile.objects.create(
        report=trip.report,
        kind=TripReportFile.Kind.PHOTO,
        caption="Rapat di ruang Bupati",
        file=ContentFile(png.getvalue(), name="rapat.png"),
    )
    response = download(client_as("atasan"), "travel:report_pdf", trip.pk)
    text = pdf_text(response.content)
    for expected in (
        "LAPORAN PERJALANAN DINAS",
        f"Surat Perintah Tugas Nomor {SPT_NUMBER} tanggal 28 Mei 2026",
        "I. Latar Belakang Undangan rapat koordinasi upacara.",
        "II. Kegiatan yang Dilaksanakan Mengikuti rapat koordinasi di Kantor Bupati Buleleng.",
        "III. Hasil yang Dicapai Susunan acara upacara disepakati.",
        "IV. Saran dan Tindak Lanjut Menyiapkan undangan pejabat.",
        "V. Dokumentasi",
        "Rapat di ruang Bupati",
        "Yang melaporkan,",
        "Mengetahui/Diterima,",
        "pada tanggal 5 Juni 2026",
        personas["atasan"].employee.name,
        "Catatan atasan: Diterima, lanjutkan koordinasi.",
    ):
        assert expected in text, expected
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    images = list(page.images)
    assert len(images) >= 2  # the photo and the QR code


def test_the_token_in_the_pdf_opens_the_verification_page_of_that_document(client_as, client, personas, trip):
    response = download(client_as("pegawai"), "travel:spt_pdf", trip.pk)
    text = pdf_text(response.content)
    token = TOKEN.search(text).group(1)
    seal = DocumentSeal.objects.get(token=token)
    assert (seal.kind, seal.object_id, seal.number) == ("travel.spt", str(trip.pk), SPT_NUMBER)
    assert f"/verifikasi/{token}/" in text
    page = client.get(reverse("verification", args=[token]), REMOTE_ADDR="10.5.0.1")
    html = page.content.decode()
    assert page.status_code == 200
    assert SPT_NUMBER in html and "Surat Perintah Tugas" in html and "Sah" in html
    assert personas["honorer"].employee.name in html
    # The hash on the page is the SHA-256 of exactly the bytes that were downloaded.
    assert hashlib.sha256(response.content).hexdigest() in html
    assert not NIK.search(html)


def test_the_same_document_downloads_as_the_same_bytes_whatever_the_language(client_as, trip):
    first = download(client_as("pegawai"), "travel:spt_pdf", trip.pk).content
    english = client_as("perjalanan")
    english.post(reverse("set_language"), {"language": "en", "next": "/"})
    second = download(english, "travel:spt_pdf", trip.pk).content
    assert first == second
    seal = DocumentSeal.objects.get(kind="travel.spt")
    assert seal.printed_count == 2
    assert seal.sha256 == hashlib.sha256(second).hexdigest()


def test_every_download_is_audit_logged_with_the_hash(client_as, personas, trip):
    sppd = lead_sppd(trip)
    for name, pk, action in (
        ("travel:spt_pdf", trip.pk, "travel.spt.printed"),
        ("travel:sppd_pdf", sppd.pk, "travel.sppd.printed"),
        ("travel:cost_sheet_pdf", sppd.pk, "travel.cost_sheet.printed"),
        ("travel:receipt_pdf", sppd.pk, "travel.receipt.printed"),
        ("travel:dpr_pdf", sppd.pk, "travel.dpr.printed"),
        ("travel:report_pdf", trip.pk, "travel.report.printed"),
    ):
        content = download(client_as("bendahara"), name, pk).content
        event = AuditEvent.objects.filter(action=action).get()
        assert event.actor == personas["bendahara"]
        assert event.data["sha256"] == hashlib.sha256(content).hexdigest()
        assert event.ip == "127.0.0.1"


def test_downloads_are_private_attachments_with_a_sensible_name(client_as, trip):
    response = download(client_as("pegawai"), "travel:spt_pdf", trip.pk)
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == 'attachment; filename="spt-000-1-2-3-57-biro-umum-2026.pdf"'
    assert response.content.startswith(b"%PDF")


def test_cancelling_the_trip_marks_every_seal_batal_and_reprints_carry_the_mark(
    client_as, client, personas, trip
):
    sppd = lead_sppd(trip)
    spt = download(client_as("pegawai"), "travel:spt_pdf", trip.pk).content
    download(client_as("pegawai"), "travel:sppd_pdf", sppd.pk)
    token = TOKEN.search(pdf_text(spt)).group(1)

    Trip.objects.filter(pk=trip.pk).update(status=Trip.Status.CANCELLED, cancel_reason="Acara ditunda")
    trip.refresh_from_db()
    trip_cancelled.send(sender=Trip, trip=trip, by=personas["perjalanan"])

    assert set(DocumentSeal.objects.values_list("status", flat=True)) == {DocumentSeal.Status.CANCELLED}
    html = client.get(reverse("verification", args=[token]), REMOTE_ADDR="10.5.0.2").content.decode()
    assert "Dibatalkan (batal)" in html
    assert AuditEvent.objects.filter(action="verification.seal.cancelled").count() == 2

    # The numbered SPT keeps its number and still prints, marked BATAL; so does a first print after it.
    reprint = pdf_text(download(client_as("pegawai"), "travel:spt_pdf", trip.pk).content)
    assert "BATAL" in reprint and SPT_NUMBER in reprint
    receipt = download(client_as("pegawai"), "travel:receipt_pdf", sppd.pk).content
    assert "BATAL" in pdf_text(receipt)
    assert DocumentSeal.objects.get(kind="travel.receipt").status == DocumentSeal.Status.CANCELLED


def test_documents_that_do_not_exist_yet_are_404(client_as, personas):
    draft = build_numbered_trip(personas, number="", status=Trip.Status.SUBMITTED)
    operator = client_as("perjalanan")
    assert operator.get(reverse("travel:spt_pdf", args=[draft.pk])).status_code == 404
    assert operator.get(reverse("travel:sppd_pdf", args=[lead_sppd(draft).pk])).status_code == 404
    assert operator.get(reverse("travel:report_pdf", args=[draft.pk])).status_code == 404
    assert not TripReport.objects.filter(trip=draft).exists()
    assert not DocumentSeal.objects.exists()
    assert not AuditEvent.objects.filter(action__endswith=".printed").exists()


def test_bench_hook_renders_the_two_page_sppd_without_writing_a_seal(personas, trip):
    content = pdf.sppd_pdf_bytes(pdf.sppd_for_documents(lead_sppd(trip).pk))
    assert len(PdfReader(io.BytesIO(content)).pages) == 2
    assert not DocumentSeal.objects.exists()


def test_printing_runs_a_fixed_number_of_queries(personas):
    small = build_numbered_trip(personas, members=("pegawai",), number="000.1.2.3/1/Biro Umum/2026")
    big = build_numbered_trip(
        personas,
        members=("atasan", "kepegawaian", "perjalanan", "bendahara", "ppk"),
        number="000.1.2.3/2/Biro Umum/2026",
    )
    counts = []
    for trip in (small, big):
        for key, obj in (("spt", trip), ("sppd", lead_sppd(trip))):
            with CaptureQueriesContext(connection) as ctx:
                pdf.document_print(key, obj, by=personas["perjalanan"])
            counts.append(len(ctx))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts


def test_panel_lists_the_documents_of_a_numbered_trip(personas, trip):
    sppds = list(Sppd.objects.filter(member__trip=trip).select_related("member__employee"))
    html = render_to_string(
        "travel/partials/documents_panel.html", {"trip": trip, "sppds": sppds, "can_manage": True}
    )
    assert reverse("travel:spt_pdf", args=[trip.pk]) in html
    assert reverse("travel:report_pdf", args=[trip.pk]) in html
    for sppd in sppds:
        for name in ("sppd_pdf", "cost_sheet_pdf", "receipt_pdf", "dpr_pdf"):
            assert reverse(f"travel:{name}", args=[sppd.pk]) in html
    draft = build_numbered_trip(personas, members=("kepegawaian",), number="", status=Trip.Status.DRAFT)
    html = render_to_string(
        "travel/partials/documents_panel.html", {"trip": draft, "sppds": [], "can_manage": True}
    )
    assert reverse("travel:spt_pdf", args=[draft.pk]) not in html
    assert "setelah SPT disetujui" in html
