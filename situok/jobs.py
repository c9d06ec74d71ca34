"""Background jobs with visible progress, and the daily task registry (issue 4 item 6).

* :func:`job_start` creates a :class:`~situok.job_models.Job` and, **after the transaction commits**, hands
  its id to the Celery task :func:`situok.tasks.run_job` — a worker runs it when a broker is configured;
  without one (``CELERY_TASK_ALWAYS_EAGER``) it runs in-process right away.
* Handlers are registered per kind with ``@job_handler("kind")``; a handler is called as
  ``handler(job, report_progress)`` and returns an :class:`~situok.exports.ExportResult` (stored as the
  job's result file) or ``None``. ``report_progress(pct, message)`` is a cheap, throttled ``UPDATE``.
  A handler that raises marks the job failed (the error is kept on the row); nothing propagates.
* The ``export`` handler runs any registered exporter in the background (large list exports).
* :func:`register_daily` collects the functions the daily run calls (Celery beat at 06:00 WITA, or
  ``manage.py run_daily_reminders`` from cron). Register from ``AppConfig.ready()``.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .audit import log_action
from .exports import BaseExporter, ExportResult, ListExporter, get_exporter
from .formats import angka
from .job_models import Job
from .permissions import get_for_user

logger = logging.getLogger(__name__)

__all__ = [
    "HANDLERS",
    "Job",
    "JobError",
    "ProgressReporter",
    "daily_run",
    "export_job_start",
    "export_should_run_in_background",
    "job_get_for_user",
    "job_handler",
    "job_list_for_user",
    "job_run",
    "job_start",
    "jobs_housekeeping",
    "register_daily",
]

# Progress rows are written at most this often (seconds); the final 100 % is always written.
PROGRESS_MIN_INTERVAL = 0.5
# Every this many exported rows the export handler reports progress (the reporter throttles further).
EXPORT_PROGRESS_EVERY_ROWS = 500
MAX_ERROR_CHARS = 4000


class JobError(Exception):
    """A handler's expected failure, with a translated message shown to the job's owner."""

    def __init__(self, message: Promise | str) -> None:
        super().__init__(str(message))
        self.message = str(message)


# --- Handler registry ------------------------------------------------------------------------------
class ProgressReporter:
    """``report_progress(pct, message="")``: store the job's progress, at most every
    ``PROGRESS_MIN_INTERVAL`` seconds (calls in between are dropped unless ``pct`` is 100).

    Returns whether the row was written. ``pct`` is clamped to 0–100.
    """

    def __init__(
        self, job: Job, *, min_interval: float | None = None, clock: Callable[[], float] = time.monotonic
    ):
        self.job = job
        self.min_interval = PROGRESS_MIN_INTERVAL if min_interval is None else min_interval
        self.clock = clock
        self._last: tuple[int, str] | None = None
        self._last_write: float | None = None

    def __call__(self, pct: float, message: Promise | str = "") -> bool:
        pct = max(0, min(100, int(pct)))
        text = str(message)[:255]
        if self._last == (pct, text):
            return False
        now = self.clock()
        if self._last_write is not None and now - self._last_write < self.min_interval and pct < 100:
            return False
        Job.objects.filter(pk=self.job.pk).update(progress=pct, message=text)
        self.job.progress, self.job.message = pct, text
        self._last, self._last_write = (pct, text), now
        return True


JobHandler = Callable[[Job, ProgressReporter], ExportResult | None]


@dataclass(frozen=True)
class HandlerSpec:
    kind: str
    label: Promise | str
    func: JobHandler


HANDLERS: dict[str, HandlerSpec] = {}


def job_handler(kind: str, *, label: Promise | str | None = None) -> Callable[[JobHandler], JobHandler]:
    """Register ``func`` as the handler of jobs of ``kind`` (a kind has exactly one handler)."""

    def decorator(func: JobHandler) -> JobHandler:
        existing = HANDLERS.get(kind)
        if existing is not None and existing.func is not func:
            raise ImproperlyConfigured(
                f"Job kind {kind!r} already has the handler {existing.func.__qualname__}"
            )
        HANDLERS[kind] = HandlerSpec(kind, label if label is not None else kind, func)
        return func

    return decorator


def job_kind_label(kind: str) -> str:
    spec = HANDLERS.get(kind)
    return str(spec.label) if spec else kind


# --- Starting and running --------------------------------------------------------------------------
def job_start(kind: str, *, owner, params: Mapping[str, Any] | None = None, title: str = "") -> Job:
    """Create a queued job for ``owner`` and run it in the background once the transaction commits.

    ``params`` must be JSON-serialisable (it is stored on the row and read by the handler).
    """
    if kind not in HANDLERS:
        raise ImproperlyConfigured(f"No handler registered for job kind {kind!r}")
    job = Job.objects.create(
        owner=owner,
        kind=kind,
        title=(str(title) or job_kind_label(kind))[:200],
        params=dict(params or {}),
    )
    transaction.on_commit(partial(_enqueue, job.pk), robust=True)
    return job


def _enqueue(job_id: int) -> None:
    """on_commit callback: send the job to Celery; if the broker refuses, fail the job visibly."""
    from .tasks import run_job

    try:
        run_job.delay(job_id)
    except Exception:
        logger.exception("Could not queue job %s", job_id)
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.FAILED,
            error=gettext("Antrean tugas tidak tersedia. Silakan coba lagi nanti."),
            finished_at=timezone.now(),
        )


def job_run(job_id: int) -> Job | None:
    """Run a queued job to the end (called by the ``run_job`` task). Never raises for handler errors.

    The job is claimed with a conditional ``UPDATE`` (queued → running), so a message delivered twice runs
    the job once. Returns the finished job, or ``None`` when there was nothing to run.
    """
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), progress=0, message=""
    )
    if not claimed:
        logger.warning("Job %s is not queued (already run or deleted); skipped", job_id)
        return None
    job = Job.objects.select_related("owner").get(pk=job_id)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            spec = HANDLERS.get(job.kind)
            if spec is None:
                raise JobError(_("Jenis tugas tidak dikenal."))
            result = spec.func(job, ProgressReporter(job))
            if result is not None:
                _store_result(job, result)
        except Exception as exc:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            error = exc.message if isinstance(exc, JobError) else f"{type(exc).__name__}: {exc}"
            job.status, job.error, job.finished_at = (
                Job.Status.FAILED,
                error[:MAX_ERROR_CHARS],
                timezone.now(),
            )
            Job.objects.filter(pk=job.pk).update(
                status=job.status, error=job.error, finished_at=job.finished_at
            )
        else:
            job.status, job.progress, job.finished_at = Job.Status.DONE, 100, timezone.now()
            job.message = gettext("Selesai.")
            Job.objects.filter(pk=job.pk).update(
                status=job.status, progress=100, message=job.message, finished_at=job.finished_at
            )
        _notify_finished(job)
    return job


def _store_result(job: Job, result: ExportResult) -> None:
    try:
        job.result_file.save(result.filename, File(result.file, name=result.filename), save=False)
    finally:
        result.file.close()
    job.result_filename = result.filename[:255]
    job.result_content_type = (result.content_type or "")[:100]
    Job.objects.filter(pk=job.pk).update(
        result_file=job.result_file.name,
        result_filename=job.result_filename,
        result_content_type=job.result_content_type,
    )


def _notify_finished(job: Job) -> None:
    # A notification problem must not turn a finished job into a failed one.
    from .notifications import notify

    try:
        url = reverse("job_detail", args=[job.pk])
    except NoReverseMatch:
        url = ""
    try:
        notify(job.owner, "job_finished", context={"job": job}, url=url)
    except Exception:
        logger.exception("Could not notify the owner of job %s", job.pk)


# --- Reading ---------------------------------------------------------------------------------------
def job_list_for_user(user) -> QuerySet[Job]:
    """The user's own jobs, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(owner=user).order_by("-created_at", "-id")


