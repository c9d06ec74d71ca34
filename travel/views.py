"""SPT workflow pages: my trips, the SPT register, the SPT form, the detail page and its POST actions, the
pickers of the form (employees, regions) and the register's regency options. Thin views: access helper →
form → one service call."""

from __future__ import annotations

import functools
import html
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_script_prefix, get_urlconf, path, reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from situok import derived, formats
from situok.actions import flash_outcome
from situok.approvals import approval_status
from situok.permissions import has_perm, require_login
from situok.regions import Region
from situok.tables import EM_DASH, Kept, esc, fill, frame, markup_context, slot, url_maker
from situok.templatetags.situok_ui import form_field
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
    register_labels,
    register_page,
    register_row,
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


# --- The SPT register ---------------------------------------------------------------------------------
# Rendered in Python: the page's fixed markup (labels, URLs) is built once per language and URL prefix
# and each request only fills the slots (\x00name\x00) — the template language spent more on the ~60
# nodes of this page than the query did. travel/register.html adds the shell (title, breadcrumbs).
_FIELD = '<div class="col-12 col-sm-6 col-md-4 col-lg-3">{}</div>'


@functools.lru_cache(maxsize=16)
def _register_frames(language: str, prefix: str, urlconf: str | None) -> tuple[tuple[str, ...], ...]:
    """(page content, the ``#register-rows`` part): fixed markup split around its slots (NUL-delimited
    names at odd positions, see :func:`situok.tables.fill`)."""
    register_url = esc(reverse("travel:register"))
    xlsx_url = esc(reverse("export_download", args=["travel-register", "xlsx"]))
    pdf_url = esc(reverse("export_download", args=["travel-register", "pdf"]))
    # Column visibility (SPT date and budget line from lg, destinations from md) and the cells' typography
    # are rules of .spt-register in static/css/app.css, not classes repeated on every cell.
    heads = (
        _("Nomor SPT"), _("Tanggal SPT"), _("Pelaksana"), _("Tujuan"), _("Berangkat – kembali"),
        _("Mata anggaran"), _("Status"),
    )  # fmt: skip
    table = (
        '\n<div class="table-responsive">\n<table class="table table-sm table-hover align-middle spt-register" '
        'data-testid="register-table">\n<thead><tr>'
        + "".join(f'<th scope="col">{esc(label)}</th>' for label in heads)
        + f"</tr></thead>\n<tbody>\n{slot('rows')}</tbody>\n</table>\n</div>\n"
        f'<nav aria-label="{esc(_("Halaman"))}"><ul class="pagination pagination-sm">\n  {slot("first")}\n'
        f"  {slot('next')}\n</ul></nav>\n"
    )
    content = (
        '\n<div class="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2">\n'
        f'  <h1 class="h4 mb-0">{esc(_("Buku Register SPT"))}</h1>\n'
        f'  <div class="btn-group btn-group-sm" role="group" aria-label="{esc(_("Ekspor"))}">\n'
        f'    <a class="btn btn-outline-success" href="{xlsx_url}?{slot("query")}" data-testid="export-xlsx">'
        '<i class="bi bi-file-earmark-excel" aria-hidden="true"></i> Excel</a>\n'
        f'    <a class="btn btn-outline-danger" href="{pdf_url}?{slot("query")}" data-testid="export-pdf">'
        '<i class="bi bi-file-earmark-pdf" aria-hidden="true"></i> PDF</a>\n  </div>\n</div>\n'
        f"{slot('scoped')}\n"
        f'<form method="get" class="card card-body mb-3" hx-get="{register_url}" hx-target="#register-rows" '
        'hx-push-url="true" hx-trigger="input changed delay:400ms from:input[type=search], change from:select, '
        'change from:input[type=date], submit">\n  <div class="row g-2">\n    '
        f"{slot('fields')}\n"
        '    <div class="col-6 col-md-4 col-lg-3"><label class="form-label" for="per_page">'
        f"{esc(_('Baris per halaman'))}</label>\n"
        f'      <select class="form-select" name="per_page" id="per_page">{slot("sizes")}</select></div>\n'
        "  </div>\n"
        f'  <div class="d-flex gap-2"><button type="submit" class="btn btn-primary btn-sm">{esc(_("Terapkan"))}'
        "</button>\n"
        f'  <a class="btn btn-link btn-sm" href="{register_url}">{esc(_("Atur ulang"))}</a></div>\n</form>\n'
        f'<div id="register-rows">{table}</div>\n'
    )
    return frame(content), frame(table)


