"""How each cell is read and written: the import-export widgets (text, e-mail, identifiers, choices,
golongan, dates, unit and position) and the Excel quirks they undo."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import widgets

from .. import rules
from ..identifiers import normalize_identifier
from ..models import OrgUnit, Position

DATE_DISPLAY_FORMAT = "%d-%m-%Y"

# Excel keeps 15 significant digits: a longer number typed into a "General" cell is silently rounded.
EXCEL_EXACT_DIGITS = 15
# Excel serial dates accepted in date columns when a cell lost its date format: 1920-01-01 … 2100-12-31.
EXCEL_SERIAL_RANGE = (7306, 73415)
EXCEL_EPOCH = dt.date(1899, 12, 30)
DATE_YEAR_RANGE = (1900, 2100)

_SPACES = re.compile(r"\s+")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number_text(value: int | float, *, max_digits: int = EXCEL_EXACT_DIGITS) -> str | None:
    """An integral spreadsheet number as digits, or ``None`` when Excel may already have rounded it."""
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    text = str(abs(value))
    return text if len(text) <= max_digits else None


# --- Widgets --------------------------------------------------------------------------------------
class TextWidget(widgets.Widget):
    """Free text: trimmed, inner whitespace collapsed (unless ``multiline``), length-checked.

    Integral numbers are accepted as their digits (a phone typed without a leading apostrophe), but only up
    to 15 digits, beyond which Excel has already rounded them.
    """

    def __init__(self, max_length: int | None = None, *, multiline: bool = False, phone: bool = False):
        super().__init__(coerce_to_string=True)
        self.max_length = max_length
        self.multiline = multiline
        self.phone = phone

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if _is_blank(value):
            return ""
        if isinstance(value, bool):
            raise ValueError(_("Isian harus berupa teks."))
        if isinstance(value, (int, float)):
            text = _number_text(value)
            if text is None:
                raise ValueError(
                    _(
                        "Angka lebih dari 15 digit dibulatkan oleh Excel. Format sel sebagai Teks lalu ketik ulang isinya."
                    )
                )
            # Excel drops the leading 0 of 0812…; give it back.
            value = "0" + text if self.phone and text.startswith("8") else text
        elif isinstance(value, (dt.date, dt.time)):
            raise ValueError(_("Isian harus berupa teks."))
        text = str(value).strip()
        if self.multiline:
            text = "\n".join(line.strip() for line in text.splitlines()).strip()
        else:
            text = _SPACES.sub(" ", text)
        if self.max_length is not None and len(text) > self.max_length:
            raise ValueError(
                _("Isian terlalu panjang: %(length)s karakter, paling banyak %(max)s.")
                % {"length": len(text), "max": self.max_length}
            )
        return text


class EmailWidget(TextWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = super().clean(value, row, **kwargs)
        if text:
            try:
                validate_email(text)
            except ValidationError as exc:
                raise ValueError(_("Alamat surel tidak valid: %(value)s") % {"value": text}) from exc
        return text


class IdentifierWidget(widgets.Widget):
    """NIP / NIK: digits only, written without spaces. Their structure depends on the employee type and is
    checked by :mod:`staff.imports` with :mod:`staff.identifiers`."""

    def __init__(self, label: str):
        super().__init__(coerce_to_string=True)
        self.label = label

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if _is_blank(value):
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # 16–18 digits never survive a number cell intact (15 significant digits).
            raise ValueError(
                _(
                    "%(label)s harus ditulis sebagai teks, bukan angka: Excel membulatkan angka yang lebih dari 15 digit. Format sel sebagai Teks lalu ketik ulang."
                )
                % {"label": self.label}
            )
        return normalize_identifier(str(value)).lstrip("'")


def _choice_key(value: str) -> str:
    return re.sub(r"[\s\-_./]+", "", value).casefold()


class ChoiceWidget(widgets.Widget):
    """A ``TextChoices`` value given as its code or its label (any case, spaces and hyphens ignored),
    in Indonesian or in the active language, plus optional aliases. Renders the code."""

    def __init__(self, choices: Sequence[tuple[str, Any]], aliases: Mapping[str, str] | None = None):
        super().__init__(coerce_to_string=True)
        self.choices = list(choices)
        self.aliases = dict(aliases or {})
        self._lookup: dict[str, dict[str, str]] = {}

    def lookup(self) -> dict[str, str]:
        language = translation.get_language() or "id"
        if language not in self._lookup:
            table: dict[str, str] = {}
            for code, label in self.choices:
                table[_choice_key(code)] = code
                with translation.override("id"):
                    table.setdefault(_choice_key(str(label)), code)
                table.setdefault(_choice_key(str(label)), code)
            for alias, code in self.aliases.items():
                table.setdefault(_choice_key(alias), code)
            self._lookup[language] = table
        return self._lookup[language]

    def allowed(self) -> str:
        return ", ".join(code for code, _label in self.choices)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if _is_blank(value):
            return ""
        code = self.lookup().get(_choice_key(str(value)))
        if code is None:
            raise ValueError(
                _("Nilai tidak dikenal: %(value)s. Pilihan: %(choices)s.")
                % {"value": str(value).strip(), "choices": self.allowed()}
            )
        return code

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class GolonganWidget(widgets.Widget):
    """PNS golongan ruang in any common spelling (``III/a``, ``IIIa``, ``iii.A``) → ``III/a``."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if _is_blank(value):
            return ""
        try:
            return rules.normalize_golongan(str(value))
        except ValueError as exc:
            raise ValueError(
                _("Golongan ruang tidak dikenal: %(value)s (I/a sampai IV/e).")
                % {"value": str(value).strip()}
            ) from exc


