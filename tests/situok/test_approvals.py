"""The approval engine: policies as data, the request lifecycle, escalation, delegation, the inbox.

The document under approval is a real model, ``staff.CorrectionRequest``, created through the ORM: its
``changes`` JSON carries the facts conditions read (``amount``, ``outside_bali``, ``resource_type``) and,
for resource steps, the usernames of the resource approvers. The requesting employee is
``correction.employee``. No test-only model is needed.

The demo bureau (tests/conftest.py): pegawai and honorer (non-ASN) work in Subbagian BUP.TU.1 headed by
atasan; its Bagian BUP.TU is headed by ppk, the Biro BUP by pimpinan; luar works in Biro Hukum, whose
units have no heads.
"""

from __future__ import annotations

import datetime as dt
import sys
import types
import zoneinfo
from importlib import import_module

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from situok import approvals, views_approvals
from situok.approval_models import (
    ApprovalAction,
    ApprovalAssignment,
    ApprovalPolicy,
    ApprovalRequest,
    Delegation,
    condition_holds,
)
from situok.approvals import (
    ApprovalError,
    approval_approve,
    approval_bulk_approve,
    approval_cancel,
    approval_reject,
    approval_resubmit,
    approval_return,
    approval_status,
    approval_submit,
    approval_withdraw,
    delegation_cancel,
    delegation_create,
    delegation_prefix,
    inbox_assignments,
    inbox_count,
    policy_publish,
)
from situok.audit import AuditEvent
from situok.notification_models import Notification
from staff.models import CorrectionRequest, Position

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
DOC = "uji-koreksi"
BULK = "uji-massal"

# --- The test document type ---------------------------------------------------------------------------


def _facts(obj: CorrectionRequest) -> dict:
    return {k: v for k, v in obj.changes.items() if k != "resource_approvers"}


def _resource_approvers(obj: CorrectionRequest) -> list:
    names = obj.changes.get("resource_approvers", [])
    return list(get_user_model().objects.filter(username__in=names).order_by("username"))


def _on_approved(obj: CorrectionRequest, request: ApprovalRequest) -> None:
    obj.status = CorrectionRequest.Status.APPROVED
    obj.decision_note = f"approval {request.pk}"
    obj.save(update_fields=["status", "decision_note"])


def _on_rejected(obj: CorrectionRequest, request: ApprovalRequest) -> None:
    obj.status = CorrectionRequest.Status.REJECTED
    obj.save(update_fields=["status"])


def _register(code: str, *, bulk: bool) -> None:
    approvals.register_document_type(
        code,
        label=f"Uji {code}",
        model=CorrectionRequest,
        facts=_facts,
        url=lambda obj: f"/pegawai/{obj.employee_id}/",
        title=lambda obj: f"Uji #{obj.pk}",
        requester_employee=lambda obj: obj.employee,
        resource_approvers=_resource_approvers,
        on_approved=_on_approved,
        on_rejected=_on_rejected,
        bulk_approvable=bulk,
    )


@pytest.fixture(autouse=True)
def document_types():
    _register(DOC, bulk=False)
    _register(BULK, bulk=True)


@pytest.fixture
def wired_urls(settings):
    """Mount the approval pages when the project's urls.py does not (yet) include them."""
    try:
        reverse("inbox")
    except NoReverseMatch:
        module = types.ModuleType("situok_test_approval_urls")
        module.urlpatterns = [
            *import_module(settings.ROOT_URLCONF).urlpatterns,
            *views_approvals.urlpatterns,
        ]
        sys.modules[module.__name__] = module
        settings.ROOT_URLCONF = module.__name__


def publish(*steps: dict, code: str = DOC, admin=None) -> ApprovalPolicy:
    return policy_publish(code, name=f"Alur {code}", steps=list(steps), by=admin)


def step(name: str, rule: str, **extra) -> dict:
    return {"name": name, "rule": rule, **extra}


def make_doc(personas, who: str = "pegawai", **facts) -> CorrectionRequest:
    user = personas[who]
    return CorrectionRequest.objects.create(employee=user.employee, requested_by=user, changes=facts)


def submit(personas, who: str = "pegawai", *, code: str = DOC, **facts) -> ApprovalRequest:
    return approval_submit(make_doc(personas, who, **facts), by=personas[who], document_type=code)


def assignees(req: ApprovalRequest) -> set[str]:
    return set(
        ApprovalAssignment.objects.filter(request=req, is_current=True).values_list(
            "user__username", flat=True
        )
    )


def decisions(req: ApprovalRequest) -> list[str]:
    return list(req.actions.order_by("id").values_list("decision", flat=True))


def fresh(req: ApprovalRequest) -> ApprovalRequest:
    return ApprovalRequest.objects.select_related("requester_employee").get(pk=req.pk)


