"""Filters of the SPT register — shared by the page and by its Excel/PDF export."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from situok.filters import CachedModelChoiceFilter, LeanFilterSet
from situok.regions import Region
from staff.models import Employee, OrgUnit

from .models import BudgetLine, TravelType, Trip, TripDestination, TripMember

# A traveller search matching more people than this is narrowed to the first ones (by id): type more.
EMPLOYEE_MATCH_LIMIT = 5000
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegionChoiceFilter(CachedModelChoiceFilter):
    """A destination region: trips with a destination in it or in one of its sub-regions."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("depends_on", ("regions",))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        code = value.code
        inside = Q(region__code=code) | Q(region__code__startswith=f"{code}.")
        return qs.filter(Exists(TripDestination.objects.filter(inside, trip=OuterRef("pk"))))


class TripFilter(LeanFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nomor SPT atau maksud"))
    depart_from = django_filters.DateFilter(
        field_name="depart_date", lookup_expr="gte", label=_("Berangkat dari tanggal"), widget=DATE
    )
    depart_to = django_filters.DateFilter(
        field_name="depart_date", lookup_expr="lte", label=_("Berangkat sampai tanggal"), widget=DATE
    )
    unit = CachedModelChoiceFilter(
        queryset=OrgUnit.objects.order_by("path"),
        depends_on=("staff",),
        method="in_unit",
        label=_("Unit (termasuk sub-unit)"),
    )
    pegawai = django_filters.CharFilter(method="with_employee", label=_("Pelaksana (nama atau NIP)"))
    status = django_filters.ChoiceFilter(choices=Trip.Status.choices, label=_("Status"))
    travel_type = django_filters.ChoiceFilter(choices=TravelType.choices, label=_("Jenis perjalanan"))
    province = RegionChoiceFilter(
        queryset=Region.objects.filter(level=Region.Level.PROVINCE).order_by("name"),
        label=_("Provinsi tujuan"),
    )
    regency = RegionChoiceFilter(
        queryset=Region.objects.filter(level=Region.Level.REGENCY).order_by("code"),
        label=_("Kabupaten/kota tujuan"),
    )
    budget_line = CachedModelChoiceFilter(
        queryset=BudgetLine.objects.order_by("-year", "sub_activity_code", "kode_rekening"),
        depends_on=("travel_budget",),
        label=_("Mata anggaran"),
    )

    class Meta:
        model = Trip
        fields = [
            "q", "depart_from", "depart_to", "unit", "pegawai", "status", "travel_type",
            "province", "regency", "budget_line",
        ]  # fmt: skip

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(spt_number__icontains=value) | Q(purpose__icontains=value))

    def in_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path)

    def with_employee(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        digits = re.sub(r"\s+", "", value)
        who = Q(nip__startswith=digits) if digits.isdigit() and len(digits) >= 4 else Q(name__icontains=value)
        # The matching employees first, as a list: with it PostgreSQL knows how many travellers match
        # and walks the register by departure date (a few hundred rows) instead of misjudging a name
        # pattern as rare and sorting every trip of thousands of namesakes.
        ids = list(
            Employee.objects.filter(who).order_by().values_list("pk", flat=True)[:EMPLOYEE_MATCH_LIMIT]
        )
        return queryset.filter(Exists(TripMember.objects.filter(trip=OuterRef("pk"), employee_id__in=ids)))

    def describe(self) -> str:
        """The active filters as one line (the PDF subtitle), e.g. ``Status: Bernomor · Unit: Biro Umum``."""
        form = self.form
        if not form.is_valid():
            pass  # invalid fields are left out, as the list ignores them
        parts = []
        for key, value in (getattr(form, "cleaned_data", None) or {}).items():
            if value in (None, ""):
                continue
            field = form.fields[key]
            choices = dict(getattr(field, "choices", ()) or ())
            if hasattr(value, "pk"):
                shown = getattr(value, "name", None) or str(value)
            elif hasattr(value, "isoformat"):
                from situok.formats import tanggal

                shown = tanggal(value)
            else:
                shown = choices.get(value, value)
            parts.append(f"{field.label}: {shown}")
        return " · ".join(parts)
