"""The list exporters: the staff list and the reminders (KGB, promotion, retirement …)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from situok import formats
from situok.exports import Column, ListExporter, register

from ..filters import EmployeeFilter
from ..models import Employee, OrgUnit
from ..privacy import mask_value
from ..reminders import ReminderKind, reminder_query, staff_reminders
from ..selectors import employee_list_for_user
from ._common import (
    _STATUS_LABELS,
    _TYPE_LABELS,
    CHUNK,
    _labels,
    _scope_name,
    golongan_label,
    name_with_titles,
    wants_personal,
)


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
