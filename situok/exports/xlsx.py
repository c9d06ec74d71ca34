"""XLSX writer for list exports, streamed with xlsxwriter's constant-memory mode.

Rows go straight to a temporary file on disk, so a 200,000-row export costs as much memory as a
20-row one. Every cell is written with an explicit typed call (``write_string``, ``write_number``,
``write_datetime``): ``write()`` would guess, and turn the text ``=1+1`` into a live formula.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import tempfile
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from situok.formats import WITA

from .base import Column, as_number, neutralise

# Excel forbids these in sheet names, and limits names to 31 characters.
_SHEET_NAME_INVALID = re.compile(r"[\[\]:*?/\\]")

MONEY_FORMAT = "[$Rp-421]#,##0;([$Rp-421]#,##0)"
DECIMAL_FORMAT = "#,##0.00"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
HEADER_FILL = "#DCE6F1"


def sheet_name(title: str) -> str:
    """A valid worksheet name derived from ``title``."""
    name = _SHEET_NAME_INVALID.sub("", str(title)).strip().strip("'")[:31].strip()
    return name or "Data"


def _naive_wita(value: dt.datetime) -> dt.datetime:
    # Excel has no time zones: store WITA wall-clock time.
    if timezone.is_aware(value):
        value = timezone.localtime(value, WITA)
    return value.replace(tzinfo=None)


def write_xlsx(
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    subtitle: str | None = None,
) -> BinaryIO:
    """Write ``rows`` under a header of ``columns`` into a one-sheet workbook.

    Row 1 is the bold, filled header with a frozen pane and an autofilter. The title and subtitle go to
    the document properties rather than into the sheet, so the header stays on the first row (filters and
    frozen panes then work as users expect). Returns a temporary file positioned at 0.
    """
    return write_xlsx_sheets(title, [(title, columns, rows)], subtitle=subtitle)


def write_xlsx_sheets(
    title: str,
    sheets: Iterable[tuple[str, Sequence[Column], Iterable[Sequence[Any]]]],
    *,
    subtitle: str | None = None,
) -> BinaryIO:
    """Several ``(sheet title, columns, rows)`` sheets in one streamed workbook (see :func:`write_xlsx`)."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    workbook = xlsxwriter.Workbook(
        output,
        {"constant_memory": True, "in_memory": False, "tmpdir": tempfile.gettempdir()},
    )
    try:
        workbook.set_properties(
            {"title": str(title), "subject": str(subtitle or ""), "comments": str(subtitle or "")}
        )
        for sheet_title, columns, rows in sheets:
            _fill_sheet(workbook, workbook.add_worksheet(sheet_name(sheet_title)), columns, rows)
        workbook.close()
    except BaseException:
        # close() removes xlsxwriter's own temporary row files; the partial workbook is discarded.
        with contextlib.suppress(Exception):
            workbook.close()
        output.close()
        raise
    output.seek(0)
    return output


def _fill_sheet(
    workbook: xlsxwriter.Workbook, sheet: Any, columns: Sequence[Column], rows: Iterable[Sequence[Any]]
) -> None:

    header = workbook.add_format(
        {"bold": True, "bg_color": HEADER_FILL, "border": 1, "text_wrap": True, "valign": "top"}
    )
    formats = {
        "money": workbook.add_format({"num_format": MONEY_FORMAT}),
        "decimal": workbook.add_format({"num_format": DECIMAL_FORMAT}),
        "date": workbook.add_format({"num_format": DATE_FORMAT}),
        "datetime": workbook.add_format({"num_format": DATETIME_FORMAT}),
    }
    yes, no = _("Ya"), _("Tidak")

    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width)
        sheet.write_string(0, col, str(column.label), header)
    sheet.freeze_panes(1, 0)

    row_index = 0
    for row_index, row in enumerate(rows, start=1):
        for col, (column, value) in enumerate(zip(columns, row, strict=False)):
            if value is None or value == "":
                continue
            kind = column.kind
            if isinstance(value, bool):
                sheet.write_string(row_index, col, yes if value else no)
            elif kind == "datetime" and isinstance(value, dt.datetime):
                sheet.write_datetime(row_index, col, _naive_wita(value), formats["datetime"])
            elif kind in ("date", "datetime") and isinstance(value, dt.date):
                if isinstance(value, dt.datetime):  # a datetime in a date column: its WITA day
                    value = _naive_wita(value).date()
                sheet.write_datetime(row_index, col, value, formats["date"])
            elif (number := as_number(value)) is not None:
                cell_format = formats.get(kind) if kind in ("money", "decimal") else None
                sheet.write_number(row_index, col, float(number), cell_format)
            else:
                sheet.write_string(row_index, col, neutralise(str(value)))

    if columns:
        sheet.autofilter(0, 0, row_index, len(columns) - 1)
