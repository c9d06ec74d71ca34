"""Official travel end to end on a 360 px phone (issue 5 acceptance): the travel operator drafts an SPT
for two people through the form (member and region pickers, dates), submits it; the supervisor and the
leader approve it in the inbox; the SPT and SPPD PDFs download and their text is checked; after the
return the lead traveller files the trip report."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from matrix_travel import setup_travel
from playwright.sync_api import expect
from pypdf import PdfReader

from situok.formats import tanggal
from staff.demo import DEMO_PASSWORD
from travel.models import Trip, TripReport

pytestmark = pytest.mark.e2e

OPERATOR = "I Komang Adi Saputra"
LEAD = "Ni Made Ayu Kartika"
FOLLOWER = "Kadek Agus Permana"
SUPERVISOR = "Ni Luh Putu Ariani"
LEADER = "I Made Sudarsana"
PURPOSE = "Koordinasi persiapan kunjungan kerja Gubernur ke Kabupaten Gianyar"
PLACE = "Kantor Bupati Gianyar"


@pytest.fixture
def bureau(transactional_db, personas):
    setup_travel()  # regions, rates, numbering schemes and the SPT approval policy (seed_demo does the same)
    return personas


def log_in(page, username: str, name: str) -> None:
    page.goto(page.base_url + "/masuk/")
    page.get_by_label("Nama pengguna atau NIP").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name=f"Selamat datang, {name}")).to_be_visible()


def open_menu(page) -> None:
    page.get_by_role("button", name="Buka menu").click()  # collapsed navigation on a phone
    expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))


def go_to(page, link: str) -> None:
    open_menu(page)
    page.locator("#mainnav").get_by_role("link", name=link, exact=True).click()


def log_out(page) -> None:
    open_menu(page)
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_text("Anda telah keluar.")).to_be_visible()


def approve_in_inbox(page, username: str, name: str) -> None:
    log_in(page, username, name)
    go_to(page, "Persetujuan")
    expect(page.get_by_role("heading", name="Kotak Persetujuan")).to_be_visible()
    row = page.get_by_test_id("inbox-row").filter(has_text=PURPOSE)
    expect(row).to_have_count(1)
    row.get_by_test_id("approve").click()
    expect(page.get_by_test_id("inbox-feedback")).to_have_text("Permohonan disetujui.")
    expect(page.get_by_test_id("inbox-empty")).to_be_visible()
    log_out(page)


def pdf_text(page, test_id: str, nth: int = 0) -> str:
    with page.expect_download() as download_info:
        page.get_by_test_id(test_id).nth(nth).click()
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith(b"%PDF-")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def test_operator_drafts_leaders_approve_pdfs_download_and_the_lead_reports(page, bureau):
    page.on("dialog", lambda dialog: dialog.accept())  # "Ajukan SPT ini untuk persetujuan?"
    today = timezone.localdate()
    # A two-day trip that ended last week: after approval it is over, so the report can be filed.
    depart = today - dt.timedelta(days=9)
    ret = depart + dt.timedelta(days=1)

    # 1. The travel operator drafts the SPT for two people through the form and submits it.
    log_in(page, "perjalanan", OPERATOR)
    go_to(page, "Perjalanan Dinas")
    page.get_by_test_id("trip-create").click()
    expect(page.get_by_role("heading", name="Susun SPT baru")).to_be_visible()
    page.get_by_label("Dasar").fill(
        "Peraturan Gubernur Bali tentang Perjalanan Dinas\nUndangan Bupati Gianyar"
    )
    page.get_by_label("Untuk / maksud perjalanan dinas").fill(PURPOSE)
    for name in (LEAD, FOLLOWER):
        page.get_by_test_id("member-search").fill(name[:9])
        page.locator("#member-results").get_by_role("button", name=re.compile(name)).click()
    expect(page.get_by_test_id("member-list").locator("li")).to_have_count(2)
    expect(page.get_by_test_id("member-list").locator("li").first).to_contain_text(LEAD)
    page.get_by_test_id("dest-search").first.fill("Gianyar")
    page.locator("#dest-results-0").get_by_role("button", name=re.compile("KABUPATEN GIANYAR")).click()
    expect(page.get_by_test_id("dest-label").first).to_contain_text("GIANYAR")
    page.get_by_label("Tempat (nama kantor/lokasi)").first.fill(PLACE)
    page.get_by_label("Tanggal berangkat").fill(depart.isoformat())
    page.get_by_label("Tanggal kembali").fill(ret.isoformat())
    page.get_by_test_id("trip-save").click()
    expect(page.get_by_text("SPT tersimpan sebagai draf.")).to_be_visible()
    expect(page.get_by_test_id("trip-members")).to_contain_text(LEAD)
    expect(page.get_by_test_id("trip-members")).to_contain_text(FOLLOWER)
    expect(page.get_by_test_id("trip-destinations")).to_contain_text(PLACE)
    trip = Trip.objects.get(purpose=PURPOSE)
    assert (trip.depart_date, trip.return_date, trip.travel_type) == (depart, ret, "luar_kota")
    page.get_by_test_id("trip-submit").click()
    expect(page.get_by_text("SPT diajukan untuk persetujuan.")).to_be_visible()
    expect(page.get_by_test_id("approval-waiting")).to_contain_text(SUPERVISOR)
    log_out(page)

    # 2. The lead traveller's supervisor, then the head of the Biro approve it in their inbox.
    approve_in_inbox(page, "atasan", SUPERVISOR)
    approve_in_inbox(page, "pimpinan", LEADER)
    trip.refresh_from_db()
    assert trip.status == Trip.Status.NUMBERED and trip.spt_number
    sppd_numbers = list(trip.members.order_by("order").values_list("sppd__number", flat=True))
    assert all(sppd_numbers) and len(sppd_numbers) == 2

    # 3. The operator opens the SPT (the trip is over now) and downloads the SPT and the lead's SPPD.
    log_in(page, "perjalanan", OPERATOR)
    page.goto(page.base_url + f"/perjalanan-dinas/spt/{trip.pk}/")
    expect(page.get_by_test_id("spt-number")).to_have_text(trip.spt_number)
    spt = pdf_text(page, "download-spt")
    compact = "".join(spt.split())
    assert "SURAT PERINTAH TUGAS" in spt and "MEMERINTAHKAN" in spt
    assert "".join(trip.spt_number.split()) in compact
    assert "".join(LEAD.split()) in compact and "".join(FOLLOWER.split()) in compact
    assert "".join(PURPOSE.split()) in compact
    assert "".join(LEADER.split()) in compact  # the last approving leader signs
    assert "".join(tanggal(depart).split()) in compact
    sppd = pdf_text(page, "download-sppd", 0)
    compact = "".join(sppd.split())
    assert "SURAT PERINTAH PERJALANAN DINAS" in sppd
    assert "".join(sppd_numbers[0].split()) in compact
    for label in ("Pejabat Pembuat Komitmen", "Maksud Perjalanan Dinas", "Pengikut", "PERHATIAN"):
        assert "".join(label.split()) in compact, label
    assert "".join(LEAD.split()) in compact and "".join(FOLLOWER.split()) in compact
    log_out(page)

    # 4. The lead traveller files the trip report from the post-trip panel.
    log_in(page, "pegawai", LEAD)
    page.goto(page.base_url + f"/perjalanan-dinas/spt/{trip.pk}/")
    expect(page.get_by_test_id("posttrip-panel-body")).to_be_visible()  # loaded by htmx
    page.get_by_test_id("posttrip-panel-body").get_by_role("link", name="Isi laporan").click()
    expect(page.get_by_role("heading", name="Laporan perjalanan dinas")).to_be_visible()
    page.get_by_label("Latar belakang").fill("Undangan Bupati Gianyar untuk rapat persiapan kunjungan kerja.")
    page.get_by_label("Kegiatan yang dilaksanakan").fill("Rapat koordinasi dan peninjauan lokasi acara.")
    page.get_by_label("Hasil yang dicapai").fill("Jadwal dan susunan acara disepakati bersama.")
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Menunggu diterima atasan")
    report = TripReport.objects.get(trip=trip)
    assert report.filed_by.username == "pegawai" and report.filed_at is not None
    trip.refresh_from_db()
    assert trip.status == Trip.Status.REPORTED
