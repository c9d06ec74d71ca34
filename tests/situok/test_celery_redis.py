"""A real Celery worker against Redis: an export job travels over the broker and finishes.

The rest of the suite runs Celery eagerly. This test starts an in-process worker thread
(``celery.contrib.testing.worker.start_worker``) on ``redis://127.0.0.1:6379/15`` (override with
``SITUOK_TEST_REDIS_URL``) and switches eager mode off for its duration. Without Redis it is skipped —
unless ``SITUOK_REQUIRE_REDIS=1`` (CI), where a missing Redis is a failure.
"""

from __future__ import annotations

import io
import os
import threading
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import setup_logging, task_prerun
from openpyxl import load_workbook

from situok.audit import log_action
from situok.celery import app as celery_app
from situok.job_models import Job
from situok.jobs import export_job_start

REDIS_URL = os.environ.get("SITUOK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
OVERRIDDEN = (
    "broker_url",
    "task_always_eager",
    "result_backend",
    "broker_transport_options",
    "worker_hijack_root_logger",
)


def _redis_problem(url: str) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _reset_broker_connections() -> None:
    # Connection and producer pools are created lazily from the configuration of the moment (even eager
    # calls create them); drop them so the next use follows the current broker_url.
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _keep_test_logging(**kwargs) -> None:
    """Connected to ``setup_logging``: the embedded worker leaves pytest's logging configuration alone."""


@pytest.fixture
def redis_broker():
    problem = _redis_problem(REDIS_URL)
    if problem is not None:
        message = (
            f"Redis is not reachable at {REDIS_URL} ({problem}); the real-worker Celery test needs it. "
            "Start redis-server, or set SITUOK_TEST_REDIS_URL."
        )
        if os.environ.get("SITUOK_REQUIRE_REDIS") == "1":
            pytest.fail(f"SITUOK_REQUIRE_REDIS=1: {message}")
        pytest.skip(message)
    saved = {key: celery_app.conf.get(key) for key in OVERRIDDEN}
    # A unique key prefix keeps this run's queues apart from any other run sharing the database.
    prefix = f"situok-test-{uuid.uuid4().hex}:"
    celery_app.conf.update(
        broker_url=REDIS_URL,
        task_always_eager=False,
        result_backend=None,
        broker_transport_options={"global_keyprefix": prefix},
        worker_hijack_root_logger=False,
    )
    _reset_broker_connections()
    setup_logging.connect(_keep_test_logging)
    try:
        yield REDIS_URL
    finally:
        setup_logging.disconnect(_keep_test_logging)
        celery_app.conf.update(saved)
        _reset_broker_connections()
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)


@pytest.mark.django_db(transaction=True)  # the worker thread has its own connection: data must be committed
def test_export_job_runs_on_a_real_worker_over_redis(redis_broker, personas):
    admin = personas["admin"]
    log_action(None, "travel.trip.approved", by=personas["pimpinan"])
    executions: list[tuple[str, bool, str]] = []

    def record(sender=None, task=None, **kwargs):
        executions.append((task.name, bool(task.request.is_eager), threading.current_thread().name))

    task_prerun.connect(record)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            # Outside any transaction the on_commit hook fires at once and publishes to Redis.
            job = export_job_start("audit", {"action": "travel."}, fmt="xlsx", owner=admin)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                job.refresh_from_db()
                if job.is_finished:
                    break
                time.sleep(0.2)
    finally:
        task_prerun.disconnect(record)

    assert job.status == Job.Status.DONE, job.error or f"job still {job.status} after 60 s"
    assert job.progress == 100
    runs = [e for e in executions if e[0] == "situok.tasks.run_job"]
    assert runs, "run_job was never executed by the worker"
    assert all(not eager and thread != threading.main_thread().name for _name, eager, thread in runs)
    with job.result_file.open("rb") as fh:
        sheet = load_workbook(io.BytesIO(fh.read())).active
    assert sheet.cell(row=2, column=4).value == "travel.trip.approved"