FULL_POLICY = (
    step("Kepala Subbagian", "unit_head", levels_up=0),
    step(
        "Kepala Bagian",
        "unit_head",
        levels_up=1,
        condition=[{"fact": "amount", "op": "gt", "value": 10_000_000}],
    ),
    step("Kepala Biro", "unit_head", levels_up=2, condition=[{"fact": "outside_bali", "op": "is_true"}]),
    step(
        "PPK", "role", role="ppk", condition=[{"fact": "employee_type", "op": "in", "value": ["PNS", "CPNS"]}]
    ),
    step(
        "Pengelola kendaraan",
        "resource_approver",
        condition=[{"fact": "resource_type", "op": "eq", "value": "kendaraan"}],
    ),
)


# --- Conditions ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("condition", "facts", "expected"),
    [
        ([], {}, True),
        ([{"fact": "amount", "op": "gt", "value": 10_000_000}], {"amount": "10000000.01"}, True),
        ([{"fact": "amount", "op": "gt", "value": 10_000_000}], {"amount": 10_000_000}, False),
        ([{"fact": "amount", "op": "gte", "value": "10000000"}], {"amount": 10_000_000}, True),
        ([{"fact": "amount", "op": "lt", "value": 5}], {}, False),  # a missing fact never satisfies an order
        ([{"fact": "amount", "op": "lte", "value": 5}], {"amount": 5.0}, True),
        ([{"fact": "type", "op": "ne", "value": "PNS"}], {"type": "NON_ASN"}, True),
        ([{"fact": "type", "op": "not_in", "value": ["PNS", "CPNS"]}], {"type": "PNS"}, False),
        ([{"fact": "day", "op": "gte", "value": "2026-12-01"}], {"day": dt.date(2026, 12, 24)}, True),
        ([{"fact": "outside_bali", "op": "is_false"}], {}, True),
        (
            [{"fact": "outside_bali", "op": "is_true"}, {"fact": "amount", "op": "gt", "value": 1}],
            {"outside_bali": True, "amount": 0},
            False,
        ),
    ],
)
def test_conditions_hold_only_when_every_clause_holds(condition, facts, expected):
    assert condition_holds(condition, facts) is expected


def test_a_malformed_condition_is_refused_when_publishing(personas):
    with pytest.raises(ApprovalError, match="Operator syarat kira-kira tidak dikenal"):
        publish(step("A", "unit_head", condition=[{"fact": "amount", "op": "kira-kira", "value": 1}]))
    with pytest.raises(ApprovalError, match="Pilih peran penyetuju"):
        publish(step("A", "role"))


# --- Chains picked by conditions ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "facts", "chain"),
    [
        ("pegawai", {"amount": 5_000_000}, ["Kepala Subbagian", "PPK"]),
        ("pegawai", {"amount": 15_000_000}, ["Kepala Subbagian", "Kepala Bagian", "PPK"]),
        (
            "pegawai",
            {"amount": 15_000_000, "outside_bali": True},
            ["Kepala Subbagian", "Kepala Bagian", "Kepala Biro", "PPK"],
        ),
        ("honorer", {"amount": 5_000_000}, ["Kepala Subbagian"]),  # non-ASN: no PPK step
        (
            "pegawai",
            {"amount": 1, "resource_type": "kendaraan", "resource_approvers": ["peminjaman"]},
            ["Kepala Subbagian", "PPK", "Pengelola kendaraan"],
        ),
    ],
)
def test_conditions_pick_the_chain_at_submit(personas, who, facts, chain):
    publish(*FULL_POLICY)
    req = submit(personas, who, **facts)
    assert [s["name"] for s in req.chain] == chain
    assert req.status == ApprovalRequest.Status.PENDING and req.current_index == 0
    assert assignees(req) == {"atasan"}


def test_a_full_chain_walks_to_approval_and_runs_on_approved_in_the_same_transaction(personas):
    publish(*FULL_POLICY)
    facts = {"amount": 15_000_000, "outside_bali": True, "resource_type": "kendaraan"}
    req = submit(personas, resource_approvers=["peminjaman"], **facts)
    for expected in ("atasan", "ppk", "pimpinan", "ppk", "peminjaman"):
        assert assignees(req) == {expected}
        req = approval_approve(fresh(req), by=personas[expected])
    assert req.status == ApprovalRequest.Status.APPROVED and req.finished_at is not None
    assert assignees(req) == set()
    assert decisions(req) == ["submitted"] + ["approved"] * 5
    doc = CorrectionRequest.objects.get(pk=req.object_id)
    assert doc.status == CorrectionRequest.Status.APPROVED and doc.decision_note == f"approval {req.pk}"
    events = list(
        AuditEvent.objects.filter(target_id=str(doc.pk), action__startswith=f"{DOC}.approval.").values_list(
            "action", flat=True
        )
    )
    assert sorted(events) == sorted([f"{DOC}.approval.submitted"] + [f"{DOC}.approval.approved"] * 5)
    # The requester heard of every decision; each approver was asked once per step they hold.
    assert (
        Notification.objects.filter(recipient=personas["pegawai"], category="approval_decision").count() == 5
    )
    assert Notification.objects.filter(recipient=personas["ppk"], category="approval_request").count() == 2
    final = Notification.objects.filter(recipient=personas["pegawai"]).order_by("-id").first()
    assert final.title == f"Uji #{doc.pk} disetujui"


