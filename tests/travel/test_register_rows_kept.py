"""The register keeps the markup of each row per its columns, the unit and budget labels, the language and
the URL prefix (travel/views.py ``_register_rows``): whatever changes what a row shows must show on the
next request — the trip itself, its travellers, a unit's name, a budget line's code, the language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from matrix_travel import setup_travel

from staff.models import Employee, OrgUnit
from travel import views
from travel.models import BudgetLine, Trip, TripMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def trip(personas) -> Trip:
    setup_travel()
    employee = personas["pegawai"].employee
    day = dt.date(2026, 3, 2)
    budget = BudgetLine.objects.create(
        year=2026, kode_rekening="5.1.02.04.01.0001", name="Belanja perjalanan dinas"
    )
    trip = Trip.objects.create(
        unit=employee.unit, purpose="Koordinasi", travel_type="luar_kota", depart_date=day,
        return_date=day + dt.timedelta(days=1), status=Trip.Status.NUMBERED, spt_number="800.1.11.1/7/B.Um/2026",
        spt_date=day, dasar=["Undangan"], budget_line=budget,
    )  # fmt: skip
    TripMember.objects.create(trip=trip, employee=employee, order=0, is_lead=True)
    return trip


def _row(client, trip: Trip) -> str:
    html = client.get(reverse("travel:register"), {"per_page": 100}).content.decode()
    link = reverse("travel:trip_detail", args=[trip.pk])
    return html.split(f'<a href="{link}">', 1)[1].split("</tr>", 1)[0]


def test_a_kept_row_follows_every_change_of_what_it_shows(client_as, trip, personas):
    client = client_as("admin")
    first = _row(client, trip)
    assert first == _row(client, trip) and views._ROW_MARKUP  # kept, and the same
    assert "800.1.11.1/7/B.Um/2026" in first and personas["pegawai"].employee.name in first
    assert "5.1.02.04.01.0001" in first

    Trip.objects.filter(pk=trip.pk).update(status=Trip.Status.SETTLED, spt_number="800.1.11.1/8/B.Um/2026")
    row = _row(client, trip)
    assert "800.1.11.1/8/B.Um/2026" in row and "text-bg-dark" in row

    Employee.objects.filter(pk=personas["pegawai"].employee.pk).update(name="Made Nama Baru")
    assert "Made Nama Baru" in _row(client, trip)  # the travellers column, kept by triggers

    OrgUnit.objects.filter(pk=trip.unit_id).update(abbreviation="UNITBARU")
    assert "<div>UNITBARU</div>" in _row(client, trip)  # the row's columns are the same: the label is not

    BudgetLine.objects.filter(pk=trip.budget_line_id).update(kode_rekening="9.9.99.99.99.9999")
    assert "9.9.99.99.99.9999" in _row(client, trip)

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "2 days" in _row(client, trip)
