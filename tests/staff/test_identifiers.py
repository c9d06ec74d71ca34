"""NIP, NI PPPK and NIK parsing, validation and warnings (domain.md §1.1)."""

import calendar
import contextlib
import datetime as dt

import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from staff.identifiers import (
    NikInfo,
    NipInfo,
    PppkInfo,
    ni_pppk_warnings,
    nik_warnings,
    nip_warnings,
    parse_ni_pppk,
    parse_nik,
    parse_nip,
    validate_ni_pppk,
    validate_nik,
    validate_nip,
)

HYPOTHESIS = settings(database=None, max_examples=200)  # no .hypothesis/ directory in the working tree
TODAY = dt.date(2025, 6, 15)
D = dt.date


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def error_codes(parse, value, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as excinfo:
        parse(value, **kwargs)
    return [error.code for error in excinfo.value.error_list]


# --- NIP ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("198609262015051001", NipInfo(D(1986, 9, 26), D(2015, 5, 1), "L", 1)),
        ("19860926 201505 1 001", NipInfo(D(1986, 9, 26), D(2015, 5, 1), "L", 1)),
        (" 19860926\t201505 2 999\n", NipInfo(D(1986, 9, 26), D(2015, 5, 1), "P", 999)),
        ("198802292010122042", NipInfo(D(1988, 2, 29), D(2010, 12, 1), "P", 42)),  # leap day
        ("200001312018011100", NipInfo(D(2000, 1, 31), D(2018, 1, 1), "L", 100)),
        ("199003012003031001", NipInfo(D(1990, 3, 1), D(2003, 3, 1), "L", 1)),  # TMT on the birth date
    ],
)
def test_valid_nips_are_parsed_into_their_components(value, expected):
    assert parse_nip(value) == expected
    validate_nip(value)  # does not raise


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("", ["nip_format"]),
        ("19860926201505100", ["nip_format"]),  # 17 digits
        ("1986092620150510011", ["nip_format"]),  # 19 digits
        ("19860926201505100a", ["nip_format"]),
        ("19860926-201505-1-001", ["nip_format"]),
        ("١٩٨٦٠٩٢٦٢٠١٥٠٥١٠٠١", ["nip_format"]),  # Arabic-Indic digits are not ASCII digits
        ("１９８６０９２６２０１５０５１００１", ["nip_format"]),  # full-width digits
        ("198613262015051001", ["nip_birth_date"]),  # month 13
        ("198600262015051001", ["nip_birth_date"]),  # month 00
        ("198609312015051001", ["nip_birth_date"]),  # 31 September
        ("198609002015051001", ["nip_birth_date"]),  # day 00
        ("198702292015051001", ["nip_birth_date"]),  # 29 February in a common year
        ("190002292015051001", ["nip_birth_date"]),  # 1900 was not a leap year
        ("000001012015051001", ["nip_birth_date"]),  # year 0000
        ("198609262015001001", ["nip_tmt_month"]),
        ("198609262015131001", ["nip_tmt_month"]),
        ("198609262015991001", ["nip_tmt_month"]),
        ("186001011899051001", ["nip_tmt_year"]),
        ("198609261985051001", ["nip_tmt_before_birth"]),
        ("198609261986091001", ["nip_tmt_before_birth"]),  # 1 Sep 1986 is before 26 Sep 1986
        ("198609262015050001", ["nip_sex"]),
        ("198609262015053001", ["nip_sex"]),
        ("198609262015059001", ["nip_sex"]),
        ("198609262015051000", ["nip_sequence"]),
        (
            "000000000000000000",
            ["nip_birth_date", "nip_tmt_month", "nip_tmt_year", "nip_sex", "nip_sequence"],
        ),
    ],
)
def test_invalid_nips_report_every_failing_check_with_its_code(value, codes):
    assert error_codes(parse_nip, value) == codes


