"""Indonesian formatting helpers (domain.md §8): dates, times, Rupiah, terbilang, Roman numerals, NIP.

Everything here is a pure function: no database, no request, no active language. The output follows the
official Indonesian conventions regardless of the UI language, because it ends up on official documents
(letters, receipts, reports). Datetimes are shown in WITA (Asia/Makassar), the office's time zone.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from zoneinfo import ZoneInfo

from django.utils import timezone

__all__ = [
    "BULAN",
    "HARI",
    "WITA",
    "angka",
    "bulan_romawi",
    "jam",
    "mask_digits",
    "nip_display",
    "romawi",
    "rupiah",
    "tanggal",
    "tanggal_hari",
    "tanggal_surat",
    "terbilang",
    "terbilang_title",
    "to_decimal",
    "to_local",
    "waktu",
]

WITA = ZoneInfo("Asia/Makassar")

# Month and day names are fixed by the spelling rules (EYD), not by the UI language: they are not
# translated, an English UI still prints "22 November 2026" on an Indonesian letter.
BULAN = (
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
)
# Indexed by date.weekday() (Monday == 0).
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


# --- Dates and times ------------------------------------------------------------------------------


def to_local(value: dt.datetime) -> dt.datetime:
    """Return ``value`` as WITA wall-clock time.

    Aware datetimes are converted to Asia/Makassar; naive ones are taken to be WITA already.
    """
    if timezone.is_aware(value):
        return timezone.localtime(value, WITA)
    return value


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return to_local(value).date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"expected a date or datetime, got {type(value).__name__}")


def tanggal(value: dt.date | dt.datetime | None) -> str:
    """Long Indonesian date: ``22 November 2026`` (no leading zero). ``None`` gives ``""``."""
    if value is None:
        return ""
    d = _as_date(value)
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


def tanggal_hari(value: dt.date | dt.datetime | None) -> str:
    """Date with the day name: ``Senin, 23 November 2026``. ``None`` gives ``""``."""
    if value is None:
        return ""
    d = _as_date(value)
    return f"{HARI[d.weekday()]}, {tanggal(d)}"


def tanggal_surat(value: dt.date | dt.datetime | None, city: str = "Denpasar") -> str:
    """Place-and-date line of a letter: ``Denpasar, 22 November 2026``. ``None`` gives ``""``."""
    if value is None:
        return ""
    return f"{city}, {tanggal(value)}"


def jam(value: dt.datetime | dt.time | None) -> str:
    """24-hour clock time with a dot: ``07.30``. Aware datetimes are shown in WITA. ``None`` gives ``""``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_local(value)
    elif not isinstance(value, dt.time):
        raise TypeError(f"expected a datetime or time, got {type(value).__name__}")
    return f"{value.hour:02d}.{value.minute:02d}"


def waktu(value: dt.datetime | dt.time | None) -> str:
    """Time as written in prose: ``pukul 07.30 WITA``. ``None`` gives ``""``."""
    if value is None:
        return ""
    return f"pukul {jam(value)} WITA"


# --- Rupiah ---------------------------------------------------------------------------------------


def to_decimal(amount: int | Decimal | str) -> Decimal:
    """Convert an amount to a finite ``Decimal`` without ever going through binary floating point.

    Raises ``TypeError`` for floats (and bools), ``ValueError`` for text that is not a number.
    """
    if isinstance(amount, bool | float):
        raise TypeError(
            "money must be int, Decimal or str, not float: binary floats cannot hold Rupiah exactly"
        )
    if isinstance(amount, Decimal):
        value = amount
    elif isinstance(amount, int):
        value = Decimal(amount)
    elif isinstance(amount, str):
        try:
            value = Decimal(amount.strip())
        except InvalidOperation:
            raise ValueError(f"not a decimal number: {amount!r}") from None
    else:
        raise TypeError(f"money must be int, Decimal or str, not {type(amount).__name__}")
    if not value.is_finite():
        raise ValueError(f"not a finite amount: {amount!r}")
    return value