def job_get_for_user(user, pk) -> Job:
    """The job ``pk`` if ``user`` owns it; 404 otherwise (not even administrators see others' jobs)."""
    return get_for_user(
        user,
        Job.objects.all(),
        pk,
        visible=lambda u, qs: qs.filter(owner=u) if getattr(u, "is_authenticated", False) else qs.none(),
    )


# --- Exports in the background ---------------------------------------------------------------------
def export_should_run_in_background(exporter: BaseExporter, form_data: Mapping[str, Any], user) -> bool:
    """Whether this export is big enough for a background job: the exporter must define
    ``estimated_rows(form_data, user)`` and estimate more than ``settings.EXPORT_BACKGROUND_ROWS``
    (default 20,000) rows. Exporters without an estimate always run synchronously."""
    rows = _estimated_rows(exporter, form_data, user)
    return rows is not None and rows > getattr(settings, "EXPORT_BACKGROUND_ROWS", 20_000)


def _estimated_rows(exporter: BaseExporter, form_data: Mapping[str, Any], user) -> int | None:
    estimate = getattr(exporter, "estimated_rows", None)
    if not callable(estimate):
        return None
    try:
        value = estimate(form_data, user)
    except Exception:
        logger.exception("estimated_rows() of exporter %s failed", exporter.identifier)
        return None
    return int(value) if value is not None else None


