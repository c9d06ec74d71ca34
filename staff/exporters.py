"""Staff reports as exporters (design.md §3.8): staff list, DUK, composition recap, reminders, DRH.

All are downloaded through ``situok.views.export_download`` (``/ekspor/<identifier>/<fmt>/?<filters>``),
which checks ``available_for(user)`` and audit-logs the download with its filters. Every queryset starts
from :func:`staff.selectors.employee_list_for_user`; personal data is masked unless the user has FULL
access *and* asks for it (``pribadi=1``).

Query parameters:

- ``staff-list``: the staff list filters (``staff.filters.EmployeeFilter``: ``q``, ``unit``,
  ``employee_type``, ``golongan``, ``status``, ``position_kind``, ``sort``) and ``pribadi=1``;
- ``staff-duk``: ``unit`` (OrgUnit id, sub-units included; none = every unit) and ``on`` (ISO date the
  masa kerja and age are counted to; default today);
- ``staff-recap``: ``unit``;
- ``staff-reminders``: ``on``, ``kind`` (comma-separated ``staff.reminders.ReminderKind`` codes), ``unit``;
- ``staff-drh``: ``pegawai`` (Employee id; none = the user's own record).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any, BinaryIO

from django.db.models import Count, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from situok import formats
from situok.exports import BaseExporter, Column, ExportResult, ListExporter, register
from situok.exports.base import CONTENT_TYPES
from situok.exports.pdf import institution
from situok.exports.xlsx import write_xlsx_sheets
from situok.permissions import has_perm

from . import rules
from .filters import EmployeeFilter
from .models import Employee, OrgUnit
from .pdf import DrhData, DrhPDF, DukPDF, DukRow, RecapPDF, RecapTable, Signer
from .privacy import mask_value, personal_fields
from .reminders import ReminderKind, parse_date, parse_unit, reminder_query, staff_reminders
from .selectors import (
    Access,
    employee_access,
    employee_for_user,
    employee_get_for_user,
    employee_list_for_user,
)

CHUNK = 2000
TRUE_VALUES = ("1", "true", "ya", "on", "yes")

_TYPE_LABELS = Employee.Type.choices
_STATUS_LABELS = Employee.Status.choices
_EDUCATION_LABELS = Employee.Education.choices


def _labels(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Choice labels resolved once per export (in the active language)."""
    return {value: str(label) for value, label in choices}


def name_with_titles(front: str, name: str, back: str) -> str:
    """``Employee.name_with_titles`` from plain values (exports read tuples, not model instances)."""
    full = f"{front} {name}".strip() if front else name
    return f"{full}, {back}" if back else full


def golongan_label(golongan: str, pppk_golongan: str = "") -> str:
    """``Penata Muda Tingkat I (III/b)`` for PNS, ``Golongan IX`` for PPPK, ``""`` otherwise."""
    if golongan:
        try:
            return rules.golongan_display(golongan)
        except ValueError:
            return golongan
    if pppk_golongan:
        return gettext("Golongan %(golongan)s") % {"golongan": pppk_golongan}
    return ""


def report_date(form_data: Mapping[str, Any]) -> dt.date:
    """The ``on`` parameter (ISO date) or today in WITA."""
    return parse_date(form_data.get("on")) or timezone.localdate()


def wants_personal(user, form_data: Mapping[str, Any]) -> bool:
    """Full personal data only for users with FULL access to every record who explicitly ask (item 8)."""
    asked = str(form_data.get("pribadi", "")).strip().lower() in TRUE_VALUES
    return asked and has_perm(user, "staff.view_personal_data")


def _scope_name(unit: OrgUnit | None) -> str:
    return unit.name if unit is not None else (institution()["unit"] or gettext("Semua unit"))


# --- Staff list -----------------------------------------------------------------------------------


