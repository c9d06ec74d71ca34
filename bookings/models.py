"""Booking of rooms/halls and official vehicles (with drivers): resources, rules, requests, recurring
series, blackouts, history and the vehicle trip log.

One ``Resource`` table holds rooms and vehicles (``kind``) so there is ONE ``Booking`` table with a
resource FK: the no-double-booking constraint, the calendars and the reports all read one table.

No double booking (issue 6 item 3)
----------------------------------
A booking *holds its slot* when ``holds_slot`` is true — maintained by the services only:
approved/completed bookings, and pending ones when the resource holds pending requests
(``Resource.holds_pending``) or the booking was bumped in by the Operator (``priority``). The slot a
booking blocks is ``[start, block_end)`` with ``block_end = end + resource.buffer_minutes`` (frozen when
the booking is written): two bookings A and B are at least ``buffer`` apart exactly when
``[A.start, A.block_end)`` and ``[B.start, B.block_end)`` do not overlap, so one half-open range per row
encodes buffers and still allows back-to-back bookings when the buffer is 0.

* PostgreSQL: ``EXCLUDE USING gist (resource_id WITH =, tstzrange(start, block_end, '[)') WITH &&)
  WHERE (holds_slot)`` and the same for ``driver_id`` on ``[start, end)`` (migration 0002, created only on
  PostgreSQL; btree_gist). The services take a per-resource row lock first, so the constraint is the
  last line of defence rather than the arbiter (without the lock it alone produces deadlock storms).
* SQLite: writers are serialised (``transaction_mode=IMMEDIATE``) and the services' overlap query
  decides.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from situok.uploads import upload_to

MONEY = {"max_digits": 15, "decimal_places": 2}

PLATE_RE = re.compile(r"^DK \d{1,4}( [A-Z]{1,3})?$")


def normalise_plate(value: str) -> str:
    """``"dk1234xy"`` / ``"DK  1234 XY"`` → ``"DK 1234 XY"`` (Bali plates start with DK)."""
    text = re.sub(r"\s+", "", (value or "").upper())
    m = re.match(r"^([A-Z]{1,2})(\d{1,4})([A-Z]{0,3})$", text)
    if not m:
        return " ".join((value or "").upper().split())
    return " ".join(p for p in m.groups() if p)


def validate_plate(value: str) -> None:
    if not PLATE_RE.match(value or ""):
        raise ValidationError(
            _("Nomor polisi harus berformat DK 1234 XY (awalan DK, 1–4 angka, 0–3 huruf)."), code="plate"
        )


def new_ics_token() -> str:
    return secrets.token_urlsafe(32)


class Facility(models.Model):
    """A room facility searchable in the availability search (projector, sound system, video
    conference …). Data, not code: the Operator adds new ones."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama fasilitas"), max_length=100)

    class Meta:
        verbose_name = _("fasilitas")
        verbose_name_plural = _("fasilitas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """A venue/building (Gedung Wiswa Sabha Utama, Jayasabha, Gedung Kertha Sabha …) — a table, since
    names, addresses and managing units are unverified and change (domain.md §6)."""

    name = models.CharField(_("nama gedung"), max_length=150, unique=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    managing_unit = models.ForeignKey(
        "staff.OrgUnit",
        verbose_name=_("unit pengelola"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("keterangan"), blank=True)

    class Meta:
        verbose_name = _("gedung")
        verbose_name_plural = _("gedung")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    """A bookable room/hall or official vehicle, with its booking rules."""

    class Kind(models.TextChoices):
        ROOM = "room", _("Ruang/gedung")
        VEHICLE = "vehicle", _("Kendaraan dinas")

    class ApproverRule(models.TextChoices):
        OPERATOR = "operator", _("Operator Peminjaman")
        UNIT_HEAD = "unit_head", _("Kepala unit pengelola")
        USERS = "users", _("Penyetuju yang ditunjuk")

    class VehicleStatus(models.TextChoices):
        AVAILABLE = "available", _("Tersedia")
        MAINTENANCE = "maintenance", _("Dalam perawatan")
        OUT_OF_SERVICE = "out_of_service", _("Tidak beroperasi")

    class FuelType(models.TextChoices):
        BENSIN = "bensin", _("Bensin")
        SOLAR = "solar", _("Solar")
        LISTRIK = "listrik", _("Listrik")
        HIBRIDA = "hibrida", _("Hibrida")

    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("nama"), max_length=150)
    description = models.TextField(_("keterangan"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    managing_unit = models.ForeignKey(
        "staff.OrgUnit",
        verbose_name=_("unit pengelola"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who approves (the default policy's step is the "resource_approver" rule; see bookings.approval).
    approver_rule = models.CharField(
        _("penyetuju"), max_length=10, choices=ApproverRule.choices, default=ApproverRule.OPERATOR
    )
    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penyetuju yang ditunjuk"),
        blank=True,
        related_name="+",
        help_text=_("Dipakai bila penyetuju = penyetuju yang ditunjuk."),
    )
    # Room
    building = models.ForeignKey(
        Building,
        verbose_name=_("gedung"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resources",
    )
    floor = models.CharField(_("lantai"), max_length=20, blank=True)
    capacity = models.PositiveIntegerField(_("kapasitas (orang)"), null=True, blank=True)
    facilities = models.ManyToManyField(Facility, verbose_name=_("fasilitas"), blank=True, related_name="+")
    # Vehicle
    plate = models.CharField(_("nomor polisi"), max_length=12, blank=True)
    make = models.CharField(_("merek"), max_length=60, blank=True)
    vehicle_type = models.CharField(_("tipe"), max_length=60, blank=True)
    seats = models.PositiveSmallIntegerField(_("jumlah kursi"), null=True, blank=True)
    fuel_type = models.CharField(_("jenis bahan bakar"), max_length=10, choices=FuelType.choices, blank=True)
    vehicle_status = models.CharField(
        _("status kendaraan"),
        max_length=15,
        choices=VehicleStatus.choices,
        default=VehicleStatus.AVAILABLE,
    )
    asset_code = models.CharField(
        _("kode aset"), max_length=60, blank=True, help_text=_("Kode barang BMD (dihubungkan kemudian).")
    )
    # Rules
    bookable_from = models.TimeField(
        _("jam pinjam mulai"), null=True, blank=True, help_text=_("Kosong: sepanjang hari.")
    )
    bookable_until = models.TimeField(_("jam pinjam sampai"), null=True, blank=True)
    working_days_only = models.BooleanField(
        _("hanya hari kerja"), default=False, help_text=_("Menurut kalender kerja (libur dan dispensasi).")
    )
    min_duration_minutes = models.PositiveIntegerField(_("durasi minimum (menit)"), default=30)
    max_duration_minutes = models.PositiveIntegerField(
        _("durasi maksimum (menit)"), null=True, blank=True, help_text=_("Kosong: tanpa batas.")
    )
    min_notice_minutes = models.PositiveIntegerField(_("pemberitahuan minimum (menit)"), default=0)
    max_days_ahead = models.PositiveIntegerField(_("paling jauh (hari ke depan)"), default=365)
    buffer_minutes = models.PositiveIntegerField(
        _("jeda antarpeminjaman (menit)"), default=0, validators=[MaxValueValidator(24 * 60)]
    )
    holds_pending = models.BooleanField(
        _("permohonan menunggu menahan slot"),
        default=False,
        help_text=_("Bila aktif, permohonan yang menunggu persetujuan sudah menahan waktunya."),
    )
    outside_parties_allowed = models.BooleanField(_("boleh dipinjam pihak luar"), default=False)
    ics_token = models.CharField(max_length=64, unique=True, default=new_ics_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sumber daya")
        verbose_name_plural = _("sumber daya")
        ordering = ["kind", "name", "id"]
        indexes = [models.Index(fields=["kind", "is_active", "name"], name="bk_resource_kind_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["plate"], condition=~Q(plate=""), name="bk_resource_plate_unique"
            ),
            models.CheckConstraint(
                condition=Q(bookable_from__isnull=True, bookable_until__isnull=True)
                | Q(
                    bookable_from__isnull=False,
                    bookable_until__isnull=False,
                    bookable_from__lt=models.F("bookable_until"),
                ),
                name="bk_resource_hours_valid",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.VEHICLE and self.plate:
            return f"{self.name} ({self.plate})"
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.VEHICLE:
            self.plate = normalise_plate(self.plate)
            try:
                validate_plate(self.plate)
            except ValidationError as exc:
                errors["plate"] = exc.messages
            if not self.seats:
                errors["seats"] = [_("Isi jumlah kursi kendaraan.")]
        elif self.kind == self.Kind.ROOM:
            if not self.capacity:
                errors["capacity"] = [_("Isi kapasitas ruang.")]
            if self.plate:
                errors["plate"] = [_("Nomor polisi hanya untuk kendaraan.")]
        if (self.bookable_from is None) != (self.bookable_until is None):
            errors["bookable_until"] = [_("Isi jam mulai dan jam selesai, atau kosongkan keduanya.")]
        elif self.bookable_from is not None and self.bookable_from >= self.bookable_until:
            errors["bookable_until"] = [_("Jam selesai harus setelah jam mulai.")]
        if self.max_duration_minutes is not None and self.max_duration_minutes < self.min_duration_minutes:
            errors["max_duration_minutes"] = [_("Durasi maksimum tidak boleh kurang dari durasi minimum.")]
        if errors:
            raise ValidationError(errors)

    @property
    def is_room(self) -> bool:
        return self.kind == self.Kind.ROOM

    @property
    def is_vehicle(self) -> bool:
        return self.kind == self.Kind.VEHICLE

    @property
    def limit(self) -> int | None:
        """Most people the resource takes (room capacity / vehicle seats)."""
        return self.capacity if self.is_room else self.seats


class ResourcePhoto(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("foto"), upload_to=upload_to("bookings/resources"))
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("foto sumber daya")
        verbose_name_plural = _("foto sumber daya")
        ordering = ["resource", "order", "id"]

    def __str__(self) -> str:
        return self.caption or str(self.resource)


class Driver(models.Model):
    """An employee who drives official vehicles (with their licence)."""

    employee = models.OneToOneField(
        "staff.Employee", verbose_name=_("pegawai"), on_delete=models.PROTECT, related_name="driver_profile"
    )
    licence_number = models.CharField(_("nomor SIM"), max_length=30, blank=True)
    licence_class = models.CharField(_("golongan SIM"), max_length=10, blank=True, default="A")
    licence_expiry = models.DateField(_("masa berlaku SIM"), null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("pengemudi")
        verbose_name_plural = _("pengemudi")
        ordering = ["employee__name", "id"]

    def __str__(self) -> str:
        return self.employee.name_with_titles

    def licence_valid_on(self, day) -> bool:
        return self.licence_expiry is None or self.licence_expiry >= day


class Blackout(models.Model):
    """A period a resource cannot be booked (maintenance, state events)."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("sumber daya"), on_delete=models.CASCADE, related_name="blackouts"
    )
    start = models.DateTimeField(_("mulai"))
    end = models.DateTimeField(_("selesai"))
    reason = models.CharField(_("alasan"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("masa tidak tersedia")
        verbose_name_plural = _("masa tidak tersedia")
        ordering = ["resource", "start"]
        indexes = [models.Index(fields=["resource", "start", "end"], name="bk_blackout_range_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="bk_blackout_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.resource}: {self.reason}"


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu persetujuan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    CANCELLED = "cancelled", _("Dibatalkan")
    COMPLETED = "completed", _("Selesai")
    BUMPED = "bumped", _("Digeser acara pimpinan")


class BookingSeries(models.Model):
    """A recurring booking (weekly/monthly until a date); one approval request covers the series."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Mingguan")
        MONTHLY = "monthly", _("Bulanan")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu persetujuan")
        APPROVED = "approved", _("Disetujui")
        REJECTED = "rejected", _("Ditolak")
        CANCELLED = "cancelled", _("Dibatalkan")

    resource = models.ForeignKey(
        Resource, verbose_name=_("sumber daya"), on_delete=models.PROTECT, related_name="series"
    )
    requester = models.ForeignKey(
        "staff.Employee", verbose_name=_("pemohon"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "staff.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(_("keperluan"), max_length=255)
    participants = models.PositiveIntegerField(_("jumlah peserta"), default=1)
    frequency = models.CharField(_("pengulangan"), max_length=10, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(
        _("setiap"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    first_date = models.DateField(_("tanggal pertama"))
    until = models.DateField(_("sampai tanggal"))
    start_time = models.TimeField(_("jam mulai"))
    end_time = models.TimeField(_("jam selesai"))
    skipped = models.JSONField(
        _("tanggal yang dilewati"), default=list, blank=True, help_text=_("Tanggal bentrok yang dilewati.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("peminjaman berulang")
        verbose_name_plural = _("peminjaman berulang")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.resource} — {self.purpose}"


class Booking(models.Model):
    """One request for one resource and one time range (an occurrence when ``series`` is set)."""

    Status = BookingStatus
    # A booking in these states may still be cancelled/rescheduled.
    ACTIVE = (BookingStatus.PENDING, BookingStatus.APPROVED)
    # Shown on calendars by default.
    VISIBLE = (BookingStatus.PENDING, BookingStatus.APPROVED, BookingStatus.COMPLETED)

    resource = models.ForeignKey(
        Resource, verbose_name=_("sumber daya"), on_delete=models.PROTECT, related_name="bookings"
    )
    requester = models.ForeignKey(
        "staff.Employee", verbose_name=_("pemohon"), on_delete=models.PROTECT, related_name="bookings"
    )
    unit = models.ForeignKey(
        "staff.OrgUnit", verbose_name=_("unit pemohon"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateTimeField(_("mulai"))
    end = models.DateTimeField(_("selesai"))
    # end + the resource's buffer when written; the range [start, block_end) is what the booking blocks.
    block_end = models.DateTimeField(editable=False)
    purpose = models.CharField(_("keperluan"), max_length=255)
    participants = models.PositiveIntegerField(_("jumlah peserta/penumpang"), default=1)
    attachment = models.FileField(
        _("lampiran (undangan/surat)"), upload_to=upload_to("bookings/attachments"), blank=True
    )
    priority = models.BooleanField(
        _("acara pimpinan"), default=False, help_text=_("Ditetapkan Operator Peminjaman saat menggeser.")
    )
    # Vehicle
    destination = models.CharField(_("tujuan"), max_length=255, blank=True)
    passengers = models.TextField(_("nama penumpang"), blank=True)
    needs_driver = models.BooleanField(_("memerlukan pengemudi"), default=False)
    driver = models.ForeignKey(
        Driver,
        verbose_name=_("pengemudi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    trip = models.ForeignKey(
        "travel.Trip",
        verbose_name=_("SPT terkait"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="vehicle_bookings",
    )
    # Outside party (another agency), recorded by the Operator on their behalf
    outside_party = models.CharField(_("nama pihak luar / instansi"), max_length=255, blank=True)
    outside_contact = models.CharField(_("narahubung pihak luar"), max_length=150, blank=True)
    outside_letter = models.FileField(
        _("surat permohonan pihak luar"), upload_to=upload_to("bookings/letters"), blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.PENDING
    )
    holds_slot = models.BooleanField(default=False, editable=False)
    series = models.ForeignKey(
        BookingSeries,
        verbose_name=_("seri"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="occurrences",
    )
    no_show = models.BooleanField(_("tidak hadir"), default=False)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = models.TextField(_("alasan pembatalan"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("peminjaman")
        verbose_name_plural = _("peminjaman")
        ordering = ["start", "id"]
        permissions = [("manage_booking", "Can manage all bookings (Operator Peminjaman)")]
        indexes = [
            # The conflict query: resource, holding rows, range.
            models.Index(fields=["resource", "start", "block_end"], name="bk_booking_res_range_idx"),
            models.Index(fields=["driver", "start", "end"], name="bk_booking_driver_range_idx"),
            models.Index(fields=["start", "end"], name="bk_booking_range_idx"),
            models.Index(fields=["requester", "-start"], name="bk_booking_requester_idx"),
            models.Index(fields=["unit", "start"], name="bk_booking_unit_idx"),
            models.Index(fields=["status", "start"], name="bk_booking_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="bk_booking_end_after_start"),
            models.CheckConstraint(
                condition=Q(block_end__gte=models.F("end")), name="bk_booking_block_end_after_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {timezone.localtime(self.start):%d-%m-%Y %H.%M}"

    @property
    def is_vehicle(self) -> bool:
        return self.resource.kind == Resource.Kind.VEHICLE

    @property
    def is_outside(self) -> bool:
        return bool(self.outside_party)

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


class BookingEvent(models.Model):
    """The booking's history as evidence (created, changed, approved, bumped, cancelled, handed over,
    returned …), written by the services next to the audit event."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Diajukan")
        CHANGED = "changed", _("Diubah")
        SUBMITTED = "submitted", _("Diajukan untuk persetujuan")
        APPROVED = "approved", _("Disetujui")
        REJECTED = "rejected", _("Ditolak")
        BUMPED = "bumped", _("Digeser")
        CANCELLED = "cancelled", _("Dibatalkan")
        DRIVER_ASSIGNED = "driver_assigned", _("Pengemudi ditugaskan")
        HANDED_OVER = "handed_over", _("Diserahterimakan")
        RETURNED = "returned", _("Dikembalikan")
        COMPLETED = "completed", _("Selesai")
        NO_SHOW = "no_show", _("Tidak hadir")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kejadian"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("catatan"), blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("riwayat peminjaman")
        verbose_name_plural = _("riwayat peminjaman")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["booking", "at"], name="bk_event_booking_idx")]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.kind}"


