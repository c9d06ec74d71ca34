"""Views of the shell: sign-in, home, audit trail, exports, health."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .audit import AuditEvent
from .exports import get_exporter
from .filters import AuditEventFilter
from .forms import LoginForm
from .jobs import export_job_start, export_should_run_in_background
from .pagination import keyset_page
from .permissions import menu_for, pending_for, public, require_login, require_perm
from .tables import Column, lookup, or_dash, render_rows, text


@public
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    if request.user.is_authenticated:
        return redirect(next_url or "home")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.auth_login(request, form.get_user())
            return redirect(next_url or "home")
        services.auth_login_failed(request, request.POST.get("username", ""))
    return render(request, "registration/login.html", {"form": form, "next": next_url})


@public
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.auth_logout(request)
    messages.success(request, _("Anda telah keluar."))
    return redirect("login")


@require_login
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        services.auth_password_changed(request, user)
        messages.success(request, _("Kata sandi berhasil diubah."))
        return redirect("home")
    return render(request, "registration/password_change.html", {"form": form})


@require_login
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    cards = [m for m in menu_for(request.user) if m.key != "home"]
    pending = [(c, n) for c, n in pending_for(request.user) if n]
    return render(request, "situok/home.html", {"cards": cards, "pending": pending})


def _audit_changes(event: AuditEvent) -> SafeString:
    changes = event.changes
    html = f"<code>{escape(event.action)}</code>"
    if changes:
        items = changes.items() if isinstance(changes, dict) else ()
        joined = "; ".join(f"{text(k)}: {text(lookup(v, 0))} → {text(lookup(v, 1))}" for k, v in items)
        html += f'<div class="small text-body-secondary">{joined}</div>'
    return mark_safe(html)  # every value went through escape() / text()


# The cells of situok/partials/audit_rows.html (its head names them).
AUDIT_COLUMNS = [
    Column(lambda e: f"{timezone.localtime(e.created_at):%d/%m/%Y %H.%M}", "text-nowrap"),
    Column(lambda e: or_dash(e.actor_label)),
    Column(_audit_changes),
    Column(lambda e: or_dash(e.target_label)),
    Column(lambda e: e.ip or "", "d-none d-md-table-cell"),
]


@require_perm("situok.view_auditevent")
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    # Invalid filter fields are reported next to the field and ignored; the rest still filter.
    filterset = AuditEventFilter(request.GET, queryset=AuditEvent.objects.all())
    page = keyset_page(filterset.qs, request.GET.get("cursor"), per_page=50)
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "filter": filterset,
        "page": page,
        "rows": render_rows(page.items, AUDIT_COLUMNS),
        "query": query.urlencode(),
    }
    template = (
        "situok/partials/audit_rows.html" if request.headers.get("HX-Request") else "situok/audit_list.html"
    )
    return render(request, template, context)


@require_login
@require_GET
def export_download(request: HttpRequest, identifier: str, fmt: str) -> HttpResponse:
    try:
        exporter = get_exporter(identifier)
    except KeyError as exc:
        raise Http404 from exc
    if fmt not in exporter.formats:
        raise Http404
    if not exporter.available_for(request.user):
        raise Http404
    if export_should_run_in_background(exporter, request.GET.dict(), request.user):
        job = export_job_start(identifier, request.GET.dict(), fmt=fmt, owner=request.user)
        return redirect("job_detail", job.pk)
    result = services.export_run(exporter, request.GET.dict(), fmt=fmt, request=request)
    return FileResponse(
        result.file, as_attachment=True, filename=result.filename, content_type=result.content_type
    )


@public
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    AuditEvent.objects.exists()  # the database answers
    return JsonResponse({"status": "ok"})