def test_a_request_keeps_its_policy_version(personas):
    v1 = publish(step("Kepala Subbagian", "unit_head"), step("Kepala Bagian", "unit_head", levels_up=1))
    old = submit(personas)
    v2 = publish(step("Kepala Biro", "unit_head", levels_up=2))
    v1.refresh_from_db()
    assert (v1.version, v1.is_active, v2.version, v2.is_active) == (1, False, 2, True)
    new = submit(personas)
    assert assignees(new) == {"pimpinan"} and new.policy == v2
    old = approval_approve(fresh(old), by=personas["atasan"])
    assert assignees(old) == {"ppk"} and old.policy == v1


def test_a_policy_with_no_step_left_for_the_facts_cannot_be_submitted(personas):
    publish(
        step(
            "Kepala Bagian", "unit_head", levels_up=1, condition=[{"fact": "amount", "op": "gt", "value": 9}]
        )
    )
    with pytest.raises(ApprovalError, match="Tidak ada pejabat yang dapat menyetujui"):
        submit(personas, amount=1)


def test_submit_needs_a_policy_and_only_one_open_request_per_document(personas):
    doc = make_doc(personas)
    with pytest.raises(ApprovalError, match="Belum ada alur persetujuan"):
        approval_submit(doc, by=personas["pegawai"], document_type=DOC)
    publish(step("Kepala Subbagian", "unit_head"))
    approval_submit(doc, by=personas["pegawai"], document_type=DOC)
    with pytest.raises(ApprovalError, match="sudah diajukan"):
        approval_submit(doc, by=personas["pegawai"], document_type=DOC)


# --- Return for revision --------------------------------------------------------------------------------
def test_return_then_resubmit_restarts_at_the_returned_step(personas):
    publish(
        step("Kepala Subbagian", "unit_head"),
        step("Kepala Bagian", "unit_head", levels_up=1),
        step("Kepala Biro", "unit_head", levels_up=2),
    )
    req = submit(personas)
    req = approval_approve(fresh(req), by=personas["atasan"])
    req = approval_return(fresh(req), by=personas["ppk"], note="Lampirkan surat undangan.")
    assert req.status == ApprovalRequest.Status.RETURNED and req.current_index == 1
    assert assignees(req) == set()
    returned = Notification.objects.filter(recipient=personas["pegawai"], category="approval_returned").get()
    assert "Lampirkan surat undangan." in returned.body
    req = approval_resubmit(fresh(req), by=personas["pegawai"])
    assert req.status == ApprovalRequest.Status.PENDING and req.current_index == 1
    assert assignees(req) == {"ppk"}  # not back to atasan
    req = approval_approve(fresh(req), by=personas["ppk"])
    req = approval_approve(fresh(req), by=personas["pimpinan"])
    assert req.status == ApprovalRequest.Status.APPROVED
    assert decisions(req) == ["submitted", "approved", "returned", "resubmitted", "approved", "approved"]


def test_only_the_requester_resubmits_and_only_a_returned_request(personas):
    publish(step("Kepala Subbagian", "unit_head"))
    req = submit(personas)
    with pytest.raises(ApprovalError, match="Hanya permohonan yang dikembalikan"):
        approval_resubmit(fresh(req), by=personas["pegawai"])
    approval_return(fresh(req), by=personas["atasan"], note="Perbaiki.")
    with pytest.raises(ApprovalError, match="Hanya pemohon"):
        approval_resubmit(fresh(req), by=personas["atasan"])


@pytest.mark.parametrize("decide", [approval_reject, approval_return])
@pytest.mark.parametrize("note", ["", "   "])
def test_reject_and_return_require_a_note(personas, decide, note):
    publish(step("Kepala Subbagian", "unit_head"))
    req = submit(personas)
    with pytest.raises(ApprovalError) as exc:
        decide(fresh(req), by=personas["atasan"], note=note)
    assert exc.value.field == "note"
    assert exc.value.message in ("Tuliskan alasan penolakan.", "Tuliskan apa yang perlu diperbaiki.")
    assert fresh(req).status == ApprovalRequest.Status.PENDING


