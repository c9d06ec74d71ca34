"""What an import reports: row errors and warnings, planned changes, the report and a checked upload."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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
