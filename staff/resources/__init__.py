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

from .cells import (
    DATE_DISPLAY_FORMAT,
    DATE_YEAR_RANGE,
    EXCEL_EPOCH,
    EXCEL_EXACT_DIGITS,
    EXCEL_SERIAL_RANGE,
    ChoiceWidget,
    DateWidget,
    EmailWidget,
    GolonganWidget,
    IdentifierWidget,
    PositionWidget,
    PppkGolonganWidget,
    TextWidget,
    UnitWidget,
    name_key,
    parse_date,
)
from .columns import (
    EDUCATION,
    EMPLOYEE_TYPE,
    RELIGION,
    SEX,
    STATUS,
    EmployeeResource,
    column_labels,
    widget_for,
)
from .template import (
    ALWAYS,
    ASN_ONLY,
    COLUMN_HELP,
    COLUMN_WIDTHS,
    DATA_SHEET,
    DATE_COLUMNS,
    EXAMPLE_NIP,
    HELP_SHEET,
    NEW_ONLY,
    NON_ASN_ONLY,
    OPTIONAL,
    REFERENCE_SHEET,
    SEE_REFERENCE,
    TEXT_COLUMNS,
    ColumnHelp,
    build_template,
    example_row,
)

__all__ = [
    "ALWAYS",
    "ASN_ONLY",
    "COLUMN_HELP",
    "COLUMN_WIDTHS",
    "DATA_SHEET",
    "DATE_COLUMNS",
    "DATE_DISPLAY_FORMAT",
    "DATE_YEAR_RANGE",
    "EDUCATION",
    "EMPLOYEE_TYPE",
    "EXAMPLE_NIP",
    "EXCEL_EPOCH",
    "EXCEL_EXACT_DIGITS",
    "EXCEL_SERIAL_RANGE",
    "HELP_SHEET",
    "NEW_ONLY",
    "NON_ASN_ONLY",
    "OPTIONAL",
    "REFERENCE_SHEET",
    "RELIGION",
    "SEE_REFERENCE",
    "SEX",
    "STATUS",
    "TEXT_COLUMNS",
    "ChoiceWidget",
    "ColumnHelp",
    "DateWidget",
    "EmailWidget",
    "EmployeeResource",
    "GolonganWidget",
    "IdentifierWidget",
    "PositionWidget",
    "PppkGolonganWidget",
    "TextWidget",
    "UnitWidget",
    "build_template",
    "column_labels",
    "example_row",
    "name_key",
    "parse_date",
    "widget_for",
]