def test_nip_error_messages_are_indonesian_and_name_the_digits():
    with pytest.raises(ValidationError) as excinfo:
        parse_nip("198613262015131000")
    assert excinfo.value.messages == [
        "Tanggal lahir pada NIP (digit 1–8) bukan tanggal yang valid.",
        "Bulan TMT CPNS pada NIP (digit 13–14) harus 01–12.",
        "Nomor urut pada NIP (digit 16–18) tidak boleh 000.",
    ]
    with pytest.raises(ValidationError) as excinfo:
        parse_nip("198609262015053001")
    assert excinfo.value.messages == ["Kode jenis kelamin pada NIP (digit 15) harus 1 atau 2."]
    with pytest.raises(ValidationError) as excinfo:
        parse_nip("12345")
    assert excinfo.value.messages == ["NIP harus terdiri atas 18 digit angka."]


def test_nip_validator_works_on_a_form_field():
    field = forms.CharField(validators=[validate_nip])
    assert field.clean("19860926 201505 1 001") == "19860926 201505 1 001"
    with pytest.raises(ValidationError) as excinfo:
        field.clean("198609262015131001")
    assert excinfo.value.messages == ["Bulan TMT CPNS pada NIP (digit 13–14) harus 01–12."]


@st.composite
def nip_components(draw):
    birth = draw(st.dates(min_value=D(1900, 1, 1), max_value=D(2030, 12, 31)))
    tmt_year = draw(st.integers(min_value=birth.year, max_value=2099))
    min_month = birth.month + (birth.day > 1) if tmt_year == birth.year else 1
    if min_month > 12:  # born after the 1st of December: the earliest TMT is next January
        tmt_year, min_month = tmt_year + 1, 1
    tmt = D(tmt_year, draw(st.integers(min_value=min_month, max_value=12)), 1)
    sex = draw(st.sampled_from(["L", "P"]))
    sequence = draw(st.integers(min_value=1, max_value=999))
    return birth, tmt, sex, sequence


def build_nip(birth, tmt, sex, sequence, *, grouped=False) -> str:
    parts = [f"{birth:%Y%m%d}", f"{tmt:%Y%m}", "1" if sex == "L" else "2", f"{sequence:03d}"]
    return (" " if grouped else "").join(parts)


@HYPOTHESIS
@given(nip_components(), st.booleans())
def test_nips_built_from_valid_components_round_trip(components, grouped):
    birth, tmt, sex, sequence = components
    info = parse_nip(build_nip(birth, tmt, sex, sequence, grouped=grouped))
    assert info == NipInfo(birth_date=birth, tmt_cpns=tmt, sex=sex, sequence=sequence)


@st.composite
def invalid_dates(draw):
    """(year, month, day) digit groups that are not a calendar date."""
    kind = draw(st.sampled_from(["month", "day", "zero_day"]))
    year = draw(st.integers(min_value=1900, max_value=2030))
    if kind == "month":
        month = draw(st.sampled_from([0, *range(13, 100)]))
        return year, month, draw(st.integers(min_value=1, max_value=28))
    month = draw(st.integers(min_value=1, max_value=12))
    if kind == "zero_day":
        return year, month, 0
    return year, month, draw(st.integers(min_value=calendar.monthrange(year, month)[1] + 1, max_value=99))


@HYPOTHESIS
@given(nip_components(), invalid_dates())
def test_nip_with_an_impossible_birth_date_is_rejected(components, bad_date):
    _birth, _tmt, sex, sequence = components
    year, month, day = bad_date
    nip = f"{year:04d}{month:02d}{day:02d}203001{1 if sex == 'L' else 2}{sequence:03d}"
    assert error_codes(parse_nip, nip) == ["nip_birth_date"]


@HYPOTHESIS
@given(nip_components(), st.sampled_from("03456789"))
def test_nip_with_a_sex_digit_other_than_1_or_2_is_rejected(components, digit):
    nip = build_nip(*components)
    assert error_codes(parse_nip, nip[:14] + digit + nip[15:]) == ["nip_sex"]


