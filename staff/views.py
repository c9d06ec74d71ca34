"""Staff records: list and search, profile, editing, histories, documents, self-service corrections."""

from __future__ import annotations

from html import escape

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from situok import derived, formats
from situok.approvals import approval_status
from situok.pagination import id_page
from situok.permissions import has_perm, require_login, require_perm
from situok.tables import EM_DASH, url_maker
from situok.uploads import serve_protected
from situok.views_approvals import DECISIONS as APPROVAL_DECISIONS
from situok.views_approvals import DecisionForm as ApprovalDecisionForm

from . import services
from .filters import EmployeeFilter
from .forms import HISTORY_FORMS, CorrectionForm, DocumentForm, EmployeeForm
from .models import CorrectionRequest, Employee, OrgUnit, Position, StaffDocument, name_with_titles
from .privacy import personal_fields, personal_view_log
from .reminders import ReminderKind, reminder_query, staff_reminders
from .rules import golongan_display
from .selectors import (
    Access,
    employee_access,
    employee_derived,
    employee_for_user,
    employee_get_for_user,
    employee_list_for_user,
    employee_supervisor,
)

PAGE_SIZES = (25, 50, 100)


def _form_error(form, exc: services.StaffError | ValidationError) -> None:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
    else:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)


# The columns a list row reads (values, no model instances; all in employee_list_idx, staff migration
# 0006) in the order _employee_rows unpacks them; unit and position names come from
# :func:`_unit_and_position_names`.
LIST_FIELDS = ("id", "name", "front_title", "back_title", "nip", "golongan", "pppk_golongan", "status",
               "unit_id", "position_id")  # fmt: skip


# The list's rows as values, resolved once per process; each request narrows a clone (``.all()``), so
# neither the field lookups of ``values_list`` nor a select_related the page never reads are redone.
_LIST_ROWS = Employee.objects.values_list(*LIST_FIELDS)


def _unit_and_position_names() -> tuple[dict[int, str], dict[int, str]]:
    """Names of every unit and position (small reference tables), HTML-escaped, read once per version
    of the staff tables instead of joined into every page query."""

    def compute():
        units = OrgUnit.objects.values_list("id", "name")
        positions = Position.objects.values_list("id", "name")
        return {pk: escape(name) for pk, name in units}, {pk: escape(name) for pk, name in positions}

    return derived.cached("staff.list.unit_position_html", depends_on=("staff",), compute=compute)


_STATUS_LABELS: dict[str, dict[str, str]] = {}  # language → status → label (HTML)


def _status_labels() -> dict[str, str]:
    """The status labels in the active language, HTML-escaped (translated once per language)."""
    language = get_language()
    labels = _STATUS_LABELS.get(language)
    if labels is None:
        labels = {value: escape(str(label)) for value, label in Employee.Status.choices}
        _STATUS_LABELS[language] = labels
    return labels


def _nip_html(nip: str) -> str:
    """``formats.nip_display`` escaped; a plain 18-digit NIP (nearly all) grouped here directly."""
    if len(nip) == 18 and nip.isascii() and nip.isdigit():
        return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    return escape(formats.nip_display(nip))


def _employee_rows(rows, show_record: bool) -> SafeString:
    """The ``<tr>`` elements of staff/partials/employee_rows.html (its head names the cells) for rows of
    :data:`LIST_FIELDS` (``situok.pagination.Row``); one string per row, every value escaped. NIP,
    golongan and status only with ``show_record``. The cells carry no classes: the table's class lays
    them out (static/css/app.css, "staff list"), a few hundred bytes less per row. The position is
    also under the name (shown on phones, where its column is hidden) when there is one."""
    detail_url = url_maker("staff:employee_detail")
    statuses = _status_labels()
    units, positions = _unit_and_position_names()
    parts = []
    for pk, name, front_title, back_title, nip, golongan, pppk_golongan, status, unit_id, position_id in rows:
        position = positions.get(position_id, "") if position_id else ""
        head = (
            f'<tr><td><a href="{detail_url(pk)}">{escape(name_with_titles(front_title, name, back_title))}</a>'
            f"{f'<div>{position}</div>' if position else ''}</td>"
        )
        tail = f"<td>{position or EM_DASH}</td><td>{units.get(unit_id, '')}</td>"
        if show_record:
            parts.append(
                f"{head}<td>{_nip_html(nip) if nip else EM_DASH}</td>"
                f"<td>{escape(golongan or pppk_golongan or EM_DASH)}</td>{tail}"
                f"<td>{statuses.get(status) or escape(status)}</td></tr>\n"
            )
        else:
            parts.append(f"{head}{tail}</tr>\n")
    return SafeString("".join(parts))


