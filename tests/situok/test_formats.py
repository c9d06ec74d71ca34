"""Indonesian formatting helpers (domain.md §8) and their template filters."""

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from hypothesis import given, settings
from hypothesis import strategies as st

from situok.formats import (
    angka,
    bulan_romawi,
    jam,
    mask_digits,
    nip_display,
    romawi,
    rupiah,
    tanggal,
    tanggal_hari,
    tanggal_surat,
    terbilang,
    terbilang_title,
    waktu,
)

UTC = dt.UTC
WITA = ZoneInfo("Asia/Makassar")
JAKARTA = ZoneInfo("Asia/Jakarta")

# Independent of the implementation: date.weekday() is 0 for Monday.
DAY_NAMES = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTH_NAMES = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


# --- dates and times ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 11, 22), "22 November 2026"),
        (dt.date(2026, 1, 1), "1 Januari 2026"),
        (dt.date(2026, 2, 9), "9 Februari 2026"),
        (dt.date(2026, 8, 17), "17 Agustus 2026"),
        (dt.date(2025, 12, 31), "31 Desember 2025"),
        # 16:30 UTC is 00:30 the next day in WITA (UTC+8).
        (dt.datetime(2026, 11, 21, 16, 30, tzinfo=UTC), "22 November 2026"),
        (dt.datetime(2026, 11, 22, 15, 59, tzinfo=UTC), "22 November 2026"),
        (dt.datetime(2026, 11, 22, 23, 30, tzinfo=JAKARTA), "23 November 2026"),
        (dt.datetime(2026, 11, 22, 7, 30), "22 November 2026"),  # naive: already WITA
        (None, ""),
    ],
)
def test_tanggal_writes_the_long_indonesian_date_in_wita(value, expected):
    assert tanggal(value) == expected


@pytest.mark.parametrize("month", range(1, 13))
def test_tanggal_uses_the_indonesian_month_names(month):
    assert tanggal(dt.date(2026, month, 5)) == f"5 {MONTH_NAMES[month - 1]} 2026"


def test_23_november_2026_is_a_monday():
    day = dt.date(2026, 11, 23)
    assert DAY_NAMES[day.weekday()] == "Senin"
    assert tanggal_hari(day) == "Senin, 23 November 2026"


@pytest.mark.parametrize("offset", range(7))
def test_tanggal_hari_names_every_weekday(offset):
    day = dt.date(2026, 11, 23) + dt.timedelta(days=offset)
    assert tanggal_hari(day) == f"{DAY_NAMES[day.weekday()]}, {day.day} November 2026"


def test_tanggal_hari_converts_aware_datetimes_to_wita_first():
    # Sunday 22 Nov 20:00 UTC is Monday 23 Nov 04:00 WITA.
    assert tanggal_hari(dt.datetime(2026, 11, 22, 20, 0, tzinfo=UTC)) == "Senin, 23 November 2026"
    assert tanggal_hari(None) == ""


def test_tanggal_surat_prefixes_the_city():
    assert tanggal_surat(dt.date(2026, 11, 22)) == "Denpasar, 22 November 2026"
    assert tanggal_surat(dt.date(2026, 11, 22), city="Singaraja") == "Singaraja, 22 November 2026"
    assert tanggal_surat(None) == ""


@pytest.mark.parametrize(
    ("value", "expected_jam"),
    [
        (dt.datetime(2026, 11, 21, 23, 30, tzinfo=UTC), "07.30"),
        (dt.datetime(2026, 11, 22, 7, 5, tzinfo=WITA), "07.05"),
        (dt.datetime(2026, 11, 22, 8, 0, tzinfo=JAKARTA), "09.00"),
        (dt.datetime(2026, 11, 22, 16, 30), "16.30"),
        (dt.time(0, 0), "00.00"),
    ],
)
def test_jam_and_waktu_use_a_dot_and_wita(value, expected_jam):
    assert jam(value) == expected_jam
    assert waktu(value) == f"pukul {expected_jam} WITA"


def test_time_helpers_accept_none():
    assert jam(None) == ""
    assert waktu(None) == ""


def test_date_helpers_reject_other_types():
    with pytest.raises(TypeError):
        tanggal("2026-11-22")
    with pytest.raises(TypeError):
        jam("07:30")


