import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from situok.regions import Region
from staff.models import Employee, OrgUnit
from travel.models import (
    BudgetLine,
    CostTierRule,
    DailyAllowanceRate,
    LodgingCeiling,
    RepresentationRate,
    Sppd,
    TravelType,
    Trip,
    TripDestination,
    TripMember,
)

pytestmark = pytest.mark.django_db

D = dt.date(2026, 3, 10)


@pytest.fixture
def unit():
    return OrgUnit.objects.create(code="U1", name="Biro Umum", abbreviation="Biro Umum", kind="biro")


@pytest.fixture
def bali():
    Region.objects.create(code="51", name="BALI", level=1)
    return Region.objects.create(code="51.71", name="KOTA DENPASAR", level=2, parent_id="51")


def make_trip(unit, depart=D, ret=D, **kw):
    return Trip.objects.create(
        unit=unit,
        purpose="Koordinasi",
        travel_type=TravelType.LUAR_KOTA,
        depart_date=depart,
        return_date=ret,
        **kw,
    )


@pytest.mark.parametrize(
    ("ret", "days", "nights"), [(D, 1, 0), (D + dt.timedelta(1), 2, 1), (D + dt.timedelta(4), 5, 4)]
)
def test_days_are_inclusive(unit, ret, days, nights):
    trip = make_trip(unit, ret=ret)
    assert (trip.days, trip.nights) == (days, nights)


def test_return_before_depart_is_rejected_by_the_database(unit):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_trip(unit, ret=D - dt.timedelta(1))


def test_origin_defaults_to_denpasar_when_regions_are_loaded(unit, bali):
    trip = make_trip(unit)
    assert trip.origin_id == "51.71"
    TripDestination.objects.create(trip=trip, region=Region.objects.create(code="31", name="DKI", level=1))
    assert trip.destination_province_code() == "31"


def test_origin_is_empty_without_region_data(unit):
    assert make_trip(unit).origin_id is None


def test_destination_needs_region_or_place(unit):
    trip = make_trip(unit)
    TripDestination.objects.create(trip=trip, place="Kantor Bupati Gianyar")
    with pytest.raises(IntegrityError), transaction.atomic():
        TripDestination.objects.create(trip=trip)


def test_member_unique_per_trip_and_one_lead(unit):
    trip = make_trip(unit)
    a = Employee.objects.create(name="A", sex="L", employee_type="NON_ASN", unit=unit)
    b = Employee.objects.create(name="B", sex="P", employee_type="NON_ASN", unit=unit)
    TripMember.objects.create(trip=trip, employee=a, is_lead=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        TripMember.objects.create(trip=trip, employee=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        TripMember.objects.create(trip=trip, employee=b, is_lead=True)
    TripMember.objects.create(trip=trip, employee=b, order=1)
    assert trip.members.count() == 2


def test_spt_number_unique_once_given_blank_allowed_many_times(unit):
    make_trip(unit)
    make_trip(unit)
    make_trip(unit, spt_number="000.1.2.3/1/Biro Umum")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_trip(unit, spt_number="000.1.2.3/1/Biro Umum")


def rate_kwargs(model, bali):
    if model is DailyAllowanceRate:
        return {"province_id": "51", "travel_type": TravelType.LUAR_KOTA}
    if model is LodgingCeiling:
        return {"province_id": "51", "cost_tier": "E"}
    return {"cost_tier": "C", "travel_type": TravelType.LUAR_KOTA}


@pytest.mark.parametrize("model", [DailyAllowanceRate, LodgingCeiling, RepresentationRate])
def test_negative_rate_amount_is_rejected(bali, model):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(amount=-1, berlaku_mulai=D, dasar_hukum="t", **rate_kwargs(model, bali))


@pytest.mark.parametrize("model", [DailyAllowanceRate, LodgingCeiling, RepresentationRate])
def test_rate_period_must_not_end_before_it_starts(bali, model):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(
            amount=1,
            berlaku_mulai=D,
            berlaku_sampai=D - dt.timedelta(1),
            dasar_hukum="t",
            **rate_kwargs(model, bali),
        )


def test_cost_tier_rule_period_constraint():
    with pytest.raises(IntegrityError), transaction.atomic():
        CostTierRule.objects.create(
            criterion="eselon",
            value="II.",
            cost_tier="C",
            berlaku_mulai=D,
            berlaku_sampai=D - dt.timedelta(1),
        )


def test_budget_line_ceiling_not_negative():
    BudgetLine.objects.create(
        year=2026, kode_rekening="5.1.02.04.01.0001", name="Belanja Perjalanan Dinas Biasa"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.create(year=2026, kode_rekening="5.1.02.04.01.0002", name="x", ceiling=-1)


def test_sppd_snapshot_amounts_not_negative(unit):
    trip = make_trip(unit)
    emp = Employee.objects.create(name="A", sex="L", employee_type="NON_ASN", unit=unit)
    member = TripMember.objects.create(trip=trip, employee=emp)
    with pytest.raises(IntegrityError), transaction.atomic():
        Sppd.objects.create(member=member, cost_tier="F", rates_on=D, total=-1)
    sppd = Sppd.objects.create(member=member, cost_tier="F", rates_on=D, daily_rate=480000, total=480000)
    assert member.sppd == sppd
