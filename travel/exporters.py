"""The SPT register as an exporter (design.md §3.8): ``/ekspor/travel-register/<xlsx|csv|pdf>/?<filters>``.

The query string is the register page's (``travel.filters.TripFilter``: ``q``, ``depart_from``,
``depart_to``, ``unit``, ``pegawai``, ``status``, ``travel_type``, ``province``, ``regency``,
``budget_line``); rows start from :func:`travel.selectors.trips_visible_to`, so a unit head exports only
their units' SPTs, exactly as the page shows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Sum
from django.utils.translation import gettext_lazy as _

from situok.exports import Column, ListExporter, register

from .filters import TripFilter
from .models import Trip, TripDestination, TripMember
from .selectors import can_see_register, trips_visible_to

CHUNK = 2000


@register
class TripRegisterExporter(ListExporter):
    """Buku register SPT, filtered as on the page."""

    identifier = "travel-register"
    verbose_name = _("Register SPT")
    title = _("Buku Register SPT")
    columns = (
        Column("no", _("No."), "int", 5),
        Column("spt_number", _("Nomor SPT"), "text", 26),
        Column("spt_date", _("Tanggal SPT"), "date", 12),
        Column("members", _("Pelaksana"), "text", 36),
        Column("purpose", _("Maksud perjalanan dinas"), "text", 36),
        Column("destinations", _("Tujuan"), "text", 26),
        Column("depart", _("Berangkat"), "date", 12),
        Column("return", _("Kembali"), "date", 12),
        Column("days", _("Lama (hari)"), "int", 7),
        Column("travel_type", _("Jenis"), "text", 16),
        Column("budget_line", _("Mata anggaran"), "text", 20),
        Column("total", _("Jumlah biaya"), "money", 15),
        Column("status", _("Status"), "text", 14),
    )

    def available_for(self, user) -> bool:
        return can_see_register(user)

    def filterset(self, form_data: Mapping[str, Any], *, user) -> TripFilter:
        return TripFilter(dict(form_data), queryset=trips_visible_to(user))

    def estimated_rows(self, form_data: Mapping[str, Any], user) -> int:
        return self.filterset(form_data, user=user).qs.count()

    def rows(self, form_data: dict[str, Any], *, user) -> Iterable[Sequence[Any]]:
        statuses = {v: str(label) for v, label in Trip.Status.choices}
        types = {v: str(label) for v, label in Trip._meta.get_field("travel_type").choices}
        qs = (
            self.filterset(form_data, user=user)
            .qs.select_related("budget_line")
            .prefetch_related(
                Prefetch(
                    "members", queryset=TripMember.objects.select_related("employee").order_by("order", "id")
                ),
                Prefetch(
                    "destinations",
                    queryset=TripDestination.objects.select_related("region").order_by("order", "id"),
                ),
            )
            .annotate(cost=Sum("members__sppd__total"))
            .order_by("-depart_date", "-id")
        )
        for no, trip in enumerate(qs.iterator(chunk_size=CHUNK), start=1):
            yield (
                no,
                trip.spt_number or str(trip),
                trip.spt_date,
                "; ".join(m.employee.name_with_titles for m in trip.members.all()),
                trip.purpose,
                "; ".join(
                    ", ".join(p for p in (d.place, d.region.name if d.region else "") if p)
                    for d in trip.destinations.all()
                ),
                trip.depart_date,
                trip.return_date,
                trip.days,
                types.get(trip.travel_type, trip.travel_type),
                trip.budget_line.kode_rekening if trip.budget_line else "",
                trip.cost if trip.cost is not None else Decimal("0.00"),
                statuses.get(trip.status, trip.status),
            )

    def subtitle(self, form_data: dict[str, Any]) -> str | None:
        return TripFilter(dict(form_data), queryset=Trip.objects.none()).describe() or None
