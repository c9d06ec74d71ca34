"""CSV writer for list exports: UTF-8 with a byte-order mark so Excel detects the encoding.

Dates are ISO (``2026-11-22``; datetimes ``2026-11-22 07:30`` in WITA), numbers plain with a dot
(``1250000.00``), so the file is equally usable by spreadsheets and scripts. Text is neutralised
against formula injection.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, BinaryIO

from django.utils import timezone
from django.utils.translation import gettext as _

from situok.formats import WITA

from .base import Column, as_number, neutralise


def _cell(column: Column, value: Any, yes: str, no: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, WITA)
        if column.kind == "date":
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    number = as_number(value)
    if number is not None:
        return format(number, "f") if isinstance(number, Decimal) else str(number)
    return neutralise(str(value))


def write_csv(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> BinaryIO:
    """Write a header row of column labels and then ``rows``; returns a temporary file positioned at 0."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    text = io.TextIOWrapper(output, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        writer.writerow([neutralise(str(column.label)) for column in columns])
        yes, no = _("Ya"), _("Tidak")
        for row in rows:
            writer.writerow(
                [_cell(column, value, yes, no) for column, value in zip(columns, row, strict=False)]
            )
        text.flush()
    except BaseException:
        text.close()  # closes ``output`` too
        raise
    text.detach()  # keep ``output`` open after the wrapper goes away
    output.seek(0)
    return output
