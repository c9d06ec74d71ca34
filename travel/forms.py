"""Forms of the SPT workflow. They collect and shape the input; the rules live in travel.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from situok.permissions import has_perm
from situok.regions import Region
from staff.models import Employee, OrgUnit

from .models import BudgetLine, TravelType, Trip

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MIN_DESTINATION_ROWS = 3


class _EmployeeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employee) -> str:
        position = obj.position.name if obj.position_id else ""
        return f"{obj.name_with_titles} — {position}" if position else obj.name_with_titles


class TripForm(forms.Form):
    """One form for drafting and editing an SPT. Members (ordered ``members`` ids, the first leads) and
    destinations (``dest_region`` / ``dest_place`` pairs) come as repeated POST values from the pickers."""

    dasar = forms.CharField(
        label=_("Dasar"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu dasar penugasan per baris, misalnya surat undangan dan DPA."),
    )
    purpose = forms.CharField(
        label=_("Untuk / maksud perjalanan dinas"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    members = forms.Field(label=_("Pelaksana"), required=False, widget=forms.MultipleHiddenInput)
    destinations = forms.Field(label=_("Tempat tujuan"), required=False, widget=forms.MultipleHiddenInput)
    depart_date = forms.DateField(label=_("Tanggal berangkat"), widget=DATE)
    return_date = forms.DateField(label=_("Tanggal kembali"), widget=DATE)
    travel_type = forms.ChoiceField(
        label=_("Jenis perjalanan dinas"),
        required=False,
        choices=[("", _("Otomatis menurut tempat tujuan")), *TravelType.choices],
        help_text=_("Luar daerah bila tujuan di luar Bali; luar kota bila di kabupaten/kota lain di Bali."),
    )
    over_8_hours = forms.BooleanField(
        label=_("Dalam kota lebih dari 8 jam"),
        required=False,
        initial=True,
        help_text=_("Dipakai bila tujuan berada di kota tempat berangkat."),
    )
    origin = forms.ModelChoiceField(
        label=_("Tempat berangkat"),
        required=False,
        queryset=Region.objects.none(),
        empty_label=_("Kota Denpasar (bawaan)"),
    )
    transport = forms.ChoiceField(label=_("Alat angkutan"), choices=Trip.Transport.choices)
    budget_line = forms.ModelChoiceField(
        label=_("Mata anggaran"), required=False, queryset=BudgetLine.objects.none()
    )
    unit = forms.ModelChoiceField(
        label=_("Unit kerja"),
        required=False,
        queryset=OrgUnit.objects.none(),
        empty_label=_("Unit ketua rombongan (bawaan)"),
    )
    signer = _EmployeeChoice(
        label=_("Penanda tangan SPT"),
        required=False,
        queryset=Employee.objects.none(),
        empty_label=_("Pimpinan yang menyetujui terakhir (bawaan)"),
    )
    signer_prefix = forms.ChoiceField(
        label=_("Awalan penanda tangan"), required=False, choices=Trip.SignerPrefix.choices
    )
    ppk = _EmployeeChoice(
        label=_("Pejabat Pembuat Komitmen (SPPD butir 1)"),
        required=False,
        queryset=Employee.objects.none(),
        empty_label=_("Pemegang peran PPK (bawaan)"),
    )
    issued_place = forms.CharField(label=_("Dikeluarkan di"), max_length=100, initial="Denpasar")
    notes = forms.CharField(
        label=_("Keterangan lain-lain"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachment_title = forms.CharField(
        label=_("Keterangan lampiran"),
        required=False,
        max_length=200,
        help_text=_("Misalnya: Surat undangan Kementerian Dalam Negeri."),
    )
    attachment = forms.FileField(
        label=_("Lampiran (PDF, JPEG atau PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    remove_attachments = forms.MultipleChoiceField(
        label=_("Hapus lampiran"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, trip: Trip | None = None, **kwargs):
        if trip is not None and not kwargs.get("data") and not (args and args[0]):
            kwargs.setdefault("initial", self.initial_for(trip))
        super().__init__(*args, **kwargs)
        self.user, self.trip = user, trip
        self.fields["origin"].queryset = Region.objects.filter(
            level=Region.Level.REGENCY, code__startswith="51."
        ).order_by("code")
        self.fields["budget_line"].queryset = BudgetLine.objects.order_by(
            "-year", "sub_activity_code", "kode_rekening"
        )
        officials = Q(headed_units__isnull=False) | Q(position__eselon__gt="")
        self.fields["signer"].queryset = (
            Employee.objects.filter(officials, status=Employee.Status.AKTIF)
            .select_related("position")
            .distinct()
            .order_by("name", "id")
        )
        ppk_group = Group.objects.filter(name="ppk").first()
        ppk_q = officials | (Q(user__groups=ppk_group) if ppk_group else Q(pk__in=[]))
        self.fields["ppk"].queryset = (
            Employee.objects.filter(ppk_q, status=Employee.Status.AKTIF)
            .select_related("position")
            .distinct()
            .order_by("name", "id")
        )
        if has_perm(user, "travel.add_trip"):
            self.fields["unit"].queryset = OrgUnit.objects.order_by("path")
        else:
            del self.fields["unit"]
        if trip is not None and trip.pk:
            self.fields["remove_attachments"].choices = [
                (str(a.pk), a.title) for a in trip.attachments.order_by("id")
            ]
        else:
            del self.fields["remove_attachments"]

    @staticmethod
    def initial_for(trip: Trip) -> dict[str, Any]:
        return {
            "dasar": "\n".join(trip.dasar or []),
            "purpose": trip.purpose,
            "depart_date": trip.depart_date,
            "return_date": trip.return_date,
            "travel_type": trip.travel_type,
            "over_8_hours": trip.travel_type != TravelType.DALAM_KOTA_SAMPAI_8_JAM,
            "origin": trip.origin_id if trip.origin_id and trip.origin_id != "51.71" else None,
            "transport": trip.transport,
            "budget_line": trip.budget_line_id,
            "unit": trip.unit_id,
            "signer": trip.signer_id,
            "signer_prefix": trip.signer_prefix,
            "ppk": trip.ppk_id,
            "issued_place": trip.issued_place,
            "notes": trip.notes,
        }

    # --- Repeated values from the pickers ------------------------------------------------------
    def _list(self, name: str) -> list[str]:
        getlist = getattr(self.data, "getlist", None)
        if getlist is not None:
            return [str(v) for v in getlist(name)]
        value = self.data.get(name) if self.data else None
        return [str(v) for v in value] if isinstance(value, list | tuple) else ([str(value)] if value else [])

    def clean_members(self) -> list[Employee]:
        ids: list[int] = []
        for raw in self._list("members"):
            try:
                ids.append(int(raw))
            except ValueError as exc:
                raise forms.ValidationError(_("Pelaksana tidak dikenal.")) from exc
        if not ids:
            raise forms.ValidationError(_("Pilih sedikitnya satu pelaksana perjalanan dinas."))
        found = Employee.objects.select_related("unit", "position").in_bulk(ids)
        if len(found) != len(set(ids)):
            raise forms.ValidationError(_("Pelaksana tidak dikenal."))
        return [found[i] for i in ids]

    def clean_destinations(self) -> list[dict[str, Any]]:
        regions, places = self._list("dest_region"), self._list("dest_place")
        size = max(len(regions), len(places))
        regions += [""] * (size - len(regions))
        places += [""] * (size - len(places))
        return [
            {"region_id": r.strip() or None, "place": p.strip()}
            for r, p in zip(regions, places, strict=True)
            if r.strip() or p.strip()
        ]

    # --- For the template ----------------------------------------------------------------------
    def member_rows(self) -> list[Employee]:
        """The members to show in the picker: what was posted, else the trip's members."""
        if self.is_bound:
            members = self.cleaned_data.get("members") if hasattr(self, "cleaned_data") else None
            if members:
                return members
            ids = [int(i) for i in self._list("members") if i.isdigit()]
            found = Employee.objects.select_related("position").in_bulk(ids)
            return [found[i] for i in ids if i in found]
        if self.trip is not None and self.trip.pk:
            return [
                m.employee for m in self.trip.members.select_related("employee__position").order_by("order")
            ]
        return []

    def destination_rows(self) -> list[dict[str, Any]]:
        """At least three rows ``{"region": Region | None, "code", "place"}`` for the picker."""
        if self.is_bound:
            rows = self.clean_destinations()
        elif self.trip is not None and self.trip.pk:
            rows = [
                {"region_id": d.region_id, "place": d.place}
                for d in self.trip.destinations.order_by("order", "id")
            ]
        else:
            rows = []
        regions = Region.objects.select_related("parent__parent").in_bulk(
            [r["region_id"] for r in rows if r["region_id"]]
        )
        out = [
            {
                "region": regions.get(r["region_id"]),
                "label": region_label(regions.get(r["region_id"])) or (r["region_id"] or ""),
                "code": r["region_id"] or "",
                "place": r["place"],
            }
            for r in rows
        ]
        while len(out) < MIN_DESTINATION_ROWS:
            out.append({"region": None, "label": "", "code": "", "place": ""})
        return [dict(row, index=i) for i, row in enumerate(out)]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = (
            "purpose", "depart_date", "return_date", "travel_type", "over_8_hours", "origin", "transport",
            "budget_line", "signer", "signer_prefix", "ppk", "issued_place", "notes", "unit",
        )  # fmt: skip
        return {k: data.get(k) for k in keys}

    def attachments(self) -> list[tuple[str, Any]]:
        upload = self.cleaned_data.get("attachment")
        return [(self.cleaned_data.get("attachment_title") or "", upload)] if upload else []

    def removed_attachment_ids(self) -> list[int]:
        return [int(v) for v in self.cleaned_data.get("remove_attachments") or ()]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pembatalan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def region_label(region: Region | None) -> str:
    """``Kabupaten Gianyar, Bali`` — the region with its parents, for pickers and lists."""
    if region is None:
        return ""
    names = [region.name]
    parent = region.parent
    while parent is not None:
        names.append(parent.name)
        parent = parent.parent
    return ", ".join(names)