@register
class StaffListExporter(ListExporter):
    """The staff list exactly as filtered on the list page; NIK masked unless ``pribadi=1`` by FULL access."""

    identifier = "staff-list"
    verbose_name = _("Daftar pegawai")
    title = _("Daftar Pegawai")
    permission = "staff.view_employee"
    columns = (
        Column("nip", _("NIP / NI PPPK"), "text", 22),
        Column("name", _("Nama dengan gelar"), "text", 32),
        Column("employee_type", _("Jenis Pegawai"), "text", 14),
        Column("golongan", _("Golongan/Pangkat"), "text", 30),
        Column("position", _("Jabatan"), "text", 32),
        Column("unit", _("Unit Kerja"), "text", 32),
        Column("status", _("Status"), "text", 12),
        Column("nik", _("NIK"), "text", 18),
    )

    def filterset(self, form_data: Mapping[str, Any], *, user) -> EmployeeFilter:
        return EmployeeFilter(dict(form_data), queryset=employee_list_for_user(user))

    def rows(self, form_data: dict[str, Any], *, user) -> Iterable[Sequence[Any]]:
        personal = wants_personal(user, form_data)
        types, statuses = _labels(_TYPE_LABELS), _labels(_STATUS_LABELS)
        ranks: dict[tuple[str, str], str] = {}
        qs = self.filterset(form_data, user=user).qs.values_list(
            "nip",
            "front_title",
            "name",
            "back_title",
            "employee_type",
            "golongan",
            "pppk_golongan",
            "position__name",
            "unit__name",
            "status",
            "nik",
        )
        for nip, front, name, back, etype, gol, pppk_gol, position, unit, status, nik in qs.iterator(
            chunk_size=CHUNK
        ):
            rank = ranks.get((gol, pppk_gol))
            if rank is None:
                rank = ranks[(gol, pppk_gol)] = golongan_label(gol, pppk_gol)
            yield (
                formats.nip_display(nip),
                name_with_titles(front, name, back),
                types.get(etype, etype),
                rank,
                position or "",
                unit,
                statuses.get(status, status),
                nik if personal else mask_value("nik", nik),
            )

    def subtitle(self, form_data: dict[str, Any]) -> str | None:
        """The active filters, e.g. ``Unit (termasuk sub-unit): Biro Umum · Jenis pegawai: PNS``."""
        filterset = EmployeeFilter(dict(form_data), queryset=Employee.objects.none())
        form = filterset.form
        form.is_valid()  # invalid fields are left out of cleaned_data, as the list page ignores them
        parts = []
        for key, value in form.cleaned_data.items():
            if value in (None, "") or key == "sort":
                continue
            field = form.fields[key]
            choices = dict(getattr(field, "choices", ()) or ())
            shown = choices.get(value, value) if not isinstance(value, OrgUnit) else value.name
            parts.append(f"{field.label}: {shown}")
        return " · ".join(parts) or None


# --- DUK ------------------------------------------------------------------------------------------


def duk_rows(user, *, unit: OrgUnit | None, on: dt.date) -> list[DukRow]:
    """The DUK of ``unit`` (with sub-units; ``None`` = every unit) on ``on``: active PNS only, ordered
    by :func:`staff.rules.duk_sort_key` (PP 15/1979, domain.md §1.7). CPNS, PPPK and non-ASN are not
    ranked. Records without a golongan cannot be ranked and come last, marked "Data belum lengkap".

    One query; the sort happens in Python because the criteria (masa kerja on ``on``, education and
    eselon rank) are rules, not columns. Latihan jabatan is not recorded yet, so it never breaks a tie.
    """
    qs = employee_list_for_user(user).filter(employee_type=Employee.Type.PNS, status=Employee.Status.AKTIF)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    values = qs.order_by().values_list(
        "nip",
        "front_title",
        "name",
        "back_title",
        "golongan",
        "tmt_golongan",
        "position__name",
        "position__eselon",
        "tmt_jabatan",
        "tmt_cpns",
        "education_level",
        "education_major",
        "birth_date",
    )
    education = _labels(_EDUCATION_LABELS)
    incomplete = gettext("Data belum lengkap")
    keyed: list[tuple[tuple, DukRow]] = []
    for (
        nip,
        front,
        name,
        back,
        golongan,
        tmt_golongan,
        position,
        eselon,
        tmt_jabatan,
        tmt_cpns,
        edu,
        major,
        birth_date,
    ) in values.iterator(chunk_size=CHUNK):
        masa_kerja = rules.masa_kerja(tmt_cpns, on) if tmt_cpns and tmt_cpns <= on else None
        age = rules.age(birth_date, on) if birth_date and birth_date <= on else None
        try:
            golongan = rules.normalize_golongan(golongan)
        except ValueError:
            golongan = ""
        complete = bool(golongan and tmt_golongan and tmt_cpns and birth_date)
        try:
            eselon_code = rules.normalize_eselon(eselon)
        except ValueError:
            eselon_code = None
        if golongan:
            entry = rules.DukEntry(
                golongan=golongan,
                tmt_golongan=tmt_golongan or dt.date.max,
                masa_kerja=masa_kerja or (0, 0),
                birth_date=birth_date or dt.date.max,
                eselon=eselon_code,
                tmt_jabatan=tmt_jabatan,
                latihan_jabatan=None,
                pendidikan=edu or None,
                nip=nip or "",
                name=name,
            )
            key: tuple = (0, rules.duk_sort_key(entry))
        else:
            key = (1, (name, nip or ""))
        row = DukRow(
            number=0,
            name=name_with_titles(front, name, back),
            nip=nip or "",
            golongan=golongan,
            pangkat=rules.golongan_display(golongan) if golongan else "",
            tmt_golongan=tmt_golongan,
            position=position or "",
            eselon=eselon_code or "",
            tmt_jabatan=tmt_jabatan,
            masa_kerja_years=masa_kerja[0] if masa_kerja else None,
            masa_kerja_months=masa_kerja[1] if masa_kerja else None,
            latihan_jabatan="",
            pendidikan=" ".join(filter(None, (education.get(edu, edu), major))),
            age=age,
            note="" if complete else incomplete,
        )
        keyed.append((key, row))
    keyed.sort(key=lambda item: item[0])
    return [replace(row, number=number) for number, (_key, row) in enumerate(keyed, start=1)]


