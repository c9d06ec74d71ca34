"""SPT pages: the form (two members by POST, errors next to the fields in Indonesian), detail, actions,
pickers and my trips."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from matrix_travel import PDF, approve_all, make_trip, setup_travel

from situok.approvals import approval_current
from travel.models import Trip
from travel.services import trip_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def travel(personas):
    setup_travel()
    return personas


def form_data(personas, **overrides):
    data = {
        "dasar": "Undangan Bupati Gianyar Nomor 005/123/2026\nDPA Biro Umum dan Protokol 2026",
        "purpose": "Menghadiri rapat koordinasi persiapan kunjungan kerja Gubernur",
        "members": [personas["pegawai"].employee.pk, personas["honorer"].employee.pk],
        "dest_region": ["51.04", "", ""],
        "dest_place": ["Kantor Bupati Gianyar", "", ""],
        "depart_date": "2026-03-10",
        "return_date": "2026-03-11",
        "travel_type": "",
        "over_8_hours": "on",
        "transport": "kendaraan_dinas",
        "signer_prefix": "",
        "issued_place": "Denpasar",
    }
    data.update(overrides)
    return data


def _error_of(html: str, field: str) -> str:
    match = re.search(rf'id="id_{field}_error">(.*?)</div>', html, re.S)
    assert match, f"no error shown next to {field}"
    return match.group(1)


def test_create_with_two_members_by_post(client_as, travel):
    client = client_as("pegawai")
    response = client.post(reverse("travel:trip_create"), form_data(travel))
    trip = Trip.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "travel:trip_detail", args=[trip.pk]
    )
    assert trip.status == Trip.Status.DRAFT and trip.created_by == travel["pegawai"]
    assert [m.employee for m in trip.members.order_by("order")] == [
        travel["pegawai"].employee,
        travel["honorer"].employee,
    ]
    assert trip.travel_type == "luar_kota" and trip.days == 2
    assert trip.dasar[0] == "Undangan Bupati Gianyar Nomor 005/123/2026"
    detail = client.get(response["Location"]).content.decode()
    assert "Ni Made Ayu Kartika" in detail and "Kadek Agus Permana" in detail
    assert "Ketua rombongan" in detail and "Pengikut" in detail
    assert "Kantor Bupati Gianyar" in detail


def test_member_order_from_the_picker_decides_the_lead(client_as, travel):
    data = form_data(travel, members=[travel["honorer"].employee.pk, travel["pegawai"].employee.pk])
    client_as("pegawai").post(reverse("travel:trip_create"), data)
    lead = Trip.objects.get().members.get(is_lead=True)
    assert lead.employee == travel["honorer"].employee


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        (
            {"return_date": "2026-03-09"},
            "return_date",
            "Tanggal kembali tidak boleh sebelum tanggal berangkat",
        ),
        ({"members": []}, "members", "Pilih sedikitnya satu pelaksana"),
        (
            {"dest_region": ["", "", ""], "dest_place": ["", "", ""]},
            "destinations",
            "Isi sedikitnya satu tempat tujuan",
        ),
        ({"dest_region": ["99.99", "", ""]}, "destinations", "Kode wilayah 99.99 tidak dikenal"),
        ({"travel_type": "dalam_kota_lebih_8_jam"}, "travel_type", "Jenis perjalanan tidak sesuai"),
        ({"purpose": ""}, "purpose", "tidak boleh kosong"),
        ({"depart_date": "bukan-tanggal"}, "depart_date", "tanggal"),
    ],
)
def test_errors_are_shown_next_to_the_field_in_indonesian(client_as, travel, overrides, field, text):
    response = client_as("pegawai").post(reverse("travel:trip_create"), form_data(travel, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert text.lower() in _error_of(html, field).lower()
    assert not Trip.objects.exists()
    # What was entered is kept: the members stay in the picker.
    if overrides.get("members") != []:
        assert "Kadek Agus Permana" in html


def test_outsider_member_is_refused_next_to_the_members(client_as, travel):
    data = form_data(travel, members=[travel["pegawai"].employee.pk, travel["luar"].employee.pk])
    html = client_as("pegawai").post(reverse("travel:trip_create"), data).content.decode()
    assert "di luar unit Anda" in _error_of(html, "members")


def test_bad_attachment_is_refused_next_to_the_field_and_a_good_one_downloads(client_as, travel):
    client = client_as("pegawai")
    bad = SimpleUploadedFile("undangan.pdf", b"not a pdf at all", content_type="application/pdf")
    html = client.post(
        reverse("travel:trip_create"), form_data(travel, attachment=bad, attachment_title="Undangan")
    ).content.decode()
    assert "Jenis berkas tidak diizinkan" in _error_of(html, "attachment")
    assert not Trip.objects.exists()
    good = SimpleUploadedFile("undangan.pdf", PDF, content_type="application/pdf")
    client.post(
        reverse("travel:trip_create"), form_data(travel, attachment=good, attachment_title="Undangan")
    )
    trip = Trip.objects.get()
    attachment = trip.attachments.get()
    response = client_as("atasan").get(reverse("travel:attachment_download", args=[trip.pk, attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"


def test_edit_keeps_values_and_removes_an_attachment(client_as, travel):
    good = SimpleUploadedFile("undangan.pdf", PDF, content_type="application/pdf")
    trip = make_trip(travel["pegawai"], [travel["pegawai"].employee], attachments=[("Undangan", good)])
    client = client_as("pegawai")
    page = client.get(reverse("travel:trip_edit", args=[trip.pk])).content.decode()
    assert "Koordinasi persiapan kunjungan kerja Gubernur" in page
    assert 'name="members" value="{}"'.format(travel["pegawai"].employee.pk) in page
    assert "KABUPATEN GIANYAR" in page
    attachment = trip.attachments.get()
    response = client.post(
        reverse("travel:trip_edit", args=[trip.pk]),
        form_data(travel, purpose="Rapat lanjutan", remove_attachments=[str(attachment.pk)]),
    )
    assert response.status_code == 302
    trip.refresh_from_db()
    assert trip.purpose == "Rapat lanjutan" and not trip.attachments.exists()
    assert trip.members.count() == 2


def test_conflict_is_shown_on_the_form_and_blocks_submit(client_as, travel):
    other = make_trip(travel["pegawai"], [travel["pegawai"].employee], depart_date=dt.date(2026, 3, 11),
                      return_date=dt.date(2026, 3, 11))  # fmt: skip
    trip_submit(other, by=travel["pegawai"])
    client = client_as("pegawai")
    response = client.post(reverse("travel:trip_create"), form_data(travel))
    trip = Trip.objects.exclude(pk=other.pk).get()
    page = client.get(response["Location"]).content.decode()
    assert "Bentrok jadwal" in page and f"sudah ditugaskan pada SPT draf #{other.pk}" in page
    response = client.post(reverse("travel:trip_submit", args=[trip.pk]), follow=True)
    assert "sudah ditugaskan" in response.content.decode()
    trip.refresh_from_db()
    assert trip.status == Trip.Status.DRAFT
    # The edit form shows the conflict next to the members too.
    html = client.post(
        reverse("travel:trip_edit", args=[trip.pk]), form_data(travel, purpose="")
    ).content.decode()
    assert 'data-testid="form-conflicts"' in html


def test_weekend_warning_on_the_detail_page(client_as, travel):
    trip = make_trip(travel["pegawai"], [travel["pegawai"].employee], depart_date=dt.date(2026, 3, 13),
                     return_date=dt.date(2026, 3, 16))  # fmt: skip
    page = client_as("pegawai").get(reverse("travel:trip_detail", args=[trip.pk])).content.decode()
    assert "Sabtu, 14 Maret 2026" in page and 'data-testid="trip-warnings"' in page


def test_submit_withdraw_and_cancel_through_the_pages(client_as, travel):
    trip = make_trip(travel["pegawai"], [travel["pegawai"].employee])
    client = client_as("pegawai")
    client.post(reverse("travel:trip_submit", args=[trip.pk]))
    trip.refresh_from_db()
    assert trip.status == Trip.Status.SUBMITTED
    page = client.get(reverse("travel:trip_detail", args=[trip.pk])).content.decode()
    assert 'data-testid="approval-status"' in page and "Ni Luh Putu Ariani" in page  # waiting for atasan
    client.post(reverse("travel:trip_withdraw", args=[trip.pk]))
    trip.refresh_from_db()
    assert trip.status == Trip.Status.DRAFT
    client.post(reverse("travel:trip_cancel", args=[trip.pk]), {"reason": ""})
    trip.refresh_from_db()
    assert trip.status == Trip.Status.DRAFT  # a reason is required
    client.post(reverse("travel:trip_cancel", args=[trip.pk]), {"reason": "Acara ditunda"})
    trip.refresh_from_db()
    assert trip.status == Trip.Status.CANCELLED and trip.cancel_reason == "Acara ditunda"


def test_numbered_trip_shows_numbers_and_cancel_marks_it_batal(client_as, travel):
    trip = make_trip(travel["pegawai"], [travel["pegawai"].employee, travel["honorer"].employee],
                     depart_date=dt.date(2030, 3, 12), return_date=dt.date(2030, 3, 12))  # fmt: skip
    trip_submit(trip, by=travel["pegawai"])
    approve_all(trip, travel)
    page = client_as("pegawai").get(reverse("travel:trip_detail", args=[trip.pk])).content.decode()
    assert trip.spt_number in page and "000.1.2.3/1/Biro Umum/" in page and "000.1.2.3/2/Biro Umum/" in page
    assert "Tingkat F" in page
    assert (
        client_as("pegawai").post(reverse("travel:trip_cancel", args=[trip.pk]), {"reason": "x"}).status_code
        == 403
    )
    client_as("perjalanan").post(reverse("travel:trip_cancel", args=[trip.pk]), {"reason": "Kunjungan batal"})
    page = client_as("pegawai").get(reverse("travel:trip_detail", args=[trip.pk])).content.decode()
    assert "BATAL" in page and trip.spt_number in page and "Kunjungan batal" in page


def test_opening_a_numbered_trip_after_departure_moves_it_on(client_as, travel):
    trip = make_trip(travel["pegawai"], [travel["pegawai"].employee])
    trip_submit(trip, by=travel["pegawai"])
    approve_all(trip, travel)
    assert approval_current(trip).status == "approved"
    client_as("pegawai").get(reverse("travel:trip_detail", args=[trip.pk]))
    trip.refresh_from_db()
    assert trip.status == Trip.Status.RETURNED  # 10 March 2026 is over


def test_employee_search_is_scoped_for_plain_employees(client_as, travel):
    own = client_as("pegawai").get(reverse("travel:employee_search"), {"q": "Gusti Ayu"}).content.decode()
    assert "Gusti Ayu Ratna Dewi" not in own
    colleague = (
        client_as("pegawai").get(reverse("travel:employee_search"), {"q": "Kadek Agus"}).content.decode()
    )
    assert "Kadek Agus Permana" in colleague and "data-pick-employee" in colleague
    operator = (
        client_as("perjalanan").get(reverse("travel:employee_search"), {"q": "Gusti Ayu"}).content.decode()
    )
    assert "Gusti Ayu Ratna Dewi" in operator


def test_region_search_by_name_and_code(client_as, travel):
    client = client_as("pegawai")
    html = client.get(reverse("travel:region_search"), {"q": "gianyar", "slot": "1"}).content.decode()
    assert (
        'data-pick-region="51.04"' in html and 'data-slot="1"' in html and "KABUPATEN GIANYAR, BALI" in html
    )
    html = client.get(reverse("travel:region_search"), {"q": "51.04", "slot": "0"}).content.decode()
    assert "SUKAWATI, KABUPATEN GIANYAR, BALI" in html


def test_my_trips_lists_trips_i_travel_on_or_created(client_as, travel):
    mine = make_trip(travel["perjalanan"], [travel["honorer"].employee], purpose="Tugas honorer")
    other = make_trip(travel["perjalanan"], [travel["luar"].employee], purpose="Tugas Biro Hukum")
    page = client_as("honorer").get(reverse("travel:trip_list")).content.decode()
    assert "Tugas honorer" in page and "Tugas Biro Hukum" not in page
    page = client_as("perjalanan").get(reverse("travel:trip_list")).content.decode()
    assert "Tugas honorer" in page and "Tugas Biro Hukum" in page
    assert mine.pk != other.pk


def test_home_page_counts_my_trips_under_way(client_as, travel):
    make_trip(travel["pegawai"], [travel["honorer"].employee])
    page = client_as("honorer").get(reverse("home")).content.decode()
    assert "Perjalanan dinas saya yang sedang berjalan" in page
    assert reverse("travel:trip_list") in page
