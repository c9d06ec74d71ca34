"""Travel recaps: per-employee travel recap and per-month cost recap by budget line — sums in Decimal,
scoping, constant query counts, Excel and PDF read back."""

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
from travel.recaps import (
    budget_recap,
    employee_recap,
    percent,
    percent_text,
    recap_params,
)

pytestmark = pytest.mark.django_db
D = Decimal
N = Trip.Status


def _trip(personas, members, *, depart, days=1, status=N.NUMBERED, totals=(), line=None, unit=None):
    """A trip of ``members`` (persona names) with one SPPD per member carrying ``totals`` (lump sum,
    at cost) — built with the ORM so a test can hold many of them cheaply."""
    employees = [personas[m].employee for m in members]
    trip = Trip.objects.create(
        unit=unit or employees[0].unit, purpose="Koordinasi", travel_type="luar_kota", depart_date=depart,
        return_date=depart + dt.timedelta(days=days - 1), status=status, budget_line=line, dasar=["Undangan"],
        spt_number=f"800.1.11.1/{Trip.objects.count() + 1}/Biro Umum/2026" if status != N.DRAFT else "",
    )  # fmt: skip
    TripDestination.objects.create(trip=trip, region_id="51.04", place="Kantor Bupati Gianyar")
    for i, employee in enumerate(employees):
        member = TripMember.objects.create(trip=trip, employee=employee, order=i, is_lead=i == 0)
        if status != N.DRAFT:
            lump, at_cost = totals[i] if i < len(totals) else (D("480000"), D("0"))
            Sppd.objects.create(
                member=member, number=f"SPPD-{trip.pk}-{i}", cost_tier="E", rates_on=depart,
                lump_sum_total=lump, at_cost_total=at_cost, total=lump + at_cost,
            )  # fmt: skip
    return trip


@pytest.fixture
def travel(personas):
    setup_travel()
    return personas


@pytest.fixture
def lines(travel):
    return {
        "perjadin": BudgetLine.objects.create(
            year=2026,
            kode_rekening="5.1.02.04.01.0001",
            name="Belanja Perjalanan Dinas Biasa",
            sub_activity_code="4.01.01.2.06.0001",
            sub_activity_name="Penyediaan Administrasi Umum",
            ceiling=D("10000000"),
        ),
        "dalam_kota": BudgetLine.objects.create(
            year=2026,
            kode_rekening="5.1.02.04.01.0003",
            name="Belanja Perjalanan Dinas Dalam Kota",
            ceiling=D("3000000"),
        ),
        "old": BudgetLine.objects.create(
            year=2025, kode_rekening="5.1.02.04.01.0001", name="Lama", ceiling=D("1")
        ),
    }


@pytest.fixture
def year_of_trips(travel, lines):
    """pegawai: 3 counted trips (1 + 3 + 2 days); honorer follows twice; luar (Biro Hukum) once; plus
    trips that never count (draft, submitted, rejected, cancelled after numbering, 2025)."""
    p = travel
    _trip(p, ["pegawai", "honorer"], depart=dt.date(2026, 1, 13), line=lines["perjadin"],
          totals=[(D("480000"), D("150000.50")), (D("480000"), D("0"))])  # fmt: skip
    _trip(p, ["pegawai"], depart=dt.date(2026, 3, 2), days=3, status=N.SETTLED, line=lines["perjadin"],
          totals=[(D("1440000"), D("2200000"))])  # fmt: skip
    _trip(p, ["honorer", "pegawai"], depart=dt.date(2026, 3, 24), days=2, status=N.REPORTED,
          line=lines["dalam_kota"], totals=[(D("960000"), D("0")), (D("960000"), D("99999.50"))])  # fmt: skip
    _trip(p, ["luar"], depart=dt.date(2026, 7, 7), status=N.TRAVELLING, totals=[(D("480000"), D("0"))])
    # Not counted:
    _trip(p, ["pegawai"], depart=dt.date(2026, 4, 1), status=N.DRAFT, line=lines["perjadin"])
    _trip(p, ["pegawai"], depart=dt.date(2026, 4, 8), status=N.SUBMITTED, line=lines["perjadin"])
    _trip(p, ["pegawai"], depart=dt.date(2026, 4, 15), status=N.REJECTED, line=lines["perjadin"])
    _trip(p, ["pegawai"], depart=dt.date(2026, 5, 5), status=N.CANCELLED, line=lines["perjadin"])
    _trip(p, ["pegawai"], depart=dt.date(2025, 12, 30), days=3, line=lines["old"])
    return p


def _params(**query):
    return recap_params({k: str(v) for k, v in query.items()}, today=dt.date(2026, 11, 23))


