"""Derived staff values: age, masa kerja, BUP and retirement, KGB, KP, golongan, DUK (domain.md §1.3–§1.7)."""

import datetime as dt
import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staff.rules import (
    BUP_TABLE,
    GOLONGAN_PNS,
    GOLONGAN_PPPK,
    DukEntry,
    add_months,
    add_years,
    age,
    bup_for,
    duk_sort_key,
    eselon_rank,
    golongan_display,
    golongan_pppk_rank,
    golongan_rank,
    is_promotion_eligible,
    kp_period_on_or_after,
    masa_kerja,
    next_kgb_date,
    normalize_eselon,
    normalize_golongan,
    pangkat_for,
    pendidikan_rank,
    pppk_contract_end,
    promotion_eligible_on,
    retirement_date,
    retirement_reminder_date,
)

HYPOTHESIS = settings(database=None)  # no .hypothesis/ directory in the working tree
D = dt.date


# --- Date arithmetic, age, masa kerja -------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 1, 1), 1, D(2024, 2, 1)),
        (D(2024, 1, 31), 1, D(2024, 3, 1)),  # no 31 February: rolls to the next 1st
        (D(2023, 1, 29), 1, D(2023, 3, 1)),
        (D(2024, 1, 29), 1, D(2024, 2, 29)),
        (D(2024, 1, 31), 2, D(2024, 3, 31)),
        (D(2024, 2, 29), 12, D(2025, 3, 1)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2024, 11, 15), 2, D(2025, 1, 15)),
        (D(2025, 1, 15), -2, D(2024, 11, 15)),
        (D(2025, 3, 31), -1, D(2025, 3, 1)),  # stepping back onto 31 February rolls forward too
    ],
)
def test_add_months_rolls_missing_days_to_the_next_first(start, months, expected):
    assert add_months(start, months) == expected


def test_add_years_moves_a_leap_day_to_the_first_of_march():
    assert add_years(D(2024, 2, 29), 1) == D(2025, 3, 1)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
    assert add_years(D(2000, 2, 29), 100) == D(2100, 3, 1)  # 2100 is not a leap year


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (D(1986, 9, 26), D(2025, 9, 25), 38),
        (D(1986, 9, 26), D(2025, 9, 26), 39),
        (D(1986, 9, 26), D(1986, 9, 26), 0),
        (D(1988, 2, 29), D(2023, 2, 28), 34),  # leap-day birthday not reached yet in a common year
        (D(1988, 2, 29), D(2023, 3, 1), 35),
        (D(1988, 2, 29), D(2024, 2, 29), 36),
        (D(1966, 12, 31), D(2024, 12, 30), 57),
        (D(1966, 12, 31), D(2024, 12, 31), 58),
    ],
)
def test_age_counts_completed_years(birth, on, expected):
    assert age(birth, on) == expected


def test_age_before_birth_is_an_error():
    with pytest.raises(ValueError):
        age(D(2000, 1, 2), D(2000, 1, 1))


@pytest.mark.parametrize(
    ("start", "on", "initial", "expected"),
    [
        (D(2015, 5, 1), D(2015, 5, 1), (0, 0), (0, 0)),
        (D(2015, 5, 1), D(2015, 5, 31), (0, 0), (0, 0)),
        (D(2015, 5, 1), D(2015, 6, 1), (0, 0), (0, 1)),
        (D(2015, 5, 1), D(2025, 4, 30), (0, 0), (9, 11)),
        (D(2015, 5, 1), D(2025, 5, 1), (0, 0), (10, 0)),
        (D(2015, 1, 31), D(2015, 2, 28), (0, 0), (0, 0)),  # 31 Jan + 1 month is 1 March
        (D(2015, 1, 31), D(2015, 3, 1), (0, 0), (0, 1)),
        (D(2020, 4, 1), D(2025, 10, 1), (2, 6), (8, 0)),  # MKG 2 years 6 months credited in the decision
        (D(2020, 4, 1), D(2021, 1, 1), (0, 11), (1, 8)),
    ],
)
def test_masa_kerja_in_years_and_months(start, on, initial, expected):
    assert masa_kerja(start, on, initial=initial) == expected


def test_masa_kerja_before_start_is_an_error():
    with pytest.raises(ValueError):
        masa_kerja(D(2025, 1, 1), D(2024, 12, 31))


@HYPOTHESIS
@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2050, 12, 31)), st.integers(min_value=1, max_value=600))
def test_masa_kerja_reaches_n_months_exactly_at_add_months(start, months):
    reached = add_months(start, months)
    assert masa_kerja(start, reached) == divmod(months, 12)
    assert masa_kerja(start, reached - dt.timedelta(days=1)) == divmod(months - 1, 12)
    assert age(start, reached) == months // 12


