"""Organisation, employees (ASN and non-ASN), positions, histories, documents, correction requests.

Derived values (age, masa kerja, retirement, KGB, promotion) are computed by ``staff.rules``; the
identifiers' structure (NIP, NI PPPK, NIK) by ``staff.identifiers``. Every write goes through
``staff.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from situok.uploads import UploadValidator, upload_to

nip_validator = RegexValidator(r"^\d{18}$", _("NIP harus terdiri atas 18 digit angka."))
nik_validator = RegexValidator(r"^\d{16}$", _("NIK harus terdiri atas 16 digit angka."))

GOLONGAN_PNS_CHOICES = [
    (g, g)
    for g in (
        "I/a", "I/b", "I/c", "I/d", "II/a", "II/b", "II/c", "II/d",
        "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c", "IV/d", "IV/e",
    )
]  # fmt: skip
GOLONGAN_PPPK_CHOICES = [
    (g, g)
    for g in (
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
        "IX",
        "X",
        "XI",
        "XII",
        "XIII",
        "XIV",
        "XV",
        "XVI",
        "XVII",
    )
]


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
    head_position = models.ForeignKey(
        "staff.Position",
        verbose_name=_("jabatan kepala unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    head = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("kepala unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_units",
        help_text=_("Pejabat definitif atau Plt./Plh. yang memimpin unit."),
    )

    class Meta:
        verbose_name = _("unit organisasi")
        verbose_name_plural = _("unit organisasi")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    class Kind(models.TextChoices):
        JPT = "JPT", _("Jabatan Pimpinan Tinggi")
        ADMINISTRATOR = "ADMINISTRATOR", _("Administrator")
        PENGAWAS = "PENGAWAS", _("Pengawas")
        FUNGSIONAL = "FUNGSIONAL", _("Fungsional")
        PELAKSANA = "PELAKSANA", _("Pelaksana")

    class Level(models.TextChoices):
        PEMULA = "pemula", _("Pemula")
        TERAMPIL = "terampil", _("Terampil")
        MAHIR = "mahir", _("Mahir")
        PENYELIA = "penyelia", _("Penyelia")
        AHLI_PERTAMA = "ahli_pertama", _("Ahli Pertama")
        AHLI_MUDA = "ahli_muda", _("Ahli Muda")
        AHLI_MADYA = "ahli_madya", _("Ahli Madya")
        AHLI_UTAMA = "ahli_utama", _("Ahli Utama")

    class Eselon(models.TextChoices):
        I_A = "I.a", "I.a"
        I_B = "I.b", "I.b"
        II_A = "II.a", "II.a"
        II_B = "II.b", "II.b"
        III_A = "III.a", "III.a"
        III_B = "III.b", "III.b"
        IV_A = "IV.a", "IV.a"
        IV_B = "IV.b", "IV.b"

    name = models.CharField(_("nama jabatan"), max_length=150)
    kind = models.CharField(_("jenis jabatan"), max_length=15, choices=Kind.choices)
    functional_level = models.CharField(
        _("jenjang fungsional"), max_length=15, choices=Level.choices, blank=True
    )
    eselon = models.CharField(_("eselon"), max_length=5, choices=Eselon.choices, blank=True)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="positions"
    )
    bup = models.PositiveSmallIntegerField(
        _("batas usia pensiun"), help_text=_("Tahun; diisi otomatis dari jenis dan jenjang jabatan.")
    )

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        ordering = ["unit__path", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="position_unique_in_unit")]

    def __str__(self) -> str:
        return self.name


def name_with_titles(front_title: str, name: str, back_title: str) -> str:
    """``Dr. I Wayan Eka, S.E.``: the name with its academic titles (``Employee.name_with_titles``; list
    pages that read plain values call this)."""
    name = f"{front_title} {name}".strip() if front_title else name
    return f"{name}, {back_title}" if back_title else name


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

    class Religion(models.TextChoices):
        HINDU = "hindu", _("Hindu")
        ISLAM = "islam", _("Islam")
        PROTESTAN = "protestan", _("Kristen Protestan")
        KATOLIK = "katolik", _("Katolik")
        BUDDHA = "buddha", _("Buddha")
        KHONGHUCU = "khonghucu", _("Khonghucu")
        KEPERCAYAAN = "kepercayaan", _("Kepercayaan terhadap Tuhan YME")

    class Education(models.TextChoices):
        SD = "SD", "SD"
        SMP = "SMP", "SMP"
        SMA = "SMA", _("SMA/SMK")
        D1 = "D1", "D-I"
        D2 = "D2", "D-II"
        D3 = "D3", "D-III"
        D4 = "D4", "D-IV"
        S1 = "S1", "S-1"
        S2 = "S2", "S-2"
        S3 = "S3", "S-3"

    class Status(models.TextChoices):
        AKTIF = "aktif", _("Aktif")
        CLTN = "cltn", _("Cuti di luar tanggungan negara")
        TUGAS_BELAJAR = "tugas_belajar", _("Tugas belajar")
        PINDAH = "pindah", _("Pindah")
        PENSIUN = "pensiun", _("Pensiun")
        MENINGGAL = "meninggal", _("Meninggal dunia")
        BERHENTI = "berhenti", _("Berhenti")

    ASN_TYPES = (Type.PNS, Type.CPNS, Type.PPPK, Type.PPPK_PARUH_WAKTU)
    PNS_TYPES = (Type.PNS, Type.CPNS)
    PPPK_TYPES = (Type.PPPK, Type.PPPK_PARUH_WAKTU)
    PERSONAL_FIELDS = (
        "nik",
        "birth_date",
        "birth_place",
        "address",
        "phone",
        "npwp",
        "bank_name",
        "bank_account",
    )

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
    birth_place = models.CharField(_("tempat lahir"), max_length=80, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    religion = models.CharField(_("agama"), max_length=12, choices=Religion.choices, blank=True)
    employee_type = models.CharField(_("jenis pegawai"), max_length=20, choices=Type.choices)
    golongan = models.CharField(_("golongan/ruang"), max_length=5, choices=GOLONGAN_PNS_CHOICES, blank=True)
    pppk_golongan = models.CharField(
        _("golongan PPPK"), max_length=5, choices=GOLONGAN_PPPK_CHOICES, blank=True
    )
    tmt_golongan = models.DateField(_("TMT pangkat/golongan"), null=True, blank=True)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="members"
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("jabatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holders",
    )
    tmt_jabatan = models.DateField(_("TMT jabatan"), null=True, blank=True)
    tmt_cpns = models.DateField(_("TMT CPNS"), null=True, blank=True)
    tmt_pns = models.DateField(_("TMT PNS"), null=True, blank=True)
    tmt_kgb = models.DateField(_("TMT KGB terakhir"), null=True, blank=True)
    contract_start = models.DateField(_("awal kontrak"), null=True, blank=True)
    contract_end = models.DateField(_("akhir kontrak"), null=True, blank=True)
    education_level = models.CharField(
        _("pendidikan terakhir"), max_length=3, choices=Education.choices, blank=True
    )
    education_major = models.CharField(_("jurusan"), max_length=120, blank=True)
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("atasan langsung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subordinates",
        help_text=_("Kosongkan untuk memakai kepala unit."),
    )
    phone = models.CharField(_("nomor telepon"), max_length=20, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    address = models.TextField(_("alamat"), blank=True)
    npwp = models.CharField(_("NPWP"), max_length=20, blank=True)
    bank_name = models.CharField(_("nama bank"), max_length=60, blank=True)
    bank_account = models.CharField(_("nomor rekening"), max_length=30, blank=True)
    photo = models.FileField(
        _("foto"),
        upload_to=upload_to("staff/photos"),
        blank=True,
        validators=[UploadValidator(kinds=("jpeg", "png"), max_bytes=2 * 1024 * 1024)],
    )
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.AKTIF)
    status_date = models.DateField(_("tanggal status"), null=True, blank=True)
    is_driver = models.BooleanField(_("pengemudi"), default=False)
    driver_licence_expiry = models.DateField(_("masa berlaku SIM"), null=True, blank=True)

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        ordering = ["name", "id"]
        permissions = [("view_personal_data", "Can view personal data of employees")]
        indexes = [
            models.Index(fields=["unit", "name"], name="employee_unit_name_idx"),
            models.Index(fields=["name", "id"], name="employee_name_idx"),
            models.Index(fields=["status", "employee_type"], name="employee_status_type_idx"),
            models.Index(fields=["golongan"], name="employee_golongan_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employee_type__in=["PNS", "CPNS"]) | models.Q(golongan=""),
                name="employee_golongan_only_pns",
            ),
            models.CheckConstraint(
                condition=models.Q(employee_type__in=["PPPK", "PPPK_PARUH_WAKTU"])
                | models.Q(pppk_golongan=""),
                name="employee_pppk_golongan_only_pppk",
            ),
        ]

    def __str__(self) -> str:
        return self.name_with_titles

    @property
    def name_with_titles(self) -> str:
        return name_with_titles(self.front_title, self.name, self.back_title)

    @property
    def is_asn(self) -> bool:
        return self.employee_type in self.ASN_TYPES

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.AKTIF

    @property
    def position_title(self) -> str:
        return self.position.name if self.position_id else ""


class HistoryBase(models.Model):
    employee = models.ForeignKey(Employee, verbose_name=_("pegawai"), on_delete=models.CASCADE)
    sk_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    sk_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class RankHistory(HistoryBase):
    golongan = models.CharField(_("golongan/ruang"), max_length=5, choices=GOLONGAN_PNS_CHOICES, blank=True)
    pppk_golongan = models.CharField(
        _("golongan PPPK"), max_length=5, choices=GOLONGAN_PPPK_CHOICES, blank=True
    )
    tmt = models.DateField(_("TMT"))

    class Meta:
        verbose_name = _("riwayat pangkat")
        verbose_name_plural = _("riwayat pangkat")
        ordering = ["employee", "-tmt"]
        default_related_name = "rank_history"

    def __str__(self) -> str:
        return f"{self.golongan or self.pppk_golongan} ({self.tmt:%d-%m-%Y})"


class PositionHistory(HistoryBase):
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position_name = models.CharField(_("nama jabatan"), max_length=150)
    unit_name = models.CharField(_("unit kerja"), max_length=150)
    tmt = models.DateField(_("TMT"))

    class Meta:
        verbose_name = _("riwayat jabatan")
        verbose_name_plural = _("riwayat jabatan")
        ordering = ["employee", "-tmt"]
        default_related_name = "position_history"

    def __str__(self) -> str:
        return f"{self.position_name} ({self.tmt:%d-%m-%Y})"


class EducationHistory(HistoryBase):
    level = models.CharField(_("jenjang"), max_length=3, choices=Employee.Education.choices)
    major = models.CharField(_("jurusan"), max_length=120, blank=True)
    institution = models.CharField(_("nama sekolah/perguruan tinggi"), max_length=150)
    graduation_year = models.PositiveSmallIntegerField(_("tahun lulus"))

    class Meta:
        verbose_name = _("riwayat pendidikan")
        verbose_name_plural = _("riwayat pendidikan")
        ordering = ["employee", "-graduation_year"]
        default_related_name = "education_history"

    def __str__(self) -> str:
        return f"{self.level} {self.institution} ({self.graduation_year})"


class KgbHistory(HistoryBase):
    tmt = models.DateField(_("TMT KGB"))
    salary = models.DecimalField(_("gaji pokok baru"), max_digits=15, decimal_places=2, null=True, blank=True)
    masa_kerja_years = models.PositiveSmallIntegerField(
        _("masa kerja golongan (tahun)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("riwayat KGB")
        verbose_name_plural = _("riwayat KGB")
        ordering = ["employee", "-tmt"]
        default_related_name = "kgb_history"

    def __str__(self) -> str:
        return f"KGB {self.tmt:%d-%m-%Y}"


class StaffDocument(models.Model):
    class Kind(models.TextChoices):
        SK_CPNS = "sk_cpns", _("SK CPNS")
        SK_PNS = "sk_pns", _("SK PNS")
        SK_PPPK = "sk_pppk", _("Perjanjian kerja PPPK")
        SK_PANGKAT = "sk_pangkat", _("SK kenaikan pangkat")
        SK_JABATAN = "sk_jabatan", _("SK jabatan")
        SK_KGB = "sk_kgb", _("Surat pemberitahuan KGB")
        IJAZAH = "ijazah", _("Ijazah")
        LAINNYA = "lainnya", _("Lainnya")

    employee = models.ForeignKey(
        Employee, verbose_name=_("pegawai"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("jenis dokumen"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("nomor"), max_length=100, blank=True)
    date = models.DateField(_("tanggal"), null=True, blank=True)
    issuer = models.CharField(_("pejabat penerbit"), max_length=150, blank=True)
    file = models.FileField(_("berkas"), upload_to=upload_to("staff/documents"))
    original_name = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dokumen kepegawaian")
        verbose_name_plural = _("dokumen kepegawaian")
        ordering = ["employee", "-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()


class CorrectionRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        RETURNED = "returned", _("Dikembalikan")
        APPROVED = "approved", _("Disetujui")
        REJECTED = "rejected", _("Ditolak")
        CANCELLED = "cancelled", _("Dibatalkan")

    employee = models.ForeignKey(
        Employee, verbose_name=_("pegawai"), on_delete=models.CASCADE, related_name="correction_requests"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changes = models.JSONField(_("perubahan yang diminta"), default=dict)
    note = models.TextField(_("keterangan"), blank=True)
    attachment = models.FileField(_("lampiran"), upload_to=upload_to("staff/corrections"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("catatan keputusan"), blank=True)

    class Meta:
        verbose_name = _("permohonan perbaikan data")
        verbose_name_plural = _("permohonan perbaikan data")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="correction_status_idx")]

    def __str__(self) -> str:
        return f"{self.employee} ({self.get_status_display()})"