# --- Parameters ----------------------------------------------------------------------------------
def test_recap_params_default_to_this_year_and_tolerate_bad_input(travel):
    params = _params()
    assert (params.year, params.date_from, params.date_to, params.unit) == (
        2026, dt.date(2026, 1, 1), dt.date(2026, 12, 31), None,
    )  # fmt: skip
    assert _params(tahun="2025").date_to == dt.date(2025, 12, 31)
    assert _params(tahun="abc").year == 2026
    assert _params(tahun="1850").year == 2026
    swapped = _params(dari="2026-06-30", sampai="2026-06-01")
    assert (swapped.date_from, swapped.date_to) == (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    assert _params(dari="kemarin").date_from == dt.date(2026, 1, 1)
    assert _params(unit="999999").unit is None
    unit = OrgUnit.objects.get(code="BUP")
    assert _params(unit=unit.pk).unit == unit
    assert recap_params({"tahun": ["2024"]}).year == 2024  # a QueryDict list


def test_percent_is_decimal_half_up_and_none_without_a_ceiling():
    assert percent(D("1"), D("3")) == D("33.33")
    assert percent(D("2"), D("3")) == D("66.67")
    assert percent(D("5"), D("0")) is None
    assert percent(D("5"), None) is None
    assert percent_text(D("12.5")) == "12,50%"
    assert percent_text(None) == ""


# --- Per-employee recap --------------------------------------------------------------------------
def test_employee_recap_counts_trips_days_and_cost_exactly(year_of_trips):
    p = year_of_trips
    recap = employee_recap(p["perjalanan"], _params())
    rows = {r.employee_id: r for r in recap.rows}
    pegawai = rows[p["pegawai"].employee.pk]
    assert (pegawai.trips, pegawai.days) == (3, 1 + 3 + 2)
    assert pegawai.lump_sum == D("480000") + D("1440000") + D("960000")
    assert pegawai.at_cost == D("150000.50") + D("2200000") + D("99999.50")
    assert pegawai.cost == D("5330000.00")
    assert isinstance(pegawai.cost, Decimal)
    honorer = rows[p["honorer"].employee.pk]
    assert (honorer.trips, honorer.days, honorer.cost) == (2, 1 + 2, D("1440000"))
    assert honorer.nip == ""  # non-ASN
    luar = rows[p["luar"].employee.pk]
    assert (luar.trips, luar.days, luar.cost) == (1, 1, D("480000"))
    assert len(recap.rows) == 3
    assert [r.name for r in recap.rows] == sorted(r.name for r in recap.rows)
    assert (recap.trips, recap.days) == (6, 10)
    assert recap.cost == D("5330000.00") + D("1440000") + D("480000")
    assert recap.lump_sum + recap.at_cost == recap.cost


def test_employee_recap_filters_by_period_and_unit(year_of_trips):
    p = year_of_trips
    march = employee_recap(p["admin"], _params(dari="2026-03-01", sampai="2026-03-31"))
    assert {r.employee_id: r.trips for r in march.rows} == {
        p["pegawai"].employee.pk: 2,
        p["honorer"].employee.pk: 1,
    }
    hukum = employee_recap(p["admin"], _params(unit=OrgUnit.objects.get(code="BHK").pk))
    assert [r.employee_id for r in hukum.rows] == [p["luar"].employee.pk]
    last_year = employee_recap(p["admin"], _params(tahun=2025))
    assert [(r.trips, r.days) for r in last_year.rows] == [(1, 3)]


def test_unit_heads_see_their_units_and_others_nothing(year_of_trips):
    p = year_of_trips
    atasan = employee_recap(p["atasan"], _params())
    assert {r.employee_id for r in atasan.rows} == {p["pegawai"].employee.pk, p["honorer"].employee.pk}
    assert employee_recap(p["pegawai"], _params()).rows == []
    assert employee_recap(p["luar"], _params()).rows == []
    assert budget_recap(p["pegawai"], _params()).total == 0
    atasan_budget = budget_recap(p["atasan"], _params())
    assert atasan_budget.total == D("5330000.00") + D("1440000")  # not Biro Hukum's trip
    assert budget_recap(p["pimpinan"], _params()).total == D("5330000.00") + D("1440000") + D("480000")


# --- Per-month recap by budget line --------------------------------------------------------------
def test_budget_recap_sums_each_month_per_line_with_realisation(year_of_trips, lines):
    recap = budget_recap(year_of_trips["bendahara"], _params(tahun=2026))
    by_line = {r.line.pk if r.line else None: r for r in recap.rows}
    assert set(by_line) == {lines["perjadin"].pk, lines["dalam_kota"].pk, None}  # not the 2025 line
    perjadin = by_line[lines["perjadin"].pk]
    assert perjadin.months[0] == D("480000") + D("150000.50") + D("480000")  # January
    assert perjadin.months[2] == D("3640000")  # March
    assert sum(1 for m in perjadin.months if m) == 2
    assert perjadin.total == D("4750000.50")
    assert perjadin.ceiling == D("10000000")
    assert perjadin.remaining == D("5249999.50")
    assert perjadin.realisation == D("47.50")  # 47.500005 %
    assert perjadin.realisation_text == "47,50%"
    dalam_kota = by_line[lines["dalam_kota"].pk]
    assert dalam_kota.months[2] == D("2019999.50")
    assert dalam_kota.realisation == D("67.33")
    unlined = by_line[None]
    assert unlined.months[6] == D("480000") and unlined.ceiling is None and unlined.realisation is None
    assert recap.rows[-1].line is None  # the "no budget line" row comes last
    assert recap.total == D("4750000.50") + D("2019999.50") + D("480000")
    assert recap.months[2] == D("3640000") + D("2019999.50")
    assert recap.ceiling == D("13000000")
    assert recap.remaining == D("13000000") - D("4750000.50") - D("2019999.50")
    assert all(isinstance(v, Decimal) for r in recap.rows for v in r.months)


def test_budget_recap_lists_unused_lines_and_filters_by_unit(year_of_trips, lines):
    recap = budget_recap(year_of_trips["admin"], _params(tahun=2026, unit=OrgUnit.objects.get(code="BHK").pk))
    by_line = {r.line.pk if r.line else None: r for r in recap.rows}
    assert by_line[lines["perjadin"].pk].total == 0  # listed although nothing was charged
    assert by_line[None].total == D("480000")
    old = budget_recap(year_of_trips["admin"], _params(tahun=2025))
    assert [(r.line, r.months[11]) for r in old.rows] == [(lines["old"], D("480000"))]
    assert old.rows[0].realisation == D("48000000.00")  # overspent a Rp1 ceiling, shown as is


# --- Queries -------------------------------------------------------------------------------------
def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_recaps_take_a_constant_number_of_queries(travel, lines, client_as):
    user = travel["perjalanan"]
    _trip(travel, ["pegawai", "honorer"], depart=dt.date(2026, 2, 3), line=lines["perjadin"])
    params = _params()
    client = client_as("perjalanan")
    client.get(reverse("travel:recap_employees"))  # warm per-process caches
    employee_recap(user, params)  # and the user's permission cache
    small = [
        _queries(lambda: employee_recap(user, params)),
        _queries(lambda: budget_recap(user, params)),
        _queries(lambda: client.get(reverse("travel:recap_employees"))),
        _queries(lambda: client.get(reverse("travel:recap_budget"))),
    ]
    assert small[:2] == [1, 1 + 1]  # one GROUP BY (+ the budget lines)
    for i in range(25):
        who = ["pegawai", "honorer", "luar", "atasan"][i % 4]
        _trip(travel, [who, "bendahara"], depart=dt.date(2026, 1 + i % 12, 5), days=1 + i % 3,
              line=lines["perjadin"] if i % 2 else None)  # fmt: skip
    big = [
        _queries(lambda: employee_recap(user, params)),
        _queries(lambda: budget_recap(user, params)),
        _queries(lambda: client.get(reverse("travel:recap_employees"))),
        _queries(lambda: client.get(reverse("travel:recap_budget"))),
    ]
    assert big == small


# --- Pages ---------------------------------------------------------------------------------------
def test_employee_recap_page_shows_rows_totals_and_download_links(year_of_trips, client_as):
    response = client_as("pimpinan").get(
        reverse("travel:recap_employees"), {"dari": "2026-03-01", "sampai": "2026-03-31"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="recap-row"') == 2
    assert "Rp4.700.000" in html  # pegawai: 3.640.000 + 1.059.999,50 (whole rupiah, half up)
    assert "Rp960.000" in html  # honorer
    assert "dari=2026-03-01&amp;sampai=2026-03-31" in html
    assert reverse("export_download", args=["travel-recap-employee", "xlsx"]) in html


def test_employee_recap_page_shows_a_reversed_period_next_to_the_field(travel, client_as):
    response = client_as("pimpinan").get(
        reverse("travel:recap_employees"), {"dari": "2026-03-31", "sampai": "2026-03-01"}
    )
    assert response.status_code == 200
    assert response.context["recap"] is None
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in response.content.decode()


def test_unit_head_cannot_pick_a_unit_outside_their_scope(travel, client_as):
    hukum = OrgUnit.objects.get(code="BHK")
    response = client_as("atasan").get(reverse("travel:recap_budget"), {"unit": hukum.pk})
    assert response.status_code == 200
    assert response.context["recap"] is None
    assert response.context["form"].errors["unit"]
    own = OrgUnit.objects.get(code="BUP.TU.1")
    ok = client_as("atasan").get(reverse("travel:recap_budget"), {"unit": own.pk, "tahun": "2026"})
    assert ok.context["recap"] is not None


def test_budget_recap_page_shows_lines_months_and_realisation(year_of_trips, client_as, lines):
    response = client_as("bendahara").get(reverse("travel:recap_budget"), {"tahun": "2026"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "5.1.02.04.01.0001" in html and "Belanja Perjalanan Dinas Biasa" in html
    assert "Tanpa mata anggaran" in html
    assert "47,50%" in html and "67,33%" in html
    assert ">Mar<" in html and ">Des<" in html
    assert "tahun=2026" in html


def test_recap_pages_are_refused_to_plain_employees(travel, client_as):
    for name in ("travel:recap_employees", "travel:recap_budget"):
        assert client_as("pegawai").get(reverse(name)).status_code == 403
        assert client_as("honorer").get(reverse(name)).status_code == 403


# --- Exports -------------------------------------------------------------------------------------
def _download(client, identifier, fmt, **query) -> bytes:
    response = client.get(reverse("export_download", args=[identifier, fmt]), query)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def _sheet(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_employee_recap_xlsx_has_a_row_per_traveller_and_a_total(year_of_trips, client_as):
    rows = _sheet(_download(client_as("perjalanan"), "travel-recap-employee", "xlsx"))
    header = rows[0]
    assert header[:7] == ["No.", "Nama", "NIP", "Jabatan", "Unit kerja", "Jumlah SPT", "Jumlah hari"]
    data = [dict(zip(header, r, strict=False)) for r in rows[1:]]
    pegawai = next(r for r in data if r["Nama"] == "Ni Made Ayu Kartika")
    assert (pegawai["Jumlah SPT"], pegawai["Jumlah hari"]) == (3, 6)
    assert D(str(pegawai["Jumlah biaya"])) == D("5330000")
    assert pegawai["NIP"] and " " in pegawai["NIP"]  # printed grouped
    total = data[-1]
    assert total["Nama"] == "Jumlah" and total["Jumlah SPT"] == 6
    assert D(str(total["Jumlah biaya"])) == D("7250000")


def test_employee_recap_pdf_text_and_scope_for_a_unit_head(year_of_trips, client_as):
    text = _pdf_text(_download(client_as("atasan"), "travel-recap-employee", "pdf", dari="2026-01-01",
                               sampai="2026-12-31"))  # fmt: skip
    assert "Rekapitulasi Perjalanan Dinas per Pegawai" in text
    assert "1 Januari 2026" in text and "31 Desember 2026" in text
    assert "Ni Made Ayu Kartika" in text and "Kadek Agus Permana" in text
    assert "Gusti Ayu" not in text  # Biro Hukum is not atasan's
    assert "Rp5.330.000" in text


def test_budget_recap_xlsx_and_pdf(year_of_trips, client_as):
    client = client_as("ppk")
    rows = _sheet(_download(client, "travel-recap-budget", "xlsx", tahun="2026"))
    header = rows[0]
    assert header[:3] == ["Kode rekening", "Uraian", "Jan"] and header[13] == "Des"
    assert header[14:] == ["Jumlah", "Pagu", "Sisa pagu", "Realisasi (%)"]
    data = {r[0] or r[1]: dict(zip(header, r, strict=False)) for r in rows[1:]}
    perjadin = data["5.1.02.04.01.0001"]
    assert D(str(perjadin["Jan"])) == D("1110000.50")
    assert D(str(perjadin["Mar"])) == D("3640000")
    assert D(str(perjadin["Realisasi (%)"])) == D("47.50")
    assert data["Jumlah"]["Uraian"] == "Jumlah"
    assert D(str(data["Jumlah"]["Jumlah"])) == D("7250000")
    assert any(str(k).startswith("Tanpa mata anggaran") for k in data)
    text = _pdf_text(_download(client, "travel-recap-budget", "pdf", tahun="2026"))
    assert "Rekapitulasi Biaya Perjalanan Dinas per Bulan menurut Mata Anggaran" in text
    assert "Tahun anggaran 2026" in text
    compact = "".join(text.split())
    assert "5.1.02.04.01.0001" in compact and "Rp3.640.000" in compact and "47,50" in compact


def test_recap_exports_are_hidden_from_plain_employees(travel, client_as):
    for identifier in ("travel-recap-employee", "travel-recap-budget"):
        response = client_as("pegawai").get(reverse("export_download", args=[identifier, "xlsx"]))
        assert response.status_code == 404
