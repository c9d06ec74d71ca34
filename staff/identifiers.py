"""Parsing and validation of the identifiers on a staff record (domain.md §1.1): NIP, NI PPPK and NIK.

Everything here is a pure function of its input (plus ``today`` for the NIK century): no model, no database.

Hard errors versus warnings
---------------------------
* ``parse_*`` raise :class:`django.core.exceptions.ValidationError` only for numbers that cannot be right
  (wrong length, impossible structure). Every failing check contributes one error with its own ``code``; the
  exception always carries a list (``exc.error_list``), so a form shows every problem at once. For any string
  input nothing but ``ValidationError`` is ever raised.
* ``*_warnings`` return soft warnings (Indonesian text) for facts that are suspicious but occur in real data and
  must not block saving: a number that does not match the recorded birth date or sex, a CPNS appointment before
  the age of 18 (domain.md: "warn, don't block").

NIP (PNS/CPNS) — ``YYYYMMDD YYYYMM G NNN``: birth date, TMT CPNS (year + month, day is the 1st), sex digit
(1 male, 2 female), sequence 001–999. There is no check digit.

NI PPPK — birth date first, digits 9–12 the appointment year; digits 13–14 are **not** a month and their
meaning is unverified (domain.md §1.1, §9 item 9), so they are kept as an opaque ``agreement_code``. Digits
15–18 are not described by domain.md; published examples follow the NIP (sex digit, sequence), so they are read
the same way but never rejected: an unknown sex digit or a ``000`` sequence is a warning only.

NIK — ``PP KK CC DDMMYY NNNN``. Dukcapil issues the NIK once and it never changes even when it does not match
the person's birth date, so the application must accept a NIK exactly as printed on the KTP. Hence only
structural defects are errors (not 16 digits, province ``00``, sequence ``0000``); an impossible birth date,
a day in no valid range (00, 32–40, 72–99) or a ``00`` regency/district code gives ``birth_date=None`` (and
``sex=None`` when the day cannot tell) plus a warning from :func:`nik_warnings`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from situok.formats import tanggal

__all__ = [
    "NikInfo",
    "NipInfo",
    "PppkInfo",
    "Sex",
    "ni_pppk_warnings",
    "nik_warnings",
    "nip_warnings",
    "normalize_identifier",
    "parse_ni_pppk",
    "parse_nik",
    "parse_nip",
    "validate_ni_pppk",
    "validate_nik",
    "validate_nip",
]

Sex = Literal["L", "P"]

# Minimum age for a CPNS appointment (PP 11/2017): checked as "TMT year >= birth year + 18", soft only.
MIN_APPOINTMENT_AGE = 18
# No TMT CPNS (or PPPK appointment) before this year: guards against typos such as 0201 or 1019.
MIN_APPOINTMENT_YEAR = 1900
# A NIK's two-digit year is resolved so that the person is between 0 and 99 years old.
NIK_FEMALE_DAY_OFFSET = 40

_WHITESPACE = re.compile(r"\s+")
_SEX_DIGITS: dict[str, Sex] = {"1": "L", "2": "P"}


@dataclass(frozen=True)
class NipInfo:
    """What a PNS/CPNS NIP encodes."""

    birth_date: dt.date
    tmt_cpns: dt.date  # always the 1st of the month
    sex: Sex
    sequence: int  # 1..999


@dataclass(frozen=True)
class PppkInfo:
    """What an NI PPPK encodes, as far as it is known (see the module docstring)."""

    birth_date: dt.date
    appointment_year: int
    agreement_code: str  # digits 13–14, meaning unverified ("21" in published examples)
    sex: Sex | None  # None when digit 15 is neither 1 nor 2
    sequence: int  # digits 16–18, 0..999; 0 is only a warning


@dataclass(frozen=True)
class NikInfo:
    """What a NIK encodes. Region codes are hierarchical: ``"51"``, ``"5171"``, ``"517101"``."""

    province: str  # 2 digits, Bali is "51"
    regency: str  # 4 digits: province + kab/kota ("5171" Kota Denpasar)
    district: str  # 6 digits: regency + kecamatan
    birth_date: dt.date | None  # None when digits 7–12 are not a real date
    sex: Sex | None  # None only when the day (digits 7–8) is in no valid range
    sequence: int  # 1..9999
    date_digits: str  # digits 7–12 as printed (DDMMYY, women's day + 40)


def normalize_identifier(value: object) -> str:
    """Remove every whitespace character (NIPs are often typed grouped: ``19860926 201505 1 001``)."""
    return _WHITESPACE.sub("", value if isinstance(value, str) else str(value))


def _digits(value: object, length: int) -> str | None:
    """The compact form of ``value`` if it is exactly ``length`` ASCII digits, else ``None``."""
    compact = normalize_identifier(value)
    if len(compact) == length and compact.isascii() and compact.isdigit():
        return compact
    return None


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:  # month/day out of range, year 0
        return None


def _fail(message: str | Promise, code: str) -> ValidationError:
    return ValidationError(message, code=code)


# --- NIP ------------------------------------------------------------------------------------------


def parse_nip(value: str) -> NipInfo:
    """Parse a PNS/CPNS NIP (spaces allowed) into its components, or raise ``ValidationError``.

    Error codes: ``nip_format`` (not 18 digits; no further checks), ``nip_birth_date``, ``nip_tmt_month``,
    ``nip_tmt_year`` (before 1900), ``nip_tmt_before_birth`` (TMT CPNS before the birth date),
    ``nip_sex``, ``nip_sequence`` (000).
    """
    nip = _digits(value, 18)
    if nip is None:
        raise ValidationError([_fail(_("NIP harus terdiri atas 18 digit angka."), "nip_format")])

    errors: list[ValidationError] = []
    birth_date = _date_or_none(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    if birth_date is None:
        errors.append(
            _fail(_("Tanggal lahir pada NIP (digit 1–8) bukan tanggal yang valid."), "nip_birth_date")
        )
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    tmt_cpns = None
    if not 1 <= tmt_month <= 12:
        errors.append(_fail(_("Bulan TMT CPNS pada NIP (digit 13–14) harus 01–12."), "nip_tmt_month"))
    if tmt_year < MIN_APPOINTMENT_YEAR:
        errors.append(
            _fail(_("Tahun TMT CPNS pada NIP (digit 9–12) tidak boleh sebelum tahun 1900."), "nip_tmt_year")
        )
    if 1 <= tmt_month <= 12 and tmt_year >= MIN_APPOINTMENT_YEAR:
        tmt_cpns = dt.date(tmt_year, tmt_month, 1)
        if birth_date is not None and tmt_cpns < birth_date:
            errors.append(
                _fail(
                    _("TMT CPNS pada NIP (digit 9–14) tidak boleh sebelum tanggal lahir (digit 1–8)."),
                    "nip_tmt_before_birth",
                )
            )
    sex = _SEX_DIGITS.get(nip[14])
    if sex is None:
        errors.append(_fail(_("Kode jenis kelamin pada NIP (digit 15) harus 1 atau 2."), "nip_sex"))
    sequence = int(nip[15:18])
    if sequence == 0:
        errors.append(_fail(_("Nomor urut pada NIP (digit 16–18) tidak boleh 000."), "nip_sequence"))

    if errors:
        raise ValidationError(errors)
    assert birth_date is not None and tmt_cpns is not None and sex is not None  # for the type checker
    return NipInfo(birth_date=birth_date, tmt_cpns=tmt_cpns, sex=sex, sequence=sequence)


def _mismatch_warnings(
    label: str,
    *,
    encoded_birth: dt.date | None,
    encoded_sex: Sex | None,
    birth_date: dt.date | None,
    sex: str | None,
) -> list[str]:
    warnings: list[str] = []
    if birth_date is not None and encoded_birth is not None and encoded_birth != birth_date:
        warnings.append(
            _(
                "Tanggal lahir pada %(label)s (%(encoded)s) berbeda dengan tanggal lahir yang tercatat (%(recorded)s)."
            )
            % {"label": label, "encoded": tanggal(encoded_birth), "recorded": tanggal(birth_date)}
        )
    if sex and encoded_sex is not None and encoded_sex != sex:
        warnings.append(
            _(
                "Jenis kelamin pada %(label)s (%(encoded)s) berbeda dengan jenis kelamin yang tercatat (%(recorded)s)."
            )
            % {"label": label, "encoded": _sex_label(encoded_sex), "recorded": _sex_label(sex)}
        )
    return warnings


def _sex_label(sex: str) -> str:
    # Reuses the Employee.Sex labels, lower-cased because they stand mid-sentence.
    label = {"L": _("Laki-laki"), "P": _("Perempuan")}.get(sex)
    return str(label).lower() if label is not None else sex


def _appointment_age_warning(label: str, birth_date: dt.date, appointment_year: int) -> list[str]:
    if appointment_year < birth_date.year + MIN_APPOINTMENT_AGE:
        return [
            _(
                "Tahun pengangkatan pada %(label)s (%(year)s) kurang dari 18 tahun setelah tahun lahir (%(birth_year)s)."
            )
            % {"label": label, "year": appointment_year, "birth_year": birth_date.year}
        ]
    return []


def nip_warnings(
    nip_info: NipInfo, *, birth_date: dt.date | None = None, sex: str | None = None
) -> list[str]:
    """Soft warnings for a parsed NIP: mismatch with the recorded birth date or sex (``"L"``/``"P"``) and a
    TMT CPNS before birth year + 18 (minimum CPNS age, PP 11/2017). Never blocks saving."""
    warnings = _mismatch_warnings(
        "NIP", encoded_birth=nip_info.birth_date, encoded_sex=nip_info.sex, birth_date=birth_date, sex=sex
    )
    warnings += _appointment_age_warning("NIP", nip_info.birth_date, nip_info.tmt_cpns.year)
    return warnings


# --- NI PPPK --------------------------------------------------------------------------------------


def parse_ni_pppk(value: str) -> PppkInfo:
    """Parse an NI PPPK (spaces allowed), or raise ``ValidationError``.

    Checked: 18 digits (``pppk_format``), a real birth date (``pppk_birth_date``), an appointment year from
    1900 on (``pppk_appointment_year``) and not before the birth year (``pppk_appointment_before_birth``).
    Digits 13–14 are not checked at all (domain.md: not a month); digit 15 and the sequence are read leniently.
    """
    number = _digits(value, 18)
    if number is None:
        raise ValidationError([_fail(_("NI PPPK harus terdiri atas 18 digit angka."), "pppk_format")])

    errors: list[ValidationError] = []
    birth_date = _date_or_none(int(number[0:4]), int(number[4:6]), int(number[6:8]))
    if birth_date is None:
        errors.append(
            _fail(_("Tanggal lahir pada NI PPPK (digit 1–8) bukan tanggal yang valid."), "pppk_birth_date")
        )
    year = int(number[8:12])
    if year < MIN_APPOINTMENT_YEAR:
        errors.append(
            _fail(
                _("Tahun pengangkatan pada NI PPPK (digit 9–12) tidak boleh sebelum tahun 1900."),
                "pppk_appointment_year",
            )
        )
    elif birth_date is not None and year < birth_date.year:
        errors.append(
            _fail(
                _(
                    "Tahun pengangkatan pada NI PPPK (digit 9–12) tidak boleh sebelum tahun lahir (digit 1–4)."
                ),
                "pppk_appointment_before_birth",
            )
        )
    if errors:
        raise ValidationError(errors)
    assert birth_date is not None
    return PppkInfo(
        birth_date=birth_date,
        appointment_year=year,
        agreement_code=number[12:14],
        sex=_SEX_DIGITS.get(number[14]),
        sequence=int(number[15:18]),
    )


def ni_pppk_warnings(
    info: PppkInfo, *, birth_date: dt.date | None = None, sex: str | None = None
) -> list[str]:
    """Soft warnings for a parsed NI PPPK: unknown sex digit, sequence 000, appointment before age 18,
    mismatch with the recorded birth date or sex."""
    warnings: list[str] = []
    if info.sex is None:
        warnings.append(str(_("Kode jenis kelamin pada NI PPPK (digit 15) bukan 1 atau 2.")))
    if info.sequence == 0:
        warnings.append(str(_("Nomor urut pada NI PPPK (digit 16–18) adalah 000.")))
    warnings += _mismatch_warnings(
        "NI PPPK", encoded_birth=info.birth_date, encoded_sex=info.sex, birth_date=birth_date, sex=sex
    )
    warnings += _appointment_age_warning("NI PPPK", info.birth_date, info.appointment_year)
    return warnings


# --- NIK ------------------------------------------------------------------------------------------


def _resolve_century(two_digit_year: int, month: int, day: int, today: dt.date) -> int:
    """The latest year ending in ``two_digit_year`` whose (month, day) is not after ``today``: the person is
    0–99 years old. Month/day are compared as numbers, so this works before knowing whether the date exists
    (29 February with year 00 resolves to 2000, a leap year, when today is in the 2000s)."""
    year = today.year - today.year % 100 + two_digit_year
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    return year


def parse_nik(value: str, *, today: dt.date | None = None) -> NikInfo:
    """Parse a NIK (spaces allowed), or raise ``ValidationError`` for structural defects only.

    Errors: ``nik_format`` (not 16 digits), ``nik_province`` (``00``), ``nik_sequence`` (``0000``). An
    impossible birth date is not an error (the NIK is immutable and must be accepted as issued): it gives
    ``birth_date=None`` and a warning from :func:`nik_warnings`. Women's day is stored + 40 (41–71). The
    two-digit year is resolved relative to ``today`` (default: today in the office time zone) so that the
    person is at most 99 years old.
    """
    nik = _digits(value, 16)
    if nik is None:
        raise ValidationError([_fail(_("NIK harus terdiri atas 16 digit angka."), "nik_format")])
    errors: list[ValidationError] = []
    if nik[0:2] == "00":
        errors.append(_fail(_("Kode provinsi pada NIK (digit 1–2) tidak boleh 00."), "nik_province"))
    sequence = int(nik[12:16])
    if sequence == 0:
        errors.append(_fail(_("Nomor urut pada NIK (digit 13–16) tidak boleh 0000."), "nik_sequence"))
    if errors:
        raise ValidationError(errors)

    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex: Sex | None
    if 1 <= day <= 31:
        sex = "L"
    elif NIK_FEMALE_DAY_OFFSET + 1 <= day <= NIK_FEMALE_DAY_OFFSET + 31:
        sex, day = "P", day - NIK_FEMALE_DAY_OFFSET
    else:
        sex = None
    birth_date = None
    if sex is not None:
        today = today or timezone.localdate()
        birth_date = _date_or_none(_resolve_century(yy, month, day, today), month, day)
    return NikInfo(
        province=nik[0:2],
        regency=nik[0:4],
        district=nik[0:6],
        birth_date=birth_date,
        sex=sex,
        sequence=sequence,
        date_digits=nik[6:12],
    )


def nik_warnings(
    nik_info: NikInfo, *, birth_date: dt.date | None = None, sex: str | None = None
) -> list[str]:
    """Soft warnings for a parsed NIK: ``00`` regency/district code, a birth-date part that is not a date, and
    mismatches with the recorded birth date or sex.

    The birth date is compared on day, month and the two-digit year only, so a wrongly guessed century (a
    person over 99) never produces a false warning.
    """
    warnings: list[str] = []
    if nik_info.regency[2:] == "00" or nik_info.district[4:] == "00":
        warnings.append(str(_("Kode kabupaten/kota atau kecamatan pada NIK (digit 3–6) berisi 00.")))
    if nik_info.birth_date is None:
        warnings.append(
            _("Bagian tanggal lahir pada NIK (digit 7–12: %(digits)s) bukan tanggal yang valid.")
            % {"digits": nik_info.date_digits}
        )
    encoded = nik_info.birth_date
    if (
        birth_date is not None
        and encoded is not None
        and (encoded.day, encoded.month, encoded.year % 100)
        != (birth_date.day, birth_date.month, birth_date.year % 100)
    ):
        warnings.append(
            _(
                "Tanggal lahir pada NIK (%(encoded)s) berbeda dengan tanggal lahir yang tercatat (%(recorded)s)."
            )
            % {"encoded": tanggal(encoded), "recorded": tanggal(birth_date)}
        )
    warnings += _mismatch_warnings(
        "NIK", encoded_birth=None, encoded_sex=nik_info.sex, birth_date=None, sex=sex
    )
    return warnings


# --- Django validators ----------------------------------------------------------------------------


def validate_nip(value: str) -> None:
    """Validator for a model/form field holding a PNS/CPNS NIP (hard errors only)."""
    parse_nip(value)


def validate_ni_pppk(value: str) -> None:
    """Validator for a model/form field holding an NI PPPK (hard errors only)."""
    parse_ni_pppk(value)


def validate_nik(value: str) -> None:
    """Validator for a model/form field holding a NIK (structural errors only; see :func:`parse_nik`)."""
    parse_nik(value)
