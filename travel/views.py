"""SPT workflow pages: my trips, the SPT register, the SPT form, the detail page and its POST actions, and
the pickers of the form (employees, regions). Thin views: access helper → form → one service call."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from situok import formats
from situok.actions import flash_outcome
from situok.approvals import approval_status
from situok.permissions import has_perm, require_login
from situok.regions import Region
from situok.tables import Column, or_dash, render_rows, url_maker
from situok.uploads import serve_protected
from staff.models import Employee
from staff.selectors import employee_for_user, employee_list_for_user, supervised_unit_paths

from . import services
from .filters import TripFilter
from .forms import CancelForm, TripForm, region_label
from .models import Trip, TripAttachment
from .selectors import (
    EDITABLE_STATUSES,
    RegisterRow,
    can_see_register,
    my_trips,
    register_page,
    trip_can_cancel,
    trip_can_change,
    trip_can_withdraw,
    trip_get_for_user,
    trip_is_requester,
    trip_sppds,
    trips_visible_to,
    with_list_relations,
)

PER_PAGE = 25
REGISTER_PAGE_SIZES = (25, 50, 100)
SEARCH_LIMIT = 10


def _form_error(form, exc: services.TravelError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


# --- Lists -----------------------------------------------------------------------------------------
@require_login
@require_GET
def trip_list(request: HttpRequest) -> HttpResponse:
    """ "Perjalanan Dinas Saya": trips I travel on or created."""
    qs = my_trips(request.user)
    status = request.GET.get("status", "")
    if status in Trip.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(with_list_relations(qs), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "travel/trip_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Trip.Status.choices,
            "query": f"status={status}" if status else "",
            "can_register": can_see_register(request.user),
        },
    )


STATUS_BADGES = {  # travel/partials/status_badge.html
    Trip.Status.DRAFT: "text-bg-secondary",
    Trip.Status.SUBMITTED: "text-bg-primary",
    Trip.Status.RETURNED_FOR_REVISION: "text-bg-warning",
    Trip.Status.REJECTED: "text-bg-danger",
    Trip.Status.CANCELLED: "text-bg-danger",
    Trip.Status.SETTLED: "text-bg-dark",
}


def _register_columns() -> list[Column]:
    """The cells of travel/partials/register_rows.html (its head names them)."""
    detail_url = url_maker("travel:trip_detail")
    statuses = {value: str(label) for value, label in Trip.Status.choices}  # gettext once per page

    def number(t: RegisterRow) -> SafeString:
        return format_html(
            '<a href="{}">{}</a>\n        <div class="small text-body-secondary">{}</div>',
            detail_url(t.pk),
            t,
            t.unit_abbreviation or t.unit_name,
        )

    def destinations(t: RegisterRow) -> SafeString:
        shown = []
        for place, region in t.destinations:
            text = escape(place or region or "")
            shown.append(f"{text} ({escape(region)})" if place and region else text)
        return mark_safe("; ".join(shown))  # escaped above

    def dates(t: RegisterRow) -> SafeString:
        days = (t.return_date - t.depart_date).days + 1
        back = f"<br>{formats.tanggal(t.return_date)}" if t.return_date != t.depart_date else ""
        length = ngettext("%(days)s hari", "%(days)s hari", days) % {"days": days}
        return mark_safe(  # dates are digits and month names; the length is escaped
            f'{formats.tanggal(t.depart_date)}{back}<div class="text-body-secondary">{escape(length)}</div>'
        )

    def status(t: RegisterRow) -> SafeString:
        return format_html(
            '<span class="badge {}" data-testid="trip-status">{}</span>',
            STATUS_BADGES.get(t.status, "text-bg-success"),
            statuses.get(t.status, t.status),
        )

    return [
        Column(number, "text-nowrap"),
        Column(lambda t: or_dash(formats.tanggal(t.spt_date)), "d-none d-lg-table-cell small text-nowrap"),
        Column(lambda t: ", ".join(t.members), "small"),
        Column(destinations, "d-none d-md-table-cell small"),
        Column(dates, "small text-nowrap"),
        Column(lambda t: or_dash(t.kode_rekening), "d-none d-lg-table-cell small"),
        Column(status),
    ]


def _register_filter(request: HttpRequest) -> TripFilter:
    return TripFilter(request.GET, queryset=trips_visible_to(request.user))


@require_login
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """Buku register SPT: everything the user may see (all, or their units'), filtered, keyset pages."""
    if not can_see_register(request.user):
        raise PermissionDenied
    filterset = _register_filter(request)
    try:
        per_page = int(request.GET.get("per_page", REGISTER_PAGE_SIZES[0]))
    except ValueError:
        per_page = REGISTER_PAGE_SIZES[0]
    per_page = per_page if per_page in REGISTER_PAGE_SIZES else REGISTER_PAGE_SIZES[0]
    page = register_page(filterset.qs, request.GET.get("cursor"), per_page=per_page)
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "filter": filterset,
        "page": page,
        "rows": render_rows(page.items, _register_columns()),
        "query": query.urlencode(),
        "page_sizes": REGISTER_PAGE_SIZES,
        "scoped": not (
            has_perm(request.user, "travel.view_trip") or has_perm(request.user, "travel.manage_trip")
        ),
    }
    if request.headers.get("HX-Request"):
        return render(request, "travel/partials/register_rows.html", context)
    return render(request, "travel/register.html", context)


