"""Official travel (perjalanan dinas): budget lines, SPT (``Trip``), members, SPPD and the rate tables.

Rates are data with a validity period and a legal basis (domain.md §2.6); an approved SPPD keeps a
snapshot of the tier, rates and totals it was computed with, so editing the tables never changes it.
Lookups live in ``travel.rates``, cost arithmetic in ``travel.costs``; writes go through services.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from situok.regions import Region
from situok.uploads import upload_to

MONEY = {"max_digits": 15, "decimal_places": 2}

DEFAULT_ORIGIN_CODE = "51.71"  # Kota Denpasar, seat of the Pemprov Bali


def default_origin() -> str | None:
    """Denpasar when the region table is loaded; ``None`` otherwise (so a fresh DB still works)."""
    return DEFAULT_ORIGIN_CODE if Region.objects.filter(code=DEFAULT_ORIGIN_CODE).exists() else None


class TravelType(models.TextChoices):
    LUAR_KOTA = "luar_kota", _("Dalam daerah luar kota")
    LUAR_DAERAH = "luar_daerah", _("Luar daerah")
    DALAM_KOTA_LEBIH_8_JAM = "dalam_kota_lebih_8_jam", _("Dalam kota lebih dari 8 jam")
    DALAM_KOTA_SAMPAI_8_JAM = "dalam_kota_sampai_8_jam", _("Dalam kota sampai dengan 8 jam")
    DIKLAT = "diklat", _("Diklat")


class CostTier(models.TextChoices):
    A = "A", _("Tingkat A")
    B = "B", _("Tingkat B")
    C = "C", _("Tingkat C")
    D = "D", _("Tingkat D")
    E = "E", _("Tingkat E")
    F = "F", _("Tingkat F")


class BudgetLine(models.Model):
    """A DPA line the trip is charged to (*pembebanan anggaran*, SPPD item 9)."""

    year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    kode_rekening = models.CharField(
        _("kode rekening"), max_length=40, help_text=_("Misalnya 5.1.02.04.01.0001.")
    )
    name = models.CharField(_("uraian rekening"), max_length=255)
    sub_activity_code = models.CharField(_("kode sub kegiatan"), max_length=40, blank=True)
    sub_activity_name = models.CharField(_("nama sub kegiatan"), max_length=255, blank=True)
    ceiling = models.DecimalField(_("pagu"), **MONEY, default=0)

    class Meta:
        verbose_name = _("mata anggaran")
        verbose_name_plural = _("mata anggaran")
        ordering = ["-year", "sub_activity_code", "kode_rekening"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sub_activity_code", "kode_rekening"], name="travel_budgetline_unique"
            ),
            models.CheckConstraint(condition=Q(ceiling__gte=0), name="travel_budgetline_ceiling_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.kode_rekening} {self.name} ({self.year})"


class Trip(models.Model):
    """The SPT / Surat Tugas: one assignment, one or more members, one SPPD per member."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        APPROVED = "approved", _("Disetujui")
        NUMBERED = "numbered", _("Bernomor")
        TRAVELLING = "travelling", _("Sedang berangkat")
        RETURNED = "returned", _("Sudah kembali")
        REPORTED = "reported", _("Sudah dilaporkan")
        SETTLED = "settled", _("Selesai dipertanggungjawabkan")
        REJECTED = "rejected", _("Ditolak")
        RETURNED_FOR_REVISION = "returned_for_revision", _("Dikembalikan untuk perbaikan")
        CANCELLED = "cancelled", _("Dibatalkan")

    class Transport(models.TextChoices):
        KENDARAAN_DINAS = "kendaraan_dinas", _("Kendaraan dinas")
        KENDARAAN_UMUM = "kendaraan_umum", _("Kendaraan umum")
        PESAWAT = "pesawat", _("Pesawat udara")
        KAPAL = "kapal", _("Kapal laut")
        KERETA = "kereta", _("Kereta api")
        LAINNYA = "lainnya", _("Lainnya")

    class SignerPrefix(models.TextChoices):
        NONE = "", _("(tanpa)")
        AN = "a.n.", "a.n."
        UB = "u.b.", "u.b."
        PLT = "Plt.", "Plt."
        PLH = "Plh.", "Plh."

    unit = models.ForeignKey(
        "staff.OrgUnit", verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="trips"
    )
    dasar = models.JSONField(
        _("dasar"), default=list, blank=True, help_text=_("Daftar dasar penugasan, satu per baris.")
    )
    purpose = models.TextField(_("maksud perjalanan dinas"))
    travel_type = models.CharField(_("jenis perjalanan dinas"), max_length=30, choices=TravelType.choices)
    origin = models.ForeignKey(
        Region,
        verbose_name=_("tempat berangkat"),
        null=True,
        blank=True,
        default=default_origin,
        on_delete=models.PROTECT,
        related_name="+",
    )
    depart_date = models.DateField(_("tanggal berangkat"))
    return_date = models.DateField(_("tanggal kembali"))
    transport = models.CharField(
        _("alat angkutan"), max_length=20, choices=Transport.choices, default=Transport.KENDARAAN_DINAS
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("mata anggaran"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trips",
    )
    status = models.CharField(_("status"), max_length=25, choices=Status.choices, default=Status.DRAFT)
    spt_number = models.CharField(_("nomor SPT"), max_length=100, blank=True)
    spt_date = models.DateField(_("tanggal SPT"), null=True, blank=True)
    signer = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("penanda tangan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Snapshot of the signature block as printed (domain.md §2.2): the person may later move post.
    signer_prefix = models.CharField(
        _("awalan penanda tangan"), max_length=5, choices=SignerPrefix.choices, blank=True
    )
    signer_role = models.CharField(_("jabatan penanda tangan"), max_length=150, blank=True)
    signer_name = models.CharField(_("nama penanda tangan"), max_length=150, blank=True)
    signer_nip = models.CharField(_("NIP penanda tangan"), max_length=18, blank=True)
    signer_pangkat = models.CharField(_("pangkat penanda tangan"), max_length=60, blank=True)
    # SPPD item 1: the official who orders the trip (PPK / KPA), snapshot as printed.
    ppk = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("pejabat pembuat komitmen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ppk_role = models.CharField(_("jabatan PPK"), max_length=150, blank=True)
    ppk_name = models.CharField(_("nama PPK"), max_length=150, blank=True)
    ppk_nip = models.CharField(_("NIP PPK"), max_length=18, blank=True)
    issued_place = models.CharField(_("dikeluarkan di"), max_length=100, default="Denpasar")
    notes = models.TextField(_("keterangan lain-lain"), blank=True)
    report_due_date = models.DateField(_("batas laporan"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    cancel_reason = models.TextField(_("alasan pembatalan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    class Meta:
        permissions = [
            ("manage_trip", "Can manage every SPT and SPPD"),
            ("pay_trip", "Can pay and settle official travel"),
        ]
        verbose_name = _("surat perintah tugas")
        verbose_name_plural = _("surat perintah tugas")
        ordering = ["-depart_date", "-id"]
        indexes = [
            models.Index(fields=["status", "depart_date"], name="trip_status_depart_idx"),
            models.Index(fields=["depart_date", "id"], name="trip_depart_id_idx"),
            models.Index(fields=["unit", "depart_date"], name="trip_unit_depart_idx"),
            models.Index(fields=["budget_line", "depart_date"], name="trip_budget_depart_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(return_date__gte=F("depart_date")), name="trip_return_after_depart"
            ),
            models.UniqueConstraint(
                fields=["spt_number"], condition=~Q(spt_number=""), name="trip_spt_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.spt_number or _("SPT draf #%(id)s") % {"id": self.pk}

    @property
    def days(self) -> int:
        """*Lamanya perjalanan dinas*: the date range inclusive (a same-day trip is 1 day)."""
        return (self.return_date - self.depart_date).days + 1

    @property
    def nights(self) -> int:
        return max(self.days - 1, 0)

    def destination_province_code(self) -> str:
        """Province of the first destination with a region; the origin's province when there is none."""
        for dest in self.destinations.all():
            if dest.region_id:
                return dest.region_id[:2]
        return (self.origin_id or DEFAULT_ORIGIN_CODE)[:2]


class TripDestination(models.Model):
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="destinations")
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(
        _("tempat tujuan"), max_length=255, blank=True, help_text=_("Nama kantor/tempat yang dituju.")
    )

    class Meta:
        verbose_name = _("tempat tujuan")
        verbose_name_plural = _("tempat tujuan")
        ordering = ["trip", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False) | ~Q(place=""), name="tripdestination_region_or_place"
            )
        ]

    def __str__(self) -> str:
        return self.place or str(self.region)


class TripMember(models.Model):
    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="members")
    employee = models.ForeignKey(
        "staff.Employee", verbose_name=_("pegawai"), on_delete=models.PROTECT, related_name="trip_memberships"
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_lead = models.BooleanField(_("ketua rombongan"), default=False)

    class Meta:
        verbose_name = _("pelaksana perjalanan dinas")
        verbose_name_plural = _("pelaksana perjalanan dinas")
        ordering = ["trip", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["trip", "employee"], name="tripmember_unique_employee"),
            models.UniqueConstraint(fields=["trip"], condition=Q(is_lead=True), name="tripmember_one_lead"),
        ]

    def __str__(self) -> str:
        return str(self.employee)


class Sppd(models.Model):
    """One SPPD per member, with the tier, rates and totals frozen when it was computed."""

    member = models.OneToOneField(
        TripMember, verbose_name=_("pelaksana"), on_delete=models.CASCADE, related_name="sppd"
    )
    number = models.CharField(_("nomor SPPD"), max_length=100, blank=True)
    cost_tier = models.CharField(_("tingkat biaya perjalanan dinas"), max_length=1, choices=CostTier.choices)
    rates_on = models.DateField(_("tarif berlaku pada"))
    daily_rate = models.DecimalField(_("uang harian per hari"), **MONEY, default=0)
    representation_rate = models.DecimalField(_("uang representasi per hari"), **MONEY, default=0)
    lodging_ceiling = models.DecimalField(_("batas biaya penginapan per malam"), **MONEY, default=0)
    lump_sum_total = models.DecimalField(_("jumlah lumsum"), **MONEY, default=0)
    at_cost_total = models.DecimalField(_("jumlah sesuai biaya riil"), **MONEY, default=0)
    total = models.DecimalField(_("jumlah"), **MONEY, default=0)
    advance = models.DecimalField(_("uang muka"), **MONEY, default=0)
    cost_lines = models.JSONField(_("rincian biaya"), default=list, blank=True)
    no_hotel = models.BooleanField(
        _("tidak menggunakan hotel"),
        default=False,
        help_text=_("Penginapan dibayar lumsum 30% dari batas biaya penginapan bila aturan ini berlaku."),
    )
    actual_return_date = models.DateField(_("tiba kembali pada tanggal"), null=True, blank=True)
    paid_at = models.DateTimeField(_("dibayar pada"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    class Meta:
        verbose_name = _("SPPD")
        verbose_name_plural = _("SPPD")
        ordering = ["member__trip", "member__order"]
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="sppd_number_unique"),
            models.CheckConstraint(
                condition=Q(daily_rate__gte=0)
                & Q(representation_rate__gte=0)
                & Q(lodging_ceiling__gte=0)
                & Q(lump_sum_total__gte=0)
                & Q(at_cost_total__gte=0)
                & Q(total__gte=0)
                & Q(advance__gte=0),
                name="sppd_amounts_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return self.number or _("SPPD draf #%(id)s") % {"id": self.pk}


class RateBase(models.Model):
    """Validity period and legal basis shared by every rate table (see ``travel.rates.rate_on``)."""

    berlaku_mulai = models.DateField(_("berlaku mulai"))
    berlaku_sampai = models.DateField(_("berlaku sampai"), null=True, blank=True)
    dasar_hukum = models.CharField(_("dasar hukum"), max_length=255)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(berlaku_sampai__isnull=True) | Q(berlaku_sampai__gte=F("berlaku_mulai")),
                name="%(class)s_valid_period",
            ),
        ]

    def is_valid_on(self, on: dt.date) -> bool:
        return self.berlaku_mulai <= on and (self.berlaku_sampai is None or self.berlaku_sampai >= on)


class DailyAllowanceRate(RateBase):
    """*Uang harian* per day, by destination province and travel type (lump sum)."""

    province = models.ForeignKey(
        Region, verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="+"
    )
    travel_type = models.CharField(_("jenis perjalanan dinas"), max_length=30, choices=TravelType.choices)
    amount = models.DecimalField(_("besaran"), **MONEY)

    class Meta:
        verbose_name = _("tarif uang harian")
        verbose_name_plural = _("tarif uang harian")
        ordering = ["province", "travel_type", "-berlaku_mulai"]
        constraints = [
            *RateBase.Meta.constraints,
            models.CheckConstraint(condition=Q(amount__gte=0), name="dailyallowancerate_amount_gte_0"),
            models.UniqueConstraint(
                fields=["province", "travel_type", "berlaku_mulai"], name="dailyallowancerate_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.get_travel_type_display()} {self.amount}"


class LodgingCeiling(RateBase):
    """Hotel ceiling per night by destination province and cost tier (paid at cost up to it)."""

    province = models.ForeignKey(
        Region, verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="+"
    )
    cost_tier = models.CharField(_("tingkat biaya perjalanan dinas"), max_length=1, choices=CostTier.choices)
    amount = models.DecimalField(_("besaran"), **MONEY)

    class Meta:
        verbose_name = _("batas biaya penginapan")
        verbose_name_plural = _("batas biaya penginapan")
        ordering = ["province", "cost_tier", "-berlaku_mulai"]
        constraints = [
            *RateBase.Meta.constraints,
            models.CheckConstraint(condition=Q(amount__gte=0), name="lodgingceiling_amount_gte_0"),
            models.UniqueConstraint(
                fields=["province", "cost_tier", "berlaku_mulai"], name="lodgingceiling_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.cost_tier} {self.amount}"


class RepresentationRate(RateBase):
    """*Uang representasi* per day by cost tier and travel type; tiers without a row get none."""

    cost_tier = models.CharField(_("tingkat biaya perjalanan dinas"), max_length=1, choices=CostTier.choices)
    travel_type = models.CharField(_("jenis perjalanan dinas"), max_length=30, choices=TravelType.choices)
    amount = models.DecimalField(_("besaran"), **MONEY)

    class Meta:
        verbose_name = _("tarif uang representasi")
        verbose_name_plural = _("tarif uang representasi")
        ordering = ["cost_tier", "travel_type", "-berlaku_mulai"]
        constraints = [
            *RateBase.Meta.constraints,
            models.CheckConstraint(condition=Q(amount__gte=0), name="representationrate_amount_gte_0"),
            models.UniqueConstraint(
                fields=["cost_tier", "travel_type", "berlaku_mulai"], name="representationrate_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cost_tier} {self.get_travel_type_display()} {self.amount}"


class CostTierRule(RateBase):
    """Maps eselon / position kind / golongan to a cost tier; the lowest ``precedence`` matching wins.

    Admin-editable; ``travel.rates.seed_default_rates`` seeds the central PMK 113/2012 mapping as a
    default (jabatan/eselon rules before golongan rules) until the Bali Pergub table is confirmed.
    """

    class Criterion(models.TextChoices):
        ESELON = "eselon", _("Eselon (awalan)")
        POSITION_KIND = "position_kind", _("Jenis jabatan")
        GOLONGAN = "golongan", _("Golongan PNS (awalan)")
        PPPK_GOLONGAN = "pppk_golongan", _("Golongan PPPK")
        EMPLOYEE_TYPE = "employee_type", _("Jenis pegawai")

    criterion = models.CharField(_("kriteria"), max_length=15, choices=Criterion.choices)
    value = models.CharField(
        _("nilai"),
        max_length=30,
        help_text=_('Eselon dan golongan PNS dicocokkan sebagai awalan, misalnya "III." atau "IV/".'),
    )
    cost_tier = models.CharField(_("tingkat biaya perjalanan dinas"), max_length=1, choices=CostTier.choices)
    precedence = models.PositiveSmallIntegerField(
        _("urutan prioritas"), default=100, help_text=_("Angka kecil diperiksa lebih dahulu.")
    )

    class Meta:
        verbose_name = _("aturan tingkat biaya")
        verbose_name_plural = _("aturan tingkat biaya")
        ordering = ["precedence", "criterion", "value", "-berlaku_mulai"]
        constraints = [
            *RateBase.Meta.constraints,
            models.UniqueConstraint(
                fields=["criterion", "value", "berlaku_mulai"], name="costtierrule_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()} {self.value} → {self.cost_tier}"


# --- Workflow additions: attachments, visum stops, expenses, trip report ----------------------------
# (session 2) The SPT carries the PPK snapshot for SPPD item 1 and the place of issue; the per-member
# SPPD gets visum stops (back page) and expenses (at-cost items with or without receipts → DPR).

ATTACHMENT_KINDS = ("pdf", "jpeg", "png")


class TripAttachment(models.Model):
    """Files behind an SPT (invitation letter, disposition …), accepted through ``situok.uploads``."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("keterangan berkas"), max_length=200)
    file = models.FileField(_("berkas"), upload_to=upload_to("travel/attachments"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("lampiran SPT")
        verbose_name_plural = _("lampiran SPT")
        ordering = ["trip", "id"]

    def __str__(self) -> str:
        return self.title


class SppdStop(models.Model):
    """A visum block on the SPPD back page (II, III, IV …): where the traveller arrived and left.

    ``order`` 0 is block II. Dates are recorded by the traveller or the operator after the trip.
    """

    sppd = models.ForeignKey(Sppd, on_delete=models.CASCADE, related_name="stops")
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    place = models.CharField(_("tempat"), max_length=255)
    arrived_on = models.DateField(_("tiba pada tanggal"), null=True, blank=True)
    departed_on = models.DateField(_("berangkat pada tanggal"), null=True, blank=True)
    departed_to = models.CharField(_("berangkat ke"), max_length=255, blank=True)
    officer_name = models.CharField(_("nama pejabat yang mengesahkan"), max_length=150, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("dicatat pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("visum SPPD")
        verbose_name_plural = _("visum SPPD")
        ordering = ["sppd", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sppd", "order"], name="sppdstop_unique_order"),
            models.CheckConstraint(
                condition=Q(arrived_on__isnull=True)
                | Q(departed_on__isnull=True)
                | Q(departed_on__gte=F("arrived_on")),
                name="sppdstop_depart_after_arrive",
            ),
        ]

    def __str__(self) -> str:
        return self.place


class TripExpense(models.Model):
    """An at-cost item of one traveller's *rincian biaya*; without a receipt it goes on the DPR."""

    class Kind(models.TextChoices):
        TRANSPORT = "transport", _("Biaya transportasi")
        LODGING = "lodging", _("Biaya penginapan")
        VEHICLE_RENTAL = "vehicle_rental", _("Sewa kendaraan dalam kota")
        OTHER = "other", _("Biaya lain-lain")

    sppd = models.ForeignKey(Sppd, on_delete=models.CASCADE, related_name="expenses")
    kind = models.CharField(_("jenis biaya"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("uraian"), max_length=255)
    quantity = models.PositiveSmallIntegerField(_("volume"), default=1, help_text=_("Misalnya jumlah malam."))
    amount = models.DecimalField(_("jumlah"), **MONEY)
    has_receipt = models.BooleanField(_("ada bukti/kuitansi"), default=True)
    receipt = models.FileField(_("bukti pengeluaran"), upload_to=upload_to("travel/receipts"), blank=True)
    spent_on = models.DateField(_("tanggal"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("biaya riil")
        verbose_name_plural = _("biaya riil")
        ordering = ["sppd", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="tripexpense_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return self.description


class TripReport(models.Model):
    """*Laporan perjalanan dinas*, filed by the lead traveller after return, acknowledged by the supervisor."""

    trip = models.OneToOneField(Trip, on_delete=models.CASCADE, related_name="report")
    background = models.TextField(_("latar belakang"))
    activities = models.TextField(_("kegiatan yang dilaksanakan"))
    results = models.TextField(_("hasil yang dicapai"))
    follow_up = models.TextField(_("saran dan tindak lanjut"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(_("dilaporkan pada"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("diterima atasan pada"), null=True, blank=True)
    acknowledgement_note = models.TextField(_("catatan atasan"), blank=True)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    class Meta:
        verbose_name = _("laporan perjalanan dinas")
        verbose_name_plural = _("laporan perjalanan dinas")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return str(self.trip)


class TripReportFile(models.Model):
    """A photo (re-encoded without EXIF by ``situok.uploads``) or an attachment of a trip report."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Foto")
        ATTACHMENT = "attachment", _("Lampiran")

    report = models.ForeignKey(TripReport, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    caption = models.CharField(_("keterangan"), max_length=255, blank=True)
    file = models.FileField(_("berkas"), upload_to=upload_to("travel/reports"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("berkas laporan perjalanan dinas")
        verbose_name_plural = _("berkas laporan perjalanan dinas")
        ordering = ["report", "kind", "id"]

    def __str__(self) -> str:
        return self.caption or self.get_kind_display()
