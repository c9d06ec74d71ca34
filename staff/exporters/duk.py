"""DUK (Daftar Urut Kepangkatan): ordered rows, the signing unit head and the exporter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from situok import formats
from situok.exports import Column, ExportResult, ListExporter, register
from situok.exports.base import CONTENT_TYPES

from .. import rules
from ..models import Employee, OrgUnit
from ..pdf import DukPDF, DukRow, Signer
from ..reminders import parse_unit
from ..selectors import employee_list_for_user
from ._common import (
    _EDUCATION_LABELS,
    CHUNK,
    _labels,
    _scope_name,
    _to_file,
    golongan_label,
    name_with_titles,
    report_date,
)


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
