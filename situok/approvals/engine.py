"""The transitions: publish a policy, submit, approve, reject, return, resubmit, cancel, withdraw and
bulk approval."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..approval_models import ApprovalAction, ApprovalPolicy, ApprovalRequest, ApprovalStep, condition_holds
from ..audit import log_action
from .records import (
    _assign,
    _claim,
    _decision_assignment,
    _hook,
    _is_requester,
    _notify_approvers,
    _notify_requester,
    _record,
    _record_escalations,
    _require_note,
    _retire_assignments,
    _target,
)
from .registry import (
    _CODE_RE,
    DOCUMENT_TYPES,
    ApprovalError,
    _check_chain_completes,
    _no_approver_error,
    _resolve_from,
    document_type_for,
)


# --- Services --------------------------------------------------------------------------------------
@transaction.atomic
def policy_publish(document_type: str, *, name: str, steps: list[dict[str, Any]], by) -> ApprovalPolicy:
    """Publish a new version of the approval policy of ``document_type`` and deactivate older ones.

    Each step is a dict with ``name``, ``rule`` and, as the rule needs, ``levels_up``, ``role``,
    ``position`` (a ``staff.Position`` or its id), ``condition`` and ``bulk_approvable``; the list order
    is the step order.
    """
    if not _CODE_RE.match(document_type or ""):
        raise ApprovalError(_("Kode jenis dokumen tidak valid."), field="document_type")
    if not steps:
        raise ApprovalError(_("Alur persetujuan memerlukan sedikitnya satu langkah."), field="steps")
    if not (name or "").strip():
        raise ApprovalError(_("Isi nama alur persetujuan."), field="name")
    # Lock the existing versions so two publishers do not pick the same number.
    previous = list(ApprovalPolicy.objects.select_for_update().filter(document_type=document_type))
    version = max((p.version for p in previous), default=0) + 1
    ApprovalPolicy.objects.filter(document_type=document_type, is_active=True).update(is_active=False)
    policy = ApprovalPolicy.objects.create(
        document_type=document_type, name=name.strip(), version=version, is_active=True, created_by=by
    )
    for order, spec in enumerate(steps, start=1):
        position = spec.get("position")
        step = ApprovalStep(
            policy=policy,
            order=order,
            name=spec["name"],
            rule=spec["rule"],
            levels_up=spec.get("levels_up", 0),
            role=spec.get("role", ""),
            position_id=getattr(position, "pk", position),
            condition=spec.get("condition") or [],
            bulk_approvable=spec.get("bulk_approvable", True),
        )
        try:
            step.full_clean(exclude=["policy"])
        except ValidationError as exc:
            messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            raise ApprovalError(
                _("Langkah %(order)s (%(name)s) tidak valid: %(errors)s")
                % {"order": order, "name": spec.get("name", ""), "errors": messages},
                field="steps",
            ) from exc
        step.save()
    log_action(
        policy,
        "situok.approval_policy.published",
        by=by,
        data={"document_type": document_type, "version": version, "steps": [s["name"] for s in steps]},
    )
    return policy


def approval_submit(
    obj: models.Model,
    *,
    by,
    document_type: str | None = None,
    request=None,
    policy: ApprovalPolicy | None = None,
    steps: Iterable[ApprovalStep] | None = None,
    fresh: bool = False,
    savepoint: bool = True,
) -> ApprovalRequest:
    """Start the approval of ``obj`` under the active policy of its document type.

    For callers on a hot path (a booking request): ``policy`` (and its ``steps`` in order) that the
    caller has just read as active spare reading them again; ``fresh=True`` says ``obj`` was created in
    this transaction, so it cannot have an open request yet (the check is skipped; the unique constraint
    still guards); ``savepoint=False`` when the caller's own transaction is rolled back on any error
    (Django then marks it for rollback instead of rolling back to a savepoint of its own).
    """
    with transaction.atomic(savepoint=savepoint):
        return _submit(
            obj, by=by, document_type=document_type, request=request, policy=policy, steps=steps, fresh=fresh
        )


def _submit(obj, *, by, document_type, request, policy, steps, fresh) -> ApprovalRequest:
    dtype = document_type_for(obj, document_type)
    if policy is None or policy.document_type != dtype.code:
        policy = ApprovalPolicy.objects.filter(document_type=dtype.code, is_active=True).first()
        steps = None
    if policy is None:
        raise ApprovalError(_("Belum ada alur persetujuan untuk jenis dokumen ini."))
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    if not fresh:
        open_q = Q(content_type=content_type, object_id=obj.pk, status__in=ApprovalRequest.OPEN)
        if ApprovalRequest.objects.filter(open_q).exists():
            raise ApprovalError(_("Dokumen ini sudah diajukan dan masih dalam proses persetujuan."))
    employee = dtype.requester_employee(obj)
    if employee is None:
        raise ApprovalError(_("Pemohon belum terdaftar sebagai pegawai."))
    facts = {"employee_type": employee.employee_type, "unit_code": employee.unit.code, **dtype.facts(obj)}
    if steps is None:
        steps = policy.steps.order_by("order")
    chain = [s.snapshot() for s in steps if condition_holds(s.condition, facts)]
    if not chain:
        raise _no_approver_error()
    req = ApprovalRequest(
        content_type=content_type,
        object_id=obj.pk,
        document_type=dtype.code,
        policy=policy,
        requester=by,
        requester_employee=employee,
        title=str(dtype.title(obj))[:255],
        url=str(dtype.url(obj) or "")[:255],
        status=ApprovalRequest.Status.PENDING,
        chain=chain,
        submitted_at=timezone.now(),
    )
    first = _resolve_from(req, 0, obj, dtype)
    _check_chain_completes(req, first.index, obj, dtype)
    req.current_index = first.index
    try:
        # No savepoint of its own: the error leaves this function's atomic block, which rolls back.
        req.save(force_insert=True)
    except IntegrityError as exc:  # a concurrent submit of the same document won
        raise ApprovalError(_("Dokumen ini sudah diajukan dan masih dalam proses persetujuan.")) from exc
    _record(
        req,
        obj,
        ApprovalAction.Decision.SUBMITTED,
        step_index=first.index,
        by=by,
        data={"policy_version": policy.version, "facts": facts},
        request=request,
    )
    _record_escalations(req, obj, first)
    assignments = _assign(req, first)
    _hook(dtype.on_changed, obj, req)
    _notify_approvers(req, assignments)
    return req


@transaction.atomic
def approval_approve(req: ApprovalRequest, *, by, note: str = "", request=None) -> ApprovalRequest:
    """Approve the current step; the last step approves the request and runs ``on_approved``."""
    assignment = _decision_assignment(req, by)
    obj, dtype = _target(req)
    index = req.current_index
    final = index + 1 >= len(req.chain)
    if final:
        _claim(req, status=ApprovalRequest.Status.APPROVED, finished_at=timezone.now())
        nxt = None
    else:
        nxt = _resolve_from(req, index + 1, obj, dtype)
        _claim(req, current_index=nxt.index)
    _retire_assignments(req)
    _record(
        req,
        obj,
        ApprovalAction.Decision.APPROVED,
        step_index=index,
        by=by,
        assignment=assignment,
        note=(note or "").strip(),
        request=request,
    )
    if nxt is None:
        _hook(dtype.on_approved, obj, req)
    else:
        _record_escalations(req, obj, nxt)
        _notify_approvers(req, _assign(req, nxt))
    _hook(dtype.on_changed, obj, req)
    _notify_requester(
        req, "approval_decision", by=by, approved=True, note=note, step_index=None if nxt is None else index
    )
    return req


@transaction.atomic
def approval_reject(req: ApprovalRequest, *, by, note: str, request=None) -> ApprovalRequest:
    """Reject the request (a reason is required); runs ``on_rejected``."""
    note = _require_note(note, _("Tuliskan alasan penolakan."))
    assignment = _decision_assignment(req, by)
    obj, dtype = _target(req)
    index = req.current_index
    _claim(req, status=ApprovalRequest.Status.REJECTED, finished_at=timezone.now())
    _retire_assignments(req)
    _record(
        req,
        obj,
        ApprovalAction.Decision.REJECTED,
        step_index=index,
        by=by,
        assignment=assignment,
        note=note,
        request=request,
    )
    _hook(dtype.on_rejected, obj, req)
    _hook(dtype.on_changed, obj, req)
    _notify_requester(req, "approval_decision", by=by, approved=False, note=note)
    return req


@transaction.atomic
def approval_return(req: ApprovalRequest, *, by, note: str, request=None) -> ApprovalRequest:
    """Send the request back for revision (what to fix is required); resubmission restarts here."""
    note = _require_note(note, _("Tuliskan apa yang perlu diperbaiki."))
    assignment = _decision_assignment(req, by)
    obj, dtype = _target(req)
    index = req.current_index
    _claim(req, status=ApprovalRequest.Status.RETURNED)
    _retire_assignments(req)
    _record(
        req,
        obj,
        ApprovalAction.Decision.RETURNED,
        step_index=index,
        by=by,
        assignment=assignment,
        note=note,
        request=request,
    )
    _hook(dtype.on_changed, obj, req)
    _notify_requester(req, "approval_returned", by=by, approved=False, note=note)
    return req


@transaction.atomic
def approval_resubmit(req: ApprovalRequest, *, by, note: str = "", request=None) -> ApprovalRequest:
    """After revision the requester submits again; approval restarts at the step that returned it
    (the chain is not recomputed — withdraw and submit anew when the facts changed materially)."""
    if not _is_requester(req, by):
        raise ApprovalError(_("Hanya pemohon yang dapat mengajukan kembali permohonan ini."))
    if req.status != ApprovalRequest.Status.RETURNED:
        raise ApprovalError(_("Hanya permohonan yang dikembalikan yang dapat diajukan kembali."))
    obj, dtype = _target(req)
    returned_at = req.current_index
    resolution = _resolve_from(req, returned_at, obj, dtype)
    _claim(
        req,
        status=ApprovalRequest.Status.PENDING,
        current_index=resolution.index,
        title=str(dtype.title(obj))[:255],
        url=str(dtype.url(obj) or "")[:255],
    )
    _record(
        req,
        obj,
        ApprovalAction.Decision.RESUBMITTED,
        step_index=returned_at,
        by=by,
        note=(note or "").strip(),
        request=request,
    )
    _record_escalations(req, obj, resolution)
    assignments = _assign(req, resolution)
    _hook(dtype.on_changed, obj, req)
    _notify_approvers(req, assignments, note=note)
    return req


def _requester_transition(
    req: ApprovalRequest, *, by, allowed: tuple[str, ...], to: str, decision: str, message: str, request
) -> ApprovalRequest:
    if not _is_requester(req, by):
        raise ApprovalError(_("Hanya pemohon yang dapat melakukan ini."))
    if req.status not in allowed:
        raise ApprovalError(message)
    obj, dtype = _target(req)
    index = req.current_index
    _claim(req, status=to, finished_at=timezone.now())
    _retire_assignments(req)
    _record(req, obj, decision, step_index=index, by=by, request=request)
    _hook(dtype.on_changed, obj, req)
    return req


@transaction.atomic
def approval_cancel(req: ApprovalRequest, *, by, request=None) -> ApprovalRequest:
    """The requester cancels a request that is still waiting for approval."""
    return _requester_transition(
        req,
        by=by,
        allowed=(ApprovalRequest.Status.PENDING,),
        to=ApprovalRequest.Status.CANCELLED,
        decision=ApprovalAction.Decision.CANCELLED,
        message=_("Hanya permohonan yang masih menunggu persetujuan yang dapat dibatalkan."),
        request=request,
    )


@transaction.atomic
def approval_withdraw(req: ApprovalRequest, *, by, request=None) -> ApprovalRequest:
    """The requester withdraws a pending or returned request (to change it and submit anew)."""
    return _requester_transition(
        req,
        by=by,
        allowed=ApprovalRequest.OPEN,
        to=ApprovalRequest.Status.WITHDRAWN,
        decision=ApprovalAction.Decision.WITHDRAWN,
        message=_("Hanya permohonan yang menunggu persetujuan atau dikembalikan yang dapat ditarik kembali."),
        request=request,
    )


# --- Bulk approval ---------------------------------------------------------------------------------
def is_bulk_approvable(req: ApprovalRequest) -> bool:
    """The document type allows bulk approval and the current step has not opted out."""
    dtype = DOCUMENT_TYPES.get(req.document_type)
    step = req.current_step
    return bool(dtype and dtype.bulk_approvable and step and step.get("bulk_approvable", True))


@dataclass
class BulkResult:
    approved: list[ApprovalRequest] = field(default_factory=list)
    failed: list[tuple[ApprovalRequest, str]] = field(default_factory=list)


def approval_bulk_approve(requests: Iterable[ApprovalRequest], *, by, request=None) -> BulkResult:
    """Approve each request in its own transaction; one failure does not stop the others."""
    result = BulkResult()
    for req in requests:
        try:
            if not is_bulk_approvable(req):
                raise ApprovalError(_("Dokumen ini harus diputuskan satu per satu."))
            approval_approve(req, by=by, request=request)
        except ApprovalError as exc:
            result.failed.append((req, exc.message))
        else:
            result.approved.append(req)
    return result
