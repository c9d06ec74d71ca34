"""Forms of the bookings UI: requests (single and recurring), actions on a booking, the vehicle trip log,
the availability and history searches.

Times are entered as a date plus a time (``<input type="date">`` / ``<input type="time">``, which phones
show as their native pickers) and combined into aware WITA datetimes in ``clean()``. The time fields are
named ``start``/``end`` so a :class:`bookings.services.BookingError` whose ``field`` is ``"start"`` or
``"end"`` lands next to them.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from situok.formats import WITA
from situok.uploads import UploadValidator

from .models import Booking, BookingSeries, Building, Driver, Facility, FuelLevel, Resource

DATE_WIDGET = {"type": "date"}
TIME_WIDGET = {"type": "time", "step": 300}
PHOTO_KINDS = ("jpeg", "png")
MAX_PHOTOS = 6


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")


def time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs=TIME_WIDGET, format="%H:%M")


def at_wita(day: dt.date, time: dt.time) -> dt.datetime:
    """The aware datetime of ``day`` at ``time`` in WITA."""
    return timezone.make_aware(dt.datetime.combine(day, time), WITA)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one ``<input type="file" multiple>`` (JPEG/PNG, each validated)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("Paling banyak %(n)s foto sekaligus.") % {"n": MAX_PHOTOS}, code="too_many"
            )
        validator = UploadValidator(kinds=PHOTO_KINDS)
        cleaned = []
        for upload in files:
            upload = super().clean(upload, initial)
            validator(upload)
            upload.seek(0)
            cleaned.append(upload)
        return cleaned


class ResourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Resource) -> str:
        if obj.is_vehicle:
            return _("%(name)s — %(seats)s kursi") % {"name": str(obj), "seats": obj.seats or 0}
        building = f" · {obj.building.name}" if obj.building_id else ""
        return _("%(name)s%(building)s — %(n)s orang") % {
            "name": obj.name,
            "building": building,
            "n": obj.capacity or 0,
        }


class TripChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("%(number)s — %(purpose)s (%(date)s)") % {
            "number": str(obj),
            "purpose": obj.purpose[:60],
            "date": obj.depart_date.strftime("%d/%m/%Y") if obj.depart_date else "",
        }


class TimeRangeMixin:
    """``start_date`` + ``start`` and ``end_date`` (blank: same day) + ``end`` → ``start_at``/``end_at``."""

    start_at: dt.datetime | None = None
    end_at: dt.datetime | None = None

    def clean_range(self, data: dict) -> None:
        start_date, start, end, end_date = (
            data.get("start_date"),
            data.get("start"),
            data.get("end"),
            data.get("end_date"),
        )
        if not (start_date and start and end):
            return
        self.start_at = at_wita(start_date, start)
        self.end_at = at_wita(end_date or start_date, end)
        if self.end_at <= self.start_at:
            self.add_error("end", _("Waktu selesai harus setelah waktu mulai."))


def _range_fields() -> dict[str, forms.Field]:
    return {
        "start_date": forms.DateField(label=_("Tanggal mulai"), widget=date_input()),
        "start": forms.TimeField(label=_("Jam mulai (WITA)"), widget=time_input()),
        "end_date": forms.DateField(
            label=_("Tanggal selesai"),
            required=False,
            widget=date_input(),
            help_text=_("Kosongkan bila selesai pada hari yang sama."),
        ),
        "end": forms.TimeField(label=_("Jam selesai (WITA)"), widget=time_input()),
    }


class BookingRequestForm(TimeRangeMixin, forms.Form):
    """A request for one room or vehicle. ``kind`` decides the resource list and the vehicle fields;
    ``manager`` (Operator Peminjaman) adds the outside-party and leadership-event fields."""

    resource = ResourceChoiceField(queryset=Resource.objects.none(), label=_("Ruang / kendaraan"))
    purpose = forms.CharField(label=_("Keperluan / nama kegiatan"), max_length=255)
    participants = forms.IntegerField(label=_("Jumlah peserta"), min_value=1, initial=1)
    attachment = forms.FileField(
        label=_("Lampiran (undangan/surat)"),
        required=False,
        validators=[UploadValidator()],
        help_text=_("PDF, JPEG atau PNG."),
    )
    destination = forms.CharField(label=_("Tujuan"), max_length=255, required=False)
    passengers = forms.CharField(
        label=_("Nama penumpang"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    needs_driver = forms.BooleanField(label=_("Memerlukan pengemudi"), required=False)
    trip = TripChoiceField(
        queryset=None,
        label=_("SPT terkait (opsional)"),
        required=False,
        empty_label=_("Tanpa SPT"),
    )
    outside_party = forms.CharField(
        label=_("Atas nama pihak luar / instansi"),
        max_length=255,
        required=False,
        help_text=_("Diisi Operator bila permohonan datang dari instansi lain."),
    )
    outside_contact = forms.CharField(label=_("Narahubung pihak luar"), max_length=150, required=False)
    outside_letter = forms.FileField(
        label=_("Surat permohonan pihak luar"), required=False, validators=[UploadValidator()]
    )
    bump_reason = forms.CharField(
        label=_("Acara pimpinan: alasan menggeser peminjaman yang bentrok"),
        required=False,
        max_length=255,
        help_text=_(
            "Hanya untuk acara Gubernur, Wakil Gubernur atau Sekda. Pemohon yang digeser diberi tahu."
        ),
    )

    VEHICLE_FIELDS = ("destination", "passengers", "needs_driver", "trip")
    MANAGER_FIELDS = ("outside_party", "outside_contact", "outside_letter", "bump_reason")

    def __init__(self, *args, kind: str, manager: bool = False, trips=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields.update(_range_fields())
        order = ["resource", "start_date", "start", "end_date", "end", "purpose", "participants"]
        self.order_fields(order)
        self.fields["resource"].queryset = (
            Resource.objects.filter(kind=kind, is_active=True)
            .select_related("building")
            .order_by("name", "id")
        )
        if kind == Resource.Kind.VEHICLE:
            self.fields["participants"].label = _("Jumlah penumpang")
            self.fields["trip"].queryset = trips if trips is not None else self._no_trips()
        else:
            for name in self.VEHICLE_FIELDS:
                del self.fields[name]
        if not manager:
            for name in self.MANAGER_FIELDS:
                del self.fields[name]

    @staticmethod
    def _no_trips():
        from travel.models import Trip

        return Trip.objects.none()

    def clean(self):
        data = super().clean()
        self.clean_range(data)
        if data.get("outside_party") and not data.get("outside_letter"):
            self.add_error("outside_letter", _("Lampirkan surat permohonan dari pihak luar."))
        return data


class SeriesForm(forms.Form):
    """A recurring booking: the same hours every week/month until a date."""

    resource = ResourceChoiceField(queryset=Resource.objects.none(), label=_("Ruang / kendaraan"))
    first_date = forms.DateField(label=_("Tanggal pertama"), widget=date_input())
    start = forms.TimeField(label=_("Jam mulai (WITA)"), widget=time_input())
    end = forms.TimeField(label=_("Jam selesai (WITA)"), widget=time_input())
    frequency = forms.ChoiceField(label=_("Diulang"), choices=BookingSeries.Frequency.choices)
    interval = forms.IntegerField(
        label=_("Setiap"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("1 = setiap minggu/bulan, 2 = dua minggu/bulan sekali, dst."),
    )
    until = forms.DateField(label=_("Sampai tanggal"), widget=date_input())
    purpose = forms.CharField(label=_("Keperluan / nama kegiatan"), max_length=255)
    participants = forms.IntegerField(label=_("Jumlah peserta"), min_value=1, initial=1)
    attachment = forms.FileField(
        label=_("Lampiran (undangan/surat)"),
        required=False,
        validators=[UploadValidator()],
        help_text=_("Pilih berkas pada langkah pengajuan (setelah pratinjau)."),
    )
    MAX_OCCURRENCES = 60

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = (
            Resource.objects.filter(is_active=True).select_related("building").order_by("kind", "name", "id")
        )

    def clean(self):
        data = super().clean()
        first, until, start, end = (data.get(k) for k in ("first_date", "until", "start", "end"))
        if start and end and end <= start:
            self.add_error("end", _("Jam selesai harus setelah jam mulai."))
        if first and until:
            if until < first:
                self.add_error("until", _("Tanggal akhir tidak boleh sebelum tanggal pertama."))
            elif (until - first).days > 366:
                self.add_error("until", _("Seri paling lama satu tahun."))
        return data

    def rule(self):
        from .services import SeriesRule

        data = self.cleaned_data
        return SeriesRule(
            resource=data["resource"],
            first_date=data["first_date"],
            start_time=data["start"],
            end_time=data["end"],
            frequency=data["frequency"],
            until=data["until"],
            interval=data["interval"],
        )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pembatalan"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class RescheduleForm(TimeRangeMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_range_fields())

    def clean(self):
        data = super().clean()
        self.clean_range(data)
        return data


class BumpForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan (acara pimpinan)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class DriverForm(forms.Form):
    driver = forms.ModelChoiceField(
        queryset=Driver.objects.none(),
        label=_("Pengemudi"),
        required=False,
        empty_label=_("Tanpa pengemudi"),
    )

    def __init__(self, *args, drivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["driver"].queryset = drivers


class HandoverForm(forms.Form):
    odometer = forms.IntegerField(label=_("Odometer saat serah terima (km)"), min_value=0)
    fuel_level = forms.ChoiceField(label=_("Bahan bakar"), choices=FuelLevel.choices)
    condition = forms.CharField(
        label=_("Kondisi kendaraan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = MultiplePhotoField(label=_("Foto kondisi"), help_text=_("JPEG atau PNG, paling banyak 6."))


class ReturnForm(forms.Form):
    returned_date = forms.DateField(label=_("Tanggal kembali"), widget=date_input())
    returned_time = forms.TimeField(label=_("Jam kembali (WITA)"), widget=time_input())
    odometer = forms.IntegerField(label=_("Odometer saat kembali (km)"), min_value=0)
    fuel_level = forms.ChoiceField(label=_("Bahan bakar"), choices=FuelLevel.choices)
    fuel_litres = forms.DecimalField(
        label=_("Pengisian bahan bakar (liter)"), required=False, min_value=0, max_digits=8, decimal_places=2
    )
    fuel_cost = forms.DecimalField(
        label=_("Biaya bahan bakar (Rp)"), required=False, min_value=0, max_digits=15, decimal_places=2
    )
    condition = forms.CharField(
        label=_("Kondisi kendaraan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = MultiplePhotoField(label=_("Foto kondisi"), help_text=_("JPEG atau PNG, paling banyak 6."))

    @property
    def returned_at(self) -> dt.datetime:
        return at_wita(self.cleaned_data["returned_date"], self.cleaned_data["returned_time"])


class AvailabilityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Mencari"), choices=Resource.Kind.choices, initial=Resource.Kind.ROOM)
    date = forms.DateField(label=_("Tanggal"), widget=date_input())
    start = forms.TimeField(label=_("Jam mulai (WITA)"), widget=time_input())
    end = forms.TimeField(label=_("Jam selesai (WITA)"), widget=time_input())
    people = forms.IntegerField(
        label=_("Paling sedikit (orang/kursi)"), min_value=0, required=False, help_text=_("Kapasitas/kursi.")
    )
    facilities = forms.ModelMultipleChoiceField(
        queryset=Facility.objects.order_by("name"),
        label=_("Fasilitas (ruang)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    building = forms.ModelChoiceField(
        queryset=Building.objects.order_by("name"),
        label=_("Gedung"),
        required=False,
        empty_label=_("Semua gedung"),
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("Jam selesai harus setelah jam mulai."))
        return data


class HistorySearchForm(forms.Form):
    """ "Who had vehicle DK 1234 X on 3 March at 14.00?" — a plate or a resource, a date and a time."""

    plate = forms.CharField(label=_("Nomor polisi"), max_length=12, required=False)
    resource = forms.ModelChoiceField(
        queryset=Resource.objects.order_by("kind", "name"),
        label=_("Atau ruang/kendaraan"),
        required=False,
        empty_label=_("—"),
    )
    date = forms.DateField(label=_("Tanggal"), widget=date_input())
    time = forms.TimeField(label=_("Jam (WITA)"), widget=time_input())

    def clean(self):
        data = super().clean()
        if not data.get("plate") and not data.get("resource"):
            self.add_error("plate", _("Isi nomor polisi atau pilih ruang/kendaraan."))
        return data

    @property
    def at(self) -> dt.datetime:
        return at_wita(self.cleaned_data["date"], self.cleaned_data["time"])


class ScheduleForm(forms.Form):
    building = forms.ModelChoiceField(
        queryset=Building.objects.order_by("name"), label=_("Gedung"), empty_label=None
    )
    date = forms.DateField(label=_("Tanggal"), widget=date_input())


class NoShowForm(forms.Form):
    """Confirmation only (the booking is the URL)."""


STATUS_BADGES: dict[str, str] = {
    Booking.Status.PENDING: "text-bg-warning",
    Booking.Status.APPROVED: "text-bg-success",
    Booking.Status.COMPLETED: "text-bg-secondary",
    Booking.Status.REJECTED: "text-bg-danger",
    Booking.Status.CANCELLED: "text-bg-light border",
    Booking.Status.BUMPED: "text-bg-dark",
}