def _group_thousands(digits: str) -> str:
    """``"1250000"`` → ``"1.250.000"`` (dot as the thousands separator)."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(parts)


def rupiah(amount: int | Decimal | str | None, *, cents: bool = False) -> str:
    """Rupiah in the EYD form: ``Rp1.250.000`` or, with ``cents=True``, ``Rp1.250.000,00``.

    Without cents the amount is rounded half up to whole Rupiah. Negative amounts are shown in
    parentheses as in financial reports: ``(Rp1.250.000)``. ``None`` gives ``""``; floats raise
    ``TypeError``.
    """
    if amount is None:
        return ""
    value = to_decimal(amount)
    quantum = Decimal("0.01") if cents else Decimal(1)
    # Enough precision for any magnitude: the default 28 digits would make quantize() fail on huge values.
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + 4)
        value = value.quantize(quantum, rounding=ROUND_HALF_UP)
    negative = value < 0  # -0.4 rounds to -0, which is not negative: no "(Rp0)"
    whole, _, frac = f"{value.copy_abs():f}".partition(".")
    text = "Rp" + _group_thousands(whole)
    if cents:
        text += "," + frac
    return f"({text})" if negative else text


def angka(value: int | Decimal | str | None, decimals: int | None = None) -> str:
    """Number in Indonesian notation: dot for thousands, comma for decimals (``1.250.000``, ``12,50``).

    ``decimals`` rounds (half up) to that many places; by default the value's own places are kept.
    ``None`` gives ``""``; floats raise ``TypeError``.
    """
    if value is None:
        return ""
    number = to_decimal(value)
    with localcontext() as ctx:
        ctx.prec = max(28, number.adjusted() + (decimals or 0) + 4)
        if decimals is not None:
            number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    negative = number < 0
    whole, _, frac = f"{number.copy_abs():f}".partition(".")
    text = _group_thousands(whole) + ("," + frac if frac else "")
    return "-" + text if negative else text


# --- Terbilang (amounts in words) -----------------------------------------------------------------

_SATUAN = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
# Scale words for groups of three digits, from the lowest group up.
_SKALA = ("", "ribu", "juta", "miliar", "triliun")
TERBILANG_MAX = 10**15 - 1  # 999 triliun ...


def _below_thousand(n: int) -> list[str]:
    """Words for 1..999 (an empty list for 0)."""
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds > 1:
        words += [_SATUAN[hundreds], "ratus"]
    if rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif 12 <= rest <= 19:
        words += [_SATUAN[rest - 10], "belas"]
    elif rest >= 20:
        tens, units = divmod(rest, 10)
        words += [_SATUAN[tens], "puluh"]
        if units:
            words.append(_SATUAN[units])
    elif rest > 0:
        words.append(_SATUAN[rest])
    return words


def _integer_words(n: int) -> list[str]:
    """Words for 0..TERBILANG_MAX."""
    if n == 0:
        return ["nol"]
    groups: list[int] = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for scale in range(len(groups) - 1, -1, -1):
        group = groups[scale]
        if not group:
            continue
        if scale == 1 and group == 1:
            words.append("seribu")  # 1.000 is "seribu", but 1.000.000 is "satu juta"
            continue
        words += _below_thousand(group)
        if _SKALA[scale]:
            words.append(_SKALA[scale])
    return words


def _terbilang_parts(n: int | Decimal | str, *, with_cents: bool) -> tuple[bool, int, int]:
    """Split an amount into (negative, whole units, cents), validating type and range."""
    value = Decimal(n) if isinstance(n, int) and not isinstance(n, bool) else to_decimal(n)
    # Checked before rounding too: quantize() fails outright on numbers beyond the context precision.
    if value.copy_abs() >= TERBILANG_MAX + 1:
        raise ValueError(f"terbilang supports amounts up to {TERBILANG_MAX}, got {n!r}")
    quantum = Decimal("0.01") if with_cents else Decimal(1)
    value = value.quantize(quantum, rounding=ROUND_HALF_UP)
    abs_value = value.copy_abs()
    whole = int(abs_value)
    if whole > TERBILANG_MAX:  # 999…999.5 rounds up past the limit
        raise ValueError(f"terbilang supports amounts up to {TERBILANG_MAX}, got {n!r}")
    cents = int((abs_value - whole) * 100)
    return value < 0, whole, cents


def terbilang(
    n: int | Decimal | str,
    *,
    suffix: bool | str = False,
    with_cents: bool = False,
) -> str:
    """Spell an amount in lower-case Indonesian words.

    ``terbilang(1250000)`` → ``"satu juta dua ratus lima puluh ribu"``;
    ``terbilang(1250000, suffix=True)`` → ``"satu juta dua ratus lima puluh ribu rupiah"``
    (``suffix`` may also be any other word, e.g. ``"hari"``).

    Supports 0 (``"nol"``) up to 999 triliun; larger magnitudes raise ``ValueError``, floats raise
    ``TypeError``. Negative amounts are prefixed with ``"minus"``. A fractional part is rounded half up to
    whole units (the same figure ``rupiah()`` prints) unless ``with_cents=True``, in which case non-zero
    cents are appended as ``"… koma lima puluh sen"``.
    """
    negative, whole, cents = _terbilang_parts(n, with_cents=with_cents)
    words = _integer_words(whole)
    if suffix:
        words.append("rupiah" if suffix is True else str(suffix))
    if with_cents and cents:
        words += ["koma", *_integer_words(cents), "sen"]
    if negative and (whole or cents):
        words.insert(0, "minus")
    return " ".join(words)


def terbilang_title(
    n: int | Decimal | str,
    *,
    suffix: bool | str = True,
    with_cents: bool = False,
) -> str:
    """Title-case terbilang for receipts: ``"Satu Juta Dua Ratus Lima Puluh Ribu Rupiah"``.

    Unlike ``terbilang()`` the suffix defaults to ``"rupiah"``: the title form is what a *kwitansi* prints
    after "Terbilang:". Pass ``suffix=False`` for bare words.
    """
    text = terbilang(n, suffix=suffix, with_cents=with_cents)
    return " ".join(word[:1].upper() + word[1:] for word in text.split(" "))


# --- Roman numerals -------------------------------------------------------------------------------

_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def romawi(n: int) -> str:
    """Roman numeral for 1..3999 (``romawi(2026)`` → ``"MMXXVI"``); anything else raises ``ValueError``."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"expected an int, got {type(n).__name__}")
    if not 1 <= n <= 3999:
        raise ValueError(f"Roman numerals cover 1..3999, got {n}")
    parts: list[str] = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        parts.append(letters * count)
    return "".join(parts)


