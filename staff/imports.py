"""Bulk import of employees from an Excel workbook: check, validate every row, then write all or nothing.

Flow (``import_dry_run`` and ``import_commit`` share every step but the last):

1. :func:`check_xlsx_upload` — before any parsing: size cap, the bytes really are an XLSX (a ZIP with
   ``[Content_Types].xml`` and ``xl/workbook.xml``; not an ``.xls``/encrypted OLE file), the total
   uncompressed size and per-member compression ratio (zip bombs; Python's ``zipfile`` never inflates a member
   past its declared size — a lying header fails the CRC), the number of members, and the row count declared
   by the data sheet's ``<dimension>``.
2. Read the sheet *Pegawai* (or the first sheet) with openpyxl in read-only mode, counting rows as it streams.
3. Map the header row to :class:`staff.resources.EmployeeResource` columns; clean every cell with the column's
   widget; check identifiers, employee-type rules and duplicates within the file; then look up existing
   employees, unit codes, positions and internal numbers with a few set-based queries (never one per row).
4. Report every problem as a :class:`RowError` (Excel row number, column header, Indonesian message, level).
   Warnings (NIP/NIK not matching the birth date or sex, …) never block.
5. Commit only when there is no error at all: ``bulk_create`` + ``bulk_update`` inside one transaction, plus one
   audit event with the counts.

Matching: ASN rows (PNS, CPNS, PPPK, PPPK paruh waktu) by NIP; non-ASN rows (non-ASN, alih daya) by NIK among
records without a NIP. A match is updated, anything else is created. A blank cell never changes an existing
record (columns may be left out entirely); re-importing the same file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import posixpath
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from situok.audit import log_action
from situok.formats import tanggal
from situok.uploads import read_limited

from . import identifiers, resources
from .models import Employee, OrgUnit, Position
from .resources import EXAMPLE_NIP, EmployeeResource, column_labels, name_key

# --- Limits ---------------------------------------------------------------------------------------
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100  # real XLSX members compress 5–30×; only members of 1 MB+ are judged
RATIO_CHECK_MIN_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 1000
MAX_ROWS = 10_000  # data rows, header excluded
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and password-protected .xlsx
_REQUIRED_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]+(\d+)(?::[A-Z]+(\d+))?\"")
_SPACES = re.compile(r"\s+")

Level = Literal["error", "warning"]


# --- Results --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RowError:
    """One problem: Excel ``row`` (1 is the header; 0 means the whole file), ``column`` header, message."""

    row: int
    column: str
    message: str
    level: Level = "error"

    @property
    def is_error(self) -> bool:
        return self.level == "error"


@dataclass(frozen=True)
class RowChange:
    """An existing employee the import changes: which row, who, and which columns."""

    row: int
    identifier: str
    name: str
    columns: tuple[str, ...]


@dataclass
class ImportReport:
    """Counts and problems of one dry run or commit. ``new``/``updated``/``unchanged`` count the rows without
    errors; nothing is written unless ``error_count`` is 0 (then ``committed`` tells whether it was)."""

    filename: str = ""
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    issues: list[RowError] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    committed: bool = False

    @property
    def created(self) -> int:
        return self.new

    @property
    def errors(self) -> list[RowError]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[RowError]:
        return [i for i in self.issues if not i.is_error]

    @property
    def error_count(self) -> int:
        return sum(1 for i in self.issues if i.is_error)

    @property
    def warning_count(self) -> int:
        return len(self.issues) - self.error_count

    @property
    def error_rows(self) -> list[int]:
        """Distinct row numbers with at least one error, ascending."""
        return sorted({i.row for i in self.issues if i.is_error})

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def sorted_issues(self) -> list[RowError]:
        """Errors and warnings by row, errors first within a row."""
        return sorted(self.issues, key=lambda i: (i.row, not i.is_error))

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.total,
            "created": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": self.error_count,
            "warnings": self.warning_count,
        }


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed :func:`check_xlsx_upload`: its bytes and the client's file name (display only)."""

    data: bytes
    filename: str = ""


