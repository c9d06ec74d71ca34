"""Background-job pages: my jobs, one job with a live progress bar (htmx polling), result download.

Only the owner sees a job — everyone else, administrators included, gets 404. The URL patterns are
mounted through :mod:`situok.views_notifications`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from .jobs import job_get_for_user, job_kind_label, job_list_for_user
from .permissions import require_login
from .uploads import serve_protected

PER_PAGE = 25


def require_login_polling(view: Callable) -> Callable:
    """``require_login`` for partials that htmx polls: when the session has expired, an htmx request gets
    ``HX-Redirect`` to the login page (a plain 302 would make htmx swap the login page into the widget).
    Requests without the htmx header are redirected to the login page as usual."""
    protected = require_login(view)

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.headers.get("HX-Request") and not request.user.is_authenticated:
            current = urlsplit(request.headers.get("HX-Current-URL", ""))
            next_url = (current.path + (f"?{current.query}" if current.query else "")) or "/"
            response = HttpResponse(status=200)
            response["HX-Redirect"] = redirect_to_login(next_url, settings.LOGIN_URL).url
            return response
        return protected(request, *args, **kwargs)

    wrapped.situok_permissions = ()
    return wrapped


@require_login
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(job_list_for_user(request.user).defer("params", "error"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    for job in page.object_list:
        job.kind_label = job_kind_label(job.kind)
    retention_days = getattr(settings, "JOB_RETENTION_DAYS", 7)
    return render(request, "situok/jobs.html", {"page": page, "retention_days": retention_days})


def _progress_context(job) -> dict:
    # While the job runs the partial carries the htmx polling trigger; once finished it is returned
    # without it, which ends the polling.
    return {"job": job, "polling": not job.is_finished}


@require_login
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_get_for_user(request.user, pk)
    context = {**_progress_context(job), "kind_label": job_kind_label(job.kind)}
    return render(request, "situok/job_detail.html", context)


@require_login_polling
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_get_for_user(request.user, pk)
    response = render(request, "situok/partials/job_progress.html", _progress_context(job))
    response["Cache-Control"] = "private, no-store"
    return response


@require_login
@require_GET
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_get_for_user(request.user, pk)
    if not job.has_result:
        raise Http404
    try:
        response = serve_protected(job.result_file, download_name=job.result_filename or "hasil")
    except OSError as exc:  # the file was purged or lost
        raise Http404 from exc
    if job.result_content_type:
        # The type was set by our own exporter, not by an upload, so it can be trusted.
        response["Content-Type"] = job.result_content_type
    return response


urlpatterns = [
    path("tugas/", job_list, name="jobs"),
    path("tugas/<int:pk>/", job_detail, name="job_detail"),
    path("tugas/<int:pk>/kemajuan/", job_progress, name="job_progress"),
    path("tugas/<int:pk>/unduh/", job_download, name="job_download"),
]