# --- rupiah ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "cents", "expected"),
    [
        (1250000, False, "Rp1.250.000"),
        (1250000, True, "Rp1.250.000,00"),
        (0, False, "Rp0"),
        (0, True, "Rp0,00"),
        (999, False, "Rp999"),
        (1000, False, "Rp1.000"),
        (123456789012, False, "Rp123.456.789.012"),
        (-1250000, False, "(Rp1.250.000)"),
        (-1250000, True, "(Rp1.250.000,00)"),
        (Decimal("1250000.50"), True, "Rp1.250.000,50"),
        (Decimal("1250000.50"), False, "Rp1.250.001"),  # half up
        (Decimal("1250000.49"), False, "Rp1.250.000"),
        (Decimal("2.5"), False, "Rp3"),  # half up, not banker's rounding
        (Decimal("-2.5"), False, "(Rp3)"),
        (Decimal("0.005"), True, "Rp0,01"),
        (Decimal("-0.4"), False, "Rp0"),  # rounds to zero: no parentheses
        (Decimal("1E+3"), False, "Rp1.000"),
        ("1250000.75", True, "Rp1.250.000,75"),
        (" 480000 ", False, "Rp480.000"),
    ],
)
def test_rupiah_uses_the_eyd_form(amount, cents, expected):
    assert rupiah(amount, cents=cents) == expected


def test_rupiah_of_none_is_empty():
    assert rupiah(None) == ""


@pytest.mark.parametrize("amount", [1.5, 0.0, True])
def test_rupiah_rejects_floats_and_bools(amount):
    with pytest.raises(TypeError):
        rupiah(amount)


@pytest.mark.parametrize("amount", ["abc", "", "NaN", "Infinity"])
def test_rupiah_rejects_text_that_is_not_a_finite_number(amount):
    with pytest.raises(ValueError):
        rupiah(amount)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1250000, None, "1.250.000"),
        (Decimal("12.50"), None, "12,50"),
        (Decimal("-1234.5"), 0, "-1.235"),
        ("0.001", 2, "0,00"),
    ],
)
def test_angka_uses_indonesian_separators(value, decimals, expected):
    assert angka(value, decimals) == expected


# --- terbilang ------------------------------------------------------------------------------------

TERBILANG_CASES = [
    (0, "nol"),
    (1, "satu"),
    (10, "sepuluh"),
    (11, "sebelas"),
    (12, "dua belas"),
    (19, "sembilan belas"),
    (20, "dua puluh"),
    (21, "dua puluh satu"),
    (100, "seratus"),
    (101, "seratus satu"),
    (111, "seratus sebelas"),
    (999, "sembilan ratus sembilan puluh sembilan"),
    (1000, "seribu"),
    (1001, "seribu satu"),
    (1100, "seribu seratus"),
    (2000, "dua ribu"),
    (10000, "sepuluh ribu"),
    (11000, "sebelas ribu"),
    (100000, "seratus ribu"),
    (101000, "seratus satu ribu"),
    (1000000, "satu juta"),
    (1001000, "satu juta seribu"),
    (1250000, "satu juta dua ratus lima puluh ribu"),
    (1000000000, "satu miliar"),
    (1000000000000, "satu triliun"),
    (
        999999999999999,
        "sembilan ratus sembilan puluh sembilan triliun sembilan ratus sembilan puluh sembilan miliar "
        "sembilan ratus sembilan puluh sembilan juta sembilan ratus sembilan puluh sembilan ribu "
        "sembilan ratus sembilan puluh sembilan",
    ),
]


@pytest.mark.parametrize(("number", "words"), TERBILANG_CASES)
def test_terbilang_spells_numbers_in_indonesian(number, words):
    assert terbilang(number) == words


def test_terbilang_appends_rupiah_or_another_suffix():
    assert terbilang(1250000, suffix=True) == "satu juta dua ratus lima puluh ribu rupiah"
    assert terbilang(3, suffix="hari") == "tiga hari"
    assert terbilang(0, suffix=True) == "nol rupiah"


def test_terbilang_accepts_decimal_and_text():
    assert terbilang(Decimal("1250000.00"), suffix=True) == "satu juta dua ratus lima puluh ribu rupiah"
    assert terbilang("2500") == "dua ribu lima ratus"


def test_terbilang_rounds_cents_like_rupiah_unless_asked_to_spell_them():
    assert terbilang(Decimal("1250000.50")) == "satu juta dua ratus lima puluh ribu satu"
    assert terbilang(Decimal("1250000.49")) == "satu juta dua ratus lima puluh ribu"
    assert (
        terbilang(Decimal("1250000.50"), suffix=True, with_cents=True)
        == "satu juta dua ratus lima puluh ribu rupiah koma lima puluh sen"
    )
    assert terbilang(Decimal("7.05"), with_cents=True) == "tujuh koma lima sen"
    # No cents: nothing is appended.
    assert terbilang(Decimal("7.00"), suffix=True, with_cents=True) == "tujuh rupiah"


def test_terbilang_of_negative_amounts_says_minus():
    assert terbilang(-1500) == "minus seribu lima ratus"


@pytest.mark.parametrize("bad", [10**15, -(10**15), Decimal("999999999999999.5"), Decimal("1E+40"), "abc"])
def test_terbilang_refuses_values_out_of_range(bad):
    with pytest.raises(ValueError):
        terbilang(bad)