# --- 1. Checks before parsing ---------------------------------------------------------------------
def _too_many_rows() -> ValidationError:
    return ValidationError(
        _(
            "Berkas memuat lebih dari %(max)s baris data (baris kosong yang berformat ikut terhitung). Bagi menjadi beberapa berkas."
        ),
        code="too_many_rows",
        params={"max": f"{MAX_ROWS:,}".replace(",", ".")},
    )


def _not_xlsx() -> ValidationError:
    return ValidationError(
        _("Berkas bukan berkas Excel .xlsx. Unggah templat yang sudah diisi."), code="bad_type"
    )


def _zip_bomb() -> ValidationError:
    return ValidationError(
        _("Isi berkas tidak wajar (ukuran setelah dibuka terlalu besar). Berkas ditolak."), code="zip_bomb"
    )


_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?(sheet|Relationship)\b([^>]*)>")
_ATTRIBUTE = re.compile(rb"([\w.:-]+)\s*=\s*([\"'])(.*?)\2", re.DOTALL)


def _elements(xml: bytes, tag: bytes) -> list[dict[str, str]]:
    """Attributes (namespace prefixes dropped) of every ``tag`` element. A scan, not an XML parser: this
    runs before the file is trusted and only needs two flat lists (sheets, relationships)."""
    found = []
    for match in _ELEMENT.finditer(xml):
        if match.group(1) == tag:
            attrs = {
                k.decode(errors="replace").rsplit(":", 1)[-1]: v.decode(errors="replace")
                for k, _quote, v in _ATTRIBUTE.findall(match.group(2))
            }
            found.append(attrs)
    return found


def _data_sheet_path(archive: zipfile.ZipFile) -> str | None:
    """Path of the sheet the importer reads (*Pegawai*, else the first), from workbook.xml and its rels."""
    try:
        sheets = _elements(archive.read("xl/workbook.xml"), b"sheet")
        rels = _elements(archive.read("xl/_rels/workbook.xml.rels"), b"Relationship")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return None
    if not sheets:
        return None
    chosen = next((s for s in sheets if s.get("name") == resources.DATA_SHEET), sheets[0])
    target = next((r.get("Target", "") for r in rels if r.get("Id") == chosen.get("id")), "")
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def _declared_rows(archive: zipfile.ZipFile) -> int | None:
    """The last row number in the data sheet's ``<dimension ref="A1:AA5001">``, if declared."""
    path = _data_sheet_path(archive)
    if path is None:
        return None
    try:
        with archive.open(path) as member:
            head = member.read(16 * 1024)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return None
    match = _DIMENSION.search(head)
    if match is None:
        return None
    return int(match.group(2) or match.group(1))


def check_xlsx_upload(upload: Any, *, max_bytes: int = MAX_UPLOAD_BYTES) -> CheckedUpload:
    """Accept an uploaded file (``UploadedFile``, file object or ``bytes``) as an XLSX worth parsing, or raise
    ``ValidationError`` (Indonesian, with a ``code``). The content decides, never the name or content type."""
    if isinstance(upload, CheckedUpload):
        return upload
    filename = (
        ""
        if isinstance(upload, (bytes, bytearray))
        else os.path.basename(str(getattr(upload, "name", "") or ""))
    )
    data = read_limited(upload, max_bytes)
    if data.startswith(_OLE_MAGIC):
        raise ValidationError(
            _(
                "Berkas Excel lama (.xls) atau berkas yang dilindungi kata sandi tidak didukung. Simpan ulang sebagai .xlsx tanpa kata sandi."
            ),
            code="legacy",
        )
    if not data.startswith(_ZIP_MAGIC):
        raise _not_xlsx()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(_("Berkas Excel rusak atau tidak dapat dibaca."), code="corrupt") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise _zip_bomb()
        names = {m.filename for m in members}
        if not all(name in names for name in _REQUIRED_MEMBERS):
            raise _not_xlsx()
        if any(m.flag_bits & 0x1 for m in members):
            raise ValidationError(_("Berkas yang dilindungi kata sandi tidak didukung."), code="encrypted")
        if sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
            raise _zip_bomb()
        for member in members:
            if member.file_size >= RATIO_CHECK_MIN_BYTES and member.file_size > MAX_COMPRESSION_RATIO * max(
                member.compress_size, 1
            ):
                raise _zip_bomb()
        rows = _declared_rows(archive)
        if rows is not None and rows - 1 > MAX_ROWS:
            raise _too_many_rows()
    return CheckedUpload(data=data, filename=filename)


