"""Background jobs (eager Celery): export handler, progress, failures, owner-only pages, daily run."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from situok import jobs
from situok.audit import AuditEvent, log_action
from situok.celery import app as celery_app
from situok.exports import get_exporter
from situok.job_models import Job
from situok.jobs import (
    JobError,
    ProgressReporter,
    daily_run,
    export_job_start,
    export_should_run_in_background,
    job_handler,
    job_run,
    job_start,
    jobs_housekeeping,
    register_daily,
)
from situok.notification_models import Notification

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@job_handler("test_boom")
def _boom(job, report_progress):
    report_progress(40, "hampir")
    raise RuntimeError("boom: disk penuh")


@job_handler("test_refused")
def _refused(job, report_progress):
    raise JobError("Data belum lengkap.")


@job_handler("test_nothing")
def _nothing(job, report_progress):
    report_progress(50, "setengah")
    return None


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_eager_export_job_runs_to_100_percent_and_the_owner_downloads_the_file(
    personas, client_as, django_capture_on_commit_callbacks
):
    admin = personas["admin"]
    log_action(None, "travel.trip.approved", by=personas["pimpinan"])
    log_action(None, "staff.employee.updated", by=personas["kepegawaian"])
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_start("audit", {"action": "travel.", "cursor": "5"}, fmt="xlsx", owner=admin)
        assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED  # runs only after commit
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.progress == 100
    assert job.started_at and job.finished_at and job.error == ""
    assert job.params == {"identifier": "audit", "fmt": "xlsx", "form_data": {"action": "travel."}}
    assert job.result_filename.startswith("audit-") and job.result_filename.endswith(".xlsx")
    assert job.result_file.name.startswith("jobs/") and job.result_filename not in job.result_file.name

    response = client_as("admin").get(reverse("job_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert job.result_filename in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(_body(response))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[3] for r in rows] == ["travel.trip.approved"]

    event = AuditEvent.objects.get(action="export.audit")
    assert event.actor == admin and event.data["job"] == job.pk and event.data["format"] == "xlsx"
    notification = Notification.objects.get(recipient=admin, category="job_finished")
    assert notification.url == reverse("job_detail", args=[job.pk])
    assert notification.title.startswith("Siap diunduh: Ekspor")


@pytest.mark.django_db
def test_other_users_get_404_for_someone_elses_job(personas, client_as):
    job = _finished_job(personas["pegawai"])
    for persona in ("luar", "atasan", "admin"):
        client = client_as(persona)
        for name in ("job_detail", "job_progress", "job_download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, (persona, name)
    assert client_as("pegawai").get(reverse("job_download", args=[job.pk])).status_code == 200


@pytest.mark.django_db
def test_a_failing_handler_marks_the_job_failed_with_the_error_and_does_not_raise(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start("test_boom", owner=personas["pegawai"], params={"x": 1})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "boom: disk penuh" in job.error and "RuntimeError" in job.error
    assert job.progress == 40 and job.finished_at is not None
    assert not job.result_file
    assert Notification.objects.get(recipient=personas["pegawai"]).title.startswith("Tugas gagal")


@pytest.mark.django_db
def test_a_job_error_shows_its_message_as_is(personas, django_capture_on_commit_callbacks, client_as):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start("test_refused", owner=personas["pegawai"])
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.error == "Data belum lengkap."
    html = client_as("pegawai").get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Data belum lengkap." in html and 'data-testid="job-error"' in html
    assert client_as("pegawai").get(reverse("job_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_an_export_the_owner_may_not_run_fails_in_the_background(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_start("audit", {}, fmt="xlsx", owner=personas["pegawai"])
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "Anda tidak berwenang menjalankan ekspor ini."
    assert not AuditEvent.objects.filter(action="export.audit").exists()


@pytest.mark.django_db
def test_a_handler_returning_nothing_finishes_without_a_file(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start("test_nothing", owner=personas["pegawai"])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.progress == 100 and not job.has_result


@pytest.mark.django_db
def test_a_job_runs_once_even_if_its_message_is_delivered_twice(personas):
    job = Job.objects.create(owner=personas["pegawai"], kind="test_nothing")
    assert job_run(job.pk) is not None
    assert job_run(job.pk) is None
    assert Notification.objects.filter(recipient=personas["pegawai"]).count() == 1


@pytest.mark.django_db
def test_a_broker_that_refuses_the_job_fails_it_visibly(
    personas, monkeypatch, django_capture_on_commit_callbacks
):
    from situok import tasks

    def refuse(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.run_job, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start("test_nothing", owner=personas["pegawai"])
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "Antrean tugas tidak tersedia" in job.error


@pytest.mark.django_db
def test_progress_partial_polls_while_running_and_stops_when_finished(personas, client_as):
    client = client_as("pegawai")
    job = Job.objects.create(
        owner=personas["pegawai"], kind="export", title="Ekspor uji", status=Job.Status.RUNNING, progress=42
    )
    url = reverse("job_progress", args=[job.pk])
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in html and f'hx-get="{url}"' in html
    assert 'value="42"' in html and 'data-status="running"' in html
    assert 'hx-trigger="every 1s"' in client.get(reverse("job_detail", args=[job.pk])).content.decode()

    done = _finished_job(personas["pegawai"])
    html = client.get(reverse("job_progress", args=[done.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in html and "hx-get" not in html
    assert 'value="100"' in html and reverse("job_download", args=[done.pk]) in html


@pytest.mark.django_db
def test_job_list_shows_only_my_jobs(personas, client_as):
    mine = _finished_job(personas["pegawai"], title="Ekspor saya")
    _finished_job(personas["luar"], title="Ekspor orang lain")
    html = client_as("pegawai").get(reverse("jobs")).content.decode()
    assert "Ekspor saya" in html and "Ekspor orang lain" not in html
    assert reverse("job_download", args=[mine.pk]) in html


@pytest.mark.django_db
def test_progress_reports_are_throttled_but_100_always_lands(personas):
    job = Job.objects.create(owner=personas["pegawai"], kind="test_nothing", status=Job.Status.RUNNING)
    now = [0.0]
    report = ProgressReporter(job, min_interval=1.0, clock=lambda: now[0])
    assert report(10, "a") is True
    assert report(10, "a") is False  # unchanged
    now[0] = 0.5
    assert report(20, "b") is False  # too soon
    now[0] = 1.5
    assert report(20, "b") is True
    now[0] = 1.6
    assert report(150, "selesai") is True  # clamped to 100; the end is never dropped
    job.refresh_from_db()
    assert (job.progress, job.message) == (100, "selesai")


def test_background_threshold_needs_an_estimate_above_the_setting(settings):
    exporter = get_exporter("audit")
    assert export_should_run_in_background(exporter, {}, None) is False

    class Big:
        identifier = "big"

        def estimated_rows(self, form_data, user):
            return int(form_data["n"])

    settings.EXPORT_BACKGROUND_ROWS = 1000
    assert export_should_run_in_background(Big(), {"n": "1001"}, None) is True
    assert export_should_run_in_background(Big(), {"n": "1000"}, None) is False
    assert export_should_run_in_background(Big(), {}, None) is False  # a broken estimate never blocks


def test_daily_run_calls_every_registered_function_and_survives_a_failure(monkeypatch):
    monkeypatch.setattr(jobs, "DAILY", [])
    seen = []

    @register_daily
    def first(on):
        seen.append(("first", on))

    @register_daily
    def broken(on):
        raise ValueError("oops")

    @register_daily
    def last(on):
        seen.append(("last", on))
        return 3

    register_daily(first)  # twice is once
    outcome = daily_run(dt.date(2026, 11, 23))
    assert seen == [("first", dt.date(2026, 11, 23)), ("last", dt.date(2026, 11, 23))]
    assert list(outcome.values()) == ["ok", "error", "3"]

    with pytest.raises(CommandError, match="broken"):
        call_command("run_daily_reminders", "--on", "2026-11-24")
    assert seen[-1] == ("last", dt.date(2026, 11, 24))


def test_beat_runs_the_daily_reminders_at_six_wita():
    from situok import tasks

    entry = celery_app.conf.beat_schedule["daily-reminders"]
    assert entry["task"] == "situok.tasks.daily_reminders"
    assert entry["schedule"].hour == {6} and entry["schedule"].minute == {0}
    assert celery_app.conf.timezone == "Asia/Makassar"
    assert tasks.daily_reminders.name in celery_app.tasks


@pytest.mark.django_db
def test_housekeeping_fails_stuck_jobs_and_purges_old_results(personas):
    old = _finished_job(personas["pegawai"])
    path = Path(old.result_file.path)
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=30))
    recent = _finished_job(personas["pegawai"])
    stuck = Job.objects.create(owner=personas["pegawai"], kind="export", status=Job.Status.RUNNING)
    Job.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    assert jobs_housekeeping(timezone.localdate()) == "stale=1 purged=1"
    assert not Job.objects.filter(pk=old.pk).exists() and not path.exists()
    assert Job.objects.filter(pk=recent.pk).exists()
    stuck.refresh_from_db()
    assert stuck.status == Job.Status.FAILED


def _finished_job(owner, title: str = "Ekspor jejak audit (XLSX)") -> Job:
    job = Job.objects.create(
        owner=owner,
        kind="export",
        title=title,
        status=Job.Status.DONE,
        progress=100,
        result_filename="audit-20261122-1000.xlsx",
        result_content_type=XLSX,
        finished_at=timezone.now(),
    )
    job.result_file.save("audit.xlsx", ContentFile(b"PK\x03\x04 not really a workbook"), save=True)
    return job