@functools.lru_cache(maxsize=16)
def _register_texts(language: str) -> dict[str, Any]:
    """Translated, escaped labels of the register's variable parts."""
    return {
        "draft": _("SPT draf #%(id)s"),  # as Trip.__str__, escaped with the number
        "empty": '<tr><td colspan="7" class="text-body-secondary">'
        f"{esc(_('Tidak ada SPT yang cocok dengan filter.'))}</td></tr>\n",
        "first": esc(_("Halaman pertama")),
        "next": esc(_("Berikutnya")),
        "scoped": '<p class="small text-body-secondary">'
        f"{esc(_('Menampilkan SPT unit yang Anda pimpin dan SPT Anda sendiri.'))}</p>",
        "statuses": {
            value: (STATUS_BADGES.get(value, "text-bg-success"), esc(label))
            for value, label in Trip.Status.choices
        },
    }


# The markup of a row is a function of its columns (RegisterPage.rows), the unit labels and budget codes,
# the language and the URL prefix: kept per those, as the register's first pages are read again and again.
# A changed row has other columns, so it never meets the markup of its old values; nothing goes stale.
_ROW_MARKUP = Kept(4096)


def _register_rows(rows: list[tuple], texts: dict) -> str:
    """The ``<tr>`` rows, one line each, bare cells (the table head names them; .spt-register styles them),
    every value escaped."""
    context = markup_context(("staff", "travel_budget"))  # the unit labels and budget codes
    parts, missing = [], []
    for raw in rows:
        markup = _ROW_MARKUP.get((context, raw)) if context else None
        parts.append(markup)
        if markup is None:
            missing.append(len(parts) - 1)
    if missing:
        units, codes = register_labels()
        built = _rows_markup([register_row(rows[i], units, codes) for i in missing], texts)
        for i, markup in zip(missing, built, strict=True):
            parts[i] = (
                _ROW_MARKUP.keep((context, rows[i]), markup, adding=len(missing)) if context else markup
            )
    return "".join(parts)


def _rows_markup(items: list[RegisterRow], texts: dict) -> list[str]:
    """The markup of each of ``items``."""
    detail_url = url_maker("travel:trip_detail")
    statuses, draft = texts["statuses"], texts["draft"]
    tanggal = functools.cache(formats.tanggal)  # digits and month names: nothing to escape
    label = functools.cache(html.escape)  # units, budget codes, places, regions repeat within a page
    escape = html.escape
    lengths: dict[int, str] = {}
    rows = []
    for t in items:
        days = (t.return_date - t.depart_date).days + 1
        length = lengths.get(days)
        if length is None:
            length = lengths[days] = escape(ngettext("%(days)s hari", "%(days)s hari", days) % {"days": days})
        badge, status = statuses.get(t.status) or ("text-bg-success", escape(t.status))
        number = escape(t.spt_number or draft % {"id": t.pk})
        back = f"<br>{tanggal(t.return_date)}" if t.return_date != t.depart_date else ""
        places = "; ".join(
            f"{label(place)} ({label(region)})" if place and region else label(place or region or "")
            for place, region in t.destinations
        )
        rows.append(
            f'<tr><td><a href="{detail_url(t.pk)}">{number}</a><div>{label(t.unit)}</div></td>'
            f"<td>{tanggal(t.spt_date) or EM_DASH}</td><td>{escape(', '.join(t.members))}</td><td>{places}</td>"
            f"<td>{tanggal(t.depart_date)}{back}<div>{length}</div></td>"
            f"<td>{label(t.kode_rekening) if t.kode_rekening else EM_DASH}</td>"
            f'<td><span class="badge {badge}" data-testid="trip-status">{status}</span></td></tr>\n'
        )
    return rows


_FIELDS_KEPT = Kept(64)
_FIELDS_GROUPS = ("staff", "regions", "travel_budget")  # what the options of the filter form read