# --- Form ------------------------------------------------------------------------------------------
def _trip_form(request: HttpRequest, trip: Trip | None) -> HttpResponse:
    form = TripForm(request.POST or None, request.FILES or None, user=request.user, trip=trip)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.trip_save(
                by=request.user,
                trip=trip,
                data=form.service_data(),
                members=form.cleaned_data["members"],
                destinations=form.cleaned_data["destinations"],
                dasar=form.cleaned_data["dasar"].splitlines(),
                attachments=form.attachments(),
                remove_attachment_ids=form.removed_attachment_ids() if trip else (),
                request=request,
            )
        except services.TravelError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("SPT tersimpan sebagai draf."))
            members = [m.employee for m in saved.members.select_related("employee")]
            for employee, other in services.trip_conflicts(
                members, saved.depart_date, saved.return_date, saved
            ):
                messages.warning(request, services.conflict_message(employee, other))
            for warning in services.trip_warnings(saved):
                messages.warning(request, warning)
            return redirect("travel:trip_detail", pk=saved.pk)
    conflicts = []
    if form.is_bound and hasattr(form, "cleaned_data"):
        data = form.cleaned_data
        if data.get("members") and data.get("depart_date") and data.get("return_date"):
            conflicts = [
                services.conflict_message(e, t)
                for e, t in services.trip_conflicts(
                    data["members"], data["depart_date"], data["return_date"], trip
                )
            ]
    return render(
        request,
        "travel/trip_form.html",
        {"form": form, "trip": trip, "conflicts": conflicts, "region_label": region_label},
    )


@require_login
@require_http_methods(["GET", "POST"])
def trip_create(request: HttpRequest) -> HttpResponse:
    return _trip_form(request, None)


@require_login
@require_http_methods(["GET", "POST"])
def trip_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _trip_form(request, trip_get_for_user(request.user, pk, write=True))


# --- Detail and actions ----------------------------------------------------------------------------
@require_login
@require_GET
def trip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    trip = trip_get_for_user(request.user, pk)
    if trip.status in (Trip.Status.NUMBERED, Trip.Status.TRAVELLING) and services.trips_advance(
        timezone.localdate(), trip_ids=[trip.pk]
    ):
        trip = trip_get_for_user(request.user, pk)  # its status moved with the calendar
    members = list(
        trip.members.select_related("employee__position", "employee__unit", "sppd").order_by("order")
    )
    sppds = trip_sppds(trip)
    editable = trip.status in EDITABLE_STATUSES
    conflicts = []
    if editable:
        conflicts = [
            services.conflict_message(e, t)
            for e, t in services.trip_conflicts(
                [m.employee for m in members], trip.depart_date, trip.return_date, trip
            )
        ]
    context = {
        "trip": trip,
        "members": members,
        "destinations": list(trip.destinations.select_related("region__parent__parent").order_by("order")),
        "attachments": list(trip.attachments.order_by("id")),
        "approval": approval_status(trip, user=request.user),
        "sppds": sppds,
        "can_manage": has_perm(request.user, "travel.manage_trip"),
        "can_change": trip_can_change(request.user, trip),
        "can_cancel": trip_can_cancel(request.user, trip),
        "can_withdraw": trip_can_withdraw(request.user, trip),
        "warnings": services.trip_warnings(trip) if editable or trip.status == Trip.Status.SUBMITTED else [],
        "conflicts": conflicts,
        "cancel_form": CancelForm(),
        "region_label": region_label,
    }
    return render(request, "travel/trip_detail.html", context)


