"""Filters of the staff list — shared by the page and by its Excel/PDF export."""

from __future__ import annotations

import re

import django_filters
from django.utils.translation import gettext_lazy as _

from situok.filters import CachedModelChoiceFilter, LeanFilterSet

from .models import GOLONGAN_PNS_CHOICES, Employee, OrgUnit, Position

SORTS = {
    "nama": ("name", "id"),
    "-nama": ("-name", "-id"),
    "nip": ("nip", "id"),
    "golongan": ("golongan", "name", "id"),
    "-golongan": ("-golongan", "name", "id"),
    "unit": ("unit__path", "name", "id"),
}


class EmployeeFilter(LeanFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama atau NIP"))
    unit = CachedModelChoiceFilter(
        queryset=OrgUnit.objects.order_by("path"),
        depends_on=("staff",),
        method="in_unit",
        label=_("Unit (termasuk sub-unit)"),
    )
    employee_type = django_filters.ChoiceFilter(choices=Employee.Type.choices, label=_("Jenis pegawai"))
    golongan = django_filters.ChoiceFilter(choices=GOLONGAN_PNS_CHOICES, label=_("Golongan"))
    status = django_filters.ChoiceFilter(choices=Employee.Status.choices, label=_("Status"))
    position_kind = django_filters.ChoiceFilter(
        field_name="position__kind", choices=Position.Kind.choices, label=_("Jenis jabatan")
    )
    sort = django_filters.ChoiceFilter(
        method="sort_by",
        label=_("Urutkan"),
        empty_label=None,
        choices=[
            ("nama", _("Nama (A–Z)")),
            ("-nama", _("Nama (Z–A)")),
            ("nip", _("NIP")),
            ("-golongan", _("Golongan tertinggi")),
            ("golongan", _("Golongan terendah")),
            ("unit", _("Unit")),
        ],
    )

    class Meta:
        model = Employee
        fields = ["q", "unit", "employee_type", "golongan", "status", "position_kind", "sort"]

    def search(self, queryset, name, value):
        value = value.strip()
        digits = re.sub(r"\s+", "", value)
        if digits.isdigit() and len(digits) >= 4:
            return queryset.filter(nip__startswith=digits)
        # Name only (titles are not searched): a single-column condition an index can serve.
        return queryset.filter(name__icontains=value)

    def in_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path)

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["nama"]))

    @property
    def qs(self):
        qs = super().qs
        sort = (getattr(self.form, "cleaned_data", None) or {}).get("sort")
        return qs if sort else qs.order_by(*SORTS["nama"])