def unit_signer(unit: OrgUnit | None) -> Signer:
    """The head of ``unit`` as DUK signer (domain.md §8.4): office title, name, pangkat (golongan), NIP.
    Without a recorded head the name and NIP are dotted lines to fill in by hand."""
    if unit is None:
        return Signer(title=(gettext("Kepala %(unit)s") % {"unit": _scope_name(None)}).upper())
    head = unit.head
    title = ""
    if unit.head_position_id:
        title = unit.head_position.name
    elif head is not None and head.position_id:
        title = head.position.name
    title = (title or gettext("Kepala %(unit)s") % {"unit": unit.name}).upper()
    if head is None:
        return Signer(title=title)
    return Signer(
        title=title, name=head.name_with_titles, pangkat=golongan_label(head.golongan), nip=head.nip or ""
    )


def _unit_with_head(value: Any) -> OrgUnit | None:
    """The OrgUnit with id ``value`` and what its signature block needs, in one query."""
    try:
        pk = int(str(value))
    except (TypeError, ValueError):
        return None
    return OrgUnit.objects.select_related("head", "head__position", "head_position").filter(pk=pk).first()


@register
class DukExporter(ListExporter):
    """*Daftar Urut Kepangkatan* per unit (PP 15/1979): XLSX/CSV as a flat typed table, PDF in the usual
    landscape form with letterhead and the unit head's signature block."""

    identifier = "staff-duk"
    verbose_name = _("Daftar Urut Kepangkatan (DUK)")
    title = _("Daftar Urut Kepangkatan")
    permission = "staff.view_employee"
    columns = (
        Column("number", _("No."), "int", 6),
        Column("name", _("Nama"), "text", 32),
        Column("nip", _("NIP"), "text", 22),
        Column("pangkat", _("Pangkat (Golongan/Ruang)"), "text", 30),
        Column("tmt_golongan", _("TMT Golongan"), "date", 13),
        Column("position", _("Jabatan"), "text", 32),
        Column("eselon", _("Eselon"), "text", 8),
        Column("tmt_jabatan", _("TMT Jabatan"), "date", 13),
        Column("masa_kerja_years", _("Masa Kerja (Tahun)"), "int", 10),
        Column("masa_kerja_months", _("Masa Kerja (Bulan)"), "int", 10),
        Column("latihan_jabatan", _("Latihan Jabatan"), "text", 16),
        Column("pendidikan", _("Pendidikan"), "text", 22),
        Column("age", _("Usia"), "int", 6),
        Column("note", _("Keterangan"), "text", 20),
    )

    def rows(self, form_data: dict[str, Any], *, user) -> Iterable[Sequence[Any]]:
        unit = parse_unit(form_data.get("unit"))
        for row in duk_rows(user, unit=unit, on=report_date(form_data)):
            yield (
                row.number,
                row.name,
                formats.nip_display(row.nip),
                row.pangkat,
                row.tmt_golongan,
                row.position,
                row.eselon,
                row.tmt_jabatan,
                row.masa_kerja_years,
                row.masa_kerja_months,
                row.latihan_jabatan,
                row.pendidikan,
                row.age,
                row.note,
            )

    def subtitle(self, form_data: dict[str, Any]) -> str | None:
        unit = parse_unit(form_data.get("unit"))
        return gettext("%(unit)s, keadaan per %(date)s") % {
            "unit": _scope_name(unit),
            "date": formats.tanggal(report_date(form_data)),
        }

    def render(self, form_data: dict[str, Any], *, user, fmt: str) -> ExportResult:
        if fmt != "pdf":
            return super().render(form_data, user=user, fmt=fmt)
        unit = _unit_with_head(form_data.get("unit"))
        on = report_date(form_data)
        pdf = DukPDF(
            duk_rows(user, unit=unit, on=on), unit_name=_scope_name(unit), on=on, signer=unit_signer(unit)
        )
        return ExportResult(self.filename("pdf"), CONTENT_TYPES["pdf"], _to_file(pdf.render_to))


