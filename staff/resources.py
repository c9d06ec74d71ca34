"""The employee spreadsheet: its columns, how each cell is read and written, and the blank template.

:class:`EmployeeResource` (django-import-export) declares the columns once — header, model attribute and
widget — and is the single source for three things:

* **reading** an upload: :mod:`staff.imports` maps the header row to these fields and cleans every cell with
  the field's widget (``widget.clean`` raises ``ValueError`` with an Indonesian message);
* **writing** the same layout: ``EmployeeResource().export(queryset)`` gives a ``tablib.Dataset`` whose file
  re-imports unchanged (round trip);
* the **template** (:func:`build_template`): headers, example row, *Petunjuk* and *Referensi* sheets.

The headers are a file format, not UI text: they are fixed Indonesian strings (never translated), so a template
downloaded in English imports exactly like one downloaded in Indonesian. The explanations in the *Petunjuk*
sheet are translated.

Importing itself never goes through django-import-export's ``import_data``: the "NIP for ASN, NIK for
non-ASN" identity, the all-or-nothing rule and the per-row error list need one pass over the whole file with a
handful of queries, which :mod:`staff.imports` implements (``import_data`` raises to keep it that way).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from import_export import fields, resources, widgets

from . import rules
from .identifiers import normalize_identifier
from .models import Employee, OrgUnit, Position

DATA_SHEET = "Pegawai"
HELP_SHEET = "Petunjuk"
REFERENCE_SHEET = "Referensi"
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


# --- The resource ---------------------------------------------------------------------------------
SEX = ChoiceWidget(Employee.Sex.choices, aliases={"pria": "L", "wanita": "P", "1": "L", "2": "P"})
RELIGION = ChoiceWidget(
    Employee.Religion.choices, aliases={"kristen": "protestan", "konghucu": "khonghucu", "budha": "buddha"}
)
EMPLOYEE_TYPE = ChoiceWidget(
    Employee.Type.choices,
    aliases={
        "honorer": "NON_ASN",
        "nonasn": "NON_ASN",
        "PPPKPW": "PPPK_PARUH_WAKTU",
        "alihdaya": "ALIH_DAYA",
    },
)
EDUCATION = ChoiceWidget(
    Employee.Education.choices,
    aliases={
        "SMK": "SMA", "SLTA": "SMA", "SMU": "SMA", "MA": "SMA", "SLTP": "SMP", "MTs": "SMP",
        "DI": "D1", "DII": "D2", "DIII": "D3", "DIV": "D4", "SI": "S1", "SII": "S2", "SIII": "S3",
    },
)  # fmt: skip
STATUS = ChoiceWidget(Employee.Status.choices)


def _field(attribute: str, column: str, widget: widgets.Widget) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=widget)


def _max(name: str) -> int | None:
    return Employee._meta.get_field(name).max_length


class EmployeeResource(resources.ModelResource):
    """The employee columns, in template order (see the module docstring)."""

    nip = _field("nip", "NIP", IdentifierWidget("NIP"))
    nik = _field("nik", "NIK", IdentifierWidget("NIK"))
    name = _field("name", "Nama", TextWidget(_max("name")))
    front_title = _field("front_title", "Gelar Depan", TextWidget(_max("front_title")))
    back_title = _field("back_title", "Gelar Belakang", TextWidget(_max("back_title")))
    sex = _field("sex", "Jenis Kelamin (L/P)", SEX)
    birth_place = _field("birth_place", "Tempat Lahir", TextWidget(_max("birth_place")))
    birth_date = _field("birth_date", "Tanggal Lahir (DD-MM-YYYY)", DateWidget())
    religion = _field("religion", "Agama", RELIGION)
    employee_type = _field("employee_type", "Jenis Pegawai", EMPLOYEE_TYPE)
    golongan = _field("golongan", "Golongan", GolonganWidget())
    pppk_golongan = _field("pppk_golongan", "Golongan PPPK", PppkGolonganWidget())
    tmt_golongan = _field("tmt_golongan", "TMT Golongan", DateWidget())
    unit = _field("unit", "Kode Unit", UnitWidget())
    position = _field("position", "Jabatan", PositionWidget())
    tmt_jabatan = _field("tmt_jabatan", "TMT Jabatan", DateWidget())
    tmt_cpns = _field("tmt_cpns", "TMT CPNS", DateWidget())
    education_level = _field("education_level", "Pendidikan", EDUCATION)
    education_major = _field("education_major", "Jurusan", TextWidget(_max("education_major")))
    phone = _field("phone", "Telepon", TextWidget(_max("phone"), phone=True))
    email = _field("email", "Surel", EmailWidget(_max("email")))
    address = _field("address", "Alamat", TextWidget(1000, multiline=True))
    npwp = _field("npwp", "NPWP", TextWidget(_max("npwp")))
    bank_name = _field("bank_name", "Bank", TextWidget(_max("bank_name")))
    bank_account = _field("bank_account", "No. Rekening", TextWidget(_max("bank_account")))
    status = _field("status", "Status", STATUS)
    internal_number = _field("internal_number", "Nomor Internal", TextWidget(_max("internal_number")))

    class Meta:
        model = Employee
        fields = (
            "nip", "nik", "name", "front_title", "back_title", "sex", "birth_place", "birth_date",
            "religion", "employee_type", "golongan", "pppk_golongan", "tmt_golongan", "unit", "position",
            "tmt_jabatan", "tmt_cpns", "education_level", "education_major", "phone", "email", "address",
            "npwp", "bank_name", "bank_account", "status", "internal_number",
        )  # fmt: skip
        export_order = fields
        # Documentation only: ASN rows are matched by NIP, non-ASN rows by NIK — see staff.imports.
        import_id_fields = ("nip",)

    def get_queryset(self):
        return Employee.objects.select_related("unit", "position").order_by("name", "id")

    def import_data(self, *args, **kwargs):
        raise NotImplementedError("Import employees with staff.imports.import_dry_run / import_commit.")

    @classmethod
    def columns(cls) -> list[tuple[str, fields.Field]]:
        """``(field name, field)`` in template order."""
        declared = cls.fields
        return [(name, declared[name]) for name in cls._meta.fields]


# --- Column help (the Petunjuk sheet) -------------------------------------------------------------
@dataclass(frozen=True)
class ColumnHelp:
    required: Promise
    text: Promise
    values: Promise | str = ""


ALWAYS = gettext_lazy("Ya")
NEW_ONLY = gettext_lazy("Untuk pegawai baru")
ASN_ONLY = gettext_lazy("ASN")
NON_ASN_ONLY = gettext_lazy("Non-ASN")
OPTIONAL = gettext_lazy("Tidak")
SEE_REFERENCE = gettext_lazy("Lihat lembar Referensi")

COLUMN_HELP: dict[str, ColumnHelp] = {
    "nip": ColumnHelp(
        ASN_ONLY,
        gettext_lazy(
            "NIP (PNS/CPNS) atau NI PPPK, 18 digit, ditulis sebagai teks. Kunci pencocokan ASN: bila NIP sudah ada, data pegawai itu diperbarui. Kosongkan untuk non-ASN."
        ),
    ),
    "nik": ColumnHelp(
        NON_ASN_ONLY,
        gettext_lazy(
            "NIK sesuai KTP, 16 digit, ditulis sebagai teks. Kunci pencocokan pegawai non-ASN (yang tidak memiliki NIP)."
        ),
    ),
    "name": ColumnHelp(NEW_ONLY, gettext_lazy("Nama lengkap tanpa gelar.")),
    "front_title": ColumnHelp(OPTIONAL, gettext_lazy("Gelar di depan nama, misalnya Dr. atau Ir.")),
    "back_title": ColumnHelp(OPTIONAL, gettext_lazy("Gelar di belakang nama, misalnya S.H., M.Si.")),
    "sex": ColumnHelp(NEW_ONLY, gettext_lazy("L untuk laki-laki, P untuk perempuan."), "L, P"),
    "birth_place": ColumnHelp(OPTIONAL, gettext_lazy("Kota atau kabupaten tempat lahir.")),
    "birth_date": ColumnHelp(
        OPTIONAL,
        gettext_lazy(
            "Tanggal lahir: sel tanggal Excel atau teks DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD. Perbedaan dengan NIP/NIK hanya menjadi peringatan."
        ),
    ),
    "religion": ColumnHelp(OPTIONAL, gettext_lazy("Agama."), SEE_REFERENCE),
    "employee_type": ColumnHelp(
        ALWAYS, gettext_lazy("Jenis pegawai; menentukan kunci pencocokan."), SEE_REFERENCE
    ),
    "golongan": ColumnHelp(
        OPTIONAL, gettext_lazy("Golongan ruang, hanya untuk PNS/CPNS."), gettext_lazy("I/a sampai IV/e")
    ),
    "pppk_golongan": ColumnHelp(
        OPTIONAL,
        gettext_lazy("Golongan PPPK, hanya untuk PPPK dan PPPK paruh waktu."),
        gettext_lazy("I sampai XVII"),
    ),
    "tmt_golongan": ColumnHelp(OPTIONAL, gettext_lazy("TMT pangkat/golongan terakhir (tanggal).")),
    "unit": ColumnHelp(
        NEW_ONLY, gettext_lazy("Kode unit kerja, persis seperti di lembar Referensi."), SEE_REFERENCE
    ),
    "position": ColumnHelp(
        OPTIONAL,
        gettext_lazy(
            "Nama jabatan yang sudah terdaftar di unit tersebut (lembar Referensi). Jabatan baru didaftarkan dahulu oleh Operator Kepegawaian."
        ),
        SEE_REFERENCE,
    ),
    "tmt_jabatan": ColumnHelp(OPTIONAL, gettext_lazy("TMT jabatan (tanggal).")),
    "tmt_cpns": ColumnHelp(
        OPTIONAL, gettext_lazy("TMT CPNS (tanggal); sebaiknya sama dengan bulan dan tahun pada NIP.")
    ),
    "education_level": ColumnHelp(OPTIONAL, gettext_lazy("Pendidikan terakhir."), SEE_REFERENCE),
    "education_major": ColumnHelp(OPTIONAL, gettext_lazy("Jurusan atau program studi.")),
    "phone": ColumnHelp(OPTIONAL, gettext_lazy("Nomor telepon seluler, ditulis sebagai teks.")),
    "email": ColumnHelp(OPTIONAL, gettext_lazy("Alamat surel.")),
    "address": ColumnHelp(OPTIONAL, gettext_lazy("Alamat tempat tinggal.")),
    "npwp": ColumnHelp(OPTIONAL, gettext_lazy("NPWP, ditulis sebagai teks.")),
    "bank_name": ColumnHelp(OPTIONAL, gettext_lazy("Nama bank rekening gaji.")),
    "bank_account": ColumnHelp(OPTIONAL, gettext_lazy("Nomor rekening, ditulis sebagai teks.")),
    "status": ColumnHelp(
        OPTIONAL, gettext_lazy("Status kepegawaian; kosong berarti Aktif untuk pegawai baru."), SEE_REFERENCE
    ),
    "internal_number": ColumnHelp(
        OPTIONAL, gettext_lazy("Nomor pegawai internal (misalnya untuk tenaga kontrak); harus unik.")
    ),
}

# Columns whose cells are formatted as text in the template (long digit strings).
TEXT_COLUMNS = ("nip", "nik", "phone", "npwp", "bank_account", "internal_number")
DATE_COLUMNS = ("birth_date", "tmt_golongan", "tmt_jabatan", "tmt_cpns")
COLUMN_WIDTHS = {"name": 30, "address": 36, "position": 34, "email": 26, "education_major": 22}

# A NIP that parses but belongs to nobody (born 1901; 1900 dates hit Excel's leap-year bug): keeping the
# example row can never touch a real record.
EXAMPLE_NIP = "190101011919011999"


def example_row(unit_code: str, position_name: str) -> dict[str, Any]:
    """The example row of the template, by field name; consistent NIP, NIK, birth date and sex."""
    return {
        "nip": EXAMPLE_NIP,
        "nik": "5171010101010001",
        "name": "Contoh Nama Pegawai",
        "front_title": "",
        "back_title": "S.Kom.",
        "sex": "L",
        "birth_place": "Denpasar",
        "birth_date": dt.date(1901, 1, 1),
        "religion": "hindu",
        "employee_type": "PNS",
        "golongan": "III/a",
        "pppk_golongan": "",
        "tmt_golongan": dt.date(1923, 4, 1),
        "unit": unit_code,
        "position": position_name,
        "tmt_jabatan": dt.date(1924, 1, 2) if position_name else None,
        "tmt_cpns": dt.date(1919, 1, 1),
        "education_level": "S1",
        "education_major": "Teknik Informatika",
        "phone": "081234567890",
        "email": "contoh@example.com",
        "address": "Jl. Basuki Rahmat No. 1, Denpasar",
        "npwp": "",
        "bank_name": "BPD Bali",
        "bank_account": "",
        "status": "aktif",
        "internal_number": "",
    }


# --- Template -------------------------------------------------------------------------------------
def _general_rules(max_rows: int, max_megabytes: int) -> list[str]:
    return [
        _("Isi data pada lembar Pegawai mulai baris 2. Jangan mengubah judul kolom di baris 1."),
        _("Baris 2 adalah contoh: hapus atau timpa sebelum mengimpor."),
        _(
            "Kolom boleh dihapus bila tidak dipakai, kecuali Jenis Pegawai dan NIP/NIK. Sel kosong tidak mengubah data pegawai yang sudah ada."
        ),
        _(
            "ASN (PNS, CPNS, PPPK) dicocokkan dengan NIP, pegawai non-ASN dengan NIK. Yang belum ada ditambahkan, yang sudah ada diperbarui."
        ),
        _("NIP, NIK, NPWP, nomor rekening dan telepon ditulis sebagai teks, bukan angka."),
        _("Tanggal ditulis DD-MM-YYYY (misalnya 26-09-1986) atau sebagai sel tanggal Excel."),
        _(
            "Setelah diunggah, semua baris diperiksa lebih dahulu. Bila satu baris saja salah, tidak ada data yang disimpan; perbaiki lalu unggah ulang."
        ),
        _("Paling banyak %(rows)s baris data dan %(size)s MB per berkas.")
        % {"rows": f"{max_rows:,}".replace(",", "."), "size": max_megabytes},
    ]


def build_template(
    *,
    units: Iterable[tuple[str, str]],
    positions: Iterable[tuple[str, str]],
    example: tuple[str, str],
    max_rows: int,
    max_megabytes: int,
) -> bytes:
    """The import template as XLSX bytes.

    ``units`` is ``(code, name)`` and ``positions`` is ``(unit code, position name)``, both in display order;
    ``example`` is the ``(unit code, position name)`` of the example row.
    Sheet *Pegawai* has the headers, the example row, text-formatted identifier columns, date-formatted date
    columns and drop-down lists; *Petunjuk* explains every column; *Referensi* lists the valid values.
    """
    units = list(units)
    positions = list(positions)
    columns = EmployeeResource.columns()
    sample = example_row(*example)

    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    book.set_properties({"title": _("Templat impor data pegawai"), "author": "SITU OK"})
    header = book.add_format(
        {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"}
    )
    text = book.add_format({"num_format": "@"})
    date = book.add_format({"num_format": "dd-mm-yyyy"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True})

    data = book.add_worksheet(DATA_SHEET)
    help_sheet = book.add_worksheet(HELP_SHEET)
    reference = book.add_worksheet(REFERENCE_SHEET)

    # Referensi: units, positions and one column per list of choices (sources of the drop-downs).
    reference.write_row(0, 0, [_("Kode Unit"), _("Nama Unit")], header)
    for row, (code, name) in enumerate(units, start=1):
        reference.write_string(row, 0, code)
        reference.write_string(row, 1, name)
    reference.write_row(0, 3, [_("Kode Unit"), _("Jabatan")], header)
    for row, (code, name) in enumerate(positions, start=1):
        reference.write_string(row, 3, code)
        reference.write_string(row, 4, name)
    reference.set_column(0, 0, 14)
    reference.set_column(1, 1, 44)
    reference.set_column(3, 3, 14)
    reference.set_column(4, 4, 44)
    lists: dict[str, list[str]] = {
        "sex": [c for c, _label in Employee.Sex.choices],
        "religion": [c for c, _label in Employee.Religion.choices],
        "employee_type": [c for c, _label in Employee.Type.choices],
        "golongan": [c for c, _pangkat in rules.GOLONGAN_PNS],
        "pppk_golongan": list(rules.GOLONGAN_PPPK),
        "education_level": [c for c, _label in Employee.Education.choices],
        "status": [c for c, _label in Employee.Status.choices],
    }
    headers = dict(columns)
    sources: dict[str, str] = {}
    for offset, (name, values) in enumerate(lists.items()):
        col = 6 + offset
        reference.write_string(0, col, headers[name].column_name, header)
        for row, value in enumerate(values, start=1):
            reference.write_string(row, col, value)
        reference.set_column(col, col, 18)
        letter = xlsxwriter.utility.xl_col_to_name(col)
        sources[name] = f"={REFERENCE_SHEET}!${letter}$2:${letter}${len(values) + 1}"
    if units:
        sources["unit"] = f"={REFERENCE_SHEET}!$A$2:$A${len(units) + 1}"
    reference.freeze_panes(1, 0)

    # Pegawai: headers, formats, drop-downs, the example row.
    for col, (name, field) in enumerate(columns):
        cell_format = text if name in TEXT_COLUMNS else date if name in DATE_COLUMNS else None
        data.set_column(col, col, COLUMN_WIDTHS.get(name, 16), cell_format)
        data.write_string(0, col, field.column_name, header)
        value = sample[name]
        if isinstance(value, dt.date):
            data.write_datetime(1, col, dt.datetime.combine(value, dt.time()), date)
        elif value:
            data.write_string(1, col, str(value), text if name in TEXT_COLUMNS else None)
        if name in sources:
            data.data_validation(
                1,
                col,
                max_rows,
                col,
                {
                    "validate": "list",
                    "source": sources[name],
                    "error_type": "warning",
                    "error_title": _("Nilai tidak ada dalam daftar"),
                    "error_message": _("Pilih nilai dari daftar di lembar Referensi."),
                },
            )
    data.freeze_panes(1, 0)
    data.set_row(0, 32)
    data.activate()

    # Petunjuk: general rules, then one line per column.
    help_sheet.set_column(0, 0, 28)
    help_sheet.set_column(1, 1, 18)
    help_sheet.set_column(2, 2, 70)
    help_sheet.set_column(3, 3, 22)
    help_sheet.set_column(4, 4, 24)
    help_sheet.write_string(0, 0, _("Petunjuk pengisian templat impor data pegawai"), bold)
    row = 2
    for line in _general_rules(max_rows, max_megabytes):
        help_sheet.merge_range(row, 0, row, 4, line, wrap)
        help_sheet.set_row(row, 30)
        row += 1
    row += 1
    help_sheet.write_row(
        row,
        0,
        [pgettext("spreadsheet", "Kolom"), _("Wajib"), _("Keterangan"), _("Nilai"), _("Contoh")],
        header,
    )
    for name, field in columns:
        row += 1
        info = COLUMN_HELP[name]
        value = sample[name]
        shown = value.strftime(DATE_DISPLAY_FORMAT) if isinstance(value, dt.date) else str(value or "")
        help_sheet.write_string(row, 0, field.column_name, bold)
        help_sheet.write_string(row, 1, str(info.required), wrap)
        help_sheet.write_string(row, 2, str(info.text), wrap)
        help_sheet.write_string(row, 3, str(info.values), wrap)
        help_sheet.write_string(row, 4, shown, wrap)
    book.close()
    return output.getvalue()


def column_labels() -> dict[str, str]:
    """``{field name: header}``."""
    return {name: field.column_name for name, field in EmployeeResource.columns()}


def widget_for(name: str) -> widgets.Widget:
    return EmployeeResource.fields[name].widget