@require_login
@require_GET
def employee_list(request: HttpRequest) -> HttpResponse:
    base = employee_list_for_user(request.user, queryset=_LIST_ROWS.all())
    filterset = EmployeeFilter(request.GET, queryset=base)
    try:
        per_page = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        per_page = PAGE_SIZES[0]
    per_page = per_page if per_page in PAGE_SIZES else PAGE_SIZES[0]
    page = id_page(
        filterset.qs,
        per_page=per_page,
        number=request.GET.get("page"),
        depends_on=("staff",),  # employees, their units and positions
        fields=LIST_FIELDS,
        # PostgreSQL reads every page from employee_list_idx (staff migration 0006).
        covered=connections[base.db].vendor == "postgresql",
    )
    query = request.GET.copy()
    query.pop("page", None)
    show_record = has_perm(request.user, "staff.view_employee")
    context = {
        "filter": filterset,
        "page": page,
        "rows": _employee_rows(page.object_list, show_record),
        "query": query.urlencode(),
        "show_record": show_record,
        "can_export": show_record,
        "can_export_personal": show_record and has_perm(request.user, "staff.view_personal_data"),
        "can_add": has_perm(request.user, "staff.add_employee"),
        "page_sizes": PAGE_SIZES,
    }
    if request.headers.get("HX-Request"):
        return render(request, "staff/partials/employee_rows.html", context)
    return render(request, "staff/employee_list.html", context)


def _detail_context(request: HttpRequest, employee: Employee) -> dict:
    access = employee_access(request.user, employee)
    context = {
        "employee": employee,
        "see_record": access >= Access.RECORD,
        "see_personal": access >= Access.FULL,
    }
    if access >= Access.RECORD:
        employee = Employee.objects.prefetch_related(
            "rank_history", "position_history", "education_history", "kgb_history",
            Prefetch("documents", queryset=StaffDocument.objects.order_by("-date", "-id")),
        ).select_related("unit", "position", "supervisor", "user").get(pk=employee.pk)  # fmt: skip
        context.update(
            employee=employee,
            derived=employee_derived(employee),
            personal=personal_fields(request.user, employee),
            supervisor=employee_supervisor(employee),
            pangkat=golongan_display(employee.golongan) if employee.golongan else "",
        )
    return context


@require_login
@require_GET
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_get_for_user(request.user, pk)
    context = _detail_context(request, employee)
    if context["see_personal"]:
        personal_view_log(request, employee)
    context["can_change"] = has_perm(request.user, "staff.change_employee")
    return render(request, "staff/employee_detail.html", context)


@require_login
@require_GET
def my_profile(request: HttpRequest) -> HttpResponse:
    me = employee_for_user(request.user)
    if me is None:
        raise Http404
    context = _detail_context(request, me)
    context["is_me"] = True
    correction = (
        me.correction_requests.select_related("decided_by__employee").order_by("-created_at", "-id").first()
    )
    context["correction"] = correction
    context["correction_approval"] = approval_status(correction, user=request.user) if correction else None
    return render(request, "staff/employee_detail.html", context)


