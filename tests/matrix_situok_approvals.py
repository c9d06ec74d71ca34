"""Permission-matrix rows of the approval pages (inbox, decide, bulk approve, delegations).

``make_objects(personas)`` builds what the ``@`` placeholders mean and returns their ids:

* ``@approval`` — a pending approval request of pegawai (a ``staff.CorrectionRequest`` under the test
  document type ``matriks-koreksi``, one step "Kepala Subbagian"), assigned to atasan — and, through the
  delegation below, to kepegawaian;
* ``@delegation`` — atasan's delegation to kepegawaian, from today for a week.

Deciding needs an assignment: anyone else gets 404 (they cannot tell the request exists), the requester
403 (nobody decides their own request). An assigned approver posting no decision is sent back to the
inbox with a message (302). Only the delegator (or whoever created it) may cancel a delegation; the
delegate sees it (403), others do not (404).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

ALL = ("admin", "pimpinan", "atasan", "kepegawaian", "ppk", "pegawai", "honorer", "luar")
A = {"pk": "@approval"}
D = {"pk": "@delegation"}
DOC = "matriks-koreksi"

ROWS = [
    ("inbox", {}, "get", "anon", 302),
    *[("inbox", {}, "get", p, 200) for p in ALL],
    ("approval_decide", A, "post", "anon", 302),
    ("approval_decide", A, "post", "atasan", 302),
    ("approval_decide", A, "post", "kepegawaian", 302),  # the delegate
    ("approval_decide", A, "post", "pegawai", 403),  # own request
    ("approval_decide", A, "post", "honorer", 404),
    ("approval_decide", A, "post", "ppk", 404),
    ("approval_decide", A, "post", "luar", 404),
    ("approval_decide", A, "post", "admin", 404),
    ("approval_decide", A, "get", "atasan", 405),
    ("approval_decide", {"pk": 999999}, "post", "atasan", 404),
    ("inbox_bulk_approve", {}, "post", "anon", 302),
    ("inbox_bulk_approve", {}, "post", "atasan", 302),
    ("inbox_bulk_approve", {}, "post", "pegawai", 302),
    ("inbox_bulk_approve", {}, "get", "atasan", 405),
    ("delegations", {}, "get", "anon", 302),
    *[("delegations", {}, "get", p, 200) for p in ALL],
    ("delegation_create", {}, "get", "anon", 302),
    *[("delegation_create", {}, "get", p, 200) for p in ALL],
    ("delegation_create", {}, "post", "pegawai", 200),  # empty form: re-shown with errors
    ("delegation_cancel", D, "post", "anon", 302),
    ("delegation_cancel", D, "post", "atasan", 302),
    ("delegation_cancel", D, "post", "kepegawaian", 403),
    ("delegation_cancel", D, "post", "luar", 404),
    ("delegation_cancel", D, "post", "pimpinan", 404),
    ("delegation_cancel", D, "get", "atasan", 405),
    ("delegation_cancel", {"pk": 999999}, "post", "atasan", 404),
]


def make_objects(personas) -> dict[str, int]:
    """Create the objects the rows refer to; returns ``{"@approval": pk, "@delegation": pk}``."""
    from situok.approvals import approval_submit, delegation_create, policy_publish, register_document_type
    from staff.models import CorrectionRequest

    register_document_type(
        DOC,
        label="Matriks: perbaikan data",
        model=CorrectionRequest,
        facts=lambda obj: {},
        url=lambda obj: f"/pegawai/{obj.employee_id}/",
        title=lambda obj: f"Matriks #{obj.pk}",
        requester_employee=lambda obj: obj.employee,
    )
    policy_publish(
        DOC, name="Matriks", steps=[{"name": "Kepala Subbagian", "rule": "unit_head"}], by=personas["admin"]
    )
    pegawai = personas["pegawai"]
    document = CorrectionRequest.objects.create(
        employee=pegawai.employee, requested_by=pegawai, changes={"phone": "081200000000"}
    )
    approval = approval_submit(document, by=pegawai, document_type=DOC)
    today = timezone.localdate()
    delegation = delegation_create(
        delegator=personas["atasan"],
        delegate=personas["kepegawaian"],
        start=today,
        end=today + dt.timedelta(days=7),
        reason="Cuti tahunan",
        by=personas["atasan"],
    )
    return {"@approval": approval.pk, "@delegation": delegation.pk}