# --- BUP and retirement ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("jpt_utama",), 60),
        (("jpt_madya",), 60),
        (("JPT Pratama",), 60),
        (("jpt",), 60),
        (("administrator",), 58),
        (("Pengawas",), 58),
        (("pelaksana",), 58),
        (("fungsional", "ahli_pertama"), 58),
        (("fungsional", "Ahli Muda"), 58),
        (("fungsional", "ahli-madya"), 60),
        (("fungsional", "AHLI UTAMA"), 65),
        (("fungsional", "pemula"), 58),
        (("fungsional", "terampil"), 58),
        (("fungsional", "mahir"), 58),
        (("fungsional", "penyelia"), 58),
        (("struktural", None, "II.a"), 60),
        (("struktural", None, "Ib"), 60),
        (("struktural", None, "III/a"), 58),
        (("", None, "IV.b"), 58),
        (("administrator", None, "II.a"), 58),  # the position type wins over a stale eselon
    ],
)
def test_bup_by_position(args, expected):
    assert bup_for(*args) == expected


@pytest.mark.parametrize(
    "args",
    [("fungsional",), ("fungsional", "guru besar"), ("dosen",), ("struktural",), ("struktural", None, "VI")],
)
def test_bup_unknown_posts_raise(args):
    with pytest.raises(ValueError):
        bup_for(*args)


def test_bup_table_can_be_replaced():
    table = {**BUP_TABLE, "pelaksana": 60}
    assert bup_for("pelaksana", table=table) == 60
    assert BUP_TABLE["pelaksana"] == 58


@pytest.mark.parametrize(
    ("birth", "bup", "expected"),
    [
        (D(1966, 3, 15), 58, D(2024, 4, 1)),
        (D(1966, 3, 1), 58, D(2024, 4, 1)),  # born on the 1st: still the month after
        (D(1966, 3, 31), 58, D(2024, 4, 1)),
        (D(1966, 12, 1), 58, D(2025, 1, 1)),
        (D(1966, 12, 31), 58, D(2025, 1, 1)),  # December birthdays retire in January of the next year
        (D(1964, 2, 29), 58, D(2022, 3, 1)),  # leap day, BUP year is a common year
        (D(1964, 2, 29), 60, D(2024, 3, 1)),
        (D(1965, 1, 31), 60, D(2025, 2, 1)),
        (D(1960, 7, 10), 65, D(2025, 8, 1)),
    ],
)
def test_retirement_is_the_first_of_the_month_after_the_bup_birthday(birth, bup, expected):
    assert retirement_date(birth, bup) == expected


def test_retirement_follows_bup_for_the_post():
    birth = D(1967, 5, 20)
    assert retirement_date(birth, bup_for("fungsional", "ahli_utama")) == D(2032, 6, 1)
    assert retirement_date(birth, bup_for("jpt_pratama")) == D(2027, 6, 1)
    assert retirement_date(birth, bup_for("pelaksana")) == D(2025, 6, 1)


def test_retirement_reminder_is_a_year_ahead():
    assert retirement_reminder_date(D(2025, 6, 1)) == D(2024, 6, 1)
    assert retirement_reminder_date(D(2025, 6, 1), months_ahead=6) == D(2024, 12, 1)


# --- KGB and KP -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "on", "expected"),
    [
        (D(2020, 3, 1), D(2020, 3, 1), D(2022, 3, 1)),
        (D(2020, 3, 1), D(2022, 2, 28), D(2022, 3, 1)),
        (D(2020, 3, 1), D(2022, 3, 1), D(2022, 3, 1)),  # due today
        (D(2020, 3, 1), D(2022, 3, 2), D(2024, 3, 1)),
        (D(2020, 3, 1), D(2025, 6, 1), D(2026, 3, 1)),
        (D(2010, 10, 1), D(2025, 11, 20), D(2026, 10, 1)),
        (D(2010, 10, 1), D(2000, 1, 1), D(2012, 10, 1)),  # reference in the future of `on`
    ],
)
def test_next_kgb_date(reference, on, expected):
    assert next_kgb_date(reference, on) == expected


def test_next_kgb_date_with_a_one_year_interval():
    assert next_kgb_date(D(2024, 1, 1), D(2024, 6, 1), interval_years=1) == D(2025, 1, 1)


