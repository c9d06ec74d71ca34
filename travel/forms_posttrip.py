"""Forms of the post-trip pages: visum, expenses, advance, no-hotel statement, trip report,
acknowledgement. Rules live in :mod:`travel.posttrip`; these only parse input."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TripExpense


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# "1.250.000" or "1.250.000,50" (Indonesian grouping) next to plain "1250000" / "1250000.50".
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d{1,2})?$")


class RupiahField(forms.DecimalField):
    """A rupiah amount; accepts ``Rp 1.250.000`` as typed by people, never goes through float."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 15)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix("Rp").removeprefix("rp").strip().replace(" ", "")
            if _GROUPED.match(value):
                value = value.replace(".", "").replace(",", ".")
            elif re.fullmatch(r"\d+,\d{1,2}", value):
                value = value.replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.update({"inputmode": "decimal"})
        return attrs


class RupiahInput(forms.TextInput):
    input_type = "text"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (photos of the activity)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [f for f in (single(d, initial) for d in data) if f]
        result = single(data, initial)
        return [result] if result else []


class StopForm(forms.Form):
    """One visum block (II, III …): arrival at a place and departure from it."""

    place = forms.CharField(label=_("Tiba di"), max_length=255, required=False)
    arrived_on = forms.DateField(label=_("Pada tanggal (tiba)"), required=False, widget=DateInput())
    departed_on = forms.DateField(label=_("Pada tanggal (berangkat)"), required=False, widget=DateInput())
    departed_to = forms.CharField(label=_("Berangkat ke"), max_length=255, required=False)
    officer_name = forms.CharField(label=_("Nama pejabat yang mengesahkan"), max_length=150, required=False)


def stop_formset(data=None, *, initial: list[dict], blocks: int) -> forms.BaseFormSet:
    """A formset with ``blocks`` rows (the recorded or suggested stops first, then empty ones)."""
    formset_class = forms.formset_factory(
        StopForm, extra=max(blocks - len(initial), 0), max_num=blocks, absolute_max=blocks
    )
    return formset_class(data, initial=initial, prefix="stops")


class VisumForm(forms.Form):
    actual_return_date = forms.DateField(
        label=_("Tiba kembali di tempat kedudukan pada tanggal"), required=False, widget=DateInput()
    )


class ExpenseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis biaya"), choices=TripExpense.Kind.choices)
    description = forms.CharField(
        label=_("Uraian"),
        max_length=255,
        help_text=_("Misalnya: tiket pesawat Denpasar–Jakarta, hotel 2 malam, taksi bandara."),
    )
    quantity = forms.IntegerField(
        label=_("Volume"),
        min_value=1,
        max_value=366,
        initial=1,
        help_text=_("Untuk penginapan: jumlah malam."),
    )
    amount = RupiahField(
        label=_("Jumlah (Rp)"),
        widget=RupiahInput(),
        help_text=_("Jumlah seluruhnya untuk baris ini, misalnya 1.250.000."),
    )
    spent_on = forms.DateField(label=_("Tanggal"), required=False, widget=DateInput())
    has_receipt = forms.BooleanField(
        label=_("Ada bukti pengeluaran (kuitansi, tiket, bill hotel)"),
        required=False,
        initial=True,
        help_text=_("Tanpa bukti, biaya dicatat di daftar pengeluaran riil."),
    )
    receipt = forms.FileField(
        label=_("Bukti pengeluaran"),
        required=False,
        help_text=_("PDF, JPEG atau PNG. Data lokasi pada foto dihapus otomatis."),
    )

    @classmethod
    def for_expense(cls, expense: TripExpense, data=None, files=None) -> ExpenseForm:
        initial = {
            f: getattr(expense, f)
            for f in ("kind", "description", "quantity", "amount", "spent_on", "has_receipt")
        }
        return cls(data, files, initial=initial)


class NoHotelForm(forms.Form):
    no_hotel = forms.BooleanField(
        label=_("Saya tidak menggunakan hotel/penginapan"),
        required=False,
        help_text=_("Malam tanpa bill hotel dibayar lumsum 30 persen dari batas biaya penginapan."),
    )


class AdvanceForm(forms.Form):
    amount = RupiahField(label=_("Uang muka (Rp)"), widget=RupiahInput())


class ReportForm(forms.Form):
    background = forms.CharField(label=_("Latar belakang"), widget=forms.Textarea(attrs={"rows": 3}))
    activities = forms.CharField(
        label=_("Kegiatan yang dilaksanakan"), widget=forms.Textarea(attrs={"rows": 5})
    )
    results = forms.CharField(label=_("Hasil yang dicapai"), widget=forms.Textarea(attrs={"rows": 4}))
    follow_up = forms.CharField(
        label=_("Saran dan tindak lanjut"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    photos = MultipleFileField(
        label=_("Foto kegiatan"),
        help_text=_("JPEG atau PNG, boleh lebih dari satu. Data lokasi dan kamera dihapus otomatis."),
    )
    attachments = MultipleFileField(
        label=_("Lampiran"), help_text=_("PDF, misalnya daftar hadir atau materi.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs["accept"] = "image/jpeg,image/png"
        self.fields["attachments"].widget.attrs["accept"] = "application/pdf"


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan atasan"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
