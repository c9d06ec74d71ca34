import datetime as dt
from decimal import Decimal

import pytest

from situok.regions import Region
from travel.costs import AT_COST, LUMP_SUM, balance, compute_costs, money
from travel.models import DailyAllowanceRate, LodgingCeiling, TravelType
from travel.rates import RateNotFound, seed_default_rates

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 3, 10)
T = TravelType


@pytest.fixture
def rates():
    seed_default_rates()
    dki = Region.objects.create(code="31", name="DKI JAKARTA", level=1)
    common = {"province": dki, "berlaku_mulai": dt.date(2020, 1, 1), "dasar_hukum": "test"}
    DailyAllowanceRate.objects.create(travel_type=T.LUAR_DAERAH, amount=Decimal("530000"), **common)
    DailyAllowanceRate.objects.create(travel_type=T.DIKLAT, amount=Decimal("160000"), **common)
    for tier, amount in {"C": "1490000", "E": "730000", "F": "600000"}.items():
        LodgingCeiling.objects.create(cost_tier=tier, amount=Decimal(amount), **common)


def sheet(**kw):
    args = {"travel_type": T.LUAR_KOTA, "days": 1, "destination_province_code": "51", "tier": "E", "on": ON}
    return compute_costs(**(args | kw))


# (travel type, province, tier, days, expected uang harian/day, lodging ceiling/night or None)
CASES = [
    (tt, prov, tier, days, daily, ceilings[prov])
    for (tt, prov, daily) in [
        (T.LUAR_KOTA, "51", "480000"),
        (T.DALAM_KOTA_LEBIH_8_JAM, "51", "190000"),
        (T.DIKLAT, "51", "140000"),
        (T.LUAR_DAERAH, "31", "530000"),
        (T.DIKLAT, "31", "160000"),
        (T.DALAM_KOTA_SAMPAI_8_JAM, "51", None),
    ]
    for (tier, ceilings) in [
        ("C", {"51": "1890000", "31": "1490000"}),
        ("E", {"51": "1100000", "31": "730000"}),
        ("F", {"51": "750000", "31": "600000"}),
    ]
    for days in (1, 2, 5)
]


@pytest.mark.parametrize(("travel_type", "province", "tier", "days", "daily", "ceiling"), CASES)
def test_cost_table(rates, travel_type, province, tier, days, daily, ceiling):
    result = sheet(
        travel_type=travel_type,
        destination_province_code=province,
        tier=tier,
        days=days,
        transport_at_cost=Decimal("350000"),
    )
    by_kind = {line.kind: line for line in result.lines}
    expected_lump = Decimal(0)
    if daily is None:
        assert "uang_harian" not in by_kind
    else:
        line = by_kind["uang_harian"]
        assert (line.basis, line.quantity, line.unit_amount) == (LUMP_SUM, days, Decimal(daily))
        assert line.amount == Decimal(daily) * days
        expected_lump += line.amount
    nights = days - 1
    if travel_type in (T.LUAR_KOTA, T.LUAR_DAERAH) and nights:
        line = by_kind["penginapan_30"]
        assert line.quantity == nights
        assert line.unit_amount == (Decimal(ceiling) * Decimal("0.3")).quantize(Decimal(1))
        expected_lump += line.amount
    else:
        assert "penginapan_30" not in by_kind  # same day, dalam kota, or diklat (lodging provided)
    assert by_kind["transport"].basis == AT_COST
    assert result.lump_sum_total == expected_lump
    assert result.at_cost_total == Decimal("350000")
    assert result.total == expected_lump + Decimal("350000")


def test_decimal_exactness(rates):
    result = sheet(days=3, no_hotel_30_percent=False)
    assert result.lines[0].amount == Decimal("1440000.00")
    assert str(result.lines[0].amount) == "1440000.00"
    result = sheet(days=2, tier="F")
    lodging = next(line for line in result.lines if line.kind == "penginapan_30")
    assert str(lodging.unit_amount) == "225000.00"  # 30 % of 750000.00
    assert str(result.total) == "1185000.00"


def test_rounding_is_half_up_to_whole_rupiah():
    assert money(Decimal("1000.50")) == Decimal("1001.00")
    assert money(Decimal("1000.49")) == Decimal("1000.00")
    assert money(Decimal("2.5")) == Decimal("3.00")  # not banker's rounding


@pytest.mark.parametrize(
    "kwargs",
    [
        {"transport_at_cost": 350000.0},
        {"transport_at_cost": 0.1},
        {"lodging_nights_receipts": [Decimal("500000"), 500000.0], "days": 3},
    ],
)
def test_float_input_is_rejected(rates, kwargs):
    with pytest.raises(TypeError):
        sheet(**kwargs)


def test_balance_rejects_float_and_splits_pay_return():
    with pytest.raises(TypeError):
        balance(1.0, Decimal(0))
    assert balance(Decimal("1440000"), Decimal("1000000")) == (Decimal("440000.00"), Decimal("0.00"))
    assert balance(Decimal("900000"), Decimal("1000000")) == (Decimal("0.00"), Decimal("100000.00"))
    assert balance(Decimal("1000000"), Decimal("1000000")) == (Decimal("0.00"), Decimal("0.00"))


