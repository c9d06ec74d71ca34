"""Booking requests and what happens to them: the request form (single and recurring), my bookings,
the booking page (history, approval status) and its actions — cancel, reschedule, and for the Operator
Peminjaman bump, driver assignment and no-show. Approval itself happens in the shared inbox.

Thin views (design.md §3.3): access helper → form → one service call → redirect. A
:class:`bookings.services.BookingError` is shown next to the field it names, with the conflicting
bookings listed under the form; never a 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from situok.approvals import ApprovalError, approval_status
from situok.formats import to_local
from situok.permissions import has_perm, require_login
from situok.uploads import serve_protected
from staff.selectors import employee_for_user

from . import selectors, services
from .filters import BookingFilter
from .forms import (
    STATUS_BADGES,
    BookingRequestForm,
    BumpForm,
    CancelForm,
    DriverForm,
    NoShowForm,
    RescheduleForm,
    SeriesForm,
)
from .models import Booking, Driver, Resource
from .queries import trips_for_vehicle_booking

PAGE_SIZE = 25
# Service field names that the forms call differently.
FIELD_ALIASES = {"start_time": "start", "end_time": "end", "at": "returned_time", "fuel_level": "fuel_level"}


def form_error(form, exc: ApprovalError | ValidationError) -> list:
    """Put a service error next to its field (or on top); return the conflicting bookings to list."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return []
    field = FIELD_ALIASES.get(exc.field or "", exc.field)
    field = field if field in form.fields else None
    form.add_error(field, exc.message)
    return list(getattr(exc, "conflicts", None) or [])


def with_badges(bookings) -> list[Booking]:
    """The bookings as a list, each with ``badge_css`` (its status colour)."""
    rows = list(bookings)
    for b in rows:
        b.badge_css = STATUS_BADGES.get(b.status, "text-bg-secondary")
    return rows


def _me_or_404(request: HttpRequest):
    me = employee_for_user(request.user)
    if me is None:
        raise Http404
    return me


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("jenis") or request.POST.get("jenis") or Resource.Kind.ROOM
    return kind if kind in Resource.Kind.values else Resource.Kind.ROOM


def _initial_from_query(request: HttpRequest) -> dict:
    """Prefill from the availability search's "Pesan" button (``sumber``, ``tanggal``, ``mulai``,
    ``selesai``, ``orang``)."""
    initial = {}
    keys = {
        "sumber": "resource",
        "tanggal": "start_date",
        "mulai": "start",
        "selesai": "end",
        "orang": "participants",
    }
    for param, field in keys.items():
        if request.GET.get(param):
            initial[field] = request.GET[param]
    return initial


# --- Request --------------------------------------------------------------------------------------------


@require_login
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    me = _me_or_404(request)
    kind = _kind(request)
    manager = selectors.booking_can_manage(request.user)
    trips = trips_for_vehicle_booking(request.user) if kind == Resource.Kind.VEHICLE else None
    form = BookingRequestForm(
        request.POST or None,
        request.FILES or None,
        kind=kind,
        manager=manager,
        trips=trips,
        initial=_initial_from_query(request),
    )
    conflicts: list = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        extra = {k: data[k] for k in ("destination", "passengers", "needs_driver", "trip") if k in data}
        if manager:
            extra.update(
                outside_party=data["outside_party"],
                outside_contact=data["outside_contact"],
                outside_letter=data["outside_letter"],
                priority=bool(data["bump_reason"]),
                bump_reason=data["bump_reason"],
            )
        try:
            booking = services.booking_request(
                resource=data["resource"], requester=me, start=form.start_at, end=form.end_at,
                purpose=data["purpose"], participants=data["participants"],
                attachment=data["attachment"], by=request.user, request=request, **extra,
            )  # fmt: skip
        except (ApprovalError, ValidationError) as exc:
            conflicts = form_error(form, exc)
        else:
            messages.success(request, _("Permohonan peminjaman terkirim."))
            return redirect("bookings:booking_detail", pk=booking.pk)
    context = {"form": form, "kind": kind, "conflicts": conflicts, "manager": manager}
    return render(request, "bookings/request_form.html", context)