@HYPOTHESIS
@given(
    st.dates(min_value=D(1980, 1, 1), max_value=D(2040, 12, 31)),
    st.dates(min_value=D(1980, 1, 1), max_value=D(2060, 12, 31)),
)
def test_next_kgb_is_the_first_two_year_step_not_before_on(reference, on):
    result = next_kgb_date(reference, on)
    assert result >= on and result > reference
    steps = masa_kerja(reference, result)
    assert steps[1] == 0 and steps[0] % 2 == 0
    years = steps[0]
    assert years == 2 or add_years(reference, years - 2) < on  # no earlier step qualifies


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2022, 4, 1), D(2022, 4, 1)),  # April/October until 2023
        (D(2022, 4, 2), D(2022, 10, 1)),
        (D(2022, 11, 1), D(2023, 4, 1)),
        (D(2023, 10, 2), D(2024, 2, 1)),  # six periods from 2024
        (D(2024, 1, 1), D(2024, 2, 1)),
        (D(2024, 3, 1), D(2024, 4, 1)),
        (D(2025, 8, 2), D(2025, 10, 1)),
        (D(2025, 10, 1), D(2025, 10, 1)),  # monthly from October 2025
        (D(2025, 11, 1), D(2025, 11, 1)),
        (D(2025, 11, 2), D(2025, 12, 1)),
        (D(2026, 12, 15), D(2027, 1, 1)),
    ],
)
def test_kp_periods_follow_the_regime_in_force(day, expected):
    assert kp_period_on_or_after(day) == expected


@pytest.mark.parametrize(
    ("tmt_pangkat", "eligible_on"),
    [
        (D(2021, 11, 1), D(2025, 11, 1)),  # monthly regime: exactly 4 years
        (D(2022, 3, 1), D(2026, 3, 1)),
        (D(2020, 3, 1), D(2024, 4, 1)),  # six-period regime: March is not a period
        (D(2019, 4, 1), D(2023, 4, 1)),  # April/October regime
        (D(2018, 6, 1), D(2022, 10, 1)),
        (D(2021, 11, 15), D(2025, 12, 1)),  # a TMT not on the 1st waits for the next 1st
    ],
)
def test_promotion_eligibility_after_four_years_in_rank(tmt_pangkat, eligible_on):
    assert promotion_eligible_on(tmt_pangkat) == eligible_on
    assert is_promotion_eligible(tmt_pangkat, eligible_on)
    assert not is_promotion_eligible(tmt_pangkat, eligible_on - dt.timedelta(days=1))


def test_promotion_needs_four_full_years():
    assert not is_promotion_eligible(D(2022, 1, 1), D(2025, 12, 31))
    assert is_promotion_eligible(D(2022, 1, 1), D(2026, 1, 1))


@pytest.mark.parametrize(
    ("start", "years", "months", "retirement", "expected"),
    [
        (D(2024, 3, 1), 5, 0, None, D(2029, 2, 28)),
        (D(2024, 1, 1), 1, 0, None, D(2024, 12, 31)),
        (D(2024, 2, 29), 1, 0, None, D(2025, 2, 28)),
        (D(2025, 1, 1), 0, 6, None, D(2025, 6, 30)),
        (D(2024, 3, 1), 5, 0, D(2027, 8, 1), D(2027, 7, 31)),  # capped by the TMT pensiun
    ],
)
def test_pppk_contract_end(start, years, months, retirement, expected):
    assert pppk_contract_end(start, years=years, months=months, retirement=retirement) == expected


def test_pppk_contract_needs_a_duration():
    with pytest.raises(ValueError):
        pppk_contract_end(D(2025, 1, 1))


# --- Golongan, eselon, pendidikan -----------------------------------------------------------------


def test_golongan_pns_table_is_in_seniority_order():
    assert [code for code, _ in GOLONGAN_PNS] == [
        "I/a", "I/b", "I/c", "I/d", "II/a", "II/b", "II/c", "II/d",
        "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c", "IV/d", "IV/e",
    ]  # fmt: skip
    assert [golongan_rank(code) for code, _ in GOLONGAN_PNS] == list(range(17))
    shuffled = ["IV/e", "I/a", "III/b", "II/d", "III/a", "IV/a"]
    assert sorted(shuffled, key=golongan_rank) == ["I/a", "II/d", "III/a", "III/b", "IV/a", "IV/e"]