def test_lodging_receipts_are_capped_at_the_ceiling(rates):
    result = sheet(
        days=4, lodging_nights_receipts=[Decimal("900000"), Decimal("1500000"), Decimal("1100000")]
    )
    hotel = [line for line in result.lines if line.kind == "penginapan"]
    assert [line.amount for line in hotel] == [Decimal("900000"), Decimal("1100000"), Decimal("1100000")]
    assert all(line.basis == AT_COST for line in hotel)
    assert not any(line.kind == "penginapan_30" for line in result.lines)
    assert result.at_cost_total == Decimal("3100000")
    assert result.lump_sum_total == Decimal("480000") * 4


def test_nights_without_receipt_get_30_percent_and_option_off_gives_nothing(rates):
    mixed = sheet(days=3, lodging_nights_receipts=[Decimal("800000")])
    by_kind = {line.kind: line for line in mixed.lines}
    assert by_kind["penginapan"].amount == Decimal("800000")
    assert by_kind["penginapan_30"].quantity == 1
    assert by_kind["penginapan_30"].amount == Decimal("330000")  # 30 % of 1.100.000 (tier E)
    off = sheet(days=3, no_hotel_30_percent=False)
    assert [line.kind for line in off.lines] == ["uang_harian"]
    assert off.total == Decimal("1440000")


def test_too_many_receipts_or_negative_amounts_are_refused(rates):
    with pytest.raises(ValueError):
        sheet(days=2, lodging_nights_receipts=[Decimal(1), Decimal(1)])
    with pytest.raises(ValueError):
        sheet(transport_at_cost=Decimal("-1"))
    with pytest.raises(ValueError):
        sheet(days=0)


def test_representation_only_for_tiers_with_a_rate(rates):
    high = sheet(days=2, tier="C", representation=True, no_hotel_30_percent=False)
    rep = next(line for line in high.lines if line.kind == "representasi")
    assert (rep.quantity, rep.unit_amount, rep.amount, rep.basis) == (
        2,
        Decimal("150000"),
        Decimal("300000"),
        LUMP_SUM,
    )
    low = sheet(days=2, tier="E", representation=True, no_hotel_30_percent=False)
    assert not any(line.kind == "representasi" for line in low.lines)
    assert not any(
        line.kind == "representasi" for line in sheet(days=2, tier="C", no_hotel_30_percent=False).lines
    )


def test_rate_valid_on_departure_date_after_a_table_change(rates):
    bali = Region.objects.get(code="51")
    DailyAllowanceRate.objects.create(
        province=bali,
        travel_type=T.LUAR_KOTA,
        amount=Decimal("520000"),
        berlaku_mulai=dt.date(2026, 7, 1),
        dasar_hukum="Pergub baru (contoh)",
    )
    before = sheet(days=2, on=dt.date(2026, 6, 30), no_hotel_30_percent=False)
    after = sheet(days=2, on=dt.date(2026, 7, 1), no_hotel_30_percent=False)
    assert before.total == Decimal("960000")
    assert after.total == Decimal("1040000")


def test_missing_rate_raises(rates):
    with pytest.raises(RateNotFound):
        sheet(destination_province_code="32", travel_type=T.LUAR_DAERAH)


def test_dalam_kota_sampai_8_jam_is_transport_only(rates):
    result = sheet(
        travel_type=T.DALAM_KOTA_SAMPAI_8_JAM, transport_at_cost=Decimal("75000"), representation=True
    )
    assert [(line.kind, line.amount) for line in result.lines] == [("transport", Decimal("75000"))]
    assert result.lump_sum_total == Decimal(0)


def test_cost_line_as_dict_has_no_float(rates):
    for line in sheet(days=2, transport_at_cost=Decimal("123456")).lines:
        assert not any(isinstance(v, float) for v in line.as_dict().values())


def test_unknown_tier_is_refused(rates):
    with pytest.raises(ValueError):
        sheet(tier="Z")


def test_sppd_snapshot_survives_a_rate_change(rates):
    from staff.models import Employee, OrgUnit
    from travel.models import Sppd, Trip, TripMember

    unit = OrgUnit.objects.create(code="U1", name="Biro Umum", abbreviation="Biro Umum", kind="biro")
    trip = Trip.objects.create(
        unit=unit, purpose="x", travel_type=T.LUAR_KOTA, depart_date=ON, return_date=ON + dt.timedelta(1)
    )
    emp = Employee.objects.create(name="A", sex="L", employee_type="NON_ASN", unit=unit)
    member = TripMember.objects.create(trip=trip, employee=emp)
    result = sheet(days=trip.days, tier="F", on=trip.depart_date)
    sppd = Sppd.objects.create(member=member, cost_tier="F", rates_on=trip.depart_date, **result.snapshot())
    DailyAllowanceRate.objects.filter(province_id="51").update(amount=Decimal("999999"))
    LodgingCeiling.objects.filter(province_id="51").update(amount=Decimal("1"))
    sppd.refresh_from_db()
    assert (sppd.daily_rate, sppd.lodging_ceiling, sppd.total) == (
        Decimal("480000.00"),
        Decimal("750000.00"),
        Decimal("1185000.00"),
    )
    assert sppd.cost_lines[0] == {
        "kind": "uang_harian",
        "label": "Uang harian",
        "basis": "lump_sum",
        "quantity": 2,
        "unit_amount": "480000.00",
        "amount": "960000.00",
    }