def test_reject_finishes_the_request_and_runs_on_rejected(personas):
    publish(step("Kepala Subbagian", "unit_head"), step("Kepala Bagian", "unit_head", levels_up=1))
    req = submit(personas)
    req = approval_reject(fresh(req), by=personas["atasan"], note="Anggaran tidak tersedia.")
    assert req.status == ApprovalRequest.Status.REJECTED and req.finished_at is not None
    assert CorrectionRequest.objects.get(pk=req.object_id).status == CorrectionRequest.Status.REJECTED
    assert assignees(req) == set()
    with pytest.raises(ApprovalError, match="tidak lagi menunggu persetujuan"):
        approval_approve(fresh(req), by=personas["atasan"])


# --- Nobody approves their own request ------------------------------------------------------------------
def test_a_unit_head_requesting_escalates_to_the_next_unit_up(personas):
    publish(step("Kepala unit", "unit_head", levels_up=0))
    req = submit(personas, "atasan")
    assert assignees(req) == {"ppk"}
    escalation = req.actions.get(decision=ApprovalAction.Decision.ESCALATED)
    assert escalation.data == {"reason": "self", "levels_up": 0} and escalation.actor is None
    assert AuditEvent.objects.filter(
        action=f"{DOC}.approval.escalated", target_id=str(req.object_id)
    ).exists()
    status = approval_status(req.target)
    assert "Pemohon adalah pejabat pada langkah ini" in [h["note"] for h in status["history"]][1]


def test_a_supervisor_step_never_lands_on_the_requester(personas):
    publish(step("Atasan langsung", "supervisor"))
    assert assignees(submit(personas, "atasan")) == {"ppk"}
    assert assignees(submit(personas, "ppk")) == {"pimpinan"}


def test_a_role_step_that_means_only_the_requester_escalates_to_the_next_step(personas):
    publish(step("PPK", "role", role="ppk"), step("Kepala Biro", "unit_head", levels_up=1))
    req = submit(personas, "ppk")
    assert req.current_index == 1 and assignees(req) == {"pimpinan"}
    assert decisions(req) == ["submitted", "escalated"]


def test_a_vacant_post_escalates_and_a_chain_that_runs_out_is_refused(personas):
    empty = Position.objects.create(
        name="Jabatan Kosong", kind="PELAKSANA", unit=personas["pegawai"].employee.unit, bup=58
    )
    publish(step("Jabatan kosong", "position", position=empty), step("Kepala Subbagian", "unit_head"))
    req = submit(personas)
    assert assignees(req) == {"atasan"}
    assert req.actions.get(decision="escalated").data["reason"] == "vacant"
    # Biro Hukum has no unit heads at all: nobody could ever approve.
    with pytest.raises(ApprovalError, match="Tidak ada pejabat yang dapat menyetujui"):
        submit(personas, "luar")
    assert not ApprovalRequest.objects.filter(requester=personas["luar"]).exists()


def test_a_position_step_reaches_its_holder(personas):
    position = personas["ppk"].employee.position
    publish(step("Kepala Bagian TU", "position", position=position))
    assert assignees(submit(personas)) == {"ppk"}


@pytest.mark.parametrize(
    ("actor", "message"),
    [
        ("pegawai", "Anda tidak dapat memutuskan permohonan Anda sendiri."),
        ("luar", "Anda tidak berwenang memutuskan permohonan ini."),
        ("ppk", "Anda tidak berwenang memutuskan permohonan ini."),
    ],
)
def test_only_an_assigned_approver_decides(personas, actor, message):
    publish(step("Kepala Subbagian", "unit_head"), step("Kepala Bagian", "unit_head", levels_up=1))
    req = submit(personas)
    with pytest.raises(ApprovalError) as exc:
        approval_approve(fresh(req), by=personas[actor])
    assert exc.value.message == message


def test_a_decision_on_a_stale_view_is_refused_with_a_clear_message(personas):
    publish(step("Kepala Subbagian", "unit_head"), step("Kepala Bagian", "unit_head", levels_up=1))
    req = submit(personas)
    seen_by_atasan = fresh(req)
    approval_approve(fresh(req), by=personas["atasan"])
    with pytest.raises(ApprovalError, match="sudah diproses oleh orang lain"):
        approval_approve(seen_by_atasan, by=personas["atasan"])
    stale = fresh(req)
    stale.version -= 1  # what the ppk's open page still shows
    with pytest.raises(ApprovalError, match="sudah diproses oleh orang lain"):
        approval_approve(stale, by=personas["ppk"])


