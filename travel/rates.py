"""Rate lookups by date, the cost tier of an employee, and the seeded default rates.

Every rate table (``DailyAllowanceRate``, ``LodgingCeiling``, ``RepresentationRate``,
``CostTierRule``) carries ``berlaku_mulai``/``berlaku_sampai``/``dasar_hukum`` and is edited by the
Administrator in the Django admin. The figures seeded here are **defaults to confirm against the
Pergub/SHS Bali** (domain.md §2.3, §2.6); each row says so in ``dasar_hukum``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypeVar

from django.db import models, transaction
from django.db.models import Q

from situok.regions import Region

from .models import (
    CostTier,
    CostTierRule,
    DailyAllowanceRate,
    LodgingCeiling,
    RateBase,
    RepresentationRate,
    TravelType,
)

R = TypeVar("R", bound=RateBase)

BALI = "51"
DEFAULT_FROM = dt.date(2020, 1, 1)
DASAR_DEFAULT = "Perpres 33/2020 (batas tertinggi), periksa SHS Bali — default, konfirmasi ke Pergub"
DASAR_LODGING_PLACEHOLDER = "PLACEHOLDER belum diverifikasi — isi dari SHS Bali / Perpres 33/2020"
DASAR_TIER_DEFAULT = "PMK 113/PMK.05/2012 (pemetaan pusat) — default, konfirmasi ke Pergub Bali"
FALLBACK_TIER = CostTier.F


class RateNotFound(LookupError):
    """No row of the rate table is valid on the date for the given keys."""


def valid_on(on: dt.date) -> Q:
    return Q(berlaku_mulai__lte=on) & (Q(berlaku_sampai__isnull=True) | Q(berlaku_sampai__gte=on))


def rate_on(model: type[R], *, on: dt.date, **keys) -> R:
    """The row of ``model`` matching ``keys`` valid on ``on``: latest ``berlaku_mulai`` wins.

    Raises :class:`RateNotFound` when none is valid (callers decide whether that is an error).
    """
    row = model.objects.filter(valid_on(on), **keys).order_by("-berlaku_mulai", "-id").first()
    if row is None:
        raise RateNotFound(f"{model.__name__} {keys} on {on.isoformat()}")
    return row


def rate_amount(model: type[models.Model], *, on: dt.date, default: Decimal | None = None, **keys) -> Decimal:
    """``rate_on(...).amount``; ``default`` instead of :class:`RateNotFound` when given."""
    try:
        return rate_on(model, on=on, **keys).amount
    except RateNotFound:
        if default is None:
            raise
        return default


def _rule_matches(rule: CostTierRule, employee) -> bool:
    position = employee.position
    value = rule.value
    match rule.criterion:
        case CostTierRule.Criterion.ESELON:
            return bool(position and position.eselon and position.eselon.startswith(value))
        case CostTierRule.Criterion.POSITION_KIND:
            return bool(position and position.kind == value)
        case CostTierRule.Criterion.GOLONGAN:
            return bool(employee.golongan and employee.golongan.startswith(value))
        case CostTierRule.Criterion.PPPK_GOLONGAN:
            return bool(employee.pppk_golongan and employee.pppk_golongan == value)
        case CostTierRule.Criterion.EMPLOYEE_TYPE:
            return employee.employee_type == value
    return False


def cost_tier_for(employee, *, on: dt.date | None = None) -> str:
    """The *tingkat biaya perjalanan dinas* of ``employee`` on ``on`` (today by default).

    Rules are checked by ascending ``precedence``; the seeded defaults put eselon and position-kind
    rules (jabatan) before golongan rules, so an eselon IV official with golongan IV/a is tier E, not D.
    With no matching rule (e.g. non-ASN staff) the tier is F.
    """
    on = on or dt.date.today()
    rules = CostTierRule.objects.filter(valid_on(on)).order_by("precedence", "-berlaku_mulai", "id")
    for rule in rules:
        if _rule_matches(rule, employee):
            return rule.cost_tier
    return FALLBACK_TIER.value


# Seeded defaults -------------------------------------------------------------------------------

DEFAULT_DAILY_BALI = {
    TravelType.LUAR_KOTA: Decimal("480000"),
    TravelType.DALAM_KOTA_LEBIH_8_JAM: Decimal("190000"),
    TravelType.DIKLAT: Decimal("140000"),
}

# Placeholders per tier (Rp per night) — NOT verified against the Bali SHS; flagged in dasar_hukum.
DEFAULT_LODGING_BALI = {
    CostTier.A: Decimal("4890000"),
    CostTier.B: Decimal("3900000"),
    CostTier.C: Decimal("1890000"),
    CostTier.D: Decimal("1400000"),
    CostTier.E: Decimal("1100000"),
    CostTier.F: Decimal("750000"),
}

# Central SBM pattern (pejabat negara / eselon I / eselon II); tiers D–F receive none.
DEFAULT_REPRESENTATION = {
    CostTier.A: (Decimal("250000"), Decimal("125000")),
    CostTier.B: (Decimal("200000"), Decimal("100000")),
    CostTier.C: (Decimal("150000"), Decimal("75000")),
}

C = CostTierRule.Criterion
DEFAULT_TIER_RULES = [
    # jabatan first (precedence 10/20), golongan after (30/40)
    (C.ESELON, "I.", CostTier.B, 10),
    (C.ESELON, "II.", CostTier.C, 10),
    (C.ESELON, "III.", CostTier.D, 10),
    (C.ESELON, "IV.", CostTier.E, 10),
    (C.POSITION_KIND, "JPT", CostTier.C, 20),
    (C.POSITION_KIND, "ADMINISTRATOR", CostTier.D, 20),
    (C.POSITION_KIND, "PENGAWAS", CostTier.E, 20),
    (C.GOLONGAN, "IV/", CostTier.D, 30),
    (C.GOLONGAN, "III/", CostTier.E, 30),
    (C.GOLONGAN, "II/", CostTier.F, 30),
    (C.GOLONGAN, "I/", CostTier.F, 30),
    # PPPK golongan IX–XII ≈ III, XIII–XVII ≈ IV (PermenPAN-RB pay scale); the rest fall back to F.
    *[(C.PPPK_GOLONGAN, g, CostTier.E, 40) for g in ("IX", "X", "XI", "XII")],
    *[(C.PPPK_GOLONGAN, g, CostTier.D, 40) for g in ("XIII", "XIV", "XV", "XVI", "XVII")],
]


@transaction.atomic
def seed_default_rates(*, berlaku_mulai: dt.date = DEFAULT_FROM) -> int:
    """Insert the default Bali rates and tier rules when absent; returns rows created. Idempotent.

    Existing rows (same keys and ``berlaku_mulai``) are left untouched, so an Administrator's edits
    survive re-seeding.
    """
    bali, _ = Region.objects.get_or_create(
        code=BALI, defaults={"name": "Bali", "level": Region.Level.PROVINCE}
    )
    created = 0
    for travel_type, amount in DEFAULT_DAILY_BALI.items():
        _, new = DailyAllowanceRate.objects.get_or_create(
            province=bali,
            travel_type=travel_type,
            berlaku_mulai=berlaku_mulai,
            defaults={"amount": amount, "dasar_hukum": DASAR_DEFAULT},
        )
        created += new
    for tier, amount in DEFAULT_LODGING_BALI.items():
        _, new = LodgingCeiling.objects.get_or_create(
            province=bali,
            cost_tier=tier,
            berlaku_mulai=berlaku_mulai,
            defaults={"amount": amount, "dasar_hukum": DASAR_LODGING_PLACEHOLDER},
        )
        created += new
    for tier, (luar, dalam) in DEFAULT_REPRESENTATION.items():
        for travel_type, amount in (
            (TravelType.LUAR_KOTA, luar),
            (TravelType.LUAR_DAERAH, luar),
            (TravelType.DALAM_KOTA_LEBIH_8_JAM, dalam),
        ):
            _, new = RepresentationRate.objects.get_or_create(
                cost_tier=tier,
                travel_type=travel_type,
                berlaku_mulai=berlaku_mulai,
                defaults={"amount": amount, "dasar_hukum": DASAR_DEFAULT},
            )
            created += new
    for criterion, value, tier, precedence in DEFAULT_TIER_RULES:
        _, new = CostTierRule.objects.get_or_create(
            criterion=criterion,
            value=value,
            berlaku_mulai=berlaku_mulai,
            defaults={"cost_tier": tier, "precedence": precedence, "dasar_hukum": DASAR_TIER_DEFAULT},
        )
        created += new
    return created
