"""Derived staff values (domain.md §1.3–§1.7): pure functions, dates in, dates out. No model, no database.

Date arithmetic convention
--------------------------
Adding months or years keeps the day of month; when that day does not exist in the target month it rolls over
to the **1st of the following month** (31 Jan + 1 month = 1 Mar; 29 Feb 2024 + 1 year = 1 Mar 2025). This is
the same convention :func:`age` and :func:`masa_kerja` count with, so a person born on 29 February turns a year
older on 1 March in common years and ``masa_kerja(start, add_months(start, n))`` is exactly ``n`` months.
TMTs (*terhitung mulai tanggal*) are normally the 1st of a month, where no rounding ever happens.

BUP — *batas usia pensiun* (domain.md §1.5)
-------------------------------------------
``BUP_TABLE`` (a plain dict so an admin-editable table with a validity period can replace it later; pass it
as ``table=`` to :func:`bup_for`):

==========================================  ====  ===============================================================
post                                        BUP   source
==========================================  ====  ===============================================================
JPT utama / madya / pratama                 60    UU 20/2023 Ps. 55; PP 11/2017 Ps. 239
administrator, pengawas, pelaksana          58    same
fungsional ahli pertama, ahli muda          58    PP 11/2017 Ps. 239; Surat Ka. BKN K.26-30/V.119-2/99 (2017)
fungsional keterampilan (pemula, terampil,  58    same
mahir, penyelia)
fungsional ahli madya                       60    same
fungsional ahli utama                       65    same
==========================================  ====  ===============================================================

Special professions (dosen, peneliti, …) follow their own law and are not in the table: :func:`bup_for` raises
``ValueError`` for them rather than guessing. Legacy records that only carry an *eselon* are mapped through the
usual equivalence (domain.md §1.4: eselon I–II ≈ JPT → 60, eselon III–V ≈ administrator/pengawas → 58).

Retirement (*TMT pensiun*) is the 1st of the month after the birthday at BUP (common practice, unverified):
only the birth month matters, a person born on the 1st still retires on the 1st of the *next* month.

KGB, KP (domain.md §1.6)
------------------------
KGB (*kenaikan gaji berkala*) every 2 years of *masa kerja golongan*, counted from the reference TMT (the last
KGB, or the TMT at which the current MKG step started). KP (*kenaikan pangkat*) reguler after at least 4 years
in rank, effective only on a KP period: 1 April / 1 October until 2023, six periods (Feb, Apr, Jun, Aug, Oct,
Dec) from 2024 (Peraturan BKN 4/2023), every month from 1 October 2025 (Peraturan BKN 4/2025). Performance
requirements are not modelled here.

DUK (domain.md §1.7, PP 15/1979): see :func:`duk_sort_key`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from situok.formats import romawi

__all__ = [
    "BUP_BY_ESELON",
    "BUP_TABLE",
    "ESELON_ORDER",
    "GOLONGAN_PNS",
    "GOLONGAN_PPPK",
    "KP_PERIOD_REGIMES",
    "PENDIDIKAN_RANK",
    "DukEntry",
    "add_months",
    "add_years",
    "age",
    "bup_for",
    "duk_sort_key",
    "eselon_rank",
    "golongan_display",
    "golongan_pppk_rank",
    "golongan_rank",
    "is_promotion_eligible",
    "kp_period_on_or_after",
    "masa_kerja",
    "next_kgb_date",
    "normalize_eselon",
    "normalize_golongan",
    "pangkat_for",
    "pendidikan_rank",
    "pppk_contract_end",
    "promotion_eligible_on",
    "retirement_date",
    "retirement_reminder_date",
]


# --- Date arithmetic ------------------------------------------------------------------------------


def add_months(d: dt.date, months: int) -> dt.date:
    """``d`` plus ``months`` (may be negative); a day missing in the target month rolls to the next 1st."""
    index = d.year * 12 + d.month - 1 + months
    year, month0 = divmod(index, 12)
    if d.day <= calendar.monthrange(year, month0 + 1)[1]:
        return dt.date(year, month0 + 1, d.day)
    year, month0 = divmod(index + 1, 12)
    return dt.date(year, month0 + 1, 1)


def add_years(d: dt.date, years: int) -> dt.date:
    """``d`` plus ``years``; 29 February becomes 1 March in a common year."""
    return add_months(d, 12 * years)


def _months_between(start: dt.date, on: dt.date) -> int:
    """Completed months from ``start`` to ``on`` (``on >= start``), consistent with :func:`add_months`."""
    months = (on.year - start.year) * 12 + on.month - start.month
    if on.day < start.day:
        months -= 1
    return months


def age(birth_date: dt.date, on: dt.date) -> int:
    """Age in completed years on ``on``. Raises ``ValueError`` if ``on`` is before the birth date."""
    if on < birth_date:
        raise ValueError(f"{on} is before the birth date {birth_date}")
    return _months_between(birth_date, on) // 12


def masa_kerja(start: dt.date, on: dt.date, *, initial: tuple[int, int] = (0, 0)) -> tuple[int, int]:
    """Service time (*masa kerja*) from ``start`` to ``on`` as completed ``(years, months)``.

    Use the TMT CPNS for the overall masa kerja and the TMT golongan for masa kerja golongan. ``initial`` adds
    service credited at ``start`` (e.g. the MKG written in the rank decision, or *masa kerja bawaan*).
    Raises ``ValueError`` if ``on`` is before ``start``.
    """
    if on < start:
        raise ValueError(f"{on} is before the start {start}")
    total = _months_between(start, on) + initial[0] * 12 + initial[1]
    years, months = divmod(total, 12)
    return years, months


# --- Retirement -----------------------------------------------------------------------------------

BUP_TABLE: dict[str, int] = {
    "jpt": 60,  # JPT of unrecorded level: all three levels have the same BUP
    "jpt_utama": 60,
    "jpt_madya": 60,
    "jpt_pratama": 60,
    "administrator": 58,
    "pengawas": 58,
    "pelaksana": 58,
    "fungsional_ahli_pertama": 58,
    "fungsional_ahli_muda": 58,
    "fungsional_ahli_madya": 60,
    "fungsional_ahli_utama": 65,
    "fungsional_pemula": 58,
    "fungsional_terampil": 58,
    "fungsional_mahir": 58,
    "fungsional_penyelia": 58,
}
# Only consulted for legacy records whose position type is "struktural" (or empty) and that carry an eselon.
BUP_BY_ESELON: dict[str, int] = {"I": 60, "II": 60, "III": 58, "IV": 58, "V": 58}


def _key(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", value.strip().lower()).strip("_")


def bup_for(
    position_type: str,
    functional_level: str | None = None,
    eselon: str | None = None,
    *,
    table: Mapping[str, int] = BUP_TABLE,
) -> int:
    """BUP in years for a post (see the module docstring for the table and its sources).

    ``position_type`` is one of ``jpt_utama``, ``jpt_madya``, ``jpt_pratama`` (or ``jpt``), ``administrator``,
    ``pengawas``, ``pelaksana``, ``fungsional`` (then ``functional_level`` is required: ``ahli_pertama``,
    ``ahli_muda``, ``ahli_madya``, ``ahli_utama``, ``pemula``, ``terampil``, ``mahir``, ``penyelia``) or
    ``struktural`` for legacy data where only the ``eselon`` is known. Case, spaces and hyphens are ignored
    ("JPT Pratama", "Ahli Madya"). Anything else raises ``ValueError``.
    """
    key = _key(position_type)
    if key == "fungsional":
        if not functional_level:
            raise ValueError("a functional post needs its level to determine the BUP")
        key = f"fungsional_{_key(functional_level)}"
    if key in table:
        return table[key]
    if key in ("", "struktural") and eselon:
        roman = _eselon_parts(eselon)[0]
        if roman in BUP_BY_ESELON:
            return BUP_BY_ESELON[roman]
    raise ValueError(f"no BUP known for position type {position_type!r} (level {functional_level!r})")


def retirement_date(birth_date: dt.date, bup_years: int) -> dt.date:
    """TMT pensiun: the 1st of the month after the birthday at which the person reaches ``bup_years``."""
    return add_months(dt.date(birth_date.year + bup_years, birth_date.month, 1), 1)


def retirement_reminder_date(tmt_pensiun: dt.date, months_ahead: int = 12) -> dt.date:
    """When to start the pension paperwork: ``months_ahead`` months before TMT pensiun (domain.md §1.5)."""
    return add_months(tmt_pensiun, -months_ahead)


# --- KGB and KP -----------------------------------------------------------------------------------


def next_kgb_date(tmt_reference: dt.date, on: dt.date, *, interval_years: int = 2) -> dt.date:
    """The next KGB date on or after ``on``: ``tmt_reference`` + a positive multiple of ``interval_years``.

    ``tmt_reference`` is the TMT of the last KGB (or of the start of the current MKG step, e.g. the TMT
    golongan when the MKG in the decision is on a step). A KGB falling exactly on ``on`` is returned as is.
    Use ``interval_years=1`` for the first KGB of PPPK golongan V (domain.md §1.6).
    """
    if interval_years < 1:
        raise ValueError("interval_years must be positive")
    steps = max(1, (on.year - tmt_reference.year) // interval_years)
    while steps > 1 and add_years(tmt_reference, (steps - 1) * interval_years) >= on:
        steps -= 1
    while add_years(tmt_reference, steps * interval_years) < on:
        steps += 1
    return add_years(tmt_reference, steps * interval_years)


# (valid from, months in which a regular promotion may take effect on the 1st, legal basis)
KP_PERIOD_REGIMES: tuple[tuple[dt.date, tuple[int, ...], str], ...] = (
    (dt.date.min, (4, 10), "PP 99/2000 jo. PP 12/2002"),
    (dt.date(2024, 1, 1), (2, 4, 6, 8, 10, 12), "Peraturan BKN 4/2023"),
    (dt.date(2025, 10, 1), tuple(range(1, 13)), "Peraturan BKN 4/2025"),
)
PROMOTION_YEARS_IN_RANK = 4


def _kp_months(d: dt.date) -> tuple[int, ...]:
    months: tuple[int, ...] = ()
    for valid_from, regime_months, _basis in KP_PERIOD_REGIMES:
        if d >= valid_from:
            months = regime_months
    return months


def kp_period_on_or_after(d: dt.date) -> dt.date:
    """The first KP period (a 1st of the month allowed by the regime in force then) on or after ``d``."""
    candidate = d if d.day == 1 else add_months(d.replace(day=1), 1)
    for _ in range(13):
        if candidate.month in _kp_months(candidate):
            return candidate
        candidate = add_months(candidate, 1)
    raise AssertionError("every regime has a period at least once a year")  # pragma: no cover


def promotion_eligible_on(tmt_pangkat: dt.date) -> dt.date:
    """Earliest TMT of a regular promotion: the first KP period once 4 years in rank are complete.

    From October 2025 (monthly periods) this is simply ``tmt_pangkat`` + 4 years for a first-of-month TMT.
    """
    return kp_period_on_or_after(add_years(tmt_pangkat, PROMOTION_YEARS_IN_RANK))


def is_promotion_eligible(tmt_pangkat: dt.date, on: dt.date) -> bool:
    """Whether the time-in-rank requirement for a regular promotion is met on ``on`` (exactly 4 years counts)."""
    return on >= promotion_eligible_on(tmt_pangkat)


def pppk_contract_end(
    start: dt.date, *, years: int = 0, months: int = 0, retirement: dt.date | None = None
) -> dt.date:
    """Last day (inclusive) of a PPPK work agreement of ``years`` + ``months`` starting on ``start``.

    ``retirement`` (the TMT pensiun from the post's BUP), when given, caps the end at the day before it.
    """
    total = years * 12 + months
    if total < 1:
        raise ValueError("a work agreement lasts at least one month")
    end = add_months(start, total) - dt.timedelta(days=1)
    if retirement is not None:
        end = min(end, retirement - dt.timedelta(days=1))
    return end


# --- Golongan -------------------------------------------------------------------------------------

# PP 7/1977 Lampiran I; sort order = list order (domain.md §1.3).
GOLONGAN_PNS: tuple[tuple[str, str], ...] = (
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
)
_PNS_RANK = {code: index for index, (code, _pangkat) in enumerate(GOLONGAN_PNS)}
_PANGKAT = dict(GOLONGAN_PNS)

# PPPK salary grades I–XVII (Perpres 98/2020 as amended); sort order = numeric order.
GOLONGAN_PPPK: tuple[str, ...] = tuple(romawi(n) for n in range(1, 18))
_PPPK_RANK = {code: index for index, code in enumerate(GOLONGAN_PPPK)}

_GOLONGAN_RE = re.compile(r"^\s*(IV|III|II|I)\s*[./-]?\s*([A-E])\s*$", re.IGNORECASE)


def normalize_golongan(golongan: str) -> str:
    """Canonical PNS golongan ruang ``"III/b"`` from ``"III/b"``, ``"iii b"``, ``"IIIb"``, ``"III.B"``.

    Raises ``ValueError`` for anything that is not one of the 17 golongan ruang.
    """
    match = _GOLONGAN_RE.match(golongan or "")
    code = f"{match.group(1).upper()}/{match.group(2).lower()}" if match else None
    if code not in _PNS_RANK:
        raise ValueError(f"unknown golongan ruang {golongan!r}")
    return code


def golongan_rank(golongan: str) -> int:
    """Sort position of a PNS golongan ruang: I/a is 0, IV/e is 16 (higher is senior)."""
    return _PNS_RANK[normalize_golongan(golongan)]


def pangkat_for(golongan: str) -> str:
    """Pangkat name for a golongan ruang: ``"III/b"`` → ``"Penata Muda Tingkat I"``."""
    return _PANGKAT[normalize_golongan(golongan)]


def golongan_display(golongan: str, *, short: bool = False) -> str:
    """``"Penata Muda Tingkat I (III/b)"``, or with ``short=True`` ``"Penata Muda Tk. I, III/b"``."""
    code = normalize_golongan(golongan)
    if short:
        return f"{_PANGKAT[code].replace('Tingkat I', 'Tk. I')}, {code}"
    return f"{_PANGKAT[code]} ({code})"


def golongan_pppk_rank(golongan: str) -> int:
    """Sort position of a PPPK golongan (``"I"`` is 0, ``"XVII"`` is 16); ``ValueError`` if unknown."""
    code = (golongan or "").strip().upper()
    if code not in _PPPK_RANK:
        raise ValueError(f"unknown PPPK golongan {golongan!r}")
    return _PPPK_RANK[code]


# --- Eselon and pendidikan ------------------------------------------------------------------------

# Keppres 9/1985 labels, most senior first (domain.md §1.4).
ESELON_ORDER: tuple[str, ...] = ("I.a", "I.b", "II.a", "II.b", "III.a", "III.b", "IV.a", "IV.b", "V.a", "V.b")
_ESELON_RANK = {code: index for index, code in enumerate(ESELON_ORDER)}
_ESELON_RE = re.compile(r"^\s*(IV|V|III|II|I)\s*[./-]?\s*([AB])?\s*$", re.IGNORECASE)
_NON_ESELON = {"", "-", "non", "noneselon", "non-eselon", "non eselon", "tidak ada"}


def _eselon_parts(eselon: str) -> tuple[str, str]:
    match = _ESELON_RE.match(eselon or "")
    if not match:
        raise ValueError(f"unknown eselon {eselon!r}")
    return match.group(1).upper(), (match.group(2) or "").lower()


def normalize_eselon(eselon: str | None) -> str | None:
    """Canonical eselon ``"II.a"`` (from ``"IIa"``, ``"II/a"``, ``"ii.A"``); ``None`` for no eselon
    (``None``, ``""``, ``"-"``, ``"non-eselon"``). Raises ``ValueError`` for anything else, including a bare
    ``"II"`` without its a/b level."""
    if eselon is None or eselon.strip().lower() in _NON_ESELON:
        return None
    roman, level = _eselon_parts(eselon)
    code = f"{roman}.{level}"
    if code not in _ESELON_RANK:
        raise ValueError(f"unknown eselon {eselon!r}")
    return code


def eselon_rank(eselon: str | None) -> int:
    """Seniority of an eselon: I.a is 0 … V.b is 9; no eselon sorts after all of them (10)."""
    code = normalize_eselon(eselon)
    return len(ESELON_ORDER) if code is None else _ESELON_RANK[code]


# Higher is more educated; D4 and S1 are the same level (both KKNI level 6).
PENDIDIKAN_RANK: dict[str, int] = {
    "SD": 1,
    "SMP": 2,
    "SMA": 3,
    "D1": 4,
    "D2": 5,
    "D3": 6,
    "D4": 7,
    "S1": 7,
    "S2": 8,
    "S3": 9,
}
_PENDIDIKAN_ALIASES = {
    "SLTP": "SMP",
    "MTS": "SMP",
    "SLTA": "SMA",
    "SMU": "SMA",
    "SMK": "SMA",
    "MA": "SMA",
    "DI": "D1",
    "DII": "D2",
    "DIII": "D3",
    "DIV": "D4",
}


def pendidikan_rank(pendidikan: str | None) -> int:
    """Level of an education code (``"S-1"``, ``"D-IV"``, ``"SLTA"`` …); ``None``/empty is 0 (unknown).
    Raises ``ValueError`` for an unknown code."""
    if not pendidikan:
        return 0
    code = re.sub(r"[^A-Z0-9]", "", pendidikan.upper())
    code = _PENDIDIKAN_ALIASES.get(code, code)
    if code not in PENDIDIKAN_RANK:
        raise ValueError(f"unknown education level {pendidikan!r}")
    return PENDIDIKAN_RANK[code]


# --- DUK ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DukEntry:
    """Everything PP 15/1979 orders a DUK by (domain.md §1.7), for one PNS."""

    golongan: str  # golongan ruang, "III/b"
    tmt_golongan: dt.date  # TMT pangkat
    masa_kerja: tuple[int, int]  # (years, months) overall service on the DUK date, see masa_kerja()
    birth_date: dt.date
    eselon: str | None = None  # "II.a"; None for posts without eselon (fungsional, pelaksana)
    tmt_jabatan: dt.date | None = None
    latihan_jabatan: dt.date | None = None  # graduation date of the required structural training
    pendidikan: str | None = None  # highest education, "S1"
    nip: str = ""  # only a technical last tie-breaker, see duk_sort_key()
    name: str = ""


def duk_sort_key(entry: DukEntry) -> tuple:
    """Sort key so that ``sorted(entries, key=duk_sort_key)`` gives the DUK order (most senior first).

    Each criterion only breaks ties of the previous ones (PP 15/1979, domain.md §1.7):

    1. higher golongan ruang first;
    2. same golongan: earlier TMT golongan first;
    3. higher eselon first (I.a … V.b, then posts without eselon);
    4. same eselon: earlier TMT jabatan first (common reading). Only among eselon holders — for posts without
       an eselon PP 15/1979 offers no ranking, so their TMT jabatan is ignored; a missing TMT jabatan of an
       eselon holder sorts last within the eselon;
    5. longer masa kerja first;
    6. latihan jabatan: whoever has passed the required training ranks above whoever has not; among those who
       have, earlier graduation first;
    7. higher pendidikan first (unknown is lowest);
    8. older first (earlier birth date);
    9. not in PP 15/1979 — a deterministic fallback so the yearly list never depends on input order: NIP, then
       name.
    """
    eselon = eselon_rank(entry.eselon)
    has_eselon = eselon < len(ESELON_ORDER)
    tmt_jabatan = (entry.tmt_jabatan or dt.date.max) if has_eselon else dt.date.min
    years, months = entry.masa_kerja
    latihan = (0, entry.latihan_jabatan) if entry.latihan_jabatan else (1, dt.date.max)
    return (
        -golongan_rank(entry.golongan),
        entry.tmt_golongan,
        eselon,
        tmt_jabatan,
        -(years * 12 + months),
        latihan,
        -pendidikan_rank(entry.pendidikan),
        entry.birth_date,
        entry.nip,
        entry.name,
    )