def _to_file(write) -> BinaryIO:
    """Call ``write(fileobj)`` on a temporary file and return it positioned at 0."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    try:
        write(output)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output


# --- Composition recap ----------------------------------------------------------------------------


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


# --- Reminders ------------------------------------------------------------------------------------


@register
class RemindersExporter(ListExporter):
    """The reminders page as a list: retirements, KGB, promotions and contract ends with due dates."""

    identifier = "staff-reminders"
    verbose_name = _("Pengingat kepegawaian")
    title = _("Pengingat Kepegawaian")
    permission = "staff.view_employee"
    columns = (
        Column("kind", _("Jenis Pengingat"), "text", 20),
        Column("due_date", _("Jatuh Tempo"), "date", 14),
        Column("name", _("Nama"), "text", 32),
        Column("nip", _("NIP / NI PPPK"), "text", 22),
        Column("position", _("Jabatan"), "text", 30),
        Column("unit", _("Unit Kerja"), "text", 30),
        Column("note", _("Keterangan"), "text", 30),
    )

    def rows(self, form_data: dict[str, Any], *, user) -> Iterable[Sequence[Any]]:
        query = reminder_query(form_data)
        for reminder in staff_reminders(user, on=query.on, kinds=query.kinds, unit=query.unit):
            employee = reminder.employee
            yield (
                reminder.kind_label,
                reminder.due_date,
                employee.name_with_titles,
                formats.nip_display(employee.nip),
                employee.position_title,
                employee.unit.name,
                reminder.note,
            )

    def subtitle(self, form_data: dict[str, Any]) -> str | None:
        query = reminder_query(form_data)
        parts = [gettext("Per %(date)s") % {"date": formats.tanggal(query.on)}, _scope_name(query.unit)]
        if set(query.kinds) != set(ReminderKind.values):
            parts.append(", ".join(str(ReminderKind(kind).label) for kind in query.kinds))
        return " · ".join(parts)


# --- Daftar Riwayat Hidup -------------------------------------------------------------------------


def drh_employee_for(user, pk: Any) -> Employee:
    """The employee whose DRH ``user`` asks for: ``pk`` or, when empty, the user's own record.

    404 unless the user may see the official record (``Access.RECORD``: self, supervisors of the unit,
    staff operators and leaders) — a colleague who only sees the public profile gets 404 too.
    """
    if pk in (None, ""):
        employee = employee_for_user(user)
        if employee is None:
            raise Http404
        employee = employee_get_for_user(user, employee.pk)
    else:
        employee = employee_get_for_user(user, pk)
    if employee_access(user, employee) < Access.RECORD:
        raise Http404
    return employee


def drh_data(user, employee: Employee) -> DrhData:
    """What the DRH prints; personal fields as :func:`staff.privacy.personal_fields` allows (masked
    without FULL access). Histories come with four prefetch queries."""
    prefetch_related_objects(
        [employee], "rank_history", "position_history", "education_history", "kgb_history"
    )
    personal = personal_fields(user, employee)
    education = _labels(_EDUCATION_LABELS)

    def shown(value: Any) -> str:
        if isinstance(value, dt.date):
            return formats.tanggal(value)
        return str(value) if value not in (None, "") else "-"

    rank = golongan_label(employee.golongan, employee.pppk_golongan)
    if rank and employee.tmt_golongan:
        rank = gettext("%(rank)s, TMT %(date)s") % {
            "rank": rank,
            "date": formats.tanggal(employee.tmt_golongan),
        }
    position = employee.position_title
    if position and employee.tmt_jabatan:
        position = gettext("%(position)s, TMT %(date)s") % {
            "position": position,
            "date": formats.tanggal(employee.tmt_jabatan),
        }
    birth = ", ".join(
        shown(v) for v in (personal["birth_place"], personal["birth_date"]) if v not in (None, "")
    )
    bank = " ".join(str(v) for v in (personal["bank_name"], personal["bank_account"]) if v)
    identity = [
        (gettext("Nama lengkap"), employee.name_with_titles),
        (gettext("NIP / NI PPPK"), formats.nip_display(employee.nip) or "-"),
        (gettext("NIK"), shown(personal["nik"])),
        (gettext("Tempat, tanggal lahir"), birth or "-"),
        (gettext("Jenis kelamin"), shown(employee.get_sex_display())),
        (gettext("Agama"), shown(employee.get_religion_display())),
        (gettext("Jenis pegawai"), employee.get_employee_type_display()),
        (gettext("Pangkat/golongan"), rank or "-"),
        (gettext("Jabatan"), position or "-"),
        (gettext("Unit kerja"), employee.unit.name),
        (gettext("TMT CPNS"), shown(employee.tmt_cpns)),
        (gettext("TMT PNS"), shown(employee.tmt_pns)),
        (
            gettext("Pendidikan terakhir"),
            " ".join(filter(None, (education.get(employee.education_level, ""), employee.education_major)))
            or "-",
        ),
        (gettext("Alamat"), shown(personal["address"])),
        (gettext("Nomor telepon"), shown(personal["phone"])),
        (gettext("Surel"), shown(employee.email)),
        (gettext("NPWP"), shown(personal["npwp"])),
        (gettext("Bank, nomor rekening"), bank or "-"),
        (gettext("Status"), employee.get_status_display()),
    ]
    return DrhData(
        identity=identity,
        name=employee.name_with_titles,
        nip=employee.nip or "",
        ranks=[
            (
                golongan_label(r.golongan, r.pppk_golongan),
                formats.tanggal(r.tmt),
                r.sk_number,
                formats.tanggal(r.sk_date),
            )
            for r in employee.rank_history.all()
        ],
        positions=[
            (p.position_name, p.unit_name, formats.tanggal(p.tmt), p.sk_number)
            for p in employee.position_history.all()
        ],
        education=[
            (education.get(e.level, e.level), e.major, e.institution, str(e.graduation_year))
            for e in employee.education_history.all()
        ],
        kgb=[
            (
                formats.tanggal(k.tmt),
                formats.rupiah(k.salary) if k.salary is not None else "",
                gettext("%(years)s tahun") % {"years": k.masa_kerja_years}
                if k.masa_kerja_years is not None
                else "",
                k.sk_number,
            )
            for k in employee.kgb_history.all()
        ],
    )


@register
class DrhExporter(BaseExporter):
    """*Daftar Riwayat Hidup* of one employee (``?pegawai=<id>``, default: one's own) as PDF.

    Open to every signed-in user; the object check is in :func:`drh_employee_for` (404 below RECORD
    access). The download view's audit entry records which employee (``pegawai``) was printed.
    """

    identifier = "staff-drh"
    verbose_name = _("Daftar Riwayat Hidup")
    formats = ("pdf",)

    def available_for(self, user) -> bool:
        return bool(getattr(user, "is_authenticated", False))

    def render(self, form_data: dict[str, Any], *, user, fmt: str) -> ExportResult:
        if fmt not in self.formats:
            raise ValueError(f"{self.identifier}: unsupported format {fmt!r}")
        employee = drh_employee_for(user, form_data.get("pegawai"))
        pdf = DrhPDF(drh_data(user, employee), on=timezone.localdate())
        stamp = timezone.localtime(timezone.now(), formats.WITA).strftime("%Y%m%d-%H%M")
        filename = f"{slugify(f'drh-{employee.name}-{stamp}')}.pdf"
        return ExportResult(filename, CONTENT_TYPES["pdf"], _to_file(pdf.render_to))
