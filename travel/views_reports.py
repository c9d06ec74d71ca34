"""Travel recap pages (issue 5 item 9): per-employee travel recap and per-month cost recap by budget line.

Each page shows the recap of :mod:`travel.recaps` for the filters in the query string and links the
Excel/PDF downloads of exactly that (``situok.views.export_download`` with the same query; the
exporters live in :mod:`travel.exporters_recaps`, imported here so they are registered). Access: the
SPT register's (``travel.view_trip`` holders see everything, unit heads their units, others 403).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from situok.formats import BULAN
from situok.permissions import has_perm, require_login
from staff.models import OrgUnit
from staff.selectors import supervised_unit_paths

from . import exporters_recaps  # noqa: F401 - registers the recap exporters
from .recaps import (
    MAX_YEAR,
    MIN_YEAR,
    budget_recap,
    can_see_recaps,
    employee_recap,
    recap_params,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitChoiceField(forms.ModelChoiceField):
    """Units in tree order, indented by depth so the hierarchy shows in a plain ``<select>``."""

    def label_from_instance(self, obj: OrgUnit) -> str:
        depth = max(obj.path.count("/") - 2, 0)
        return "\u00a0\u00a0\u00a0" * depth + obj.name


def _units_for(user):
    qs = OrgUnit.objects.order_by("path").only("pk", "name", "path")
    if has_perm(user, "travel.view_trip") or has_perm(user, "travel.manage_trip"):
        return qs
    cond = Q(pk__in=[])
    for unit_path in supervised_unit_paths(user):
        cond |= Q(path__startswith=unit_path)
    return qs.filter(cond)


class _RecapForm(forms.Form):
    unit = UnitChoiceField(
        queryset=OrgUnit.objects.none(),
        required=False,
        label=_("Unit (termasuk sub-unit)"),
        empty_label=_("Semua unit yang dapat Anda lihat"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units_for(user)


class EmployeeRecapForm(_RecapForm):
    dari = forms.DateField(label=_("Berangkat dari tanggal"), required=False, widget=DATE)
    sampai = forms.DateField(label=_("sampai dengan tanggal"), required=False, widget=DATE)

    field_order = ("dari", "sampai", "unit")

    def clean(self):
        data = super().clean()
        start, end = data.get("dari"), data.get("sampai")
        if start and end and end < start:
            self.add_error("sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data


class BudgetRecapForm(_RecapForm):
    tahun = forms.IntegerField(
        label=_("Tahun anggaran"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )

    field_order = ("tahun", "unit")


def _check_access(request: HttpRequest) -> None:
    if not can_see_recaps(request.user):
        raise PermissionDenied


def _scoped(user) -> bool:
    return not (has_perm(user, "travel.view_trip") or has_perm(user, "travel.manage_trip"))


@require_login
@require_GET
def recap_employees(request: HttpRequest) -> HttpResponse:
    """Rekap perjalanan dinas per pegawai: trips, days and cost of each traveller in a period."""
    _check_access(request)
    form = EmployeeRecapForm(request.GET or None, user=request.user)
    recap = query = None
    if not form.is_bound or form.is_valid():
        params = recap_params(request.GET)
        if not form.is_bound:
            form = EmployeeRecapForm(
                initial={"dari": params.date_from, "sampai": params.date_to}, user=request.user
            )
        recap = employee_recap(request.user, params)
        query = urlencode({k: v for k, v in params.as_query().items() if k != "tahun"})
    context = {"form": form, "recap": recap, "query": query, "scoped": _scoped(request.user)}
    return render(request, "travel/reports/recap_employees.html", context)


@require_login
@require_GET
def recap_budget(request: HttpRequest) -> HttpResponse:
    """Rekap biaya per bulan menurut mata anggaran, with the realisation against the ceiling."""
    _check_access(request)
    form = BudgetRecapForm(request.GET or None, user=request.user)
    recap = query = None
    if not form.is_bound or form.is_valid():
        params = recap_params(request.GET)
        if not form.is_bound:
            form = BudgetRecapForm(initial={"tahun": params.year}, user=request.user)
        recap = budget_recap(request.user, params)
        query = urlencode({k: v for k, v in params.as_query().items() if k in ("tahun", "unit")})
    context = {
        "form": form,
        "recap": recap,
        "query": query,
        "scoped": _scoped(request.user),
        "month_names": [name[:3] for name in BULAN],
    }
    return render(request, "travel/reports/recap_budget.html", context)


urlpatterns = [
    path("rekap/pegawai/", recap_employees, name="recap_employees"),
    path("rekap/anggaran/", recap_budget, name="recap_budget"),
]
