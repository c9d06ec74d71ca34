"""Filters of the booking list — shared by the page and by its Excel/PDF export."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from situok.formats import WITA
from staff.models import OrgUnit

from .models import Booking, Resource

SORTS = {
    "mulai": ("start", "id"),
    "-mulai": ("-start", "-id"),
    "diajukan": ("-created_at", "-id"),
}


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), WITA)


class BookingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari keperluan, pemohon atau nomor polisi"))
    kind = django_filters.ChoiceFilter(
        field_name="resource__kind", choices=Resource.Kind.choices, label=_("Jenis")
    )
    resource = django_filters.ModelChoiceFilter(
        queryset=Resource.objects.order_by("kind", "name"), label=_("Ruang / kendaraan")
    )
    status = django_filters.ChoiceFilter(choices=Booking.Status.choices, label=_("Status"))
    unit = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.order_by("path"), method="in_unit", label=_("Unit (termasuk sub-unit)")
    )
    date_from = django_filters.DateFilter(
        method="from_day", label=_("Dari tanggal"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        method="to_day", label=_("Sampai tanggal"), widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = django_filters.ChoiceFilter(
        method="sort_by",
        label=_("Urutkan"),
        empty_label=None,
        choices=[
            ("-mulai", _("Terbaru dulu")),
            ("mulai", _("Terlama dulu")),
            ("diajukan", _("Baru diajukan")),
        ],
    )

    class Meta:
        model = Booking
        fields = ["q", "kind", "resource", "status", "unit", "date_from", "date_to", "sort"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(purpose__icontains=value)
            | Q(requester__name__icontains=value)
            | Q(resource__plate__icontains=value.upper())
            | Q(outside_party__icontains=value)
        )

    def in_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path)

    def from_day(self, queryset, name, value):
        return queryset.filter(end__gt=_day_start(value))

    def to_day(self, queryset, name, value):
        return queryset.filter(start__lt=_day_start(value + dt.timedelta(days=1)))

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["-mulai"]))

    @property
    def qs(self):
        qs = super().qs
        sort = (getattr(self.form, "cleaned_data", None) or {}).get("sort")
        return qs if sort else qs.order_by(*SORTS["-mulai"])