# --- Cancel and withdraw ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("state", "action", "actor", "outcome"),
    [
        ("pending", approval_cancel, "pegawai", "cancelled"),
        ("pending", approval_withdraw, "pegawai", "withdrawn"),
        ("returned", approval_withdraw, "pegawai", "withdrawn"),
        ("returned", approval_cancel, "pegawai", "Hanya permohonan yang masih menunggu persetujuan"),
        (
            "approved",
            approval_withdraw,
            "pegawai",
            "Hanya permohonan yang menunggu persetujuan atau dikembalikan",
        ),
        ("approved", approval_cancel, "pegawai", "Hanya permohonan yang masih menunggu persetujuan"),
        ("pending", approval_cancel, "atasan", "Hanya pemohon"),
        ("pending", approval_withdraw, "atasan", "Hanya pemohon"),
    ],
)
def test_cancel_and_withdraw_rules(personas, state, action, actor, outcome):
    publish(step("Kepala Subbagian", "unit_head"))
    req = submit(personas)
    if state == "returned":
        approval_return(fresh(req), by=personas["atasan"], note="Perbaiki tanggal.")
    elif state == "approved":
        approval_approve(fresh(req), by=personas["atasan"])
    if outcome in ApprovalRequest.Status.values:
        req = action(fresh(req), by=personas[actor])
        assert req.status == outcome and req.finished_at is not None
        assert assignees(req) == set()
        assert decisions(req)[-1] == outcome
        # The document may be submitted anew.
        again = approval_submit(req.target, by=personas["pegawai"], document_type=DOC)
        assert again.pk != req.pk
    else:
        with pytest.raises(ApprovalError, match=outcome):
            action(fresh(req), by=personas[actor])


# --- Delegation ------------------------------------------------------------------------------------------
def _at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(9, 0), tzinfo=WITA), tick=False)


START = dt.date(2026, 12, 7)
END = dt.date(2026, 12, 9)


@pytest.fixture
def delegated(personas):
    """A request waiting for atasan, who lets kepegawaian decide as Plh. from 7 to 9 December 2026."""
    publish(step("Kepala Subbagian", "unit_head"))
    with _at(START - dt.timedelta(days=3)):
        req = submit(personas)
        delegation = delegation_create(
            delegator=personas["atasan"],
            delegate=personas["kepegawaian"],
            start=START,
            end=END,
            kind=Delegation.Kind.PLH,
            reason="Cuti tahunan",
            by=personas["atasan"],
        )
    return req, delegation


@pytest.mark.parametrize(
    ("day", "sees"),
    [
        (START - dt.timedelta(days=1), False),
        (START, True),
        (END, True),
        (END + dt.timedelta(days=1), False),
    ],
)
def test_a_delegate_sees_the_request_only_inside_the_window(personas, delegated, day, sees):
    req, _ = delegated
    with _at(day):
        mine = [a.request_id for a in inbox_assignments(personas["kepegawaian"])]
        assert (mine == [req.pk]) is sees
        assert inbox_count(personas["kepegawaian"]) == int(sees)
        assert delegation_prefix(personas["kepegawaian"]) == ("Plh." if sees else "")
        # The delegator keeps the request throughout.
        assert [a.request_id for a in inbox_assignments(personas["atasan"])] == [req.pk]
        if not sees:
            with pytest.raises(ApprovalError, match="tidak berwenang"):
                approval_approve(fresh(req), by=personas["kepegawaian"])


def test_a_delegated_decision_records_both_names(personas, delegated):
    req, _ = delegated
    with _at(START):
        before = approval_status(req.target, user=personas["kepegawaian"])
        assert before["can_decide"] is True
        assert [(p["name"], p["capacity"]) for p in before["delegates"]] == [
            (personas["kepegawaian"].employee.name_with_titles, "Plh.")
        ]
        assert personas["kepegawaian"].employee.name not in before["waiting_text"]
        req = approval_approve(fresh(req), by=personas["kepegawaian"])
        status = approval_status(req.target)
    action = req.actions.get(decision="approved")
    assert (action.actor, action.on_behalf_of, action.capacity) == (
        personas["kepegawaian"],
        personas["atasan"],
        "plh",
    )
    event = AuditEvent.objects.get(action=f"{DOC}.approval.approved")
    assert event.actor == personas["kepegawaian"] and event.data["on_behalf_of"] == personas["atasan"].pk
    last = status["history"][-1]
    assert last["actor"] == personas["kepegawaian"].employee.name_with_titles
    assert (last["capacity"], last["on_behalf_of"]) == ("Plh.", personas["atasan"].employee.name_with_titles)
    html = render_to_string("situok/partials/approval_status.html", {"approval": status})
    assert f"(Plh., atas nama {personas['atasan'].employee.name_with_titles})" in html


def test_new_requests_reach_an_active_delegate_and_a_cancelled_delegation_stops(personas, delegated):
    _, delegation = delegated
    with _at(START):
        later = submit(personas)
        assert later.pk in [a.request_id for a in inbox_assignments(personas["kepegawaian"])]
        delegation_cancel(delegation, by=personas["atasan"])
        assert list(inbox_assignments(personas["kepegawaian"])) == []
        assert delegation_prefix(personas["kepegawaian"]) == ""
        with pytest.raises(ApprovalError, match="sudah dibatalkan"):
            delegation_cancel(delegation, by=personas["atasan"])