@pytest.mark.parametrize(
    ("golongan", "pangkat", "display", "short"),
    [
        ("I/a", "Juru Muda", "Juru Muda (I/a)", "Juru Muda, I/a"),
        ("II/b", "Pengatur Muda Tingkat I", "Pengatur Muda Tingkat I (II/b)", "Pengatur Muda Tk. I, II/b"),
        ("III/b", "Penata Muda Tingkat I", "Penata Muda Tingkat I (III/b)", "Penata Muda Tk. I, III/b"),
        ("III/d", "Penata Tingkat I", "Penata Tingkat I (III/d)", "Penata Tk. I, III/d"),
        ("IV/c", "Pembina Utama Muda", "Pembina Utama Muda (IV/c)", "Pembina Utama Muda, IV/c"),
        ("IV/e", "Pembina Utama", "Pembina Utama (IV/e)", "Pembina Utama, IV/e"),
    ],
)
def test_pangkat_and_display(golongan, pangkat, display, short):
    assert pangkat_for(golongan) == pangkat
    assert golongan_display(golongan) == display
    assert golongan_display(golongan, short=True) == short


@pytest.mark.parametrize("raw", ["III/b", "iii/b", "IIIb", "III.B", " III b ", "III-b"])
def test_golongan_spellings_are_normalised(raw):
    assert normalize_golongan(raw) == "III/b"


@pytest.mark.parametrize("raw", ["", "I/e", "V/a", "III/f", "III", "IX", "3/b"])
def test_unknown_golongan_raise(raw):
    with pytest.raises(ValueError):
        golongan_rank(raw)


def test_golongan_pppk_i_to_xvii_in_numeric_order():
    assert GOLONGAN_PPPK[0] == "I" and GOLONGAN_PPPK[-1] == "XVII" and len(GOLONGAN_PPPK) == 17
    assert sorted(["XI", "IX", "V", "XVII", "X", "I"], key=golongan_pppk_rank) == [
        "I", "V", "IX", "X", "XI", "XVII",
    ]  # fmt: skip
    assert golongan_pppk_rank("ix") == 8
    with pytest.raises(ValueError):
        golongan_pppk_rank("XVIII")
    with pytest.raises(ValueError):
        golongan_pppk_rank("III/a")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("II.a", "II.a"), ("IIa", "II.a"), ("ii/A", "II.a"), ("IV.b", "IV.b"), ("Va", "V.a"), (None, None)]
    + [(blank, None) for blank in ("", "-", "non-eselon", "Non Eselon")],
)
def test_eselon_spellings_are_normalised(raw, expected):
    assert normalize_eselon(raw) == expected


def test_eselon_rank_puts_higher_eselon_first_and_none_last():
    order = ["I.a", "I.b", "II.a", "II.b", "III.a", "III.b", "IV.a", "IV.b", "V.a", "V.b", None]
    assert [eselon_rank(e) for e in order] == list(range(11))
    with pytest.raises(ValueError):
        eselon_rank("II")  # a/b level missing


@pytest.mark.parametrize(
    ("raw", "rank"),
    [
        (None, 0),
        ("SD", 1),
        ("SLTP", 2),
        ("SMA", 3),
        ("SMK", 3),
        ("D-III", 6),
        ("D4", 7),
        ("S-1", 7),
        ("S3", 9),
    ],
)
def test_pendidikan_rank(raw, rank):
    assert pendidikan_rank(raw) == rank


# --- DUK ------------------------------------------------------------------------------------------


def duk(name, **overrides) -> DukEntry:
    """A baseline PNS (III/c since April 2020, no eselon, 10 years' service, no training, S1, born 1980);
    each crafted entry changes only what it needs."""
    fields = {
        "golongan": "III/c",
        "tmt_golongan": D(2020, 4, 1),
        "masa_kerja": (10, 0),
        "birth_date": D(1980, 1, 1),
        "eselon": None,
        "tmt_jabatan": None,
        "latihan_jabatan": None,
        "pendidikan": "S1",
        "nip": "5",
        "name": name,
    }
    fields.update(overrides)
    return DukEntry(**fields)


