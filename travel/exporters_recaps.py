"""The travel recaps as exporters (design.md §3.8): ``/ekspor/<identifier>/<xlsx|pdf>/?<recap query>``.

* ``travel-recap-employee`` — per-employee travel recap (``dari``, ``sampai``, ``unit``);
* ``travel-recap-budget`` — per-month cost recap by budget line (``tahun``, ``unit``).

The query string is the recap page's (:func:`travel.recaps.recap_params`); rows come from
:mod:`travel.recaps`, scoped to what the user may see, exactly as the page shows them. Each list ends
with a total row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from situok import formats
from situok.exports import Column, ListExporter, register

from .recaps import budget_recap, can_see_recaps, employee_recap, recap_params

# Month names are fixed by the spelling rules, not by the UI language (see situok.formats.BULAN).
MONTH_COLUMNS = tuple(Column(f"m{i + 1}", name[:3], "money", 9) for i, name in enumerate(formats.BULAN))


def _scope(params) -> str:
    return params.unit.name if params.unit is not None else gettext("Semua unit")


@register
class EmployeeRecapExporter(ListExporter):
    """Rekapitulasi perjalanan dinas per pegawai: trips, days and cost in a period."""

    identifier = "travel-recap-employee"
    verbose_name = _("Rekap perjalanan dinas per pegawai")
    title = _("Rekapitulasi Perjalanan Dinas per Pegawai")
    formats = ("xlsx", "pdf")
    columns = (
        Column("no", _("No."), "int", 5),
        Column("name", _("Nama"), "text", 30),
        Column("nip", _("NIP"), "text", 20),
        Column("position", _("Jabatan"), "text", 24),
        Column("unit", _("Unit kerja"), "text", 24),
        Column("trips", _("Jumlah SPT"), "int", 9),
        Column("days", _("Jumlah hari"), "int", 9),
        Column("lump_sum", _("Lumsum"), "money", 14),
        Column("at_cost", _("Biaya riil"), "money", 14),
        Column("cost", _("Jumlah biaya"), "money", 15),
    )

    def available_for(self, user) -> bool:
        return can_see_recaps(user)

    def rows(self, form_data: dict[str, Any], *, user) -> Iterable[Sequence[Any]]:
        recap = employee_recap(user, recap_params(form_data))
        for no, row in enumerate(recap.rows, start=1):
            yield (
                no,
                row.name,
                formats.nip_display(row.nip) if row.nip else "",
                row.position,
                row.unit,
                row.trips,
                row.days,
                row.lump_sum,
                row.at_cost,
                row.cost,
            )
        yield (None, gettext("Jumlah"), "", "", "", recap.trips, recap.days, recap.lump_sum,
               recap.at_cost, recap.cost)  # fmt: skip

    def subtitle(self, form_data: dict[str, Any]) -> str | None:
        params = recap_params(form_data)
        return gettext("Berangkat %(start)s s.d. %(end)s · %(unit)s") % {
            "start": formats.tanggal(params.date_from),
            "end": formats.tanggal(params.date_to),
            "unit": _scope(params),
        }


@register
class BudgetRecapExporter(ListExporter):
    """Rekapitulasi biaya perjalanan dinas per bulan menurut mata anggaran, with realisation vs *pagu*."""

    identifier = "travel-recap-budget"
    verbose_name = _("Rekap biaya perjalanan dinas per mata anggaran")
    title = _("Rekapitulasi Biaya Perjalanan Dinas per Bulan menurut Mata Anggaran")
    formats = ("xlsx", "pdf")
    columns = (
        Column("kode_rekening", _("Kode rekening"), "text", 16),
        Column("name", _("Uraian"), "text", 18),
        *MONTH_COLUMNS,
        Column("total", _("Jumlah"), "money", 11),
        Column("ceiling", _("Pagu"), "money", 11),
        Column("remaining", _("Sisa pagu"), "money", 11),
        Column("realisation", _("Realisasi (%)"), "decimal", 7),
    )

    def available_for(self, user) -> bool:
        return can_see_recaps(user)

    def rows(self, form_data: dict[str, Any], *, user) -> Iterable[Sequence[Any]]:
        recap = budget_recap(user, recap_params(form_data))
        for row in recap.rows:
            name = row.name if row.line is not None else gettext("Tanpa mata anggaran")
            if row.sub_activity:
                name = f"{name} ({row.sub_activity})"
            yield (
                row.kode_rekening,
                name,
                *row.months,
                row.total,
                row.ceiling,
                row.remaining,
                row.realisation,
            )
        yield ("", gettext("Jumlah"), *recap.months, recap.total, recap.ceiling, recap.remaining,
               recap.realisation)  # fmt: skip

    def subtitle(self, form_data: dict[str, Any]) -> str | None:
        params = recap_params(form_data)
        return gettext("Tahun anggaran %(year)s · %(unit)s") % {"year": params.year, "unit": _scope(params)}
