"""Approval pages: the inbox (decide one, approve many at once) and delegations.

Every signed-in user has an inbox and may delegate; which requests they may decide is object-level
(:func:`situok.approvals.approval_get_for_user`): a request they neither requested nor were assigned is
"not found" (404), their own request is "forbidden" (403). Rules live in the services; these views only
turn :class:`~situok.approvals.ApprovalError` into a message or a field error.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import approvals
from .approval_models import Delegation
from .approvals import DOCUMENT_TYPES, ApprovalError
from .pagination import keyset_page
from .permissions import require_login

PER_PAGE = 25
DECISIONS = {
    "approve": (approvals.approval_approve, gettext_lazy("Permohonan disetujui.")),
    "reject": (approvals.approval_reject, gettext_lazy("Permohonan ditolak.")),
    "return": (approvals.approval_return, gettext_lazy("Permohonan dikembalikan untuk perbaikan.")),
}


# --- Forms -----------------------------------------------------------------------------------------
class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Keputusan"),
        choices=[
            ("approve", gettext_lazy("Setujui")),
            ("reject", gettext_lazy("Tolak")),
            ("return", gettext_lazy("Kembalikan untuk perbaikan")),
        ],
    )
    note = forms.CharField(
        label=gettext_lazy("Catatan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The version the user saw: a decision on a request that moved on since is refused, not misapplied.
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class _DelegateField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        employee = obj.employee
        return (
            f"{employee.name_with_titles} — {employee.position_title}"
            if employee.position_id
            else str(employee.name_with_titles)
        )


class DelegationForm(forms.Form):
    delegate = _DelegateField(
        label=gettext_lazy("Penerima delegasi"),
        queryset=get_user_model().objects.none(),
        help_text=gettext_lazy("Pegawai yang memutuskan atas nama Anda selama rentang tanggal ini."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Jenis"), choices=Delegation.Kind.choices)
    start = forms.DateField(label=gettext_lazy("Mulai"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=gettext_lazy("Sampai"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Termasuk tanggal ini (WITA)."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Alasan"),
        max_length=255,
        help_text=gettext_lazy("Misalnya cuti tahunan, dinas luar, atau nomor surat perintah Plt./Plh."),
    )
    document_types = forms.MultipleChoiceField(
        label=gettext_lazy("Jenis dokumen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Kosongkan untuk semua jenis dokumen."),
    )

    def __init__(self, *args, delegator, **kwargs):
        super().__init__(*args, **kwargs)
        self.delegator = delegator
        self.fields["delegate"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, employee__status="aktif")
            .select_related("employee__position")
            .order_by("employee__name", "pk")
        )
        self.fields["document_types"].choices = sorted(
            ((code, str(d.label)) for code, d in DOCUMENT_TYPES.items()), key=lambda c: c[1]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        errors = approvals.delegation_validate(
            delegator=self.delegator,
            delegate=data.get("delegate"),
            start=data.get("start"),
            end=data.get("end"),
            document_types=data.get("document_types") or (),
        )
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


# --- Inbox -----------------------------------------------------------------------------------------
def _inbox_context(
    request: HttpRequest,
    doc_type: str,
    *,
    cursor: str | None = None,
    feedback: dict[str, str] | None = None,
    note_error: dict[str, Any] | None = None,
) -> dict[str, Any]:
    qs = approvals.inbox_assignments(request.user, document_type=doc_type or None)
    page = keyset_page(qs, cursor, per_page=PER_PAGE)
    rows = []
    for assignment in page.items:
        req = assignment.request
        step = req.current_step or {}
        row = {
            "assignment": assignment,
            "request": req,
            "type_label": approvals.document_type_label(req.document_type),
            "step_name": step.get("name", ""),
            "bulk": approvals.is_bulk_approvable(req),
            "prefix": assignment.delegation.prefix if assignment.delegation_id else "",
        }
        if note_error and note_error["pk"] == req.pk:
            row.update(open_note=True, note_error=note_error["message"], note_value=note_error["note"])
        rows.append(row)
    return {
        "page": page,
        "rows": rows,
        "any_bulk": any(r["bulk"] for r in rows),
        "types": sorted(((c, str(d.label)) for c, d in DOCUMENT_TYPES.items()), key=lambda c: c[1]),
        "type": doc_type,
        "feedback": feedback,
    }


def _doc_type(value: str | None) -> str:
    return value if value in DOCUMENT_TYPES else ""


@require_login
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    context = _inbox_context(request, _doc_type(request.GET.get("type")), cursor=request.GET.get("cursor"))
    template = "situok/partials/inbox_rows.html" if request.headers.get("HX-Request") else "situok/inbox.html"
    return render(request, template, context)


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, {request.get_host()}, request.is_secure()):
        return value
    return ""


@require_login
@require_POST
def approval_decide(request: HttpRequest, pk: int) -> HttpResponse:
    approval = approvals.approval_get_for_user(request.user, pk, write=True)
    form = DecisionForm(request.POST)
    note = request.POST.get("note", "")
    note_error = None
    if not form.is_valid():
        ok, text = False, _("Keputusan tidak dikenal.")
    else:
        data = form.cleaned_data
        if data["version"] is not None:
            approval.version = data["version"]
        service, done = DECISIONS[data["decision"]]
        try:
            service(approval, by=request.user, note=data["note"], request=request)
        except ApprovalError as exc:
            ok, text = False, exc.message
            if exc.field == "note":
                note_error = {"pk": approval.pk, "message": exc.message, "note": note}
        else:
            ok, text = True, str(done)
    if request.headers.get("HX-Request"):
        feedback = {"level": "success" if ok else "danger", "text": text}
        context = _inbox_context(
            request, _doc_type(request.POST.get("type")), feedback=feedback, note_error=note_error
        )
        return render(request, "situok/partials/inbox_rows.html", context)
    (messages.success if ok else messages.error)(request, text)
    return redirect(_safe_next(request, request.POST.get("next")) or "inbox")


@require_login
@require_POST
def inbox_bulk_approve(request: HttpRequest) -> HttpResponse:
    ids = {int(v) for v in request.POST.getlist("request") if v.isdigit()}
    if not ids:
        ok, text = False, _("Pilih sedikitnya satu permohonan.")
    else:
        waiting = {
            a.request_id: a.request
            for a in approvals.inbox_assignments(request.user).filter(request_id__in=ids)
        }
        result = approvals.approval_bulk_approve(
            [waiting[i] for i in sorted(waiting)], by=request.user, request=request
        )
        reasons = [f"{req.title} — {message}" for req, message in result.failed]
        reasons += [
            _("#%(pk)s — tidak ditemukan di kotak Anda") % {"pk": i} for i in sorted(ids - set(waiting))
        ]
        if reasons:
            ok = False
            text = _("%(ok)d disetujui, %(failed)d gagal: %(reasons)s") % {
                "ok": len(result.approved),
                "failed": len(reasons),
                "reasons": "; ".join(reasons),
            }
        else:
            ok, text = True, _("%(ok)d disetujui.") % {"ok": len(result.approved)}
    if request.headers.get("HX-Request"):
        feedback = {"level": "success" if ok else "warning", "text": text}
        context = _inbox_context(request, _doc_type(request.POST.get("type")), feedback=feedback)
        return render(request, "situok/partials/inbox_rows.html", context)
    (messages.success if ok else messages.warning)(request, text)
    return redirect("inbox")


# --- Delegations -----------------------------------------------------------------------------------
@require_login
@require_GET
def delegations(request: HttpRequest) -> HttpResponse:
    qs = approvals.delegations_for_user(request.user)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for d in page.object_list:
        d.can_cancel = (
            d.cancelled_at is None and d.end >= today and request.user.pk in (d.delegator_id, d.created_by_id)
        )
    return render(request, "situok/delegations.html", {"page": page, "today": today})


@require_login
@require_http_methods(["GET", "POST"])
def delegation_create(request: HttpRequest) -> HttpResponse:
    form = DelegationForm(request.POST or None, delegator=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            approvals.delegation_create(
                delegator=request.user,
                delegate=data["delegate"],
                start=data["start"],
                end=data["end"],
                kind=data["kind"],
                reason=data["reason"],
                document_types=data["document_types"],
                by=request.user,
                request=request,
            )
        except ApprovalError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Delegasi tersimpan."))
            return redirect("delegations")
    return render(request, "situok/delegation_form.html", {"form": form})


@require_login
@require_POST
def delegation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = approvals.delegation_get_for_user(request.user, pk, write=True)
    try:
        approvals.delegation_cancel(delegation, by=request.user, request=request)
    except ApprovalError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Delegasi dibatalkan."))
    return redirect("delegations")


urlpatterns = [
    path("persetujuan/", inbox, name="inbox"),
    path("persetujuan/<int:pk>/putuskan/", approval_decide, name="approval_decide"),
    path("persetujuan/setujui-massal/", inbox_bulk_approve, name="inbox_bulk_approve"),
    path("persetujuan/delegasi/", delegations, name="delegations"),
    path("persetujuan/delegasi/baru/", delegation_create, name="delegation_create"),
    path("persetujuan/delegasi/<int:pk>/batal/", delegation_cancel, name="delegation_cancel"),
]