@require_login
@require_GET
def employee_photo(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_get_for_user(request.user, pk)
    if not employee.photo:
        raise Http404
    return serve_protected(employee.photo, download_name=f"foto-{employee.pk}", as_attachment=False)


@require_perm("staff.add_employee")
@require_http_methods(["GET", "POST"])
def employee_create(request: HttpRequest) -> HttpResponse:
    return _employee_form(request, Employee(status=Employee.Status.AKTIF))


@require_login
@require_http_methods(["GET", "POST"])
def employee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _employee_form(request, employee_get_for_user(request.user, pk, write=True))


def _employee_form(request: HttpRequest, employee: Employee) -> HttpResponse:
    form = EmployeeForm(request.POST or None, instance=employee)
    if request.method == "POST" and form.is_valid():
        try:
            warnings = services.employee_save(form.instance, by=request.user, request=request)
        except (services.StaffError, ValidationError) as exc:
            _form_error(form, exc)
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, _("Data pegawai tersimpan."))
            return redirect("staff:employee_detail", pk=form.instance.pk)
    return render(request, "staff/employee_form.html", {"form": form, "employee": employee})


HISTORY_SERVICES = {
    "pangkat": services.rank_add,
    "jabatan": services.position_assign,
    "pendidikan": services.education_add,
    "kgb": services.kgb_add,
}
HISTORY_TITLES = {
    "pangkat": _("Tambah riwayat pangkat"),
    "jabatan": _("Tambah riwayat jabatan"),
    "pendidikan": _("Tambah riwayat pendidikan"),
    "kgb": _("Tambah riwayat KGB"),
}