@pytest.mark.parametrize("bad", [1.0, True, None])
def test_terbilang_refuses_floats_bools_and_none(bad):
    with pytest.raises(TypeError):
        terbilang(bad)


def test_terbilang_title_capitalises_every_word_and_says_rupiah():
    assert terbilang_title(1250000) == "Satu Juta Dua Ratus Lima Puluh Ribu Rupiah"
    assert terbilang_title(1000, suffix=False) == "Seribu"


# "satu ribu" is only right after "ratus"/"puluh" (101.000, 21.000); a leading thousand is "seribu".
LONE_SATU_RIBU = re.compile(r"(?<!ratus )(?<!puluh )\bsatu ribu\b")


@settings(database=None)  # no .hypothesis/ directory in the working tree
@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_terbilang_is_well_formed_for_every_supported_number(number):
    words = terbilang(number)
    assert words
    assert "  " not in words
    assert words == words.strip()
    assert words == words.lower()
    for wrong in ("satu ratus", "satu puluh", "satu belas", "sepuluh satu"):
        assert wrong not in words
    assert not LONE_SATU_RIBU.search(words)
    assert (words == "nol") == (number == 0)


# --- Roman numerals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "roman"),
    list(
        zip(
            range(1, 13),
            ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"],
            strict=True,
        )
    ),
)
def test_bulan_romawi_for_every_month(month, roman):
    assert bulan_romawi(month) == roman


@pytest.mark.parametrize("bad", [0, 13, -1])
def test_bulan_romawi_rejects_non_months(bad):
    with pytest.raises(ValueError):
        bulan_romawi(bad)


@pytest.mark.parametrize(
    ("number", "roman"), [(1, "I"), (4, "IV"), (14, "XIV"), (40, "XL"), (2026, "MMXXVI"), (3999, "MMMCMXCIX")]
)
def test_romawi(number, roman):
    assert romawi(number) == roman


@pytest.mark.parametrize("bad", [0, 4000])
def test_romawi_rejects_out_of_range(bad):
    with pytest.raises(ValueError):
        romawi(bad)


# --- NIP and masking ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nip", "expected"),
    [
        ("198609262015051001", "19860926 201505 1 001"),
        ("19860926 201505 1 001", "19860926 201505 1 001"),
        (" 1986 0926 2015 0510 01 ", "19860926 201505 1 001"),
        ("12345", "12345"),  # not a NIP: unchanged
        ("19860926201505100A", "19860926201505100A"),
        ("", ""),
        (None, ""),
    ],
)
def test_nip_display_groups_the_eighteen_digits(nip, expected):
    assert nip_display(nip) == expected


@pytest.mark.parametrize(
    ("value", "visible", "expected"),
    [
        ("5171012345671234", 4, "************1234"),
        ("5171012345671234", 6, "**********671234"),
        ("5171012345671234", 0, "****************"),
        ("1234", 4, "1234"),
        ("12", 4, "12"),
        ("19860926 201505 1 001", 4, "******** ****** 1 001"),
        ("", 4, ""),
        (None, 4, ""),
        (5171012345671234, 4, "************1234"),
    ],
)
def test_mask_digits_keeps_only_the_last_digits(value, visible, expected):
    masked = mask_digits(value, visible=visible)
    assert masked == expected
    assert len(masked) == len(str(value or ""))


# --- template filters -----------------------------------------------------------------------------


def render(source, **context):
    return Template("{% load situok_format %}" + source).render(Context(context))


def test_template_filters_format_values():
    out = render(
        "{{ d|tanggal }}|{{ d|tanggal_hari }}|{{ m|rupiah }}|{{ m|rupiah:'sen' }}|{{ m|terbilang:'rupiah' }}"
        "|{{ m|terbilang }}|{{ n|nip }}|{{ k|mask }}|{{ k|mask:6 }}",
        d=dt.date(2026, 11, 23),
        m=Decimal("1250000"),
        n="198609262015051001",
        k="5171012345671234",
    )
    assert out.split("|") == [
        "23 November 2026",
        "Senin, 23 November 2026",
        "Rp1.250.000",
        "Rp1.250.000,00",
        "satu juta dua ratus lima puluh ribu rupiah",
        "satu juta dua ratus lima puluh ribu",
        "19860926 201505 1 001",
        "************1234",
        "**********671234",
    ]


def test_template_filters_never_raise_on_odd_values():
    out = render(
        "{{ none|tanggal }}|{{ none|rupiah }}|{{ text|rupiah }}|{{ text|tanggal }}|{{ huge|terbilang }}"
        "|{{ f|rupiah }}|{{ none|nip }}|{{ none|mask }}",
        none=None,
        text="abc",
        huge=10**16,
        f=1.5,
    )
    assert out.split("|") == ["", "", "abc", "abc", str(10**16), "Rp2", "", ""]


def test_template_filters_are_autoescaped():
    assert render("{{ v|nip }}", v="<b>") == "&lt;b&gt;"