def bulan_romawi(month: int) -> str:
    """Month as a Roman numeral for document numbers: ``bulan_romawi(11)`` → ``"XI"``."""
    if isinstance(month, bool) or not isinstance(month, int):
        raise TypeError(f"expected an int, got {type(month).__name__}")
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    return romawi(month)


# --- NIP and masking ------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")


def nip_display(nip: str | None) -> str:
    """Group an 18-digit NIP as printed on documents: ``19860926 201505 1 001``.

    (birth date · appointment year and month · sex · serial number). Spaces are ignored; input that is
    not 18 digits after removing them is returned unchanged. ``None`` gives ``""``.
    """
    if nip is None:
        return ""
    nip = str(nip)
    compact = _WHITESPACE.sub("", nip)
    if len(compact) != 18 or not compact.isascii() or not compact.isdigit():
        return nip
    return f"{compact[:8]} {compact[8:14]} {compact[14]} {compact[15:]}"


def mask_digits(value: str | int | None, visible: int = 4) -> str:
    """Hide an identifier except its last ``visible`` digits: ``"5171012345671234"`` → ``"************1234"``.

    The result has the same length as the input. Every character becomes ``*`` except the last ``visible``
    digits and separators (whitespace, ``.``, ``-``, ``/``), which are kept so a grouped number keeps its
    shape. Empty input or ``None`` gives ``""``.
    """
    if value is None:
        return ""
    text = str(value)
    if not text:
        return ""
    if visible < 0:
        raise ValueError("visible must not be negative")
    out: list[str] = []
    shown = 0
    for char in reversed(text):
        if char.isdigit() and shown < visible:
            out.append(char)
            shown += 1
        elif char.isspace() or char in ".-/":
            out.append(char)
        else:
            out.append("*")
    return "".join(reversed(out))