# Expected DUK order; the comment on each entry names the criterion that puts it *after* the previous one.
# Where the chain allows, the later entry is better on the later criteria, so the named criterion really
# decides; the next test checks which key position decides each adjacent pair.
DUK_EXPECTED = [
    duk("A", golongan="IV/a", tmt_golongan=D(2024, 10, 1), masa_kerja=(5, 0), birth_date=D(1990, 1, 1)),
    # 1. golongan: III/c after IV/a despite an earlier TMT golongan, an eselon, longer service, S2, older
    duk("B", tmt_golongan=D(2019, 4, 1), eselon="III.a", masa_kerja=(20, 0), pendidikan="S2"),
    # 2. TMT golongan: 2020 after 2019 despite a higher eselon
    duk("C", eselon="II.a", tmt_jabatan=D(2021, 1, 1), masa_kerja=(11, 0)),
    # 3. eselon III.a after II.a despite the earlier TMT jabatan, longer service, training, older
    duk(
        "D",
        eselon="III.a",
        tmt_jabatan=D(2020, 1, 1),
        masa_kerja=(25, 0),
        latihan_jabatan=D(2010, 1, 1),
        birth_date=D(1970, 1, 1),
    ),
    # 4. TMT jabatan: same eselon, 2022 after 2020 despite longer service, training, S3, older
    duk(
        "E",
        eselon="III.a",
        tmt_jabatan=D(2022, 1, 1),
        masa_kerja=(30, 0),
        latihan_jabatan=D(2005, 1, 1),
        pendidikan="S3",
        birth_date=D(1965, 1, 1),
    ),
    # 3. eselon: no eselon after III.a even with an earlier TMT jabatan
    duk("F", tmt_jabatan=D(2000, 1, 1), masa_kerja=(12, 0), birth_date=D(1990, 1, 1)),
    # 5. masa kerja: 10 years 11 months after 12 years despite training, S3, older
    duk("G", masa_kerja=(10, 11), latihan_jabatan=D(2001, 1, 1), pendidikan="S3", birth_date=D(1970, 1, 1)),
    # 5. masa kerja: 10 years after 10 years 11 months
    duk("H", latihan_jabatan=D(2018, 5, 1), pendidikan="SMA", birth_date=D(1990, 1, 1)),
    # 6. latihan jabatan: graduated 2019 after 2018 despite S3 and older
    duk("I", latihan_jabatan=D(2019, 5, 1), pendidikan="S3", birth_date=D(1960, 1, 1)),
    # 6. latihan jabatan: not trained after trained
    duk("J", pendidikan="S3", birth_date=D(1961, 1, 1)),
    # 7. pendidikan: S2 after S3 despite being older
    duk("K", pendidikan="S2", birth_date=D(1950, 1, 1)),
    # 7. pendidikan: D-IV ranks with S1, after S2
    duk("L", pendidikan="D-IV", birth_date=D(1975, 6, 1)),
    # 8. usia: born 1980 after born 1975 (S1 = D-IV)
    duk("M", birth_date=D(1980, 1, 1), nip="1"),
    # 9. fallback: identical on every PP 15/1979 criterion, ordered by NIP
    duk("N", birth_date=D(1980, 1, 1), nip="2"),
]


def test_duk_order_exercises_every_tie_breaker():
    expected = [entry.name for entry in DUK_EXPECTED]
    rng = random.Random(1979)
    for _ in range(20):
        shuffled = DUK_EXPECTED[:]
        rng.shuffle(shuffled)
        assert [entry.name for entry in sorted(shuffled, key=duk_sort_key)] == expected


def test_duk_each_adjacent_pair_is_decided_by_the_named_criterion():
    criteria = [
        "golongan", "tmt_golongan", "eselon", "tmt_jabatan", "masa_kerja",
        "latihan_jabatan", "pendidikan", "usia", "nip", "name",
    ]  # fmt: skip
    decided_by = []
    for before, after in itertools.pairwise(DUK_EXPECTED):
        key_before, key_after = duk_sort_key(before), duk_sort_key(after)
        position = next(i for i, (a, b) in enumerate(zip(key_before, key_after, strict=True)) if a != b)
        assert key_before[position] < key_after[position]
        decided_by.append(criteria[position])
    assert decided_by == [
        "golongan", "tmt_golongan", "eselon", "tmt_jabatan", "eselon", "masa_kerja", "masa_kerja",
        "latihan_jabatan", "latihan_jabatan", "pendidikan", "pendidikan", "usia", "nip",
    ]  # fmt: skip


def test_duk_ignores_tmt_jabatan_for_posts_without_eselon():
    early = duk("early", tmt_jabatan=D(2001, 1, 1), nip="2")
    late = duk("late", tmt_jabatan=D(2021, 1, 1), nip="1")
    assert sorted([early, late], key=duk_sort_key) == [late, early]  # decided by NIP only


def test_duk_eselon_holder_without_tmt_jabatan_comes_last_within_the_eselon():
    known = duk("known", eselon="IV.a", tmt_jabatan=D(2024, 1, 1), nip="2")
    unknown = duk("unknown", eselon="IV.a", nip="1")
    assert sorted([unknown, known], key=duk_sort_key) == [known, unknown]
