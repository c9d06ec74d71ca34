"""Filters of the staff list — shared by the page and by its Excel/PDF export."""

from __future__ import annotations

import re

import django_filters
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from situok import derived
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


def _name_bounds(part: str) -> tuple[str, str] | None:
    """The first and the last name, in name order, of all employees whose name contains ``part``
    (``None``: nobody's) — read once per version of the staff tables (situok/derived.py)."""

    def compute():
        found = Employee.objects.filter(name__icontains=part).aggregate(low=Min("name"), high=Max("name"))
        return None if found["low"] is None else (found["low"], found["high"])

    return derived.cached("staff.name_bounds|" + part, depends_on=("staff",), compute=compute)


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
        # Name only (titles are not searched), through the trigram index (staff migration 0005) for a
        # rare name. The matches of a common name part lie together in the name order ("Wayan": "I Wayan
        # …", "Ni Wayan …") while PostgreSQL assumes them spread evenly: it walks the name index from
        # "A" and passes half the list before the first one. Bounding the names by the first and the
        # last match selects the same rows and lets the walk start at the first match (10 ms → 0.1 ms).
        bounds = _name_bounds(value)
        if bounds is None:
            return queryset.none()
        return queryset.filter(name__range=bounds, name__icontains=value)

    def in_unit(self, queryset, name, value):
        # The unit and its sub-units by id, from the units the filter's choices hold for this version of
        # the staff tables: no join (and no join to plan) in the list's queries.
        units = self.form.fields["unit"].cached_objects()
        return queryset.filter(unit_id__in=[unit.pk for unit in units if unit.path.startswith(value.path)])

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["nama"]))

    @property
    def qs(self):
        qs = super().qs
        sort = (getattr(self.form, "cleaned_data", None) or {}).get("sort")
        return qs if sort else qs.order_by(*SORTS["nama"])
