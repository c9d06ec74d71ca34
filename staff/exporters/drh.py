"""Daftar Riwayat Hidup (DRH): who may print whose, the data and the exporter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from situok import formats
from situok.exports import BaseExporter, ExportResult, register
from situok.exports.base import CONTENT_TYPES

from ..models import Employee
from ..pdf import DrhData, DrhPDF
from ..privacy import personal_fields
from ..selectors import Access, employee_access, employee_for_user, employee_get_for_user
from ._common import _EDUCATION_LABELS, _labels, _to_file, golongan_label


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
