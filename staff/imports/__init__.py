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

from .checks import (
    MAX_COMPRESSION_RATIO,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    MAX_ZIP_MEMBERS,
    RATIO_CHECK_MIN_BYTES,
    XLSX_CONTENT_TYPE,
    check_xlsx_upload,
)
from .commit import import_commit, import_dry_run, import_template, template_filename
from .results import CheckedUpload, ImportReport, Level, RowChange, RowError
from .validation import ATTNAMES, HEADER_ALIASES, NON_ASN_TYPES, REQUIRED_FOR_NEW

__all__ = [
    "ATTNAMES",
    "HEADER_ALIASES",
    "MAX_COMPRESSION_RATIO",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_UPLOAD_BYTES",
    "MAX_ZIP_MEMBERS",
    "NON_ASN_TYPES",
    "RATIO_CHECK_MIN_BYTES",
    "REQUIRED_FOR_NEW",
    "XLSX_CONTENT_TYPE",
    "CheckedUpload",
    "ImportReport",
    "Level",
    "RowChange",
    "RowError",
    "check_xlsx_upload",
    "import_commit",
    "import_dry_run",
    "import_template",
    "template_filename",
]