def _filter_fields(form) -> str:
    """The filter form's fields. Without errors their markup follows from the language, the versions of the
    tables their options read and the submitted values (the regency options included: they follow the
    province): it is kept for those — most requests show the register unfiltered, or as just filtered."""
    values = tuple(form.data.get(name) for name in form.fields)  # what the widgets show
    context = markup_context(_FIELDS_GROUPS)
    kept = _FIELDS_KEPT.get((context, values))
    if kept is not None:
        return kept
    markup = "".join(_FIELD.format(form_field(field)) for field in form.visible_fields())
    if form.errors or context is None or sum(len(value or "") for value in values) > 200:
        return markup  # not kept: errors, data without a version, long input
    return _FIELDS_KEPT.keep((context, values), markup)


def _register_filter(request: HttpRequest) -> TripFilter:
    return TripFilter(request.GET, queryset=trips_visible_to(request.user))


@require_login
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """Buku register SPT: everything the user may see (all, or their units'), filtered, keyset pages."""
    sees_all = has_perm(request.user, "travel.view_trip") or has_perm(request.user, "travel.manage_trip")
    if not sees_all and not can_see_register(request.user):
        raise PermissionDenied
    filterset = _register_filter(request)
    try:
        per_page = int(request.GET.get("per_page", REGISTER_PAGE_SIZES[0]))
    except ValueError:
        per_page = REGISTER_PAGE_SIZES[0]
    per_page = per_page if per_page in REGISTER_PAGE_SIZES else REGISTER_PAGE_SIZES[0]
    qs = filterset.qs  # validates the form
    page = register_page(qs, request.GET.get("cursor"), per_page=per_page, narrow=filterset.narrow)
    query = request.GET.copy()
    query.pop("cursor", None)
    query = esc(query.urlencode())
    language = get_language()
    texts = _register_texts(language)
    content, table = _register_frames(language, get_script_prefix(), get_urlconf())
    values = {
        "query": query,
        "rows": _register_rows(page.rows, texts) if page.rows else texts["empty"],
        "first": f'<li class="page-item"><a class="page-link" href="?{query}">{texts["first"]}</a></li>'
        if page.cursor
        else "",
        "next": f'<li class="page-item"><a class="page-link" href="?{query}{"&amp;" if query else ""}cursor='
        f'{esc(page.next_cursor)}" data-testid="next-page">{texts["next"]}</a></li>'
        if page.has_next
        else "",
    }
    if request.headers.get("HX-Request"):
        return HttpResponse(fill(table, values))
    values["scoped"] = "" if sees_all else texts["scoped"]
    values["fields"] = _filter_fields(filterset.form)
    values["sizes"] = "".join(
        f'<option value="{n}"{" selected" if n == per_page else ""}>{n}</option>' for n in REGISTER_PAGE_SIZES
    )
    context = {"filter": filterset, "page": page, "content": fill(content, values)}
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


def _regency_options(field) -> tuple[tuple[str, str, str], ...]:
    """``(value, option, option selected)`` of the regency select ``field`` (one province's regencies, see
    travel.filters.RegencyChoiceField), built once per language, regions version and province."""

    def build():
        options = []
        for value, label in field.choices:
            head, tail = f'<option value="{esc(value)}"', f">{esc(label)}</option>"
            options.append((str(value), head + tail, f"{head} selected{tail}"))
        return tuple(options)

    key = f"travel.register.regency_options|{get_language()}|{field.province or ''}"
    return derived.cached(key, depends_on=("regions",), compute=build)


@require_login
@require_GET
def regency_options(request: HttpRequest) -> HttpResponse:
    """The ``<option>``s of the register's regency select for ``?province=`` — htmx puts them in the select
    when the province changes. ``regency=`` stays selected when it lies in that province (the register's
    rule: the province wins); without a province only the empty option, asking for one."""
    form = TripFilter(request.GET, queryset=Trip.objects.none()).form
    form.is_valid()  # picks the regency field of the province (travel.filters.TripFilterForm)
    regency = form.cleaned_data.get("regency")
    selected = regency.code if regency else None
    return HttpResponse(
        "".join(
            chosen if value == selected else plain
            for value, plain, chosen in _regency_options(form.fields["regency"])
        )
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
    path("cari/kabupaten/", regency_options, name="regency_options"),
]