class PppkGolonganWidget(widgets.Widget):
    """PPPK golongan I–XVII, as a Roman numeral or as a number 1–17."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if _is_blank(value):
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
            number = int(value)
            if 1 <= number <= len(rules.GOLONGAN_PPPK):
                return rules.GOLONGAN_PPPK[number - 1]
        code = str(value).strip().upper()
        if code.isdigit() and 1 <= int(code) <= len(rules.GOLONGAN_PPPK):
            return rules.GOLONGAN_PPPK[int(code) - 1]
        if code in rules.GOLONGAN_PPPK:
            return code
        raise ValueError(
            _("Golongan PPPK tidak dikenal: %(value)s (I sampai XVII).") % {"value": str(value).strip()}
        )


def parse_date(value: Any) -> dt.date | None:
    """A date cell: a real Excel date, an Excel serial number (1920–2100) or the text ``DD-MM-YYYY``,
    ``DD/MM/YYYY`` or ``YYYY-MM-DD``. Blank gives ``None``; anything else raises ``ValueError``."""
    if _is_blank(value):
        return None
    result: dt.date | None = None
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and EXCEL_SERIAL_RANGE[0] <= value <= EXCEL_SERIAL_RANGE[1]:
            result = EXCEL_EPOCH + dt.timedelta(days=int(value))
    elif isinstance(value, str):
        text = value.strip()
        parts: tuple[str, str, str] | None = None
        if match := _DMY.match(text):
            day, month, year = match.groups()
            parts = (year, month, day)
        elif match := _YMD.match(text):
            parts = match.groups()  # type: ignore[assignment]
        if parts is not None:
            try:
                result = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                result = None
    if result is None or not DATE_YEAR_RANGE[0] <= result.year <= DATE_YEAR_RANGE[1]:
        shown = value.strftime(DATE_DISPLAY_FORMAT) if isinstance(value, dt.date) else str(value).strip()
        raise ValueError(
            _("Tanggal tidak valid: %(value)s. Tulis sebagai DD-MM-YYYY, misalnya 26-09-1986.")
            % {"value": shown}
        )
    return result


class DateWidget(widgets.Widget):
    """Dates in and out as ``DD-MM-YYYY`` (see :func:`parse_date` for what is accepted)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> dt.date | None:
        return parse_date(value)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.strftime(DATE_DISPLAY_FORMAT) if isinstance(value, dt.date) else ""


def name_key(value: str) -> str:
    """How unit codes and position names are matched: case-insensitive, whitespace collapsed."""
    return _SPACES.sub(" ", value).strip().casefold()


class UnitWidget(widgets.ForeignKeyWidget):
    """An org unit by its code. ``clean(value, units=...)`` resolves from a preloaded
    ``{name_key(code): (id, code)}`` map (one query for the whole file) and returns the unit id."""

    def __init__(self) -> None:
        super().__init__(OrgUnit, field="code")

    def clean(
        self, value: Any, row: Any = None, units: Mapping[str, tuple[int, str]] | None = None, **kwargs
    ):
        if _is_blank(value):
            return None
        text = str(value).strip()
        if units is None:
            units = {name_key(code): (pk, code) for pk, code in OrgUnit.objects.values_list("pk", "code")}
        found = units.get(name_key(text))
        if found is None:
            raise ValueError(
                _("Kode unit tidak dikenal: %(value)s. Lihat daftar kode unit di lembar Referensi.")
                % {"value": text}
            )
        return found[0]


class PositionWidget(widgets.ForeignKeyWidget):
    """A position by its name; the unit is known only per row, so the name is returned here and resolved
    within the row's unit by :mod:`staff.imports`."""

    def __init__(self) -> None:
        super().__init__(Position, field="name")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if _is_blank(value):
            return ""
        return _SPACES.sub(" ", str(value)).strip()