@require_login
@require_http_methods(["GET", "POST"])
def series_create(request: HttpRequest) -> HttpResponse:
    """Recurring booking: "Pratinjau" lists every occurrence with its conflicts; the requester then
    submits skipping the conflicting dates, or goes back (cancel)."""
    me = _me_or_404(request)
    form = SeriesForm(request.POST or None, request.FILES or None)
    preview = None
    conflicts: list = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rule = form.rule()
        if request.POST.get("action") == "submit":
            try:
                series = services.series_create(
                    rule=rule, requester=me, purpose=data["purpose"], participants=data["participants"],
                    attachment=data["attachment"], by=request.user,
                    skip_conflicts=bool(request.POST.get("skip_conflicts")), request=request,
                )  # fmt: skip
            except (ApprovalError, ValidationError) as exc:
                conflicts = form_error(form, exc)
            else:
                messages.success(request, _("Permohonan peminjaman berulang terkirim."))
                return redirect("bookings:series_detail", pk=series.pk)
        if request.POST.get("action") != "submit" or form.errors:
            try:
                preview = services.series_preview(rule, participants=data["participants"], by=request.user)
            except ApprovalError as exc:
                form_error(form, exc)
        if preview is not None and len(preview) > SeriesForm.MAX_OCCURRENCES:
            form.add_error("until", _("Terlalu banyak kejadian; persingkat seri."))
            preview = None
    blocked = [o for o in preview or [] if not o.ok]
    context = {
        "form": form,
        "preview": preview,
        "blocked": blocked,
        "usable": len(preview or []) - len(blocked),
        "conflicts": conflicts,
    }
    return render(request, "bookings/series_form.html", context)


# --- Lists and detail -----------------------------------------------------------------------------------


@require_login
@require_GET
def my_bookings(request: HttpRequest) -> HttpResponse:
    """My bookings; with ``semua=1`` everything the user may see (operators and leaders: all)."""
    everything = request.GET.get("semua") == "1"
    base = selectors.bookings_visible_to(request.user)
    if not everything:
        me = employee_for_user(request.user)
        base = base.filter(requester=me) if me is not None else base.filter(created_by=request.user)
    filterset = BookingFilter(request.GET, queryset=base)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_badges(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    sees_all = has_perm(request.user, "bookings.view_booking") or selectors.booking_can_manage(request.user)
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "everything": everything,
        "badges": STATUS_BADGES,
        "can_export": sees_all,
        "export_query": query.urlencode(),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "bookings/partials/booking_rows.html", context)
    return render(request, "bookings/my_bookings.html", context)


@require_login
@require_GET
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_get_for_user(request.user, pk)
    can_change = selectors.booking_can_change(request.user, booking)
    manager = selectors.booking_can_manage(request.user)
    trip_log = getattr(booking, "trip_log", None) if booking.is_vehicle else None
    photos = list(trip_log.photos.all()) if trip_log is not None else []
    active = booking.status in Booking.ACTIVE
    context = {
        "booking": booking,
        "badge": STATUS_BADGES.get(booking.status, "text-bg-secondary"),
        "history": selectors.booking_history(booking),
        "approval": approval_status(booking, user=request.user)
        if booking.series_id is None
        else approval_status(booking.series, user=request.user),
        "can_cancel": can_change and active,
        "can_reschedule": can_change and active and booking.series_id is None,
        "manager": manager,
        "can_bump": manager and booking.status == Booking.Status.PENDING,
        "can_assign_driver": manager and booking.is_vehicle and active,
        "can_handover": manager
        and booking.is_vehicle
        and booking.status == Booking.Status.APPROVED
        and trip_log is None,
        "can_return": manager and trip_log is not None and not trip_log.is_returned,
        "can_no_show": manager and booking.status == Booking.Status.APPROVED and not booking.no_show,
        "trip_log": trip_log,
        "handover_photos": [p for p in photos if p.stage == "handover"],
        "return_photos": [p for p in photos if p.stage == "return"],
        "span": selectors.span_text(booking.start, booking.end),
    }
    return render(request, "bookings/booking_detail.html", context)


