"""The register's columns on travel_trip kept by database triggers (travel/migrations/0004): every write to
travellers, destinations, employee names/titles and region names shows on the next page, and the
traveller/destination filters keep their meaning while reading them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from matrix_travel import setup_travel

from situok.regions import Region
from staff.models import Employee
from travel.filters import TripFilter
from travel.models import Trip, TripDestination, TripMember
from travel.selectors import register_page, trip_column, trips_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def travel(personas):
    setup_travel()
    return personas


def _trip(employee, *, day=dt.date(2026, 3, 2), regions=("51.04",), others=(), place="Kantor Bupati") -> Trip:
    trip = Trip.objects.create(
        unit=employee.unit, purpose="Koordinasi", travel_type="luar_kota", depart_date=day,
        return_date=day + dt.timedelta(days=1), status=Trip.Status.NUMBERED,
        spt_number=f"800.1.11.1/{Trip.objects.count() + 1}/B.Um/2026", spt_date=day, dasar=["Undangan"],
    )  # fmt: skip
    TripMember.objects.create(trip=trip, employee=employee, order=0, is_lead=True)
    for order, other in enumerate(others, start=1):
        TripMember.objects.create(trip=trip, employee=other, order=order)
    for order, region in enumerate(regions):
        TripDestination.objects.create(
            trip=trip, order=order, region_id=region, place=place if order == 0 else ""
        )
    return trip


def _columns(trip: Trip) -> dict[str, str]:
    names = ("traveller_names", "destination_regions", "traveller_list", "destination_list")
    return Trip.objects.filter(pk=trip.pk).values(**{name: trip_column(name) for name in names}).get()


def _row(trip: Trip):
    return next(
        row for row in register_page(Trip.objects.all(), None, per_page=100).items if row.pk == trip.pk
    )


def _found(params: dict) -> set[int]:
    return set(TripFilter(params, queryset=Trip.objects.all()).qs.values_list("pk", flat=True))


def test_new_travellers_and_destinations_fill_the_columns_in_order(travel):
    pegawai, honorer = travel["pegawai"].employee, travel["honorer"].employee
    trip = _trip(pegawai, others=[honorer], regions=("51.04", "31.71"))
    columns = _columns(trip)
    assert columns["traveller_names"].split("\n") == [pegawai.name, honorer.name]
    assert set(columns["destination_regions"].split()) == {"51.04.", "31.71."}
    assert columns["destination_regions"].startswith(" ") and columns["destination_regions"].endswith(" ")
    row = _row(trip)
    assert row.members == [pegawai.name_with_titles, honorer.name_with_titles]
    assert row.destinations == [("Kantor Bupati", "KABUPATEN GIANYAR"), ("", "KOTA ADM. JAKARTA PUSAT")]


def test_removed_reordered_and_changed_travellers_and_destinations_follow(travel):
    pegawai, honorer, luar = (travel[p].employee for p in ("pegawai", "honorer", "luar"))
    trip = _trip(pegawai, others=[honorer])
    TripMember.objects.filter(trip=trip, employee=honorer).update(employee=luar)
    assert _row(trip).members == [pegawai.name_with_titles, luar.name_with_titles]
    TripMember.objects.filter(trip=trip, employee=luar).update(order=0)
    TripMember.objects.filter(trip=trip, employee=pegawai).update(order=1)
    assert _row(trip).members == [luar.name_with_titles, pegawai.name_with_titles]
    TripMember.objects.filter(trip=trip, employee=luar).delete()
    assert _row(trip).members == [pegawai.name_with_titles]
    assert _columns(trip)["traveller_names"] == pegawai.name
    TripDestination.objects.filter(trip=trip).update(region_id="31.71", place="Kemendagri")
    assert _row(trip).destinations == [("Kemendagri", "KOTA ADM. JAKARTA PUSAT")]
    assert _columns(trip)["destination_regions"] == " 31.71. "
    TripDestination.objects.filter(trip=trip).delete()
    assert _row(trip).destinations == []
    assert _columns(trip)["destination_regions"] == ""


def test_a_renamed_employee_or_region_shows_in_the_register_and_its_filters(travel, client_as):
    pegawai = travel["pegawai"].employee
    trip = _trip(pegawai)
    other = _trip(travel["luar"].employee, regions=("31.71",))
    Employee.objects.filter(pk=pegawai.pk).update(
        name="Ni Luh Sekar Tanjung", front_title="Dr.", back_title="M.Si."
    )
    assert _row(trip).members == ["Dr. Ni Luh Sekar Tanjung, M.Si."]
    assert _row(other).members == [travel["luar"].employee.name_with_titles]  # untouched
    assert _found({"pegawai": "sekar tanjung"}) == {trip.pk}
    assert _found({"pegawai": "Dr."}) == set()  # titles are not part of the name search
    Region.objects.filter(pk="51.04").update(name="KABUPATEN GIANYAR BARU")
    assert _row(trip).destinations == [("Kantor Bupati", "KABUPATEN GIANYAR BARU")]
    html = client_as("perjalanan").get(reverse("travel:register")).content.decode()
    assert "Dr. Ni Luh Sekar Tanjung, M.Si." in html and "Kantor Bupati (KABUPATEN GIANYAR BARU)" in html


def test_the_traveller_filter_is_a_case_insensitive_name_part_of_any_traveller(travel):
    pegawai, honorer = travel["pegawai"].employee, travel["honorer"].employee
    both = _trip(pegawai, others=[honorer])
    alone = _trip(honorer, day=dt.date(2026, 3, 3))
    part = honorer.name.split()[-1]
    assert _found({"pegawai": part.upper()}) == {both.pk, alone.pk}
    assert _found({"pegawai": f"  {pegawai.name.lower()} "}) == {both.pk}
    # Never across two travellers' names, and LIKE wildcards are plain characters.
    assert _found({"pegawai": f"{pegawai.name}\n{honorer.name}"}) == set()
    assert _found({"pegawai": f"{pegawai.name[-3:]} {honorer.name[:3]}"}) == set()
    assert _found({"pegawai": "%"}) == set()
    assert _found({"pegawai": "_"}) == set()
    # Digits: a NIP prefix (4 digits or more).
    assert _found({"pegawai": pegawai.nip[:8]}) == {both.pk}


def test_the_destination_filters_match_the_region_and_the_regions_below_it(travel):
    pegawai = travel["pegawai"].employee
    gianyar = _trip(pegawai, regions=("51.04",))
    sukawati = _trip(pegawai, regions=("51.04.01",), day=dt.date(2026, 3, 3))
    denpasar_and_jakarta = _trip(pegawai, regions=("51.71", "31.71"), day=dt.date(2026, 3, 4))
    bali_only = _trip(pegawai, regions=("51",), day=dt.date(2026, 3, 5))
    assert _found({"province": "51"}) == {gianyar.pk, sukawati.pk, denpasar_and_jakarta.pk, bali_only.pk}
    assert _found({"province": "31"}) == {denpasar_and_jakarta.pk}
    assert _found({"regency": "51.04"}) == {gianyar.pk, sukawati.pk}
    assert _found({"regency": "51.71"}) == {denpasar_and_jakarta.pk}
    assert _found({"regency": "51.03"}) == set()


def test_the_filters_follow_the_query_when_it_becomes_a_subquery(travel):
    trip = _trip(travel["pegawai"].employee)
    _trip(travel["luar"].employee, regions=("31.71",))
    inner = TripFilter(
        {"province": "51", "pegawai": travel["pegawai"].employee.name}, queryset=Trip.objects.all()
    ).qs
    outer = Trip.objects.filter(pk__in=inner.values("pk")).annotate(names=trip_column("traveller_names"))
    assert list(outer.values_list("pk", F("names"))) == [(trip.pk, travel["pegawai"].employee.name)]


def test_a_register_page_reads_travel_tables_once_whatever_its_size(travel, client_as):
    for i in range(30):
        _trip(
            travel["pegawai"].employee,
            others=[travel["honorer"].employee],
            day=dt.date(2026, 1, 1) + dt.timedelta(i),
        )
    client = client_as("perjalanan")
    client.get(reverse("travel:register"))
    for params in ({"per_page": 100}, {"per_page": 25}, {"province": "51", "pegawai": "a"}):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("travel:register"), params).status_code == 200
        travel_queries = [q["sql"] for q in queries.captured_queries if "travel_" in q["sql"]]
        assert len(travel_queries) == 1, travel_queries


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_name_filter_is_an_ilike_on_the_column_on_postgresql(travel):
    sql = str(TripFilter({"pegawai": "wayan"}, queryset=Trip.objects.all()).qs.query)
    assert "traveller_names ILIKE" in sql and "UPPER(" not in sql


def _walk(qs, per_page: int, **kwargs) -> list[int]:
    cursor, seen = None, []
    while True:
        page = register_page(qs, cursor, per_page=per_page, **kwargs)
        assert len(page.items) <= per_page
        seen += [row.pk for row in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return seen


def test_filtered_pages_show_exactly_the_filtered_trips_in_register_order(travel):
    """The page's ids come from the filtered queryset (destination and name filters, the joins and
    subqueries of a unit head's scope); its rows from fixed SQL — the ids query widened to the row's
    columns, or (narrow, or a query of another shape) a query of the rows of its ids: same pages."""
    pegawai, luar = travel["pegawai"].employee, travel["luar"].employee
    for i in range(12):  # several trips a day: the cursor goes through equal departure dates
        _trip(
            pegawai if i % 4 else luar,
            regions=("31.71",) if i % 3 else ("51.04",),
            day=dt.date(2026, 1, 1) + dt.timedelta(days=i % 5),
        )
    order = ("-depart_date", "-id")
    for params, expected in (
        ({"province": "31"}, Trip.objects.filter(destinations__region_id="31.71")),
        ({"regency": "51.04"}, Trip.objects.filter(destinations__region_id="51.04")),
        ({"pegawai": pegawai.name}, Trip.objects.filter(members__employee=pegawai)),
        ({}, Trip.objects.all()),
    ):
        qs = TripFilter(params, queryset=Trip.objects.all()).qs
        wanted = list(expected.order_by(*order).values_list("pk", flat=True))
        assert _walk(qs, 3) == wanted, params
        assert _walk(qs, 3, narrow=True) == wanted, params
        assert _walk(qs.distinct(), 3) == wanted, params  # SELECT DISTINCT: not widened
    # A unit head's scope (a join on the unit and a subquery on the travellers) with a destination filter.
    scoped = TripFilter({"province": "31"}, queryset=trips_visible_to(travel["atasan"])).qs
    expected = Trip.objects.filter(destinations__region_id="31.71", members__employee=pegawai)
    wanted = list(expected.order_by(*order).values_list("pk", flat=True))
    assert wanted and _walk(scoped, 2) == wanted and _walk(scoped, 2, narrow=True) == wanted
    # A filter that matches nothing whatever the data (no query at all) and one that matches nothing here.
    assert register_page(TripFilter({"pegawai": "a\nb"}, queryset=Trip.objects.all()).qs, None).items == []
    assert register_page(Trip.objects.filter(pk__in=[]), None).items == []
    Region.objects.create(code="11", name="ACEH", level=Region.Level.PROVINCE)
    assert register_page(TripFilter({"province": "11"}, queryset=Trip.objects.all()).qs, None).items == []