def test_a_delegate_never_decides_their_own_request(personas):
    publish(step("Kepala Subbagian", "unit_head"))
    delegation_create(
        delegator=personas["atasan"],
        delegate=personas["pegawai"],
        start=timezone.localdate(),
        end=timezone.localdate() + dt.timedelta(days=5),
        reason="Dinas luar",
        by=personas["atasan"],
    )
    req = submit(personas)
    assert assignees(req) == {"atasan"}


@pytest.mark.parametrize(
    ("delegate", "start", "end", "field", "message"),
    [
        ("atasan", 1, 2, "delegate", "Anda tidak dapat mendelegasikan kepada diri sendiri."),
        ("kepegawaian", 3, 2, "end", "Tanggal selesai tidak boleh sebelum tanggal mulai."),
        ("kepegawaian", -1, 2, "start", "Tanggal mulai tidak boleh sebelum hari ini."),
        ("ppk", 5, 12, "start", "beririsan dengan delegasi Anda"),  # overlaps 4..6 below
        ("ppk", 6, 6, "start", "beririsan dengan delegasi Anda"),  # edge: shares the last day
    ],
)
def test_delegation_rules(personas, delegate, start, end, field, message):
    today = dt.date(2026, 12, 1)
    with _at(today):
        delegation_create(
            delegator=personas["atasan"],
            delegate=personas["kepegawaian"],
            start=today + dt.timedelta(days=4),
            end=today + dt.timedelta(days=6),
            reason="Cuti",
            by=personas["atasan"],
        )
        with pytest.raises(ApprovalError) as exc:
            delegation_create(
                delegator=personas["atasan"],
                delegate=personas[delegate],
                start=today + dt.timedelta(days=start),
                end=today + dt.timedelta(days=end),
                reason="Dinas luar",
                by=personas["atasan"],
            )
    assert exc.value.field == field and message in exc.value.message
    # The day after the first delegation ends is free again.
    with _at(today):
        delegation_create(
            delegator=personas["atasan"],
            delegate=personas["ppk"],
            start=today + dt.timedelta(days=7),
            end=today + dt.timedelta(days=7),
            reason="Dinas luar",
            by=personas["atasan"],
        )


# --- Inbox -----------------------------------------------------------------------------------------------
def test_the_inbox_lists_only_my_items_in_one_query(personas, django_assert_num_queries):
    publish(step("Kepala Subbagian", "unit_head"))
    publish(step("Kepala Subbagian", "unit_head"), code=BULK)
    mine = [submit(personas).pk, submit(personas, "honorer").pk, submit(personas, code=BULK).pk]
    submit(personas, "atasan")  # waits for ppk, not for atasan
    with django_assert_num_queries(1):
        rows = list(inbox_assignments(personas["atasan"]))
        seen = [(a.request_id, a.request.requester_employee.unit.code, a.request.title) for a in rows]
        for a in rows:
            assert a.request.requester_employee.position is not None
            assert a.on_behalf_of is None
    assert sorted(r for r, _, _ in seen) == sorted(mine)
    assert [a.request_id for a in inbox_assignments(personas["atasan"], document_type=BULK)] == [mine[2]]
    assert inbox_count(personas["atasan"]) == 3
    assert inbox_count(personas["pegawai"]) == 0


def test_the_inbox_page_costs_the_same_for_two_rows_or_eight(personas, client_as, wired_urls):
    publish(step("Kepala Subbagian", "unit_head"), code=BULK)
    client = client_as("atasan")

    def page_queries() -> tuple[int, bytes]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("inbox"))
        assert response.status_code == 200
        inbox = [q for q in ctx.captured_queries if "situok_approvalassignment" in q["sql"]]
        assert len(inbox) == 1  # rows, requester, unit, position, delegation: one query
        return len(ctx.captured_queries), response.content

    page_queries()  # warm up what the shell caches per session (menu, roles, bell)
    for _ in range(2):
        submit(personas, code=BULK)
    few, content = page_queries()
    assert content.count(b'data-testid="inbox-row"') == 2
    for _ in range(6):
        submit(personas, "honorer", code=BULK)
    many, content = page_queries()
    assert content.count(b'data-testid="inbox-row"') == 8
    assert many == few


