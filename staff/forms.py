from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .identifiers import normalize_identifier
from .models import (
    GOLONGAN_PNS_CHOICES,
    GOLONGAN_PPPK_CHOICES,
    Employee,
    Position,
    StaffDocument,
)
from .services import CORRECTABLE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EmployeeForm(forms.ModelForm):
    class Meta:
        model = Employee
        fields = [
            "employee_type", "nip", "nik", "internal_number", "front_title", "name", "back_title", "sex",
            "birth_place", "birth_date", "religion", "unit", "position", "supervisor", "golongan",
            "pppk_golongan", "tmt_golongan", "tmt_jabatan", "tmt_cpns", "tmt_pns", "tmt_kgb",
            "contract_start", "contract_end", "education_level", "education_major", "phone", "email",
            "address", "npwp", "bank_name", "bank_account", "status", "status_date", "is_driver",
            "driver_licence_expiry", "user",
        ]  # fmt: skip
        widgets = {
            name: DateInput()
            for name in (
                "birth_date", "tmt_golongan", "tmt_jabatan", "tmt_cpns", "tmt_pns", "tmt_kgb",
                "contract_start", "contract_end", "status_date", "driver_licence_expiry",
            )
        }  # fmt: skip
        widgets["address"] = forms.Textarea(attrs={"rows": 2})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = Position.objects.select_related("unit").order_by(
            "unit__path", "name"
        )
        self.fields["supervisor"].queryset = Employee.objects.filter(status=Employee.Status.AKTIF).only(
            "name"
        )
        self.fields["nip"].help_text = _("18 digit, boleh dengan spasi: 19860926 201505 1 001.")
        # Officials type NIPs grouped with spaces; accept that before the length check.
        for name in ("nip", "nik"):
            self.fields[name].max_length = None
            self.fields[name].validators = []
            self.fields[name].widget.attrs.pop("maxlength", None)

    def clean_nip(self):
        return normalize_identifier(self.cleaned_data["nip"] or "") or None

    def clean_nik(self):
        return normalize_identifier(self.cleaned_data["nik"] or "")


class RankForm(forms.Form):
    golongan = forms.ChoiceField(
        label=_("Golongan/ruang"), choices=[("", "—"), *GOLONGAN_PNS_CHOICES], required=False
    )
    pppk_golongan = forms.ChoiceField(
        label=_("Golongan PPPK"), choices=[("", "—"), *GOLONGAN_PPPK_CHOICES], required=False
    )
    tmt = forms.DateField(label=_("TMT"), widget=DateInput())
    sk_number = forms.CharField(label=_("Nomor SK"), max_length=100, required=False)
    sk_date = forms.DateField(label=_("Tanggal SK"), widget=DateInput(), required=False)


class PositionForm(forms.Form):
    position = forms.ModelChoiceField(
        label=_("Jabatan"), queryset=Position.objects.select_related("unit").order_by("unit__path", "name")
    )
    tmt = forms.DateField(label=_("TMT"), widget=DateInput())
    sk_number = forms.CharField(label=_("Nomor SK"), max_length=100, required=False)
    sk_date = forms.DateField(label=_("Tanggal SK"), widget=DateInput(), required=False)


class EducationForm(forms.Form):
    level = forms.ChoiceField(label=_("Jenjang"), choices=Employee.Education.choices)
    institution = forms.CharField(label=_("Nama sekolah/perguruan tinggi"), max_length=150)
    major = forms.CharField(label=_("Jurusan"), max_length=120, required=False)
    graduation_year = forms.IntegerField(label=_("Tahun lulus"), min_value=1950, max_value=2100)


class KgbForm(forms.Form):
    tmt = forms.DateField(label=_("TMT KGB"), widget=DateInput())
    salary = forms.DecimalField(
        label=_("Gaji pokok baru (Rp)"), max_digits=15, decimal_places=2, required=False
    )
    masa_kerja_years = forms.IntegerField(label=_("Masa kerja golongan (tahun)"), min_value=0, required=False)
    sk_number = forms.CharField(label=_("Nomor surat"), max_length=100, required=False)
    sk_date = forms.DateField(label=_("Tanggal surat"), widget=DateInput(), required=False)


HISTORY_FORMS = {"pangkat": RankForm, "jabatan": PositionForm, "pendidikan": EducationForm, "kgb": KgbForm}


class DocumentForm(forms.ModelForm):
    upload = forms.FileField(label=_("Berkas PDF"), help_text=_("Hanya PDF, paling besar 10 MB."))

    class Meta:
        model = StaffDocument
        fields = ["kind", "number", "date", "issuer"]
        widgets = {"date": DateInput()}


class CorrectionForm(forms.ModelForm):
    """The fields an employee may ask to correct, pre-filled with the current values."""

    attachment = forms.FileField(
        label=_("Bukti pendukung"),
        required=False,
        help_text=_("PDF, JPEG atau PNG, misalnya KTP atau ijazah."),
    )

    class Meta:
        model = Employee
        fields = list(CORRECTABLE_FIELDS)
        widgets = {"birth_date": DateInput(), "address": forms.Textarea(attrs={"rows": 2})}

    note = forms.CharField(label=_("Keterangan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def changes(self) -> dict:
        return {f: self.cleaned_data[f] for f in CORRECTABLE_FIELDS if f in self.changed_data}