def export_job_start(identifier: str, form_data: Mapping[str, Any], *, fmt: str, owner) -> Job:
    """Start a background ``export`` job (``KeyError`` if no exporter has ``identifier``). The caller has
    checked ``available_for(owner)``; the handler checks it again when it runs."""
    exporter = get_exporter(identifier)
    filters = {k: v for k, v in form_data.items() if k not in ("cursor", "page")}
    title = gettext("Ekspor %(name)s (%(format)s)") % {"name": exporter.verbose_name, "format": fmt.upper()}
    return job_start(
        "export",
        owner=owner,
        params={"identifier": identifier, "fmt": fmt, "form_data": filters},
        title=title,
    )


def _track_rows(exporter: ListExporter, report: ProgressReporter, total: int | None) -> None:
    """Wrap the exporter instance's ``rows()`` so the row count drives the progress bar (5–90 %)."""
    original = exporter.rows

    def rows(form_data: dict[str, Any], *, user):
        for count, row in enumerate(original(form_data, user=user), start=1):
            if count % EXPORT_PROGRESS_EVERY_ROWS == 0:
                pct = 5 + 85 * count // total if total else 10
                report(min(pct, 90), gettext("%(count)s baris diproses…") % {"count": angka(count)})
            yield row

    exporter.rows = rows  # type: ignore[method-assign]  # instance attribute, used by render()


@job_handler("export", label=_("Ekspor data"))
def export_handler(job: Job, report_progress: ProgressReporter) -> ExportResult:
    """Run a registered exporter for the job's owner. Params: ``identifier``, ``fmt``, ``form_data``."""
    identifier = str(job.params.get("identifier", ""))
    fmt = str(job.params.get("fmt", "xlsx"))
    form_data = dict(job.params.get("form_data") or {})
    try:
        exporter = get_exporter(identifier)
    except KeyError as exc:
        raise JobError(_("Ekspor tidak dikenal.")) from exc
    if fmt not in exporter.formats:
        raise JobError(_("Format ekspor tidak tersedia."))
    if not exporter.available_for(job.owner):
        raise JobError(_("Anda tidak berwenang menjalankan ekspor ini."))
    report_progress(1, gettext("Menyiapkan ekspor…"))
    if isinstance(exporter, ListExporter):
        _track_rows(exporter, report_progress, _estimated_rows(exporter, form_data, job.owner))
    result = exporter.render(form_data, user=job.owner, fmt=fmt)
    report_progress(95, gettext("Menyimpan berkas…"))
    filters = {k: v for k, v in form_data.items() if v not in ("", None)}
    log_action(
        None,
        f"export.{exporter.identifier}",
        by=job.owner,
        data={"format": fmt, "filters": filters, "filename": result.filename, "job": job.pk},
        label=str(exporter.verbose_name),
    )
    return result


# --- Daily run -------------------------------------------------------------------------------------
DailyFunction = Callable[[dt.date], object]
DAILY: list[DailyFunction] = []


def register_daily(fn: DailyFunction) -> DailyFunction:
    """Add ``fn(on: date)`` to the daily run (usable as a decorator; registering twice is a no-op)."""
    if fn not in DAILY:
        DAILY.append(fn)
    return fn


def daily_run(on: dt.date | None = None) -> dict[str, str]:
    """Call every registered daily function with ``on`` (default: today in WITA). One failing function
    is logged and does not stop the others. Returns ``{function name: "ok" | result | "error"}``."""
    on = on or timezone.localdate()
    outcome: dict[str, str] = {}
    for fn in list(DAILY):
        name = f"{fn.__module__}.{fn.__qualname__}"
        try:
            result = fn(on)
        except Exception:
            logger.exception("Daily function %s failed", name)
            outcome[name] = "error"
        else:
            outcome[name] = "ok" if result is None else str(result)
    return outcome


@register_daily
def jobs_housekeeping(on: dt.date) -> str:
    """Fail jobs stuck for a day (a worker died) and delete finished jobs, with their files, older than
    ``settings.JOB_RETENTION_DAYS`` (default 7)."""
    now = timezone.now()
    stale = Job.objects.filter(
        status__in=(Job.Status.QUEUED, Job.Status.RUNNING), created_at__lt=now - dt.timedelta(days=1)
    ).update(
        status=Job.Status.FAILED,
        error=gettext("Tugas terhenti tanpa hasil. Silakan jalankan ulang."),
        finished_at=now,
    )
    retention = dt.timedelta(days=getattr(settings, "JOB_RETENTION_DAYS", 7))
    purged = 0
    for job in Job.objects.filter(finished_at__lt=now - retention).iterator(chunk_size=500):
        if job.result_file:
            job.result_file.delete(save=False)
        job.delete()
        purged += 1
    return f"stale={stale} purged={purged}"