@HYPOTHESIS
@given(nip_components(), st.sampled_from([0, *range(13, 100)]))
def test_nip_with_a_tmt_month_outside_01_to_12_is_rejected(components, month):
    nip = build_nip(*components)
    assert error_codes(parse_nip, f"{nip[:12]}{month:02d}{nip[14:]}") == ["nip_tmt_month"]


@HYPOTHESIS
@given(st.one_of(st.text(), st.from_regex(r"\A[0-9]{18}\Z"), st.from_regex(r"\A[0-9 ]{16,24}\Z")))
def test_parse_nip_raises_nothing_but_validation_error(value):
    try:
        info = parse_nip(value)
    except ValidationError as exc:
        assert exc.error_list
    else:
        assert isinstance(info, NipInfo)
        assert info.tmt_cpns.day == 1 and info.tmt_cpns >= info.birth_date


def test_nip_warnings_are_empty_when_everything_matches():
    info = parse_nip("198609262015051001")
    assert nip_warnings(info) == []
    assert nip_warnings(info, birth_date=D(1986, 9, 26), sex="L") == []


def test_nip_warnings_report_mismatches_with_the_recorded_data():
    info = parse_nip("198609262015051001")
    assert nip_warnings(info, birth_date=D(1986, 9, 27), sex="P") == [
        "Tanggal lahir pada NIP (26 September 1986) berbeda dengan tanggal lahir yang tercatat (27 September 1986).",
        "Jenis kelamin pada NIP (laki-laki) berbeda dengan jenis kelamin yang tercatat (perempuan).",
    ]


@pytest.mark.parametrize(
    ("nip", "old_enough"),
    [
        ("198609262004011001", True),  # TMT year 2004 = birth year + 18
        ("198609262003121001", False),
        ("198612312004011001", True),
        ("198601012003121001", False),
    ],
)
def test_nip_warns_when_tmt_cpns_is_before_birth_year_plus_18(nip, old_enough):
    expected = (
        []
        if old_enough
        else ["Tahun pengangkatan pada NIP (2003) kurang dari 18 tahun setelah tahun lahir (1986)."]
    )
    assert nip_warnings(parse_nip(nip)) == expected


def test_warnings_follow_the_active_language_as_plain_strings():
    info = parse_nip("198609262015051001")
    warnings = nip_warnings(info, sex="P")
    assert all(type(w) is str for w in warnings)


# --- NI PPPK --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("199001012021211001", PppkInfo(D(1990, 1, 1), 2021, "21", "L", 1)),
        ("19900101 2024 24 2 015", PppkInfo(D(1990, 1, 1), 2024, "24", "P", 15)),  # paruh waktu
        ("199001012021991001", PppkInfo(D(1990, 1, 1), 2021, "99", "L", 1)),  # 13–14 not a month
        ("199001012021001001", PppkInfo(D(1990, 1, 1), 2021, "00", "L", 1)),
        ("199001012021215001", PppkInfo(D(1990, 1, 1), 2021, "21", None, 1)),  # lenient sex digit
        ("199001012021211000", PppkInfo(D(1990, 1, 1), 2021, "21", "L", 0)),  # lenient sequence
    ],
)
def test_valid_ni_pppk_are_parsed_leniently(value, expected):
    assert parse_ni_pppk(value) == expected
    validate_ni_pppk(value)


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("19900101202121100", ["pppk_format"]),
        ("1990010120212110011", ["pppk_format"]),
        ("199013012021211001", ["pppk_birth_date"]),
        ("199002302021211001", ["pppk_birth_date"]),
        ("199001010000211001", ["pppk_appointment_year"]),
        ("199001011989211001", ["pppk_appointment_before_birth"]),
        ("199013010000211001", ["pppk_birth_date", "pppk_appointment_year"]),
    ],
)
def test_invalid_ni_pppk_are_rejected_with_codes(value, codes):
    assert error_codes(parse_ni_pppk, value) == codes


