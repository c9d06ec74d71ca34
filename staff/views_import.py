"""Excel import of employees: download the template → upload → preview (dry run) → confirm.

The uploaded file waits between preview and confirmation under ``MEDIA_ROOT/imports/<uuid>.xlsx`` (never
served); the session holds its token and storage name, so the client only ever sends back an opaque token.
Confirming validates the stored file again and writes all or nothing (:func:`staff.imports.import_commit`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from situok.permissions import require_perm

from . import imports

IMPORT_PERMS = ("staff.add_employee", "staff.change_employee")
SESSION_KEY = "staff_import_pending"
STORAGE_DIR = "imports"
PENDING_TTL = dt.timedelta(hours=2)  # a preview older than this must be uploaded again
DISPLAY_LIMIT = 500  # issue rows shown on the preview; counts always cover every row


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas Excel (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{imports.XLSX_CONTENT_TYPE}"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Paling besar %(size)s MB dan %(rows)s baris data.") % {
            "size": imports.MAX_UPLOAD_BYTES // (1024 * 1024),
            "rows": f"{imports.MAX_ROWS:,}".replace(",", "."),
        }

    def clean_file(self) -> imports.CheckedUpload:
        return imports.check_xlsx_upload(self.cleaned_data["file"])


# --- Pending upload (server side) ------------------------------------------------------------------
def _discard_pending(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending and pending.get("name"):
        with contextlib.suppress(OSError):
            default_storage.delete(pending["name"])


def _purge_stale_files() -> None:
    """Remove previews abandoned in other sessions (older than a day)."""
    cutoff = timezone.now() - dt.timedelta(days=1)
    try:
        _dirs, files = default_storage.listdir(STORAGE_DIR)
    except (FileNotFoundError, NotImplementedError, OSError):
        return
    for name in files:
        stored = f"{STORAGE_DIR}/{name}"
        with contextlib.suppress(OSError, NotImplementedError):
            if default_storage.get_modified_time(stored) < cutoff:
                default_storage.delete(stored)


def _store_pending(request: HttpRequest, checked: imports.CheckedUpload) -> str:
    _discard_pending(request)
    _purge_stale_files()
    token = uuid.uuid4().hex
    name = default_storage.save(f"{STORAGE_DIR}/{token}.xlsx", ContentFile(checked.data))
    request.session[SESSION_KEY] = {
        "token": token,
        "name": name,
        "filename": checked.filename,
        "stored_at": timezone.now().isoformat(),
    }
    return token


def _take_pending(request: HttpRequest, token: str) -> dict[str, Any] | None:
    """The pending upload if ``token`` is the session's and it has not expired (an expired one is discarded).
    The caller discards it after use: one confirmation per preview."""
    pending = request.session.get(SESSION_KEY)
    if not pending or not token or pending.get("token") != token:
        return None
    stored_at = dt.datetime.fromisoformat(pending["stored_at"])
    if timezone.now() - stored_at > PENDING_TTL:
        _discard_pending(request)
        return None
    return pending


def _preview(request: HttpRequest, report: imports.ImportReport, *, token: str = "", status: int = 200):
    issues = report.sorted_issues()
    context = {
        "report": report,
        "issues": issues[:DISPLAY_LIMIT],
        "issues_hidden": max(0, len(issues) - DISPLAY_LIMIT),
        "changes": report.changes[:DISPLAY_LIMIT],
        "changes_hidden": max(0, len(report.changes) - DISPLAY_LIMIT),
        "error_row_count": len(report.error_rows),
        "token": token,
    }
    return render(request, "staff/import_preview.html", context, status=status)


# --- Views -----------------------------------------------------------------------------------------
@require_perm(*IMPORT_PERMS)
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(imports.import_template(), content_type=imports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{imports.template_filename()}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_perm(*IMPORT_PERMS)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        checked: imports.CheckedUpload = form.cleaned_data["file"]
        try:
            report = imports.import_dry_run(checked, by=request.user)
        except ValidationError as exc:  # unreadable sheet, too many rows while streaming
            form.add_error("file", exc)
        else:
            token = _store_pending(request, checked) if report.ok else ""
            if not report.ok:
                _discard_pending(request)
            return _preview(request, report, token=token)
    return render(request, "staff/import_upload.html", {"form": form})


@require_perm(*IMPORT_PERMS)
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    pending = _take_pending(request, request.POST.get("token", ""))
    if pending is None:
        messages.error(
            request, _("Pratinjau impor tidak ditemukan atau sudah kedaluwarsa. Unggah ulang berkasnya.")
        )
        return redirect("staff:import_upload")
    try:
        with default_storage.open(pending["name"], "rb") as stored:
            data = stored.read()
    except OSError:
        _discard_pending(request)
        messages.error(
            request, _("Pratinjau impor tidak ditemukan atau sudah kedaluwarsa. Unggah ulang berkasnya.")
        )
        return redirect("staff:import_upload")
    try:
        report = imports.import_commit(
            imports.CheckedUpload(data=data, filename=pending["filename"]),
            by=request.user,
            request=request,
            filename=pending["filename"],
        )
    finally:
        _discard_pending(request)
    if not report.committed:
        # The data changed since the preview (e.g. a NIP added meanwhile): show what is wrong now.
        return _preview(request, report)
    messages.success(
        request,
        _("Impor selesai. Baru: %(new)s, diperbarui: %(updated)s, tidak berubah: %(unchanged)s.")
        % {"new": report.new, "updated": report.updated, "unchanged": report.unchanged},
    )
    return redirect("staff:import_upload")


urlpatterns = [
    path("impor/", import_upload, name="import_upload"),
    path("impor/templat/", import_template, name="import_template"),
    path("impor/konfirmasi/", import_confirm, name="import_confirm"),
]