def test_bulk_approve_processes_each_item_independently(personas):
    publish(step("Kepala Subbagian", "unit_head"))
    publish(step("Kepala Subbagian", "unit_head"), code=BULK)
    bulk = [submit(personas, code=BULK), submit(personas, "honorer", code=BULK)]
    single = submit(personas)  # its type must be decided one by one
    taken = submit(personas, "honorer", code=BULK)
    approval_approve(fresh(taken), by=personas["atasan"])  # decided meanwhile (stale copy below)
    stale = ApprovalRequest.objects.get(pk=taken.pk)
    stale.status, stale.version = ApprovalRequest.Status.PENDING, 0
    result = approval_bulk_approve([*(fresh(r) for r in bulk), fresh(single), stale], by=personas["atasan"])
    assert [r.pk for r in result.approved] == [r.pk for r in bulk]
    assert [(r.pk, m) for r, m in result.failed] == [
        (single.pk, "Dokumen ini harus diputuskan satu per satu."),
        (taken.pk, "Permohonan ini sudah diproses oleh orang lain."),
    ]
    assert {fresh(r).status for r in bulk} == {"approved"}
    assert fresh(single).status == "pending"


def test_a_step_may_opt_out_of_bulk_approval(personas):
    publish(step("Kepala Subbagian", "unit_head", bulk_approvable=False), code=BULK)
    req = submit(personas, code=BULK)
    assert not approvals.is_bulk_approvable(req)