@require_login
@require_http_methods(["GET", "POST"])
def history_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in HISTORY_FORMS:
        raise Http404
    employee = employee_get_for_user(request.user, pk, write=True)
    form = HISTORY_FORMS[kind](request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            HISTORY_SERVICES[kind](employee, **form.cleaned_data, by=request.user, request=request)
        except (services.StaffError, ValidationError) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Riwayat tersimpan dan data terkini diperbarui."))
            return redirect("staff:employee_detail", pk=employee.pk)
    return render(
        request,
        "staff/history_form.html",
        {"form": form, "employee": employee, "title": HISTORY_TITLES[kind]},
    )


@require_login
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    employee = employee_get_for_user(request.user, pk, write=True)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(
                employee, upload=form.cleaned_data["upload"], by=request.user, request=request,
                **{k: form.cleaned_data[k] for k in ("kind", "number", "date", "issuer")},
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error("upload", exc.messages)
        else:
            messages.success(request, _("Dokumen tersimpan."))
            return redirect("staff:employee_detail", pk=employee.pk)
    return render(request, "staff/document_form.html", {"form": form, "employee": employee})


@require_login
@require_GET
def document_download(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    employee = employee_get_for_user(request.user, pk)
    if employee_access(request.user, employee) < Access.RECORD:
        raise Http404
    document = get_object_or_404(StaffDocument, pk=doc_pk, employee=employee)
    services.document_downloaded(document, by=request.user, request=request)
    return serve_protected(document.file, download_name=f"{document.get_kind_display()}-{employee.pk}.pdf")


def _requested_values(correction: CorrectionRequest) -> dict:
    return {f: Employee._meta.get_field(f).to_python(v) for f, v in correction.changes.items()}


@require_login
@require_http_methods(["GET", "POST"])
def correction_create(request: HttpRequest) -> HttpResponse:
    """Ask for a correction — or, when the last one was returned, revise and resubmit that one (the
    form then shows what was asked for and the approver's note)."""
    me = employee_for_user(request.user)
    if me is None:
        raise Http404
    returned = (
        me.correction_requests.filter(status=CorrectionRequest.Status.RETURNED)
        .select_related("decided_by__employee")
        .order_by("-created_at", "-id")
        .first()
    )
    initial = {**_requested_values(returned), "note": returned.note} if returned else None
    form = CorrectionForm(
        request.POST or None, request.FILES or None, instance=Employee.objects.get(pk=me.pk), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if returned is None:
                services.correction_submit(
                    me, changes=form.changes(), note=data["note"], attachment=data["attachment"],
                    by=request.user, request=request,
                )  # fmt: skip
            else:
                # Compared with the record, not with the earlier request: every field goes in.
                services.correction_resubmit(
                    returned, changes={f: data[f] for f in services.CORRECTABLE_FIELDS},
                    note=data["note"], attachment=data["attachment"], by=request.user, request=request,
                )  # fmt: skip
        except (services.StaffError, ValidationError) as exc:
            _form_error(form, exc)
        else:
            if returned is None:
                messages.success(request, _("Permohonan perbaikan terkirim ke Operator Kepegawaian."))
            else:
                messages.success(request, _("Permohonan perbaikan diajukan kembali."))
            return redirect("staff:my_profile")
    return render(request, "staff/correction_form.html", {"form": form, "returned": returned})


@require_perm("staff.change_employee")
@require_GET
def correction_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", CorrectionRequest.Status.PENDING)
    qs = CorrectionRequest.objects.select_related("employee__unit", "requested_by", "decided_by")
    if status in CorrectionRequest.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-created_at", "-id"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/correction_list.html",
        {"page": page, "status": status, "Status": CorrectionRequest.Status},
    )


@require_login
@require_http_methods(["GET", "POST"])
def correction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The Operator's before/after page; its buttons decide through the approval engine.

    It is also the correction's link in the inbox and in notifications, so the requester following it
    is sent to "Profil Saya", where their side of it (status, note, "Perbaiki dan ajukan kembali") is.
    """
    mine = Q(requested_by=request.user) | Q(employee__user=request.user)
    if CorrectionRequest.objects.filter(mine, pk=pk).exists():
        return redirect("staff:my_profile")
    if not has_perm(request.user, "staff.change_employee"):
        raise PermissionDenied
    correction = get_object_or_404(
        CorrectionRequest.objects.select_related("employee", "requested_by"), pk=pk
    )
    form = ApprovalDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.correction_decide(
                correction, decision=data["decision"], note=data["note"], version=data["version"],
                by=request.user, request=request,
            )  # fmt: skip
        except (services.StaffError, ValidationError) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, str(APPROVAL_DECISIONS[data["decision"]][1]))
            return redirect("staff:correction_list")
    current = {f: getattr(correction.employee, f) for f in correction.changes}
    rows = [(Employee._meta.get_field(f).verbose_name, current[f], v) for f, v in correction.changes.items()]
    approval = approval_status(correction, user=request.user)
    # A correction filed before the engine has no approval yet: deciding starts one (see services).
    can_decide = approval["can_decide"] if approval else correction.status == CorrectionRequest.Status.PENDING
    context = {
        "correction": correction,
        "rows": rows,
        "form": form,
        "can_decide": can_decide,
        "version": approval["version"] if approval else None,
        # The buttons are on this page: the panel need not send the Operator to the inbox.
        "approval": {**approval, "can_decide": False} if approval else None,
    }
    return render(request, "staff/correction_decide.html", context)


@require_login
@require_GET
def correction_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    correction = get_object_or_404(CorrectionRequest.objects.select_related("employee"), pk=pk)
    me = employee_for_user(request.user)
    if not (has_perm(request.user, "staff.change_employee") or (me and me.pk == correction.employee_id)):
        raise Http404
    if not correction.attachment:
        raise Http404
    return serve_protected(correction.attachment, download_name=f"lampiran-perbaikan-{correction.pk}")


@require_perm("staff.view_employee")
@require_GET
def reminders(request: HttpRequest) -> HttpResponse:
    query = reminder_query(request.GET)
    items = staff_reminders(request.user, on=query.on, kinds=query.kinds, unit=query.unit)
    params = request.GET.copy()
    return render(
        request,
        "staff/reminders.html",
        {
            "items": items,
            "q": query,
            "kinds": ReminderKind.choices,
            "query": params.urlencode(),
            "units": OrgUnit.objects.order_by("path"),
        },
    )
