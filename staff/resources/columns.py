"""EmployeeResource: the columns of the employee spreadsheet (header, attribute, widget), declared once."""

from __future__ import annotations

from import_export import fields, resources, widgets

from ..models import Employee
from .cells import (
    ChoiceWidget,
    DateWidget,
    EmailWidget,
    GolonganWidget,
    IdentifierWidget,
    PositionWidget,
    PppkGolonganWidget,
    TextWidget,
    UnitWidget,
)

# --- The resource ---------------------------------------------------------------------------------
SEX = ChoiceWidget(Employee.Sex.choices, aliases={"pria": "L", "wanita": "P", "1": "L", "2": "P"})
RELIGION = ChoiceWidget(
    Employee.Religion.choices, aliases={"kristen": "protestan", "konghucu": "khonghucu", "budha": "buddha"}
)
EMPLOYEE_TYPE = ChoiceWidget(
    Employee.Type.choices,
    aliases={
        "honorer": "NON_ASN",
        "nonasn": "NON_ASN",
        "PPPKPW": "PPPK_PARUH_WAKTU",
        "alihdaya": "ALIH_DAYA",
    },
)
EDUCATION = ChoiceWidget(
    Employee.Education.choices,
    aliases={
        "SMK": "SMA", "SLTA": "SMA", "SMU": "SMA", "MA": "SMA", "SLTP": "SMP", "MTs": "SMP",
        "DI": "D1", "DII": "D2", "DIII": "D3", "DIV": "D4", "SI": "S1", "SII": "S2", "SIII": "S3",
    },
)  # fmt: skip
STATUS = ChoiceWidget(Employee.Status.choices)


def _field(attribute: str, column: str, widget: widgets.Widget) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=widget)


def _max(name: str) -> int | None:
    return Employee._meta.get_field(name).max_length


class EmployeeResource(resources.ModelResource):
    """The employee columns, in template order (see the module docstring)."""

    nip = _field("nip", "NIP", IdentifierWidget("NIP"))
    nik = _field("nik", "NIK", IdentifierWidget("NIK"))
    name = _field("name", "Nama", TextWidget(_max("name")))
    front_title = _field("front_title", "Gelar Depan", TextWidget(_max("front_title")))
    back_title = _field("back_title", "Gelar Belakang", TextWidget(_max("back_title")))
    sex = _field("sex", "Jenis Kelamin (L/P)", SEX)
    birth_place = _field("birth_place", "Tempat Lahir", TextWidget(_max("birth_place")))
    birth_date = _field("birth_date", "Tanggal Lahir (DD-MM-YYYY)", DateWidget())
    religion = _field("religion", "Agama", RELIGION)
    employee_type = _field("employee_type", "Jenis Pegawai", EMPLOYEE_TYPE)
    golongan = _field("golongan", "Golongan", GolonganWidget())
    pppk_golongan = _field("pppk_golongan", "Golongan PPPK", PppkGolonganWidget())
    tmt_golongan = _field("tmt_golongan", "TMT Golongan", DateWidget())
    unit = _field("unit", "Kode Unit", UnitWidget())
    position = _field("position", "Jabatan", PositionWidget())
    tmt_jabatan = _field("tmt_jabatan", "TMT Jabatan", DateWidget())
    tmt_cpns = _field("tmt_cpns", "TMT CPNS", DateWidget())
    education_level = _field("education_level", "Pendidikan", EDUCATION)
    education_major = _field("education_major", "Jurusan", TextWidget(_max("education_major")))
    phone = _field("phone", "Telepon", TextWidget(_max("phone"), phone=True))
    email = _field("email", "Surel", EmailWidget(_max("email")))
    address = _field("address", "Alamat", TextWidget(1000, multiline=True))
    npwp = _field("npwp", "NPWP", TextWidget(_max("npwp")))
    bank_name = _field("bank_name", "Bank", TextWidget(_max("bank_name")))
    bank_account = _field("bank_account", "No. Rekening", TextWidget(_max("bank_account")))
    status = _field("status", "Status", STATUS)
    internal_number = _field("internal_number", "Nomor Internal", TextWidget(_max("internal_number")))

    class Meta:
        model = Employee
        fields = (
            "nip", "nik", "name", "front_title", "back_title", "sex", "birth_place", "birth_date",
            "religion", "employee_type", "golongan", "pppk_golongan", "tmt_golongan", "unit", "position",
            "tmt_jabatan", "tmt_cpns", "education_level", "education_major", "phone", "email", "address",
            "npwp", "bank_name", "bank_account", "status", "internal_number",
        )  # fmt: skip
        export_order = fields
        # Documentation only: ASN rows are matched by NIP, non-ASN rows by NIK — see staff.imports.
        import_id_fields = ("nip",)

    def get_queryset(self):
        return Employee.objects.select_related("unit", "position").order_by("name", "id")

    def import_data(self, *args, **kwargs):
        raise NotImplementedError("Import employees with staff.imports.import_dry_run / import_commit.")

    @classmethod
    def columns(cls) -> list[tuple[str, fields.Field]]:
        """``(field name, field)`` in template order."""
        declared = cls.fields
        return [(name, declared[name]) for name in cls._meta.fields]


def column_labels() -> dict[str, str]:
    """``{field name: header}``."""
    return {name: field.column_name for name, field in EmployeeResource.columns()}


def widget_for(name: str) -> widgets.Widget:
    return EmployeeResource.fields[name].widget
