"""Finding things: the availability search ("a room for 30 with a projector on Tuesday 09.00–12.00"),
the resource pages (rooms and vehicles with photos and the ICS link), the history search ("who had DK
1234 X on 3 March at 14.00?") and the reports page whose buttons download through the shared export view.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from situok.exports import get_exporter
from situok.formats import BULAN
from situok.permissions import has_perm, require_login, require_perm
from situok.uploads import serve_protected

from . import selectors
from .forms import STATUS_BADGES, AvailabilityForm, HistorySearchForm, at_wita
from .models import Resource, ResourcePhoto


@require_login
@require_GET
def availability(request: HttpRequest) -> HttpResponse:
    form = AvailabilityForm(request.GET or None, initial={"kind": request.GET.get("kind", "room")})
    results = None
    book_params = ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        start, end = at_wita(data["date"], data["start"]), at_wita(data["date"], data["end"])
        people = data["people"] or 0
        if data["kind"] == Resource.Kind.VEHICLE:
            results = selectors.free_vehicles(start, end, min_seats=people)
        else:
            results = selectors.free_rooms(
                start,
                end,
                min_capacity=people,
                facilities=list(data["facilities"]),
                building=data["building"],
            )
        book_params = urlencode(
            {
                "jenis": data["kind"],
                "tanggal": data["date"].isoformat(),
                "mulai": data["start"].strftime("%H:%M"),
                "selesai": data["end"].strftime("%H:%M"),
                "orang": people or 1,
            }
        )
    context = {"form": form, "results": results, "book_params": book_params}
    return render(request, "bookings/availability.html", context)


@require_login
@require_GET
def resource_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("jenis")
    kind = kind if kind in Resource.Kind.values else None
    resources = selectors.resource_list(kind).prefetch_related("facilities")
    return render(
        request,
        "bookings/resource_list.html",
        {"resources": resources, "kind": kind, "kinds": Resource.Kind.choices},
    )


@require_login
@require_GET
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_get_for_user(request.user, pk)
    ics_url = request.build_absolute_uri(reverse("bookings:ics_feed", args=[resource.ics_token]))
    context = {
        "resource": resource,
        "facilities": resource.facilities.all(),
        "photos": resource.photos.all(),
        "ics_url": ics_url,
        "last_return": selectors.last_return(resource) if resource.is_vehicle else None,
        "can_change": has_perm(request.user, "bookings.change_resource"),
    }
    return render(request, "bookings/resource_detail.html", context)


@require_login
@require_GET
def resource_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    resource = selectors.resource_get_for_user(request.user, pk)
    photo = get_object_or_404(ResourcePhoto, pk=photo_pk, resource=resource)
    return serve_protected(photo.file, download_name=f"foto-{photo.pk}", as_attachment=False)


@require_perm("bookings.view_booking")
@require_GET
def history_search(request: HttpRequest) -> HttpResponse:
    """One question, one answer: who had this vehicle/room at that moment, with the booking's history."""
    form = HistorySearchForm(request.GET or None)
    found = None
    searched = False
    if form.is_bound and form.is_valid():
        searched = True
        data = form.cleaned_data
        if data["resource"] is not None:
            found = selectors.who_had(data["resource"], form.at)
        else:
            found = selectors.who_had_plate(data["plate"], form.at)
        if found is not None:
            found.badge_css = STATUS_BADGES.get(found.status, "text-bg-secondary")
    context = {
        "form": form,
        "found": found,
        "searched": searched,
        "history": selectors.booking_history(found) if found else [],
        "span": selectors.span_text(found.start, found.end) if found else "",
    }
    return render(request, "bookings/history_search.html", context)


# --- Reports -----------------------------------------------------------------------------------------------
FORMAT_LABELS = {"xlsx": "Excel", "csv": "CSV", "pdf": "PDF"}
REPORTS = (
    (
        "bookings-utilisation",
        _("Jam terpakai dibagi jam yang dapat dipinjam, per ruang/kendaraan per bulan."),
    ),
    ("bookings-per-unit", _("Jumlah peminjaman per unit pemohon dan status.")),
    (
        "bookings-vehicle-usage",
        _("Jumlah perjalanan, jarak tempuh, bahan bakar dan biaya per kendaraan per bulan."),
    ),
    (
        "bookings-no-show",
        _(
            "Peminjaman yang ditandai tidak hadir, dan kendaraan disetujui yang tidak pernah diserahterimakan."
        ),
    ),
    ("bookings-list", _("Daftar peminjaman pada bulan yang dipilih.")),
)


@dataclass(frozen=True)
class Report:
    identifier: str
    title: str
    description: str
    downloads: tuple[tuple[str, str, str], ...]  # (fmt, label, url)


@require_perm("bookings.view_booking")
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("tahun", today.year))
        month = int(request.GET.get("bulan", today.month))
    except ValueError:
        year, month = today.year, today.month
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        year, month = today.year, today.month
    query = urlencode({"tahun": year, "bulan": month})
    items = []
    for identifier, description in REPORTS:
        exporter = get_exporter(identifier)
        if not exporter.available_for(request.user):
            continue
        downloads = tuple(
            (
                fmt,
                FORMAT_LABELS.get(fmt, fmt.upper()),
                f"{reverse('export_download', args=[identifier, fmt])}?{query}",
            )
            for fmt in exporter.formats
        )
        items.append(Report(identifier, str(exporter.verbose_name), str(description), downloads))
    months = list(enumerate(BULAN, start=1))
    context = {"reports": items, "year": year, "month": month, "months": months}
    return render(request, "bookings/reports.html", context)


urlpatterns = [
    path("ketersediaan/", availability, name="availability"),
    path("sumber/", resource_list, name="resource_list"),
    path("sumber/<int:pk>/", resource_detail, name="resource_detail"),
    path("sumber/<int:pk>/foto/<int:photo_pk>/", resource_photo, name="resource_photo"),
    path("riwayat/", history_search, name="history_search"),
    path("laporan/", reports, name="reports"),
]