# --- 2. Reading -----------------------------------------------------------------------------------
def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_sheet(data: bytes) -> tuple[list[Any], list[tuple[int, Sequence[Any]]]]:
    """Header cells and the non-blank data rows as ``(Excel row number, values)``."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types on malformed files
        raise ValidationError(_("Berkas Excel rusak atau tidak dapat dibaca."), code="corrupt") from exc
    try:
        sheet = book[resources.DATA_SHEET] if resources.DATA_SHEET in book.sheetnames else book.worksheets[0]
        header_rows = list(sheet.iter_rows(min_row=1, max_row=1, values_only=True))
        header = list(header_rows[0]) if header_rows else []
        while header and _blank(header[-1]):
            header.pop()
        rows: list[tuple[int, Sequence[Any]]] = []
        if header:
            stream = sheet.iter_rows(min_row=2, max_col=len(header), values_only=True)
            for number, values in enumerate(stream, start=2):
                if number - 1 > MAX_ROWS:
                    raise _too_many_rows()
                if any(not _blank(v) for v in values):
                    rows.append((number, values))
    except ValidationError:
        raise
    except Exception as exc:  # cells are parsed lazily: a broken sheet fails here, not in load_workbook
        raise ValidationError(_("Berkas Excel rusak atau tidak dapat dibaca."), code="corrupt") from exc
    finally:
        book.close()
    return header, rows


# --- 3. Validation --------------------------------------------------------------------------------
# Headers also recognised (after case folding and collapsing spaces), for files from other systems.
HEADER_ALIASES = {
    "nip/ni pppk": "nip",
    "ni pppk": "nip",
    "nama lengkap": "name",
    "jenis kelamin": "sex",
    "tanggal lahir": "birth_date",
    "kode unit kerja": "unit",
    "unit kerja": "unit",
    "email": "email",
    "e-mail": "email",
    "no. hp": "phone",
    "nomor telepon": "phone",
    "nomor rekening": "bank_account",
    "nama bank": "bank_name",
}
# Field → model attribute compared and written (foreign keys by id).
ATTNAMES = {"unit": "unit_id", "position": "position_id"}
REQUIRED_FOR_NEW = ("name", "sex", "unit")
NON_ASN_TYPES = tuple(t for t in Employee.Type.values if t not in Employee.ASN_TYPES)


def _header_key(value: Any) -> str:
    return _SPACES.sub(" ", str(value)).strip().rstrip("*").strip().casefold()


def _header_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for name, label in column_labels().items():
        lookup[_header_key(label)] = name
        lookup.setdefault(_header_key(re.sub(r"\s*\(.*\)\s*$", "", label)), name)
    for alias, name in HEADER_ALIASES.items():
        lookup.setdefault(_header_key(alias), name)
    return lookup


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    size = max(100, (connection.features.max_query_params or 10_000) - 99)
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class _Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)  # non-blank cleaned cells by field name
    failed: bool = False
    error_columns: set[str] = field(default_factory=set)
    key: tuple[str, str] | None = None  # ("nip", …) for ASN, ("nik", …) for non-ASN
    nip_info: identifiers.NipInfo | identifiers.PppkInfo | None = None
    nik_info: identifiers.NikInfo | None = None


@dataclass
class _Plan:
    """What a commit would write."""

    new: list[Employee] = field(default_factory=list)
    updates: dict[tuple[str, ...], list[Employee]] = field(default_factory=dict)


class _Validator:
    """One pass over a sheet: collects issues into ``report`` and what to write into ``plan``."""

    def __init__(self, report: ImportReport):
        self.report = report
        self.plan = _Plan()
        self.labels = column_labels()
        self.columns = [name for name, _field in EmployeeResource.columns()]
        self.widgets = {name: f.widget for name, f in EmployeeResource.columns()}
        self.defaults = {name: Employee._meta.get_field(name).get_default() for name in self.columns}
        self.units = {name_key(code): (pk, code) for pk, code in OrgUnit.objects.values_list("pk", "code")}
        self.unit_codes = dict(self.units.values())
        self.positions: dict[tuple[int, str], int] = {}
        self.position_info: dict[int, tuple[int, str]] = {}
        for pk, unit_id, name in Position.objects.values_list("pk", "unit_id", "name"):
            self.positions[(unit_id, name_key(name))] = pk
            self.position_info[pk] = (unit_id, name)

    # -- issues
    def issue(self, row: int, column: str, message: str, level: Level = "error") -> None:
        self.report.issues.append(RowError(row, self.labels.get(column, column), str(message), level))

    def error(self, row: _Row, column: str, message: str) -> None:
        row.failed = True
        row.error_columns.add(column)
        self.issue(row.number, column, message)

    def warn(self, row: _Row, column: str, message: str) -> None:
        self.issue(row.number, column, message, "warning")

    # -- header
    def map_header(self, header: Sequence[Any]) -> list[tuple[int, str]] | None:
        lookup = _header_lookup()
        mapping: list[tuple[int, str]] = []
        seen: set[str] = set()
        ok = True
        for index, cell in enumerate(header):
            if _blank(cell):
                continue
            name = lookup.get(_header_key(cell))
            if name is None:
                self.issue(
                    1,
                    str(cell),
                    _("Kolom %(column)s tidak dikenal dan diabaikan.") % {"column": cell},
                    "warning",
                )
            elif name in seen:
                self.issue(1, name, _("Kolom %(column)s muncul lebih dari sekali.") % {"column": cell})
                ok = False
            else:
                seen.add(name)
                mapping.append((index, name))
        if "employee_type" not in seen:
            label = self.labels["employee_type"]
            self.issue(1, "employee_type", _("Kolom wajib tidak ada: %(column)s.") % {"column": label})
            ok = False
        if "nip" not in seen and "nik" not in seen:
            self.issue(1, "nip", _("Kolom NIP atau NIK harus ada."))
            ok = False
        return mapping if ok else None

    # -- one row, on its own
    def clean_row(
        self,
        number: int,
        cells: Sequence[Any],
        mapping: list[tuple[int, str]],
        seen: dict[str, dict[str, int]],
    ) -> _Row:
        row = _Row(number)
        for index, name in mapping:
            raw = cells[index] if index < len(cells) else None
            if _blank(raw):
                continue
            widget = self.widgets[name]
            try:
                value = widget.clean(raw, units=self.units) if name == "unit" else widget.clean(raw)
            except ValueError as exc:
                self.error(row, name, str(exc))
                continue
            if value not in ("", None):
                row.values[name] = value
        self._check_identity(row, seen)
        return row

    def _check_identity(self, row: _Row, seen: dict[str, dict[str, int]]) -> None:
        values = row.values
        etype = values.get("employee_type")
        nip, nik = values.get("nip", ""), values.get("nik", "")
        if not etype:
            if "employee_type" not in row.error_columns:
                self.error(row, "employee_type", _("Jenis pegawai wajib diisi."))
            return
        if etype in Employee.ASN_TYPES:
            pns = etype in Employee.PNS_TYPES
            if not nip:
                self.error(
                    row,
                    "nip",
                    _("NIP wajib diisi untuk PNS/CPNS.") if pns else _("NI PPPK wajib diisi untuk PPPK."),
                )
            else:
                try:
                    row.nip_info = identifiers.parse_nip(nip) if pns else identifiers.parse_ni_pppk(nip)
                except ValidationError as exc:
                    for message in exc.messages:
                        self.error(row, "nip", message)
                else:
                    row.key = ("nip", nip)
        else:
            if nip:
                self.error(row, "nip", _("Pegawai non-ASN tidak memiliki NIP; kosongkan kolom ini."))
            if not nik and "nik" not in row.error_columns:
                self.error(row, "nik", _("NIK wajib diisi untuk pegawai non-ASN."))
        if nik:
            try:
                row.nik_info = identifiers.parse_nik(nik)
            except ValidationError as exc:
                for message in exc.messages:
                    self.error(row, "nik", message)
            else:
                if etype in NON_ASN_TYPES and not nip:
                    row.key = ("nik", nik)
        if values.get("golongan") and etype not in Employee.PNS_TYPES:
            self.error(row, "golongan", _("Golongan/ruang hanya untuk PNS/CPNS."))
        if values.get("pppk_golongan") and etype not in Employee.PPPK_TYPES:
            self.error(row, "pppk_golongan", _("Golongan PPPK hanya untuk pegawai PPPK."))
        # Duplicates within the file: the later row is the error, pointing at the first.
        if row.key is not None:
            kind, value = row.key
            first = seen[kind].setdefault(value, row.number)
            if first != row.number:
                message = (
                    _("NIP %(value)s sudah ada di baris %(row)s.")
                    if kind == "nip"
                    else _("NIK %(value)s sudah ada di baris %(row)s.")
                )
                self.error(row, kind, message % {"value": value, "row": first})
        internal = values.get("internal_number")
        if internal:
            first = seen["internal_number"].setdefault(internal, row.number)
            if first != row.number:
                self.error(
                    row,
                    "internal_number",
                    _("Nomor internal %(value)s sudah ada di baris %(row)s.")
                    % {"value": internal, "row": first},
                )

    # -- against the database
    def resolve(self, rows: list[_Row]) -> None:
        nips = sorted({r.key[1] for r in rows if r.key and r.key[0] == "nip"})
        niks = sorted({r.values["nik"] for r in rows if r.nik_info is not None})
        internals = sorted({r.values["internal_number"] for r in rows if r.values.get("internal_number")})
        by_nip: dict[str, Employee] = {}
        for chunk in _chunks(nips):
            by_nip.update((e.nip, e) for e in Employee.objects.filter(nip__in=chunk))
        by_nik: dict[str, list[Employee]] = {}
        for chunk in _chunks(niks):
            for e in Employee.objects.filter(nik__in=chunk).order_by("pk"):
                by_nik.setdefault(e.nik, []).append(e)
        internal_owner: dict[str, int] = {}
        for chunk in _chunks(internals):
            internal_owner.update(
                Employee.objects.filter(internal_number__in=chunk).values_list("internal_number", "pk")
            )
        for row in rows:
            if row.key is None:
                continue
            self._resolve_row(row, by_nip, by_nik, internal_owner)

    def _resolve_row(
        self,
        row: _Row,
        by_nip: dict[str, Employee],
        by_nik: dict[str, list[Employee]],
        internal_owner: dict[str, int],
    ) -> None:
        values = row.values
        kind, key = row.key  # type: ignore[misc]
        nik = values.get("nik", "")
        existing: Employee | None
        if kind == "nip":
            existing = by_nip.get(key)
        else:
            candidates = [e for e in by_nik.get(key, []) if e.nip is None]
            if len(candidates) > 1:
                self.error(
                    row,
                    "nik",
                    _(
                        "NIK %(value)s dipakai oleh lebih dari satu pegawai non-ASN; perbarui datanya satu per satu."
                    )
                    % {"value": key},
                )
                return
            existing = candidates[0] if candidates else None
        if existing is None and nik and by_nik.get(nik):
            other = by_nik[nik][0]
            self.warn(
                row,
                "nik",
                _("NIK %(value)s juga tercatat pada pegawai lain: %(name)s. Pastikan bukan orang yang sama.")
                % {"value": nik, "name": other.name},
            )
        internal = values.get("internal_number")
        owner = internal_owner.get(internal) if internal else None
        if owner is not None and (existing is None or owner != existing.pk):
            self.error(
                row,
                "internal_number",
                _("Nomor internal %(value)s sudah dipakai pegawai lain.") % {"value": internal},
            )
        final = self._merge(row, existing)
        self._warnings(row, final)
        if final is not None and not row.failed:
            self._plan(row, existing, final)

    def _merge(self, row: _Row, existing: Employee | None) -> dict[str, Any] | None:
        """Field values after the import (attnames as keys), or ``None`` when the row cannot be completed."""
        values = row.values
        etype = values["employee_type"]
        final: dict[str, Any] = {}
        for name in self.columns:
            attname = ATTNAMES.get(name, name)
            if name in values and name != "position":
                final[attname] = values[name]
            elif existing is not None:
                final[attname] = getattr(existing, attname)
            else:
                final[attname] = self.defaults[name]
        final["nip"] = values.get("nip") if etype in Employee.ASN_TYPES else None
        if etype not in Employee.PNS_TYPES:
            final["golongan"] = ""  # a type change drops the rank of the old type
        if etype not in Employee.PPPK_TYPES:
            final["pppk_golongan"] = ""
        final["internal_number"] = final["internal_number"] or None
        if existing is None:
            missing = [
                n for n in REQUIRED_FOR_NEW if not final[ATTNAMES.get(n, n)] and n not in row.error_columns
            ]
            for name in missing:
                self.error(
                    row, name, _("%(column)s wajib diisi untuk pegawai baru.") % {"column": self.labels[name]}
                )
            if missing:
                return None
        if "unit" in row.error_columns:
            return None
        unit_id = final["unit_id"]
        if "position" in values:
            position_id = self.positions.get((unit_id, name_key(values["position"])))
            if position_id is None:
                self.error(
                    row,
                    "position",
                    _(
                        'Jabatan "%(name)s" tidak ditemukan di unit %(unit)s. Daftarkan jabatannya lebih dahulu.'
                    )
                    % {"name": values["position"], "unit": self.unit_codes.get(unit_id, "")},
                )
                return None
            final["position_id"] = position_id
        elif existing is not None and unit_id != existing.unit_id and final["position_id"]:
            # Moving to another unit without naming the new post: the old post stays behind.
            old_unit, old_name = self.position_info.get(final["position_id"], (unit_id, ""))
            if old_unit != unit_id:
                self.error(
                    row,
                    "position",
                    _("Jabatan lama (%(name)s) bukan milik unit %(unit)s; isi kolom Jabatan.")
                    % {"name": old_name, "unit": self.unit_codes.get(unit_id, "")},
                )
                return None
        return final

    def _warnings(self, row: _Row, final: dict[str, Any] | None) -> None:
        birth = final["birth_date"] if final else row.values.get("birth_date")
        sex = final["sex"] if final else row.values.get("sex")
        info = row.nip_info
        if isinstance(info, identifiers.NipInfo):
            for message in identifiers.nip_warnings(info, birth_date=birth, sex=sex):
                self.warn(row, "nip", message)
            tmt_cpns = final["tmt_cpns"] if final else row.values.get("tmt_cpns")
            if tmt_cpns and (tmt_cpns.year, tmt_cpns.month) != (info.tmt_cpns.year, info.tmt_cpns.month):
                self.warn(
                    row,
                    "tmt_cpns",
                    _("TMT CPNS (%(recorded)s) berbeda dengan TMT CPNS pada NIP (%(encoded)s).")
                    % {"recorded": tanggal(tmt_cpns), "encoded": tanggal(info.tmt_cpns)},
                )
        elif isinstance(info, identifiers.PppkInfo):
            for message in identifiers.ni_pppk_warnings(info, birth_date=birth, sex=sex):
                self.warn(row, "nip", message)
        if row.nik_info is not None:
            for message in identifiers.nik_warnings(row.nik_info, birth_date=birth, sex=sex):
                self.warn(row, "nik", message)
        if row.values.get("nip") == EXAMPLE_NIP:
            self.warn(
                row, "nip", _("Baris ini masih berisi contoh dari templat. Hapus bila tidak dimaksudkan.")
            )

    def _plan(self, row: _Row, existing: Employee | None, final: dict[str, Any]) -> None:
        if existing is None:
            self.plan.new.append(Employee(**final))
            self.report.new += 1
            return
        changed = tuple(a for a, v in final.items() if getattr(existing, a) != v)
        if not changed:
            self.report.unchanged += 1
            return
        for attname in changed:
            setattr(existing, attname, final[attname])
        fields = tuple(a.removesuffix("_id") if a in ATTNAMES.values() else a for a in changed)
        self.plan.updates.setdefault(fields, []).append(existing)
        self.report.updated += 1
        self.report.changes.append(
            RowChange(
                row=row.number,
                identifier=existing.nip or existing.nik,
                name=existing.name,
                columns=tuple(self.labels[f] for f in fields),
            )
        )


def _validate(upload: Any) -> tuple[ImportReport, _Plan]:
    checked = check_xlsx_upload(upload)
    report = ImportReport(filename=checked.filename)
    header, rows = _read_sheet(checked.data)
    validator = _Validator(report)
    if not header:
        validator.issue(1, "", _("Baris judul kolom tidak ditemukan di baris 1."))
        return report, validator.plan
    mapping = validator.map_header(header)
    report.total = len(rows)
    if mapping is None:
        return report, validator.plan
    if not rows:
        validator.issue(0, "", _("Berkas tidak berisi data pegawai."))
        return report, validator.plan
    seen: dict[str, dict[str, int]] = {"nip": {}, "nik": {}, "internal_number": {}}
    parsed = [validator.clean_row(number, cells, mapping, seen) for number, cells in rows]
    validator.resolve(parsed)
    return report, validator.plan


# --- 4./5. Services -------------------------------------------------------------------------------
def import_dry_run(upload: Any, *, by: Any = None) -> ImportReport:
    """Check and validate an upload without writing anything.

    ``upload`` is an uploaded file, a file object, ``bytes`` or a :class:`CheckedUpload`. Raises
    ``ValidationError`` when the file itself is refused (type, size, zip bomb, too many rows, unreadable);
    problems inside the sheet are returned in the report.
    """
    report, _plan = _validate(upload)
    return report


def import_commit(
    upload: Any, *, by: Any, request: HttpRequest | None = None, filename: str | None = None
) -> ImportReport:
    """Validate again and, only if no row has an error, write every row in one transaction.

    Returns the report; ``report.committed`` tells whether anything was written. Audit:
    ``staff.employee.imported`` with the counts (plus the ids created and the columns changed per updated
    employee — names only, never the values), or ``staff.employee.import_rejected`` when errors stopped it.
    """
    report, plan = _validate(upload)
    if filename:
        report.filename = filename
    if not report.ok:
        log_action(
            None,
            "staff.employee.import_rejected",
            by=by,
            request=request,
            data={**report.counts(), "error_rows": len(report.error_rows), "filename": report.filename},
        )
        return report
    try:
        with transaction.atomic():
            created = Employee.objects.bulk_create(plan.new, batch_size=500)
            for fields, employees in plan.updates.items():
                Employee.objects.bulk_update(employees, fields, batch_size=500)
            updated = {str(e.pk): list(fields) for fields, group in plan.updates.items() for e in group}
            log_action(
                None,
                "staff.employee.imported",
                by=by,
                request=request,
                data={
                    **report.counts(),
                    "filename": report.filename,
                    "created_ids": [e.pk for e in created],
                    "updated_fields": updated,
                },
                label=report.filename or None,
            )
    except IntegrityError:
        # Someone saved the same NIP or internal number between validation and writing.
        report.issues.append(
            RowError(
                0,
                "",
                _(
                    "Data pegawai berubah ketika impor berjalan. Tidak ada data yang disimpan; unggah ulang berkasnya."
                ),
            )
        )
        return report
    report.committed = True
    return report


def import_template() -> bytes:
    """The XLSX template: headers, an example row, *Petunjuk* and *Referensi* (unit codes, positions)."""
    units = list(OrgUnit.objects.order_by("path").values_list("code", "name"))
    unit_order = {code: index for index, (code, _name) in enumerate(units)}
    positions = sorted(
        Position.objects.values_list("unit__code", "name"), key=lambda p: (unit_order.get(p[0], 0), p[1])
    )
    # The example row uses the first unit that has positions, so it shows a Jabatan too.
    example = positions[0] if positions else ((units[0][0], "") if units else ("", ""))
    return resources.build_template(
        units=units,
        positions=positions,
        example=example,
        max_rows=MAX_ROWS,
        max_megabytes=MAX_UPLOAD_BYTES // (1024 * 1024),
    )


def template_filename(today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    return f"templat-impor-pegawai-{today:%Y%m%d}.xlsx"
