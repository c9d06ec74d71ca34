"""The travel demo data: every SPT state across 2026, built through the services, idempotent, with unique
numbers and Decimal costs that add up."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from situok.services import roles_sync
from staff.demo import seed_people
from travel.costs import money
from travel.demo import DEMO_YEAR, PLANS, seed_travel
from travel.models import (
    DailyAllowanceRate,
    LodgingCeiling,
    Sppd,
    SppdStop,
    Trip,
    TripDestination,
    TripExpense,
    TripReport,
)
from travel.selectors import employee_on_official_travel

pytestmark = pytest.mark.django_db
S = Trip.Status


@pytest.fixture
def demo(db):
    roles_sync()
    seed_people(1)
    started = time.monotonic()
    created = seed_travel(1)
    return {"created": created, "elapsed": time.monotonic() - started}


def test_demo_trips_cover_every_state_with_costs_reports_and_unique_numbers(demo):
    """One seed (it takes a few seconds), every property checked on it."""
    _every_state_is_present_in_2026(demo)
    _numbers_are_unique_and_only_numbered_trips_have_them()
    _costs_are_decimal_and_add_up()
    _after_the_trip_there_are_visum_expenses_dpr_reports_and_payments()
    _destinations_outside_bali_have_demo_rates()
    _seeding_again_creates_nothing_and_is_fast(demo)


def _every_state_is_present_in_2026(demo):
    assert demo["created"] == len(PLANS)
    statuses = set(Trip.objects.values_list("status", flat=True))
    expected = {
        S.DRAFT, S.SUBMITTED, S.NUMBERED, S.TRAVELLING, S.RETURNED, S.REPORTED, S.SETTLED, S.REJECTED,
        S.RETURNED_FOR_REVISION, S.CANCELLED,
    }  # fmt: skip
    assert expected <= statuses
    # A cancelled SPT that had been numbered keeps its number (batal); another was cancelled as a draft.
    assert Trip.objects.filter(status=S.CANCELLED).exclude(spt_number="").exists()
    assert Trip.objects.filter(status=S.CANCELLED, spt_number="").exists()
    # One submitted SPT waits for the supervisor, the other already passed them and waits for the leader.
    months = {
        d.month
        for d in Trip.objects.filter(depart_date__year=DEMO_YEAR).values_list("depart_date", flat=True)
    }
    assert len(months) >= 10
    assert employee_on_official_travel(Trip.objects.get(status=S.TRAVELLING).members.first().employee,
                                       Trip.objects.get(status=S.TRAVELLING).depart_date)  # fmt: skip


def _numbers_are_unique_and_only_numbered_trips_have_them():
    numbers = list(Trip.objects.exclude(spt_number="").values_list("spt_number", flat=True))
    assert len(numbers) == len(set(numbers)) >= 10
    assert not Trip.objects.filter(
        status__in=[S.DRAFT, S.SUBMITTED, S.REJECTED, S.RETURNED_FOR_REVISION], spt_number__gt=""
    ).exists()
    sppd_numbers = list(Sppd.objects.values_list("number", flat=True))
    assert all(sppd_numbers) and len(sppd_numbers) == len(set(sppd_numbers))
    numbered = Trip.objects.exclude(spt_number="")
    assert all(t.spt_date < t.depart_date for t in numbered)  # dated before departure
    assert Sppd.objects.count() == sum(t.members.count() for t in numbered)


def _costs_are_decimal_and_add_up():
    sppds = list(Sppd.objects.select_related("member__trip"))
    assert sppds
    for sppd in sppds:
        for value in (sppd.total, sppd.lump_sum_total, sppd.at_cost_total, sppd.advance, sppd.daily_rate):
            assert isinstance(value, Decimal)
            assert value == money(value)  # whole rupiah
        assert sppd.total == sppd.lump_sum_total + sppd.at_cost_total
        lines = sum((Decimal(line["amount"]) for line in sppd.cost_lines), Decimal("0"))
        assert lines == sppd.total
    assert any(s.advance > 0 for s in sppds)


def _after_the_trip_there_are_visum_expenses_dpr_reports_and_payments():
    assert SppdStop.objects.filter(arrived_on__isnull=False).exists()
    assert TripExpense.objects.filter(has_receipt=True).exclude(receipt="").exists()
    assert TripExpense.objects.filter(has_receipt=False).exists()  # on the DPR
    assert TripExpense.objects.filter(kind=TripExpense.Kind.LODGING).exists()
    reports = TripReport.objects.all()
    assert reports.filter(acknowledged_at__isnull=False).exists()
    assert reports.filter(acknowledged_at__isnull=True).exists()
    assert reports.filter(files__kind="photo").exists()
    for trip in Trip.objects.filter(status=S.SETTLED):
        assert trip.report.acknowledged_at is not None
        assert not Sppd.objects.filter(member__trip=trip, paid_at__isnull=True).exists()
    reported = Trip.objects.filter(status=S.REPORTED)
    assert reported.exists() and all(t.report.filed_at for t in reported)
    assert Sppd.objects.filter(member__trip__status=S.REPORTED, paid_at__isnull=False).exists()
    returned = Trip.objects.filter(status=S.RETURNED)
    assert returned.exists() and not TripReport.objects.filter(trip__in=returned).exists()
    assert all(t.report_due_date for t in returned)


def _destinations_outside_bali_have_demo_rates():
    provinces = {
        c[:2] for c in TripDestination.objects.exclude(region=None).values_list("region_id", flat=True)
    }
    assert provinces - {"51"}
    for province in provinces - {"51"}:
        assert DailyAllowanceRate.objects.filter(province_id=province, travel_type="luar_daerah").exists()
        assert LodgingCeiling.objects.filter(province_id=province).count() == 6
        assert "demo" in DailyAllowanceRate.objects.filter(province_id=province).first().dasar_hukum


def _seeding_again_creates_nothing_and_is_fast(demo):
    counts = (
        Trip.objects.count(),
        Sppd.objects.count(),
        TripExpense.objects.count(),
        TripReport.objects.count(),
    )
    assert seed_travel(1) == 0
    assert seed_travel(2) == 0
    assert (Trip.objects.count(), Sppd.objects.count(), TripExpense.objects.count(),
            TripReport.objects.count()) == counts  # fmt: skip
    # About 5 s on an idle laptop; the bound leaves room for a loaded CI machine.
    assert demo["elapsed"] < 30, demo["elapsed"]
