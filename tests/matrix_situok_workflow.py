"""Permission-matrix rows of the shared workflow pages: notifications and background jobs.

Notifications and jobs belong to one user: everyone may open their own lists; another user's
notification or job is 404 for everybody else, administrators included.

``make_objects(personas)`` creates the objects the ``@name`` placeholders refer to and returns their ids:

* ``@notification`` — an unread notification of pegawai pointing to ``/tugas/``;
* ``@job`` — a finished export job of pegawai with a result file;
* ``@job_running`` — a running job of pegawai (no result yet).
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

ANON = "anon"
EVERYONE = (
    "admin", "pimpinan", "atasan", "kepegawaian", "perjalanan", "bendahara", "ppk",
    "pengurus", "peminjaman", "humas", "pegawai", "honorer", "luar",
)  # fmt: skip
NOTIFICATION = {"pk": "@notification"}
JOB = {"pk": "@job"}
RUNNING = {"pk": "@job_running"}

ROWS = [
    # Notification list, bell and preferences: every signed-in user, for their own notifications.
    *[("notifications", {}, "get", p, 200) for p in EVERYONE],
    ("notifications", {}, "get", ANON, 302),
    *[("notification_bell", {}, "get", p, 200) for p in EVERYONE],
    ("notification_bell", {}, "get", ANON, 302),
    *[("notification_preferences", {}, "get", p, 200) for p in EVERYONE],
    ("notification_preferences", {}, "get", ANON, 302),
    ("notification_preferences", {}, "post", "pegawai", 302),
    ("notification_preferences", {}, "post", ANON, 302),
    # Mark read: POST only, the recipient only.
    ("notification_read", NOTIFICATION, "post", ANON, 302),
    ("notification_read", NOTIFICATION, "post", "pegawai", 302),
    ("notification_read", NOTIFICATION, "get", "pegawai", 405),
    *[("notification_read", NOTIFICATION, "post", p, 404) for p in ("admin", "atasan", "honorer", "luar")],
    ("notification_read", {"pk": 999_999}, "post", "pegawai", 404),
    ("notifications_read_all", {}, "post", ANON, 302),
    ("notifications_read_all", {}, "post", "pegawai", 302),
    ("notifications_read_all", {}, "post", "luar", 302),
    ("notifications_read_all", {}, "get", "pegawai", 405),
    # Background jobs: the list is personal; a job is visible to its owner only.
    *[("jobs", {}, "get", p, 200) for p in EVERYONE],
    ("jobs", {}, "get", ANON, 302),
    ("job_detail", JOB, "get", ANON, 302),
    ("job_detail", JOB, "get", "pegawai", 200),
    ("job_detail", RUNNING, "get", "pegawai", 200),
    *[("job_detail", JOB, "get", p, 404) for p in ("admin", "atasan", "honorer", "luar")],
    ("job_detail", {"pk": 999_999}, "get", "pegawai", 404),
    ("job_progress", JOB, "get", ANON, 302),
    ("job_progress", JOB, "get", "pegawai", 200),
    ("job_progress", RUNNING, "get", "pegawai", 200),
    *[("job_progress", JOB, "get", p, 404) for p in ("admin", "atasan", "luar")],
    ("job_download", JOB, "get", ANON, 302),
    ("job_download", JOB, "get", "pegawai", 200),
    ("job_download", RUNNING, "get", "pegawai", 404),  # no result yet
    *[("job_download", JOB, "get", p, 404) for p in ("admin", "atasan", "honorer", "luar")],
    ("job_download", JOB, "post", "pegawai", 405),
]


def make_objects(personas) -> dict[str, int]:
    """Create pegawai's notification and jobs; returns ``{"@notification": id, "@job": id, ...}``."""
    from situok.job_models import Job
    from situok.notification_models import Notification

    pegawai = personas["pegawai"]
    notification = Notification.objects.create(
        recipient=pegawai, category="reminder", kind="reminder", title="Pengingat uji", url="/tugas/"
    )
    job = Job.objects.create(
        owner=pegawai,
        kind="export",
        title="Ekspor uji (XLSX)",
        status=Job.Status.DONE,
        progress=100,
        result_filename="ekspor-uji.xlsx",
        result_content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    job.result_file.save("ekspor-uji.xlsx", ContentFile(b"PK\x03\x04 matrix"), save=True)
    running = Job.objects.create(
        owner=pegawai, kind="export", title="Ekspor berjalan", status=Job.Status.RUNNING, progress=30
    )
    return {"@notification": notification.pk, "@job": job.pk, "@job_running": running.pk}