class FuelLevel(models.TextChoices):
    EMPTY = "0", _("Kosong")
    QUARTER = "25", _("1/4")
    HALF = "50", _("1/2")
    THREE_QUARTERS = "75", _("3/4")
    FULL = "100", _("Penuh")


class TripLog(models.Model):
    """Vehicle handover and return for one booking (odometer, fuel, condition, photos)."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="trip_log")
    # Handover
    handed_over_at = models.DateTimeField(_("waktu serah terima"))
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diserahkan oleh"),
    )
    odometer_start = models.PositiveIntegerField(_("odometer awal (km)"))
    fuel_start = models.CharField(_("bahan bakar awal"), max_length=3, choices=FuelLevel.choices)
    condition_start = models.TextField(_("kondisi saat serah terima"), blank=True)
    # Return
    returned_at = models.DateTimeField(_("waktu kembali"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diterima oleh"),
    )
    odometer_end = models.PositiveIntegerField(_("odometer akhir (km)"), null=True, blank=True)
    fuel_end = models.CharField(_("bahan bakar akhir"), max_length=3, choices=FuelLevel.choices, blank=True)
    fuel_litres = models.DecimalField(
        _("pengisian bahan bakar (liter)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    fuel_cost = models.DecimalField(_("biaya bahan bakar"), **MONEY, null=True, blank=True)
    condition_end = models.TextField(_("kondisi saat kembali"), blank=True)
    is_late = models.BooleanField(_("terlambat kembali"), default=False)

    class Meta:
        verbose_name = _("catatan perjalanan kendaraan")
        verbose_name_plural = _("catatan perjalanan kendaraan")
        ordering = ["-handed_over_at", "-id"]
        indexes = [models.Index(fields=["handed_over_at", "returned_at"], name="bk_triplog_times_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(odometer_end__isnull=True) | Q(odometer_end__gte=models.F("odometer_start")),
                name="bk_triplog_odometer_forward",
            )
        ]

    def __str__(self) -> str:
        return f"{self.booking}"

    @property
    def distance_km(self) -> int | None:
        if self.odometer_end is None:
            return None
        return self.odometer_end - self.odometer_start

    @property
    def is_returned(self) -> bool:
        return self.returned_at is not None


class TripLogPhoto(models.Model):
    class Stage(models.TextChoices):
        HANDOVER = "handover", _("Serah terima")
        RETURN = "return", _("Pengembalian")

    log = models.ForeignKey(TripLog, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("tahap"), max_length=10, choices=Stage.choices)
    file = models.FileField(_("foto"), upload_to=upload_to("bookings/triplogs"))
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("foto kondisi kendaraan")
        verbose_name_plural = _("foto kondisi kendaraan")
        ordering = ["log", "stage", "id"]

    def __str__(self) -> str:
        return self.caption or f"{self.log_id} {self.stage}"
