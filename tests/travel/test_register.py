"""The SPT register: filters, scoping, keyset pages with a constant query count, Excel and PDF exports of
exactly what is filtered."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from matrix_travel import setup_travel
from openpyxl import load_workbook
from pypdf import PdfReader

from staff.models import OrgUnit
from travel.models import BudgetLine, Sppd, Trip, TripDestination, TripMember

pytestmark = pytest.mark.django_db


def _trips(personas, n, *, employee=None, start=dt.date(2026, 1, 5), region="51.04", status=Trip.Status.NUMBERED,
           budget_line=None, unit=None, follower="honorer"):  # fmt: skip
    """``n`` numbered SPTs, one per day from ``start``, each with two members and two destinations."""
    employee = employee or personas["pegawai"].employee
    created = []
    for i in range(n):
        day = start + dt.timedelta(days=i)
        trip = Trip.objects.create(
            unit=unit or employee.unit, purpose=f"Koordinasi {region} ke-{i + 1}", travel_type="luar_kota",
            depart_date=day, return_date=day + dt.timedelta(days=1), status=status,
            spt_number=f"800.1.11.1/{Trip.objects.count() + 1}/Biro Umum/2026" if status != "draft" else "",
            spt_date=day, budget_line=budget_line, dasar=["Undangan"],
        )  # fmt: skip
        lead = TripMember.objects.create(trip=trip, employee=employee, order=0, is_lead=True)
        if follower:
            TripMember.objects.create(trip=trip, employee=personas[follower].employee, order=1)
        TripDestination.objects.create(trip=trip, order=0, region_id=region, place="Kantor Bupati")
        TripDestination.objects.create(trip=trip, order=1, region_id="51", place="")
        Sppd.objects.create(member=lead, number=f"SPPD-{trip.pk}", cost_tier="E", rates_on=day,
                            total=Decimal("1250000.50"))  # fmt: skip
        created.append(trip)
    return created


@pytest.fixture
def travel(personas):
    setup_travel()
    return personas


def _rows(response) -> int:
    return response.content.decode().count('href="/perjalanan-dinas/spt/')


def test_filters_by_status_period_destination_employee_unit_and_budget_line(client_as, travel):
    line = BudgetLine.objects.create(year=2026, kode_rekening="5.1.02.04.01.0001", name="Belanja perjadin")
    _trips(travel, 3, start=dt.date(2026, 1, 5))
    _trips(travel, 2, start=dt.date(2026, 2, 2), region="31.71", budget_line=line)
    _trips(travel, 1, start=dt.date(2026, 3, 2), status=Trip.Status.SUBMITTED)
    _trips(travel, 2, start=dt.date(2026, 4, 6), employee=travel["luar"].employee,
           unit=travel["luar"].employee.unit, follower=None)  # fmt: skip
    client = client_as("perjalanan")
    url = reverse("travel:register")
    assert _rows(client.get(url)) == 8
    assert _rows(client.get(url, {"status": "submitted"})) == 1
    assert _rows(client.get(url, {"depart_from": "2026-02-01", "depart_to": "2026-02-28"})) == 2
    assert _rows(client.get(url, {"province": "31"})) == 2
    assert _rows(client.get(url, {"regency": "51.04"})) == 6
    assert _rows(client.get(url, {"province": "51"})) == 8  # every trip has a destination in Bali
    assert _rows(client.get(url, {"budget_line": line.pk})) == 2
    assert _rows(client.get(url, {"pegawai": "Gusti Ayu"})) == 2
    assert _rows(client.get(url, {"pegawai": travel["pegawai"].employee.nip[:8]})) == 6
    biro_hukum = OrgUnit.objects.get(code="BHK")
    assert _rows(client.get(url, {"unit": biro_hukum.pk})) == 2  # with sub-units
    assert _rows(client.get(url, {"unit": OrgUnit.objects.get(code="BUP").pk})) == 6


def test_unit_heads_see_their_units_only_and_others_are_refused(client_as, travel):
    _trips(travel, 2)
    _trips(travel, 3, employee=travel["luar"].employee, unit=travel["luar"].employee.unit, follower=None)
    assert _rows(client_as("atasan").get(reverse("travel:register"))) == 2
    assert _rows(client_as("pimpinan").get(reverse("travel:register"))) == 5  # view_trip
    assert client_as("pegawai").get(reverse("travel:register")).status_code == 403
    assert (
        client_as("luar").get(reverse("export_download", args=["travel-register", "xlsx"])).status_code == 404
    )
    data = client_as("atasan").get(reverse("export_download", args=["travel-register", "xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(data.streaming_content))).active
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert not any("Gusti Ayu" in t for t in texts)


def _count_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_register_pages_take_a_constant_number_of_queries(client_as, travel, django_assert_num_queries):
    client = client_as("perjalanan")
    url = reverse("travel:register")
    _trips(travel, 3)
    client.get(url)  # warm the per-process caches (content types, sessions)
    small = _count_queries(client, url, {"per_page": 100})
    _trips(travel, 60, start=dt.date(2026, 5, 4))
    # Whatever the page size and the number of rows: session, user, cache versions and one register query.
    with django_assert_num_queries(small):
        client.get(url, {"per_page": 100})
    with django_assert_num_queries(small):
        client.get(url, {"per_page": 25})
    first = client.get(url, {"per_page": 25})
    cursor = first.context["page"].next_cursor
    with django_assert_num_queries(small):
        deeper = client.get(url, {"per_page": 25, "cursor": cursor})
    assert _rows(deeper) == 25


def test_keyset_pages_cover_every_trip_once_in_register_order(client_as, travel):
    trips = _trips(travel, 7)
    # Two trips on the same day: the id breaks the tie.
    trips += _trips(travel, 1, start=dt.date(2026, 1, 8))
    client = client_as("perjalanan")
    seen, cursor = [], None
    while True:
        params = {"per_page": 25} | ({"cursor": cursor} if cursor else {})
        page = client.get(reverse("travel:register"), params).context["page"]
        if not page.items:
            break
        seen += [t.pk for t in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    expected = sorted(trips, key=lambda t: (t.depart_date, t.pk), reverse=True)
    assert seen == [t.pk for t in expected]
    # Small pages too.
    page = client.get(reverse("travel:register"), {"per_page": 25, "cursor": "2026-01-08_999999"}).context[
        "page"
    ]
    assert next(t.depart_date for t in page.items) == dt.date(2026, 1, 8)


def test_xlsx_export_holds_exactly_the_filtered_rows(client_as, travel):
    _trips(travel, 3, start=dt.date(2026, 1, 5))
    _trips(travel, 2, start=dt.date(2026, 2, 2), region="31.71")
    response = client_as("perjalanan").get(
        reverse("export_download", args=["travel-register", "xlsx"]), {"province": "31"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r and r[0] == "No.")
    data = [r for r in rows[header + 1 :] if r and r[0] is not None]
    assert len(data) == 2
    labels = rows[header]
    first = dict(zip(labels, data[0], strict=False))
    assert first["Pelaksana"] == "Ni Made Ayu Kartika; Kadek Agus Permana"
    assert "KOTA ADM. JAKARTA PUSAT" in first["Tujuan"]
    assert first["Berangkat"].date() == dt.date(2026, 2, 3)  # newest first
    assert first["Lama (hari)"] == 2
    assert Decimal(str(first["Jumlah biaya"])) == Decimal("1250000.50")
    assert first["Status"] == "Bernomor"


def test_pdf_export_text_shows_the_filtered_spts(client_as, travel):
    _trips(travel, 2, start=dt.date(2026, 1, 5))
    _trips(travel, 1, start=dt.date(2026, 2, 2), region="31.71")
    response = client_as("perjalanan").get(
        reverse("export_download", args=["travel-register", "pdf"]),
        {"province": "51", "depart_to": "2026-01-31"},
    )
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    compact = "".join(text.split())
    assert "Buku Register SPT" in text
    assert "Provinsi tujuan: BALI" in text and "31 Januari 2026" in text, text[:400]
    assert "800.1.11.1/1/BiroUmum/2026" in compact and "800.1.11.1/2/BiroUmum/2026" in compact
    assert "800.1.11.1/3/BiroUmum/2026" not in compact
    assert "NiMadeAyuKartika" in compact
