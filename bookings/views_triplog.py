"""The vehicle trip log: handover (odometer, fuel, condition, photos — with the last return's condition
shown for comparison) and return (odometer, fuel refilled and its cost, condition, photos, time; late
returns flagged by the service). Operator Peminjaman only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from situok.approvals import ApprovalError
from situok.formats import to_local
from situok.permissions import require_login
from situok.uploads import serve_protected

from . import selectors, services
from .forms import HandoverForm, ReturnForm
from .models import Booking, TripLogPhoto
from .views_requests import form_error


def _vehicle_booking(request: HttpRequest, pk: int) -> Booking:
    booking = selectors.booking_get_for_user(request.user, pk, write=True)
    if not selectors.booking_can_manage(request.user):
        raise PermissionDenied
    if not booking.is_vehicle:
        raise Http404
    return booking


@require_login
@require_http_methods(["GET", "POST"])
def trip_handover(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _vehicle_booking(request, pk)
    if hasattr(booking, "trip_log"):
        messages.info(request, _("Kendaraan ini sudah diserahterimakan."))
        return redirect("bookings:booking_detail", pk=booking.pk)
    previous = selectors.last_return(booking.resource, before=timezone.now())
    initial = {"odometer": previous.odometer_end, "fuel_level": previous.fuel_end} if previous else None
    form = HandoverForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.trip_handover(
                booking, by=request.user, odometer=data["odometer"], fuel_level=data["fuel_level"],
                condition=data["condition"], photos=data["photos"], request=request,
            )  # fmt: skip
        except (ApprovalError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Serah terima kendaraan dicatat."))
            return redirect("bookings:booking_detail", pk=booking.pk)
    context = {"form": form, "booking": booking, "previous": previous}
    return render(request, "bookings/trip_handover.html", context)


@require_login
@require_http_methods(["GET", "POST"])
def trip_return(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _vehicle_booking(request, pk)
    log = getattr(booking, "trip_log", None)
    if log is None:
        messages.info(request, _("Kendaraan ini belum diserahterimakan."))
        return redirect("bookings:booking_detail", pk=booking.pk)
    if log.is_returned:
        messages.info(request, _("Pengembalian kendaraan ini sudah dicatat."))
        return redirect("bookings:booking_detail", pk=booking.pk)
    now = to_local(timezone.now())
    initial = {"returned_date": now.date(), "returned_time": now.time().replace(second=0, microsecond=0)}
    form = ReturnForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            log = services.trip_return(
                booking, by=request.user, odometer=data["odometer"], fuel_level=data["fuel_level"],
                fuel_litres=data["fuel_litres"], fuel_cost=data["fuel_cost"], condition=data["condition"],
                photos=data["photos"], at=form.returned_at, request=request,
            )  # fmt: skip
        except (ApprovalError, ValidationError) as exc:
            form_error(form, exc)
        else:
            if log.is_late:
                messages.warning(request, _("Pengembalian dicatat — kendaraan kembali terlambat."))
            else:
                messages.success(request, _("Pengembalian kendaraan dicatat."))
            return redirect("bookings:booking_detail", pk=booking.pk)
    return render(request, "bookings/trip_return.html", {"form": form, "booking": booking, "log": log})


@require_login
@require_GET
def trip_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    booking = selectors.booking_get_for_user(request.user, pk)
    photo = get_object_or_404(TripLogPhoto, pk=photo_pk, log__booking=booking)
    return serve_protected(photo.file, download_name=f"foto-{photo.pk}", as_attachment=False)


urlpatterns = [
    path("<int:pk>/serah-terima/", trip_handover, name="trip_handover"),
    path("<int:pk>/pengembalian/", trip_return, name="trip_return"),
    path("<int:pk>/foto/<int:photo_pk>/", trip_photo, name="trip_photo"),
]
