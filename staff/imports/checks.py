"""Steps 1–2: the limits, the checks on the raw upload before any parsing (size, XLSX, zip bombs,
declared rows) and streaming the sheet's rows."""

from __future__ import annotations

import io
import os
import posixpath
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from situok.uploads import read_limited

from .. import resources
from .results import CheckedUpload

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
