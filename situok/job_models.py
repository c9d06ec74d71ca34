"""Background job table: one row per long-running piece of work a user started (a large export).

The logic (handler registry, running, progress) lives in :mod:`situok.jobs`; this module only holds the
model (registered by importing it in ``situok/models.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .uploads import upload_to


class Job(models.Model):
    """A unit of background work owned by one user, with its progress and (optionally) a result file.

    The result file is stored under a generated name (``jobs/<yyyy>/<mm>/<uuid>.<ext>``) and is only ever
    streamed to the owner by a permission-checked view; ``result_filename`` is the name the browser sees.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        RUNNING = "running", _("Sedang berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pemilik"),
        on_delete=models.CASCADE,
        related_name="jobs",
        db_index=False,  # covered by job_owner_created_idx
    )
    kind = models.CharField(_("jenis"), max_length=40)
    title = models.CharField(_("judul"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    message = models.CharField(_("keterangan"), max_length=255, blank=True)
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    result_file = models.FileField(_("berkas hasil"), upload_to=upload_to("jobs"), max_length=255, blank=True)
    result_filename = models.CharField(_("nama berkas hasil"), max_length=255, blank=True)
    result_content_type = models.CharField(_("jenis berkas hasil"), max_length=100, blank=True)
    error = models.TextField(_("galat"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        app_label = "situok"
        verbose_name = _("tugas latar belakang")
        verbose_name_plural = _("tugas latar belakang")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="job_owner_created_idx"),
            models.Index(fields=["status", "created_at"], name="job_status_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="job_progress_max_100"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def has_result(self) -> bool:
        return self.status == self.Status.DONE and bool(self.result_file)
