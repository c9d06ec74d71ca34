"""The staff reports page: one place to download the DUK, the staff list, the composition recap, the
reminders and one's own Daftar Riwayat Hidup. Every button points at ``situok.views.export_download``,
which does the permission check and the audit entry; this page only builds the links."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from situok.exports import get_exporter
from situok.permissions import require_perm

from .models import OrgUnit
from .selectors import employee_for_user

FORMAT_LABELS = {"xlsx": "Excel", "csv": "CSV", "pdf": "PDF"}
FORMAT_ICONS = {"xlsx": "file-earmark-excel", "csv": "filetype-csv", "pdf": "file-earmark-pdf"}


class UnitChoiceField(forms.ModelChoiceField):
    """Units in tree order, indented by depth so the hierarchy shows in a plain ``<select>``."""

    def label_from_instance(self, obj: OrgUnit) -> str:
        depth = max(obj.path.count("/") - 2, 0)
        return "\u00a0\u00a0\u00a0" * depth + obj.name


class ReportFilterForm(forms.Form):
    unit = UnitChoiceField(
        queryset=OrgUnit.objects.order_by("path").only("pk", "name", "path"),
        required=False,
        label=_("Unit (termasuk sub-unit)"),
        empty_label=_("Semua unit"),
    )
    on = forms.DateField(
        required=False,
        label=_("Keadaan per tanggal"),
        help_text=_("Untuk DUK dan pengingat; kosongkan untuk hari ini."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


@dataclass(frozen=True)
class Download:
    fmt: str
    label: str
    icon: str
    url: str


@dataclass(frozen=True)
class Report:
    identifier: str
    title: str
    description: str
    downloads: tuple[Download, ...]


# identifier → (description, query parameters it takes from the page form)
REPORTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "staff-duk",
        _("Daftar Urut Kepangkatan PNS menurut PP 15/1979, lengkap dengan tanda tangan kepala unit."),
        ("unit", "on"),
    ),
    ("staff-list", _("Daftar pegawai unit beserta sub-unitnya. Data pribadi disamarkan."), ("unit",)),
    (
        "staff-recap",
        _("Rekapitulasi pegawai aktif menurut golongan, jenis pegawai, jenis kelamin, pendidikan dan unit."),
        ("unit",),
    ),
    (
        "staff-reminders",
        _(
            "Pensiun dalam 12 bulan, KGB dan kenaikan pangkat dalam 3 bulan, serta kontrak yang berakhir "
            "dalam 3 bulan."
        ),
        ("unit", "on"),
    ),
)


def _downloads(identifier: str, formats: tuple[str, ...], params: dict[str, str]) -> tuple[Download, ...]:
    query = urlencode({k: v for k, v in params.items() if v})
    result = []
    for fmt in formats:
        url = reverse("export_download", args=[identifier, fmt])
        result.append(
            Download(
                fmt,
                FORMAT_LABELS.get(fmt, fmt.upper()),
                FORMAT_ICONS.get(fmt, "download"),
                f"{url}?{query}" if query else url,
            )
        )
    return tuple(result)


@require_perm("staff.view_employee")
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    params: dict[str, str] = {}
    if form.is_bound and form.is_valid():
        unit, on = form.cleaned_data["unit"], form.cleaned_data["on"]
        params = {"unit": str(unit.pk) if unit else "", "on": on.isoformat() if on else ""}
    report_list = []
    for identifier, description, keys in REPORTS:
        exporter = get_exporter(identifier)
        if not exporter.available_for(request.user):
            continue
        wanted = {k: params.get(k, "") for k in keys}
        report_list.append(
            Report(
                identifier,
                str(exporter.verbose_name),
                str(description),
                _downloads(identifier, exporter.formats, wanted),
            )
        )
    own_drh = None
    if employee_for_user(request.user) is not None:
        own_drh = reverse("export_download", args=["staff-drh", "pdf"])
    context = {"form": form, "reports": report_list, "own_drh": own_drh}
    return render(request, "staff/reports.html", context)


urlpatterns = [path("laporan/", reports, name="reports")]
