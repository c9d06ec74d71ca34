import datetime as dt
from decimal import Decimal

import pytest

from situok.regions import Region
from staff.models import Employee, Position
from travel.models import CostTierRule, DailyAllowanceRate, LodgingCeiling, TravelType
from travel.rates import RateNotFound, cost_tier_for, rate_on, seed_default_rates

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 3, 10)


def employee(*, kind="", eselon="", golongan="", pppk_golongan="", employee_type="PNS"):
    position = Position(name="x", kind=kind, eselon=eselon, bup=58) if kind else None
    return Employee(
        name="x",
        employee_type=employee_type,
        golongan=golongan,
        pppk_golongan=pppk_golongan,
        position=position,
    )


def test_seed_default_rates_is_idempotent_and_flags_defaults():
    created = seed_default_rates()
    assert created > 0
    assert seed_default_rates() == 0
    row = rate_on(DailyAllowanceRate, on=ON, province_id="51", travel_type=TravelType.LUAR_KOTA)
    assert row.amount == Decimal("480000.00")
    assert "konfirmasi ke Pergub" in row.dasar_hukum
    assert "Perpres 33/2020" in row.dasar_hukum
    assert "PLACEHOLDER" in rate_on(LodgingCeiling, on=ON, province_id="51", cost_tier="E").dasar_hukum


@pytest.mark.parametrize(
    ("travel_type", "amount"),
    [
        (TravelType.LUAR_KOTA, "480000"),
        (TravelType.DALAM_KOTA_LEBIH_8_JAM, "190000"),
        (TravelType.DIKLAT, "140000"),
    ],
)
def test_seeded_bali_daily_allowances(travel_type, amount):
    seed_default_rates()
    assert rate_on(DailyAllowanceRate, on=ON, province_id="51", travel_type=travel_type).amount == Decimal(
        amount
    )


def test_seed_does_not_overwrite_an_admin_edit():
    seed_default_rates()
    DailyAllowanceRate.objects.filter(travel_type=TravelType.LUAR_KOTA).update(amount=Decimal("450000"))
    seed_default_rates()
    assert rate_on(DailyAllowanceRate, on=ON, province_id="51", travel_type="luar_kota").amount == 450000


def test_rate_on_picks_latest_start_valid_on_the_date_and_respects_end():
    bali = Region.objects.create(code="51", name="BALI", level=1)
    kw = {"province": bali, "travel_type": TravelType.LUAR_KOTA, "dasar_hukum": "t"}
    old = DailyAllowanceRate.objects.create(berlaku_mulai=dt.date(2024, 1, 1), amount=480000, **kw)
    new = DailyAllowanceRate.objects.create(berlaku_mulai=dt.date(2026, 7, 1), amount=500000, **kw)
    ended = DailyAllowanceRate.objects.create(
        berlaku_mulai=dt.date(2025, 1, 1), berlaku_sampai=dt.date(2025, 12, 31), amount=470000, **kw
    )
    keys = {"province_id": "51", "travel_type": TravelType.LUAR_KOTA}
    assert rate_on(DailyAllowanceRate, on=dt.date(2024, 6, 30), **keys) == old
    assert rate_on(DailyAllowanceRate, on=dt.date(2025, 12, 31), **keys) == ended
    assert rate_on(DailyAllowanceRate, on=dt.date(2026, 1, 1), **keys) == old
    assert rate_on(DailyAllowanceRate, on=dt.date(2026, 6, 30), **keys) == old
    assert rate_on(DailyAllowanceRate, on=dt.date(2026, 7, 1), **keys) == new
    with pytest.raises(RateNotFound):
        rate_on(DailyAllowanceRate, on=dt.date(2023, 12, 31), **keys)


@pytest.mark.parametrize(
    ("kwargs", "tier"),
    [
        ({"kind": "JPT", "eselon": "I.b", "golongan": "IV/e"}, "B"),
        ({"kind": "JPT", "eselon": "II.a", "golongan": "IV/c"}, "C"),
        ({"kind": "ADMINISTRATOR", "eselon": "III.a", "golongan": "IV/a"}, "D"),
        ({"kind": "PENGAWAS", "eselon": "IV.a", "golongan": "IV/a"}, "E"),  # jabatan over golongan
        ({"kind": "PENGAWAS", "eselon": "IV.b", "golongan": "III/c"}, "E"),
        ({"kind": "ADMINISTRATOR", "golongan": "III/d"}, "D"),  # kind when eselon is blank
        ({"kind": "FUNGSIONAL", "golongan": "IV/b"}, "D"),
        ({"kind": "PELAKSANA", "golongan": "III/a"}, "E"),
        ({"golongan": "II/c"}, "F"),
        ({"golongan": "I/d"}, "F"),
        ({"employee_type": "PPPK", "pppk_golongan": "IX"}, "E"),
        ({"employee_type": "PPPK", "pppk_golongan": "XIII"}, "D"),
        ({"employee_type": "PPPK", "pppk_golongan": "V"}, "F"),
        ({"employee_type": "NON_ASN"}, "F"),
    ],
)
def test_cost_tier_for_default_rules(kwargs, tier):
    seed_default_rates()
    assert cost_tier_for(employee(**kwargs), on=ON) == tier


def test_cost_tier_rules_are_editable_and_dated():
    seed_default_rates()
    CostTierRule.objects.create(
        criterion=CostTierRule.Criterion.GOLONGAN,
        value="III/d",
        cost_tier="D",
        precedence=25,
        berlaku_mulai=dt.date(2026, 7, 1),
        dasar_hukum="Pergub (contoh)",
    )
    staff = employee(kind="PELAKSANA", golongan="III/d")
    assert cost_tier_for(staff, on=dt.date(2026, 6, 30)) == "E"
    assert cost_tier_for(staff, on=dt.date(2026, 7, 1)) == "D"


def test_cost_tier_without_rules_falls_back_to_f():
    assert cost_tier_for(employee(kind="JPT", eselon="II.a"), on=ON) == "F"
