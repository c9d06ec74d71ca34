"""The staff composition recap: tables, the XLSX writer and the exporter."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, BinaryIO

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from situok import formats
from situok.exports import BaseExporter, Column, ExportResult, register
from situok.exports.base import CONTENT_TYPES
from situok.exports.xlsx import write_xlsx_sheets

from .. import rules
from ..models import Employee, OrgUnit
from ..pdf import RecapPDF, RecapTable
from ..reminders import parse_unit
from ..selectors import employee_list_for_user
from ._common import _EDUCATION_LABELS, _TYPE_LABELS, _labels, _scope_name, _to_file


def staff_recap(user, *, unit: OrgUnit | None = None) -> list[RecapTable]:
    """Composition of the active employees ``user`` may list (``unit`` with sub-units): by golongan
    (PNS/CPNS), by PPPK golongan, by employee type, by sex, by education and by unit.

    Two queries whatever the size: one grouped count over every dimension, one for the unit names.
    """
    qs = employee_list_for_user(user).filter(status=Employee.Status.AKTIF)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    groups = (
        qs.order_by()
        .values_list("employee_type", "golongan", "pppk_golongan", "sex", "education_level", "unit_id")
        .annotate(n=Count("pk"))
    )
    by: dict[str, Counter] = {dim: Counter() for dim in ("golongan", "pppk", "type", "sex", "edu", "unit")}
    for etype, golongan, pppk, sex, edu, unit_id, n in groups:
        if etype in Employee.PNS_TYPES:
            by["golongan"][(golongan, sex)] += n
        if etype in Employee.PPPK_TYPES:
            by["pppk"][(pppk, sex)] += n
        by["type"][(etype, sex)] += n
        by["sex"][sex] += n
        by["edu"][(edu, sex)] += n
        by["unit"][(unit_id, sex)] += n

    male, female = Employee.Sex.MALE, Employee.Sex.FEMALE
    sex_columns = (str(Employee.Sex.MALE.label), str(Employee.Sex.FEMALE.label), gettext("Jumlah"))
    not_set = gettext("Belum diisi")

    def split(counter: Counter, keys: Iterable[tuple[Any, str]], *, skip_empty: bool = False):
        rows = []
        for key, label in keys:
            m, f = counter[(key, male)], counter[(key, female)]
            if skip_empty and not m + f:
                continue
            rows.append((label, (m, f, m + f)))
        total_m = sum(n for (_k, s), n in counter.items() if s == male)
        total_f = sum(n for (_k, s), n in counter.items() if s == female)
        return rows, (total_m, total_f, total_m + total_f)

    def with_blank(keys: list[tuple[Any, str]], counter: Counter) -> list[tuple[Any, str]]:
        return [*keys, ("", not_set)] if any(k == "" for k, _s in counter) else keys

    tables: list[RecapTable] = []
    keys = with_blank(
        [(code, rules.golongan_display(code)) for code, _p in rules.GOLONGAN_PNS], by["golongan"]
    )
    rows, total = split(by["golongan"], keys)
    tables.append(
        RecapTable(
            "golongan",
            gettext("Menurut Golongan/Ruang (PNS dan CPNS)"),
            gettext("Golongan"),
            sex_columns,
            rows,
            total,
        )
    )
    keys = with_blank(
        [(code, gettext("Golongan %(golongan)s") % {"golongan": code}) for code in rules.GOLONGAN_PPPK],
        by["pppk"],
    )
    rows, total = split(by["pppk"], keys, skip_empty=True)
    tables.append(
        RecapTable(
            "pppk", gettext("Menurut Golongan PPPK"), gettext("Golongan PPPK"), sex_columns, rows, total
        )
    )
    rows, total = split(by["type"], list(_labels(_TYPE_LABELS).items()))
    tables.append(
        RecapTable(
            "type", gettext("Menurut Jenis Pegawai"), gettext("Jenis Pegawai"), sex_columns, rows, total
        )
    )
    all_people = sum(by["sex"].values())
    sex_rows = []
    for code, label in Employee.Sex.choices:
        n = by["sex"][code]
        share = (Decimal(n * 100) / all_people).quantize(Decimal("0.01")) if all_people else Decimal("0.00")
        sex_rows.append((str(label), (n, share)))
    tables.append(
        RecapTable(
            "sex",
            gettext("Menurut Jenis Kelamin"),
            gettext("Jenis Kelamin"),
            (gettext("Jumlah"), gettext("Persentase (%)")),
            sex_rows,
            (all_people, Decimal("100.00") if all_people else Decimal("0.00")),
        )
    )
    rows, total = split(by["edu"], with_blank(list(_labels(_EDUCATION_LABELS).items()), by["edu"]))
    tables.append(
        RecapTable(
            "education", gettext("Menurut Pendidikan"), gettext("Pendidikan"), sex_columns, rows, total
        )
    )
    units = unit_subtree_values(unit)
    rows, total = split(by["unit"], units)
    tables.append(
        RecapTable("unit", gettext("Menurut Unit Kerja"), gettext("Unit Kerja"), sex_columns, rows, total)
    )
    return tables


def unit_subtree_values(unit: OrgUnit | None) -> list[tuple[int, str]]:
    """``(id, name)`` of ``unit`` and its sub-units (every unit when ``None``), in tree order."""
    qs = OrgUnit.objects.order_by("path")
    if unit is not None:
        qs = qs.filter(path__startswith=unit.path)
    return list(qs.values_list("pk", "name"))


def write_recap_xlsx(title: str, subtitle: str, tables: Sequence[RecapTable]) -> BinaryIO:
    """One worksheet per recap table (typed numbers, a "Jumlah" row last), streamed to a temporary file."""

    def sheet(table: RecapTable) -> tuple[str, list[Column], list[Sequence[Any]]]:
        columns = [Column("label", table.title, "text", 40)]
        columns += [
            Column(f"c{index}", label, "decimal" if "%" in label else "int", 14)
            for index, label in enumerate(table.columns)
        ]
        rows: list[Sequence[Any]] = [(label, *values) for label, values in table.rows]
        if table.total is not None:
            rows.append((gettext("Jumlah"), *table.total))
        return table.sheet, columns, rows

    return write_xlsx_sheets(title, (sheet(table) for table in tables), subtitle=subtitle)


@register
class RecapExporter(BaseExporter):
    """Composition recap: XLSX with one sheet per table, PDF with the tables one after another."""

    identifier = "staff-recap"
    verbose_name = _("Rekapitulasi komposisi pegawai")
    permission = "staff.view_employee"
    formats = ("xlsx", "pdf")

    def render(self, form_data: dict[str, Any], *, user, fmt: str) -> ExportResult:
        if fmt not in self.formats:
            raise ValueError(f"{self.identifier}: unsupported format {fmt!r}")
        unit = parse_unit(form_data.get("unit"))
        on = timezone.localdate()
        tables = staff_recap(user, unit=unit)
        if fmt == "pdf":
            pdf = RecapPDF(tables, unit_name=_scope_name(unit), on=on)
            file = _to_file(pdf.render_to)
        else:
            subtitle = gettext("%(unit)s, keadaan per %(date)s") % {
                "unit": _scope_name(unit),
                "date": formats.tanggal(on),
            }
            file = write_recap_xlsx(gettext("Rekapitulasi Komposisi Pegawai"), subtitle, tables)
        return ExportResult(self.filename(fmt), CONTENT_TYPES[fmt], file)
