"""Organisation and employees — the minimal core every module hangs off.

The staff-records issue extends these (positions, ranks, histories, documents); the fields here are
the ones the foundation needs: who a user is, in which unit, and who supervises them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

nip_validator = RegexValidator(r"^\d{18}$", _("NIP harus terdiri atas 18 digit angka."))
nik_validator = RegexValidator(r"^\d{16}$", _("NIK harus terdiri atas 16 digit angka."))


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        SETDA = "setda", _("Sekretariat Daerah")
        BIRO = "biro", _("Biro")
        BAGIAN = "bagian", _("Bagian")
        SUBBAGIAN = "subbagian", _("Subbagian")
        KJF = "kjf", _("Kelompok Jabatan Fungsional")

    code = models.CharField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama unit"), max_length=150)
    abbreviation = models.CharField(
        _("singkatan"), max_length=40, help_text=_("Dipakai dalam nomor dokumen, misalnya Biro Umum.")
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("unit induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path ("/1/4/9/") so "this unit and every sub-unit" is one indexed prefix filter.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    head = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("kepala unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_units",
    )

    class Meta:
        verbose_name = _("unit organisasi")
        verbose_name_plural = _("unit organisasi")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    class Type(models.TextChoices):
        PNS = "PNS", _("PNS")
        CPNS = "CPNS", _("CPNS")
        PPPK = "PPPK", _("PPPK")
        PPPK_PARUH_WAKTU = "PPPK_PARUH_WAKTU", _("PPPK Paruh Waktu")
        NON_ASN = "NON_ASN", _("Non-ASN")
        ALIH_DAYA = "ALIH_DAYA", _("Tenaga Alih Daya")

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    ASN_TYPES = (Type.PNS, Type.CPNS, Type.PPPK, Type.PPPK_PARUH_WAKTU)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )
    nip = models.CharField(
        _("NIP / NI PPPK"), max_length=18, null=True, blank=True, unique=True, validators=[nip_validator]
    )
    nik = models.CharField(_("NIK"), max_length=16, blank=True, validators=[nik_validator])
    internal_number = models.CharField(_("nomor internal"), max_length=20, null=True, blank=True, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    front_title = models.CharField(_("gelar depan"), max_length=30, blank=True)
    back_title = models.CharField(_("gelar belakang"), max_length=60, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    employee_type = models.CharField(_("jenis pegawai"), max_length=20, choices=Type.choices)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="members"
    )
    position_title = models.CharField(_("jabatan"), max_length=150, blank=True)
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("atasan langsung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subordinates",
        help_text=_("Kosongkan untuk memakai kepala unit."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        ordering = ["name"]
        permissions = [("view_personal_data", "Can view personal data of employees")]
        indexes = [models.Index(fields=["unit", "name"], name="employee_unit_name_idx")]

    def __str__(self) -> str:
        return self.name_with_titles

    @property
    def name_with_titles(self) -> str:
        name = f"{self.front_title} {self.name}".strip() if self.front_title else self.name
        return f"{name}, {self.back_title}" if self.back_title else name

    @property
    def is_asn(self) -> bool:
        return self.employee_type in self.ASN_TYPES
