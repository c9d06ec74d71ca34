"""The exporter contract (design.md §3.8): one interface for every download, one registry.

An exporter is a class with an ``identifier`` (used in the download URL), a ``verbose_name`` (shown in the
menu), an optional ``permission`` and the ``formats`` it offers. The single download view looks it up with
``get_exporter()``, checks ``available_for(user)`` and calls ``render()``, which returns an ``ExportResult``
whose file the view streams with ``FileResponse``.

Most exports are lists: subclass ``ListExporter``, declare ``title`` and ``columns`` and yield rows; the
XLSX, CSV and PDF writers do the rest.
"""

from __future__ import annotations

import abc
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO, ClassVar, Literal, NamedTuple, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.text import slugify

from situok.formats import WITA

ColumnKind = Literal["text", "int", "decimal", "money", "date", "datetime", "bool"]
COLUMN_KINDS: tuple[str, ...] = ("text", "int", "decimal", "money", "date", "datetime", "bool")

CONTENT_TYPES: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Column:
    """One column of a list export.

    ``kind`` decides how values are written: real dates and numbers in XLSX, ISO dates and plain numbers in
    CSV, Indonesian formatting (``tanggal``, ``rupiah``) in PDF. ``width`` is in characters (XLSX) and the
    relative share of the page width (PDF).
    """

    key: str
    label: str
    kind: ColumnKind = "text"
    width: int = 18

    def __post_init__(self) -> None:
        if self.kind not in COLUMN_KINDS:
            raise ImproperlyConfigured(f"Column {self.key!r}: unknown kind {self.kind!r}")


class ExportResult(NamedTuple):
    """What ``render()`` returns: ``file`` is an open binary file positioned at 0 (often a temporary file
    on disk, so large exports never sit in memory); the caller streams and closes it."""

    filename: str
    content_type: str
    file: BinaryIO


# Characters that make a spreadsheet treat a cell as a formula (or, for tab/CR, let a CSV import shift
# the cell into a formula position). OWASP "CSV injection".
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Defuse spreadsheet formula injection: text starting with ``= + - @``, tab or carriage return gets a
    leading ``'`` so spreadsheet programs show it as text. Anything that is not a string (numbers, dates,
    ``Decimal``, ``None``, bools) is returned untouched."""
    if isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


# --- Exporters ------------------------------------------------------------------------------------


class BaseExporter(abc.ABC):
    """Base class of every export (lists, official documents, recaps).

    Subclasses set:

    - ``identifier``: unique slug, part of the download URL (``/ekspor/<identifier>/<fmt>/``);
    - ``verbose_name``: translated name shown to users;
    - ``permission``: Django permission (``"app.codename"``) needed to see the export, or ``None``;
    - ``formats``: the formats ``render()`` accepts, e.g. ``("xlsx", "pdf")``.

    and implement ``render(form_data, *, user, fmt) -> ExportResult``. ``form_data`` holds the list filters
    (the query string of the list page), so an export contains exactly what the user filtered. Object-level
    scoping (only my unit's rows) is the exporter's job: it must build its queryset from the same scoped
    selector the list page uses, with ``user``. Exporters hold no per-request state; ``get_exporter()``
    returns a fresh instance.
    """

    identifier: ClassVar[str]
    verbose_name: ClassVar[str]
    permission: ClassVar[str | None] = None
    formats: ClassVar[tuple[str, ...]] = ()

    def available_for(self, user) -> bool:
        """Whether ``user`` may see and run this export (default: holds ``permission``, if any)."""
        return self.permission is None or user.has_perm(self.permission)

    @abc.abstractmethod
    def render(self, form_data: dict[str, Any], *, user, fmt: str) -> ExportResult:
        """Produce the export in format ``fmt`` (one of ``formats``)."""

    def filename(self, ext: str, *, now: dt.datetime | None = None) -> str:
        """``<identifier>-<YYYYMMDD-HHMM in WITA>.<ext>``, slugified."""
        stamp = timezone.localtime(now or timezone.now(), WITA).strftime("%Y%m%d-%H%M")
        return f"{slugify(f'{self.identifier}-{stamp}')}.{ext}"


class ListExporter(BaseExporter):
    """An export that is a table: subclasses declare ``title`` and ``columns`` and implement ``rows()``.

    ``rows()`` yields one sequence per row, values in column order, typed as the column kind says
    (``date``, aware ``datetime``, ``Decimal`` money, ``int``, ``bool``, ``str`` or ``None``). Iterate
    querysets with ``.iterator(chunk_size=2000)`` so memory stays flat however long the list is.
    ``subtitle()`` may describe the active filters; it is printed under the title in the PDF.
    """

    title: ClassVar[str]
    columns: ClassVar[Sequence[Column]]
    formats: ClassVar[tuple[str, ...]] = ("xlsx", "csv", "pdf")

    @abc.abstractmethod
    def rows(self, form_data: dict[str, Any], *, user) -> Iterable[Sequence[Any]]:
        """Yield the rows, each in column order."""

    def subtitle(self, form_data: dict[str, Any]) -> str | None:
        """Optional line under the title (e.g. the filter description)."""
        return None

    def render(self, form_data: dict[str, Any], *, user, fmt: str) -> ExportResult:
        if fmt not in self.formats:
            raise ValueError(f"{self.identifier}: unsupported format {fmt!r}")
        title = str(self.title)
        subtitle = self.subtitle(form_data)
        subtitle = str(subtitle) if subtitle else None
        rows = self.rows(form_data, user=user)
        # Writers are imported on use (they import Column and neutralise from this module, and
        # reportlab alone costs ~0.2 s and 7 MB that an Excel download should not pay).
        if fmt == "xlsx":
            from .xlsx import write_xlsx

            file = write_xlsx(title, self.columns, rows, subtitle=subtitle)
        elif fmt == "csv":
            from .csv import write_csv

            file = write_csv(self.columns, rows)
        elif fmt == "pdf":
            from .pdf import write_pdf

            file = write_pdf(title, self.columns, rows, subtitle=subtitle)
        else:
            raise ValueError(f"{self.identifier}: no writer for format {fmt!r}")
        return ExportResult(self.filename(fmt), CONTENT_TYPES[fmt], file)


# --- Registry -------------------------------------------------------------------------------------

exporters: dict[str, type[BaseExporter]] = {}
ExporterT = TypeVar("ExporterT", bound=type[BaseExporter])


def register(cls: ExporterT) -> ExporterT:
    """Class decorator adding an exporter to the registry; a duplicate identifier is a configuration
    error (two downloads must never share a URL)."""
    identifier = getattr(cls, "identifier", "")
    if not identifier or slugify(identifier) != identifier:
        raise ImproperlyConfigured(
            f"{cls.__qualname__}: identifier must be a non-empty slug, got {identifier!r}"
        )
    if identifier in exporters and exporters[identifier] is not cls:
        raise ImproperlyConfigured(
            f"Exporter identifier {identifier!r} is used by both "
            f"{exporters[identifier].__qualname__} and {cls.__qualname__}"
        )
    exporters[identifier] = cls
    return cls


def get_exporter(identifier: str) -> BaseExporter:
    """A fresh instance of the registered exporter; ``KeyError`` if there is none."""
    return exporters[identifier]()


def as_number(value: Any) -> int | float | Decimal | None:
    """For the writers: ``value`` if it is a number (bools excluded), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | float):
        return value if math.isfinite(value) else None
    return None