def test_bulk_approve_page_reports_successes_and_failures(personas, client_as, wired_urls):
    publish(step("Kepala Subbagian", "unit_head"))
    publish(step("Kepala Subbagian", "unit_head"), code=BULK)
    ok = [submit(personas, code=BULK), submit(personas, "honorer", code=BULK)]
    single = submit(personas)
    other = submit(personas, "atasan", code=BULK)  # waits for ppk
    response = client_as("atasan").post(
        reverse("inbox_bulk_approve"),
        {"request": [str(r.pk) for r in (*ok, single, other)]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        f"2 disetujui, 2 gagal: Uji #{single.object_id} — Dokumen ini harus diputuskan satu per satu." in text
    )
    assert f"#{other.pk} — tidak ditemukan di kotak Anda" in text
    assert fresh(other).status == "pending"


# --- Pages ------------------------------------------------------------------------------------------------
def test_deciding_from_the_inbox(personas, client_as, wired_urls):
    publish(step("Kepala Subbagian", "unit_head"))
    req = submit(personas)
    client = client_as("atasan")
    page = client.get(reverse("inbox"))
    assert f"Uji #{req.object_id}".encode() in page.content
    response = client.post(
        reverse("approval_decide", args=[req.pk]), {"decision": "approve", "version": req.version}
    )
    assert response.status_code == 302 and response["Location"] == reverse("inbox")
    assert fresh(req).status == "approved"
    # A second click on the page already open is answered, not crashed.
    response = client.post(
        reverse("approval_decide", args=[req.pk]),
        {"decision": "approve", "version": req.version},
        follow=True,
    )
    assert "Permohonan ini tidak lagi menunggu persetujuan (Disetujui)." in response.content.decode()


def test_rejecting_without_a_note_shows_the_error_next_to_the_note(personas, client_as, wired_urls):
    publish(step("Kepala Subbagian", "unit_head"))
    req = submit(personas)
    response = client_as("atasan").post(
        reverse("approval_decide", args=[req.pk]), {"decision": "reject", "note": ""}, HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert f'id="note-error-{req.pk}">Tuliskan alasan penolakan.' in text and "is-invalid" in text
    assert fresh(req).status == "pending"
    response = client_as("atasan").post(
        reverse("approval_decide", args=[req.pk]),
        {"decision": "reject", "note": "Tidak sesuai"},
        HTTP_HX_REQUEST="true",
    )
    assert "Permohonan ditolak." in response.content.decode()
    assert fresh(req).status == "rejected"


@pytest.mark.parametrize(("who", "status"), [("pegawai", 403), ("luar", 404), ("ppk", 404), ("atasan", 302)])
def test_who_may_open_the_decide_url(personas, client_as, wired_urls, who, status):
    publish(step("Kepala Subbagian", "unit_head"))
    req = submit(personas)
    response = client_as(who).post(reverse("approval_decide", args=[req.pk]), {"decision": "approve"})
    assert response.status_code == status


def test_approval_status_says_who_is_next_and_what_remains(personas):
    publish(
        step("Kepala Subbagian", "unit_head"),
        step("Kepala Bagian", "unit_head", levels_up=1),
        step("Kepala Biro", "unit_head", levels_up=2),
    )
    assert approval_status(make_doc(personas)) is None
    req = submit(personas)
    atasan = personas["atasan"].employee
    status = approval_status(req.target, user=personas["atasan"])
    assert (
        status["waiting_text"] == f"Menunggu persetujuan: {atasan.name_with_titles}, {atasan.position.name}"
    )
    assert status["current_step"] == "Kepala Subbagian"
    assert status["remaining_steps"] == ["Kepala Bagian", "Kepala Biro"]
    assert status["can_decide"] is True
    assert [h["label"] for h in status["history"]] == ["Diajukan"]
    html = render_to_string("situok/partials/approval_status.html", {"approval": status})
    assert "Menunggu persetujuan: " in html and "Kepala Bagian → Kepala Biro" in html
    approval_approve(fresh(req), by=personas["atasan"])
    status = approval_status(req.target, user=personas["atasan"])
    assert status["waiting_text"].startswith(
        f"Menunggu persetujuan: {personas['ppk'].employee.name_with_titles}"
    )
    assert status["remaining_steps"] == ["Kepala Biro"] and status["can_decide"] is False


def test_approval_status_costs_a_fixed_number_of_queries(personas, django_assert_num_queries):
    publish(step("Kepala Subbagian", "unit_head"), step("Kepala Bagian", "unit_head", levels_up=1))
    req = submit(personas)
    approval_approve(fresh(req), by=personas["atasan"])
    doc = CorrectionRequest.objects.get(pk=req.object_id)
    with django_assert_num_queries(3):  # request, current assignments, history
        approval_status(doc)


def test_delegation_pages(personas, client_as, wired_urls):
    client = client_as("atasan")
    today = timezone.localdate()
    form_page = client.get(reverse("delegation_create"))
    assert form_page.status_code == 200
    response = client.post(
        reverse("delegation_create"),
        {
            "delegate": personas["atasan"].pk,
            "kind": "plt",
            "start": (today + dt.timedelta(days=3)).isoformat(),
            "end": (today + dt.timedelta(days=1)).isoformat(),
            "reason": "Cuti",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["delegate"] == ["Anda tidak dapat mendelegasikan kepada diri sendiri."]
    assert errors["end"] == ["Tanggal selesai tidak boleh sebelum tanggal mulai."]
    response = client.post(
        reverse("delegation_create"),
        {
            "delegate": personas["kepegawaian"].pk,
            "kind": "plt",
            "start": today.isoformat(),
            "end": (today + dt.timedelta(days=2)).isoformat(),
            "reason": "Cuti",
            "document_types": [DOC],
        },
    )
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.document_types == [DOC] and delegation.kind == "plt"
    listing = client_as("kepegawaian").get(reverse("delegations")).content.decode()
    assert personas["atasan"].employee.name_with_titles in listing and "Batalkan" not in listing
    assert (
        client_as("kepegawaian").post(reverse("delegation_cancel", args=[delegation.pk])).status_code == 403
    )
    assert client_as("luar").post(reverse("delegation_cancel", args=[delegation.pk])).status_code == 404
    assert client.post(reverse("delegation_cancel", args=[delegation.pk])).status_code == 302
    delegation.refresh_from_db()
    assert delegation.cancelled_by == personas["atasan"]


def test_the_home_counter_counts_the_inbox(personas):
    publish(step("Kepala Subbagian", "unit_head"))
    submit(personas)
    submit(personas, "honorer")
    assert inbox_count(personas["atasan"]) == 2


# --- Admin ----------------------------------------------------------------------------------------------
def test_the_admin_numbers_new_versions_and_freezes_used_ones(personas, rf):
    from django.contrib.admin import AdminSite

    from situok.approval_admin import ApprovalPolicyAdmin, ApprovalStepInline, register

    site = AdminSite()
    register(site)
    register(site)  # idempotent
    model_admin = site._registry[ApprovalPolicy]
    assert isinstance(model_admin, ApprovalPolicyAdmin)
    superuser = get_user_model().objects.create_superuser("super", "super@example.test", "x")
    request = rf.post("/")
    request.user = superuser
    v1 = publish(step("Kepala Subbagian", "unit_head"))
    assert model_admin.has_change_permission(request, v1) is True
    submit(personas)
    inline = ApprovalStepInline(ApprovalPolicy, site)
    assert model_admin.has_change_permission(request, v1) is False
    assert model_admin.has_delete_permission(request, v1) is False
    assert inline.has_change_permission(request, v1) is False
    assert inline.has_add_permission(request, v1) is False
    v2 = ApprovalPolicy(document_type=DOC, name="Alur baru")
    model_admin.save_model(request, v2, form=None, change=False)
    v1.refresh_from_db()
    assert (v2.version, v2.is_active, v2.created_by, v1.is_active) == (2, True, superuser, False)
    assert model_admin.has_change_permission(request, v2) is True
    # "New version" copies a used policy into an editable one.
    from django.contrib.messages.storage.cookie import CookieStorage

    request._messages = CookieStorage(request)
    model_admin.publish_new_version(request, ApprovalPolicy.objects.filter(pk=v1.pk))
    v3 = ApprovalPolicy.objects.get(document_type=DOC, is_active=True)
    assert v3.version == 3 and list(v3.steps.values_list("name", "rule")) == [
        ("Kepala Subbagian", "unit_head")
    ]