@require_login
@require_POST
def trip_submit(request: HttpRequest, pk: int) -> HttpResponse:
    trip = trip_get_for_user(request.user, pk, write=True)
    flash_outcome(
        request,
        lambda: services.trip_submit(trip, by=request.user, request=request),
        success=_("SPT diajukan untuk persetujuan."),
        errors=(services.TravelError,),
    )
    return redirect("travel:trip_detail", pk=trip.pk)


@require_login
@require_POST
def trip_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    trip = trip_get_for_user(request.user, pk)
    if not trip_is_requester(request.user, trip):
        raise PermissionDenied
    flash_outcome(
        request,
        lambda: services.trip_withdraw(trip, by=request.user, request=request),
        success=_("SPT ditarik kembali menjadi draf."),
        errors=(services.TravelError,),
    )
    return redirect("travel:trip_detail", pk=trip.pk)


@require_login
@require_POST
def trip_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    trip = trip_get_for_user(request.user, pk)
    if not trip_can_cancel(request.user, trip):
        raise PermissionDenied
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan pembatalan."))
        return redirect("travel:trip_detail", pk=trip.pk)
    flash_outcome(
        request,
        lambda: services.trip_cancel(
            trip, by=request.user, reason=form.cleaned_data["reason"], request=request
        ),
        success=_("SPT dibatalkan."),
        errors=(services.TravelError,),
    )
    return redirect("travel:trip_detail", pk=trip.pk)


@require_login
@require_GET
def attachment_download(request: HttpRequest, pk: int, att_pk: int) -> HttpResponse:
    trip = trip_get_for_user(request.user, pk)
    attachment = get_object_or_404(TripAttachment, pk=att_pk, trip=trip)
    if not attachment.file:
        raise Http404
    ext = attachment.file.name.rsplit(".", 1)[-1]
    return serve_protected(attachment.file, download_name=f"lampiran-spt-{trip.pk}-{attachment.pk}.{ext}")


# --- Pickers (htmx) --------------------------------------------------------------------------------
@require_login
@require_GET
def employee_search(request: HttpRequest) -> HttpResponse:
    """Active employees by name or NIP the user may put on an SPT (operators: anyone; others: their own
    unit and the units they head)."""
    q = " ".join(request.GET.get("q", "").split())
    results: list[Employee] = []
    if len(q) >= 2:
        qs = employee_list_for_user(request.user).filter(status=Employee.Status.AKTIF)
        if not (has_perm(request.user, "travel.add_trip") or has_perm(request.user, "travel.manage_trip")):
            me = employee_for_user(request.user)
            scope = Q(pk=me.pk) | Q(unit__path__startswith=me.unit.path) if me is not None else Q(pk__in=[])
            for unit_path in supervised_unit_paths(request.user):
                scope |= Q(unit__path__startswith=unit_path)
            qs = qs.filter(scope)
        digits = q.replace(" ", "")
        match = Q(nip__startswith=digits) if digits.isdigit() and len(digits) >= 4 else Q(name__icontains=q)
        results = list(qs.filter(match).order_by("name", "id")[:SEARCH_LIMIT])
    return render(request, "travel/partials/employee_results.html", {"results": results, "q": q})


@require_login
@require_GET
def region_search(request: HttpRequest) -> HttpResponse:
    """Kemendagri regions (province / regency / district) by name or code, for a destination slot."""
    q = " ".join(request.GET.get("q", "").split())
    slot = request.GET.get("slot", "")
    results = []
    if len(q) >= 2:
        match = Q(code__startswith=q) if q[:2].isdigit() else Q(name__icontains=q)
        rows = Region.objects.filter(match).select_related("parent__parent").order_by("level", "code")
        results = [(r, region_label(r)) for r in rows[:15]]
    return render(
        request,
        "travel/partials/region_results.html",
        {"results": results, "q": q, "slot": slot if slot.isdigit() else ""},
    )


urlpatterns = [
    path("", trip_list, name="trip_list"),
    path("register/", register, name="register"),
    path("spt/baru/", trip_create, name="trip_create"),
    path("spt/<int:pk>/", trip_detail, name="trip_detail"),
    path("spt/<int:pk>/ubah/", trip_edit, name="trip_edit"),
    path("spt/<int:pk>/ajukan/", trip_submit, name="trip_submit"),
    path("spt/<int:pk>/tarik/", trip_withdraw, name="trip_withdraw"),
    path("spt/<int:pk>/batal/", trip_cancel, name="trip_cancel"),
    path("spt/<int:pk>/lampiran/<int:att_pk>/", attachment_download, name="attachment_download"),
    path("cari/pegawai/", employee_search, name="employee_search"),
    path("cari/wilayah/", region_search, name="region_search"),
]
