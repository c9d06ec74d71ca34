"""Many approvers clicking at once: exactly one decision wins, every other click gets ApprovalError.

Each run puts one pending request in front of two assigned approvers (even runs) or one approver
(odd runs, the same person in many browser tabs); all threads load the request, wait at a barrier, then
approve or reject together. The conditional UPDATE on (status, current_index, version) must let exactly
one through. The full 50 × 20 race needs PostgreSQL row locks (CI's PostgreSQL pass); a small variant
runs on SQLite, where writers are serialised anyway.
"""

from __future__ import annotations

import random
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from situok import approvals
from situok.approval_models import ApprovalAction, ApprovalAssignment, ApprovalRequest
from situok.approvals import ApprovalError, approval_approve, approval_reject, approval_submit, policy_publish
from staff.models import CorrectionRequest

# Dozens of threads, each with its own connection: `make test` runs these alone (see the marker).
pytestmark = pytest.mark.threads

DOC = "uji-balapan"
BARRIER_TIMEOUT = 120  # seconds; a broken barrier fails the test instead of hanging it


def _setup(personas) -> list:
    approvals.register_document_type(
        DOC,
        label="Uji balapan",
        model=CorrectionRequest,
        facts=lambda obj: {},
        url=lambda obj: "",
        title=lambda obj: f"Balapan #{obj.pk}",
        requester_employee=lambda obj: obj.employee,
    )
    policy_publish(DOC, name="Balapan", steps=[{"name": "PPK", "rule": "role", "role": "ppk"}], by=None)
    # A second PPK, so two different people hold the step.
    personas["pimpinan"].groups.add(Group.objects.get(name="ppk"))
    return [personas["ppk"], personas["pimpinan"]]


def _race(personas, *, threads_n: int, runs: int) -> None:
    approvers = _setup(personas)
    requester = personas["pegawai"]
    start = threading.Barrier(threads_n + 1, timeout=BARRIER_TIMEOUT)
    go = threading.Barrier(threads_n, timeout=BARRIER_TIMEOUT)
    done = threading.Barrier(threads_n + 1, timeout=BARRIER_TIMEOUT)
    current: dict[str, int] = {}
    outcomes: list[list[object]] = [[None] * threads_n for _ in range(runs)]

    def worker(i: int) -> None:
        rng = random.Random(i)
        try:
            for run in range(runs):
                start.wait()
                try:
                    req = ApprovalRequest.objects.select_related("requester_employee").get(pk=current["pk"])
                    user = approvers[i % 2] if run % 2 == 0 else approvers[0]
                    go.wait()
                    try:
                        if rng.random() < 0.5:
                            approval_approve(req, by=user)
                        else:
                            approval_reject(req, by=user, note="Tidak sesuai")
                        outcomes[run][i] = "won"
                    except ApprovalError:
                        outcomes[run][i] = "lost"
                except BaseException as exc:  # reported by the main thread; never die silently
                    outcomes[run][i] = exc
                done.wait()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads_n)]
    for t in threads:
        t.start()
    try:
        for run in range(runs):
            doc = CorrectionRequest.objects.create(
                employee=requester.employee, requested_by=requester, changes={"run": run}
            )
            req = approval_submit(doc, by=requester, document_type=DOC)
            assigned = set(
                ApprovalAssignment.objects.filter(request=req, is_current=True).values_list("user", flat=True)
            )
            assert assigned == {a.pk for a in approvers}
            current["pk"] = req.pk
            start.wait()
            done.wait()
            errors = [o for o in outcomes[run] if o not in ("won", "lost")]
            assert not errors, f"run {run}: {errors[:3]}"
            assert outcomes[run].count("won") == 1, f"run {run}: {outcomes[run].count('won')} winners"
            req.refresh_from_db()
            assert req.status in (ApprovalRequest.Status.APPROVED, ApprovalRequest.Status.REJECTED)
            assert req.version == 1
            decided = ApprovalAction.objects.filter(request=req).exclude(decision="submitted")
            assert decided.count() == 1 and decided.get().decision == req.status
    finally:
        for barrier in (start, go, done):
            barrier.abort()  # releases any thread still waiting if an assertion failed
        for t in threads:
            t.join(timeout=BARRIER_TIMEOUT)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_approvers_racing_twenty_times_yield_one_winner_each_time(personas):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    _race(personas, threads_n=50, runs=20)


@pytest.mark.django_db(transaction=True)
def test_racing_approvers_yield_one_winner_on_any_database(personas):
    _race(personas, threads_n=10, runs=5)