@HYPOTHESIS
@given(
    st.dates(min_value=D(1940, 1, 1), max_value=D(2010, 12, 31)),
    st.integers(min_value=0, max_value=60),
    st.from_regex(r"\A[0-9]{2}\Z"),
    st.sampled_from(["1", "2"]),
    st.integers(min_value=1, max_value=999),
)
def test_ni_pppk_accepts_any_digits_13_14_and_round_trips(birth, years_later, code, sex_digit, sequence):
    year = birth.year + years_later
    info = parse_ni_pppk(f"{birth:%Y%m%d}{year}{code}{sex_digit}{sequence:03d}")
    assert info == PppkInfo(birth, year, code, "L" if sex_digit == "1" else "P", sequence)


@HYPOTHESIS
@given(invalid_dates())
def test_ni_pppk_with_an_impossible_birth_date_is_rejected(bad_date):
    year, month, day = bad_date
    assert error_codes(parse_ni_pppk, f"{year:04d}{month:02d}{day:02d}2099211001") == ["pppk_birth_date"]


@HYPOTHESIS
@given(st.one_of(st.text(), st.from_regex(r"\A[0-9]{18}\Z")))
def test_parse_ni_pppk_raises_nothing_but_validation_error(value):
    with contextlib.suppress(ValidationError):
        parse_ni_pppk(value)


def test_ni_pppk_warnings():
    assert ni_pppk_warnings(parse_ni_pppk("199001012021211001"), birth_date=D(1990, 1, 1), sex="L") == []
    assert ni_pppk_warnings(parse_ni_pppk("199001012005215000"), birth_date=D(1990, 1, 2), sex="P") == [
        "Kode jenis kelamin pada NI PPPK (digit 15) bukan 1 atau 2.",
        "Nomor urut pada NI PPPK (digit 16–18) adalah 000.",
        "Tanggal lahir pada NI PPPK (1 Januari 1990) berbeda dengan tanggal lahir yang tercatat (2 Januari 1990).",
        "Tahun pengangkatan pada NI PPPK (2005) kurang dari 18 tahun setelah tahun lahir (1990).",
    ]


# --- NIK ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5171010509850001", NikInfo("51", "5171", "517101", D(1985, 9, 5), "L", 1, "050985")),
        ("5171014509850001", NikInfo("51", "5171", "517101", D(1985, 9, 5), "P", 1, "450985")),
        ("51 71 01 710185 9999", NikInfo("51", "5171", "517101", D(1985, 1, 31), "P", 9999, "710185")),
        ("5103043112240002", NikInfo("51", "5103", "510304", D(2024, 12, 31), "L", 2, "311224")),  # a baby
        ("5103043112250002", NikInfo("51", "5103", "510304", D(1925, 12, 31), "L", 2, "311225")),
        ("5103041506250002", NikInfo("51", "5103", "510304", D(2025, 6, 15), "L", 2, "150625")),  # born today
        ("5103041606250002", NikInfo("51", "5103", "510304", D(1925, 6, 16), "L", 2, "160625")),  # 99 years
        ("5103046902000003", NikInfo("51", "5103", "510304", D(2000, 2, 29), "P", 3, "690200")),  # leap 2000
    ],
)
def test_valid_niks_are_parsed_with_sex_and_century(value, expected):
    assert parse_nik(value, today=TODAY) == expected


@pytest.mark.parametrize(
    ("value", "date_digits", "sex"),
    [
        ("5171012902010001", "290201", "L"),  # 29 Feb 2001 does not exist
        ("5171016902010001", "690201", "P"),
        ("5171013204850001", "320485", None),  # day 32–40: neither a man's nor a woman's day
        ("5171014004850001", "400485", None),
        ("5171017204850001", "720485", None),
        ("5171010004850001", "000485", None),
        ("5171010513850001", "051385", "L"),  # month 13
    ],
)
def test_nik_with_an_impossible_birth_date_is_accepted_with_a_warning(value, date_digits, sex):
    info = parse_nik(value, today=TODAY)
    validate_nik(value)
    assert (info.birth_date, info.sex, info.date_digits) == (None, sex, date_digits)
    assert nik_warnings(info) == [
        f"Bagian tanggal lahir pada NIK (digit 7–12: {date_digits}) bukan tanggal yang valid."
    ]


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("517101050985000", ["nik_format"]),
        ("51710105098500011", ["nik_format"]),
        ("5171010509850O01", ["nik_format"]),
        ("0071010509850001", ["nik_province"]),
        ("5171010509850000", ["nik_sequence"]),
        ("0000000000000000", ["nik_province", "nik_sequence"]),
    ],
)
def test_structurally_invalid_niks_are_rejected(value, codes):
    assert error_codes(parse_nik, value, today=TODAY) == codes