@require_login
@require_GET
def booking_attachment(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    booking = selectors.booking_get_for_user(request.user, pk)
    fieldfile = {"lampiran": booking.attachment, "surat": booking.outside_letter}.get(which)
    if not fieldfile:
        raise Http404
    return serve_protected(fieldfile, download_name=f"{which}-peminjaman-{booking.pk}")


# --- Actions of the requester ------------------------------------------------------------------------------


@require_login
@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel one booking (one occurrence of a series) — or, with ``seterusnya=1``, this occurrence and
    every later one of its series."""
    booking = selectors.booking_get_for_user(request.user, pk, write=True)
    if booking.status not in Booking.ACTIVE:
        messages.info(request, _("Peminjaman ini tidak dapat dibatalkan lagi."))
        return redirect("bookings:booking_detail", pk=booking.pk)
    rest = booking.series_id is not None and (request.GET.get("seterusnya") or request.POST.get("seterusnya"))
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if rest:
                cancelled = services.series_cancel_from(
                    booking, by=request.user, reason=reason, request=request
                )
                messages.success(
                    request, _("%(n)s peminjaman dalam seri ini dibatalkan.") % {"n": len(cancelled)}
                )
            elif booking.series_id is not None:
                services.occurrence_cancel(booking, by=request.user, reason=reason, request=request)
                messages.success(request, _("Peminjaman dibatalkan."))
            else:
                services.booking_cancel(booking, by=request.user, reason=reason, request=request)
                messages.success(request, _("Peminjaman dibatalkan."))
        except (ApprovalError, ValidationError) as exc:
            form_error(form, exc)
        else:
            return redirect("bookings:booking_detail", pk=booking.pk)
    context = {
        "form": form,
        "booking": booking,
        "rest": bool(rest),
        "span": selectors.span_text(booking.start, booking.end),
    }
    return render(request, "bookings/booking_cancel.html", context)


@require_login
@require_http_methods(["GET", "POST"])
def booking_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_get_for_user(request.user, pk, write=True)
    if booking.status not in Booking.ACTIVE or booking.series_id is not None:
        messages.info(request, _("Jadwal peminjaman ini tidak dapat diubah."))
        return redirect("bookings:booking_detail", pk=booking.pk)
    start, end = to_local(booking.start), to_local(booking.end)
    initial = {"start_date": start.date(), "start": start.time(), "end_date": end.date(), "end": end.time()}
    form = RescheduleForm(request.POST or None, initial=initial)
    conflicts: list = []
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_reschedule(
                booking, start=form.start_at, end=form.end_at, by=request.user, request=request
            )
        except (ApprovalError, ValidationError) as exc:
            conflicts = form_error(form, exc)
        else:
            messages.success(request, _("Jadwal peminjaman diubah."))
            return redirect("bookings:booking_detail", pk=booking.pk)
    context = {"form": form, "booking": booking, "conflicts": conflicts}
    return render(request, "bookings/booking_reschedule.html", context)


# --- Actions of the Operator Peminjaman -------------------------------------------------------------------


def _managed_booking(request: HttpRequest, pk: int) -> Booking:
    booking = selectors.booking_get_for_user(request.user, pk, write=True)
    if not selectors.booking_can_manage(request.user):
        raise PermissionDenied
    return booking


@require_login
@require_http_methods(["GET", "POST"])
def booking_bump(request: HttpRequest, pk: int) -> HttpResponse:
    """A leadership event takes the slot: the conflicting bookings are bumped and their requesters told."""
    booking = _managed_booking(request, pk)
    form = BumpForm(request.POST or None)
    conflicts = selectors.booking_conflicts(booking.resource, booking.start, booking.end, exclude=booking)
    if request.method == "POST" and form.is_valid():
        try:
            bumped = services.booking_bump(
                booking, by=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except (ApprovalError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("%(n)s peminjaman digeser; pemohonnya telah diberi tahu.") % {"n": len(bumped)},
            )
            return redirect("bookings:booking_detail", pk=booking.pk)
    context = {"form": form, "booking": booking, "conflicts": conflicts}
    return render(request, "bookings/booking_bump.html", context)


@require_login
@require_http_methods(["GET", "POST"])
def booking_driver(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _managed_booking(request, pk)
    if not booking.is_vehicle:
        raise Http404
    drivers = selectors.free_drivers(booking.start, booking.end, exclude=booking)
    ids = [d.pk for d in drivers] + ([booking.driver_id] if booking.driver_id else [])
    queryset = Driver.objects.filter(pk__in=ids).select_related("employee").order_by("employee__name")
    form = DriverForm(request.POST or None, drivers=queryset, initial={"driver": booking.driver_id})
    conflicts: list = []
    if request.method == "POST" and form.is_valid():
        try:
            services.driver_assign(
                booking, driver=form.cleaned_data["driver"], by=request.user, request=request
            )
        except (ApprovalError, ValidationError) as exc:
            conflicts = form_error(form, exc)
        else:
            messages.success(request, _("Pengemudi disimpan."))
            return redirect("bookings:booking_detail", pk=booking.pk)
    context = {"form": form, "booking": booking, "conflicts": conflicts}
    return render(request, "bookings/booking_driver.html", context)


@require_login
@require_http_methods(["GET", "POST"])
def booking_no_show(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _managed_booking(request, pk)
    form = NoShowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_mark_no_show(booking, by=request.user, request=request)
        except (ApprovalError, ValidationError) as exc:
            form_error(form, exc)
            messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
        else:
            messages.success(request, _("Peminjaman ditandai tidak hadir."))
        return redirect("bookings:booking_detail", pk=booking.pk)
    return render(
        request,
        "bookings/booking_no_show.html",
        {"form": form, "booking": booking, "span": selectors.span_text(booking.start, booking.end)},
    )


# --- Series ------------------------------------------------------------------------------------------------


@require_login
@require_GET
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = selectors.series_get_for_user(request.user, pk)
    occurrences = with_badges(series.occurrences.select_related("resource").order_by("start", "id"))
    can_change = has_perm(request.user, "bookings.manage_booking") or request.user.pk in (
        series.created_by_id,
        series.requester.user_id,
    )
    context = {
        "series": series,
        "occurrences": occurrences,
        "badges": STATUS_BADGES,
        "approval": approval_status(series, user=request.user),
        "can_change": can_change,
    }
    return render(request, "bookings/series_detail.html", context)


urlpatterns = [
    path("", my_bookings, name="my_bookings"),
    path("ajukan/", request_create, name="request_create"),
    path("ajukan/berulang/", series_create, name="series_create"),
    path("<int:pk>/", booking_detail, name="booking_detail"),
    path("<int:pk>/berkas/<slug:which>/", booking_attachment, name="booking_attachment"),
    path("<int:pk>/batal/", booking_cancel, name="booking_cancel"),
    path("<int:pk>/jadwal-ulang/", booking_reschedule, name="booking_reschedule"),
    path("<int:pk>/geser/", booking_bump, name="booking_bump"),
    path("<int:pk>/pengemudi/", booking_driver, name="booking_driver"),
    path("<int:pk>/tidak-hadir/", booking_no_show, name="booking_no_show"),
    path("seri/<int:pk>/", series_detail, name="series_detail"),
]