def test_nik_century_is_resolved_against_today_in_the_office_time_zone():
    # 16:30 UTC on 31 December 2029 is already 1 January 2030, 00:30 WITA.
    with time_machine.travel(dt.datetime(2029, 12, 31, 16, 30, tzinfo=dt.UTC), tick=False):
        assert parse_nik("5171010101300001").birth_date == D(2030, 1, 1)  # born today
        assert parse_nik("5171010201300001").birth_date == D(1930, 1, 2)  # tomorrow: a century ago


@HYPOTHESIS
@given(
    st.dates(min_value=D(1926, 6, 16), max_value=TODAY),
    st.sampled_from(["L", "P"]),
    st.from_regex(r"\A(0[1-9]|[1-9][0-9])[0-9]{4}\Z"),
    st.integers(min_value=1, max_value=9999),
)
def test_niks_built_from_valid_components_round_trip(birth, sex, region, sequence):
    day = birth.day + (40 if sex == "P" else 0)
    nik = f"{region}{day:02d}{birth:%m}{birth.year % 100:02d}{sequence:04d}"
    info = parse_nik(nik, today=TODAY)
    assert (info.birth_date, info.sex, info.sequence) == (birth, sex, sequence)
    assert (info.province, info.regency, info.district) == (region[:2], region[:4], region)
    zero_region = region[2:4] == "00" or region[4:6] == "00"
    expected = ["Kode kabupaten/kota atau kecamatan pada NIK (digit 3–6) berisi 00."] if zero_region else []
    assert nik_warnings(info, birth_date=birth, sex=sex) == expected


@HYPOTHESIS
@given(st.from_regex(r"\A(0[1-9]|[1-9][0-9])[0-9]{10}\Z"), st.integers(min_value=1, max_value=9999))
def test_any_16_digit_nik_with_valid_structure_is_accepted(prefix, sequence):
    info = parse_nik(f"{prefix}{sequence:04d}", today=TODAY)
    day = int(prefix[6:8])
    assert (info.sex is None) is not (1 <= day <= 31 or 41 <= day <= 71)
    if info.birth_date is not None:
        assert TODAY - dt.timedelta(days=366 * 100) < info.birth_date <= TODAY


@HYPOTHESIS
@given(st.one_of(st.text(), st.from_regex(r"\A[0-9]{16}\Z")))
def test_parse_nik_raises_nothing_but_validation_error(value):
    try:
        info = parse_nik(value, today=TODAY)
    except ValidationError:
        return
    nik_warnings(info, birth_date=TODAY, sex="L")  # never raises either


def test_nik_warnings_report_mismatches_and_zero_region_codes():
    info = parse_nik("5171004509850001", today=TODAY)
    assert nik_warnings(info, birth_date=D(1985, 9, 6), sex="L") == [
        "Kode kabupaten/kota atau kecamatan pada NIK (digit 3–6) berisi 00.",
        "Tanggal lahir pada NIK (5 September 1985) berbeda dengan tanggal lahir yang tercatat (6 September 1985).",
        "Jenis kelamin pada NIK (perempuan) berbeda dengan jenis kelamin yang tercatat (laki-laki).",
    ]


def test_nik_birth_date_comparison_ignores_the_guessed_century():
    info = parse_nik("5171010101200001", today=TODAY)  # resolved to 2020
    assert info.birth_date == D(2020, 1, 1)
    assert nik_warnings(info, birth_date=D(1920, 1, 1), sex="L") == []
