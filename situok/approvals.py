"""Approval chains as data; delegation; "who is next".

How it fits together
--------------------
* A domain app registers each document type once (``register_document_type``) with small callables:
  the facts conditions read (``amount``, ``outside_bali`` …), the title and URL shown in the inbox, the
  requesting employee, optional resource approvers and hooks (``on_approved`` takes the document number
  inside the same transaction).
* An Administrator publishes a versioned :class:`ApprovalPolicy` per document type (``policy_publish`` or
  the admin). At submit the steps whose condition holds are copied into the request's ``chain``; the
  request keeps that snapshot and policy version to the end.
* Each step names a *rule*. Who the rule means is answered by a resolver (``register_resolver``):
  ``staff.approvers`` resolves the organisation (supervisor, unit head, role, position); this module
  resolves ``resource_approver`` through the document type. The requester is never an approver: a step
  that would resolve only to the requester — or to nobody (vacant post) — *escalates* (supervisor/unit
  head: one level up; role/position/resource: to the next step) and an ``escalated`` action is recorded.
* The users who may act now are written as :class:`ApprovalAssignment` rows, plus one row per delegate
  of each approver (``on_behalf_of`` = the approver; the row counts only inside the delegation's dates),
  so the inbox is one indexed query.
* Every transition is a conditional ``UPDATE … WHERE status/current_index/version`` — of two people
  clicking at once exactly one wins; the other gets :class:`ApprovalError` "sudah diproses oleh orang
  lain". Each transition writes an :class:`ApprovalAction` and an audit event
  ``<document_type>.approval.<decision>`` on the document, and notifies the people concerned.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .approval_models import (
    ApprovalAction,
    ApprovalAssignment,
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalStep,
    Delegation,
    condition_holds,
)
from .audit import log_action
from .permissions import get_for_user

__all__ = [
    "DOCUMENT_TYPES",
    "ApprovalError",
    "BulkResult",
    "DocumentType",
    "ResolveContext",
    "approval_approve",
    "approval_bulk_approve",
    "approval_cancel",
    "approval_current",
    "approval_get_for_user",
    "approval_reject",
    "approval_resubmit",
    "approval_return",
    "approval_status",
    "approval_submit",
    "approval_withdraw",
    "delegation_cancel",
    "delegation_create",
    "delegation_get_for_user",
    "delegation_prefix",
    "delegation_validate",
    "delegations_for_user",
    "document_type_for",
    "document_type_label",
    "inbox_assignments",
    "inbox_count",
    "is_bulk_approvable",
    "policy_publish",
    "register_document_type",
    "register_resolver",
]

MAX_LEVELS = 10  # how far up the organisation an escalation may climb
_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


class ApprovalError(Exception):
    """An approval rule was broken; ``message`` is translated and shown to the user (next to ``field``
    when given)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- Document types --------------------------------------------------------------------------------
@dataclass(frozen=True)
class DocumentType:
    """How the engine talks to one kind of document (see :func:`register_document_type`)."""

    code: str
    label: Promise | str
    model: type[models.Model]
    facts: Callable[[Any], dict[str, Any]]
    url: Callable[[Any], str]
    title: Callable[[Any], str]
    requester_employee: Callable[[Any], Any]
    resource_approvers: Callable[[Any], list] | None = None
    on_approved: Callable[[Any, ApprovalRequest], None] | None = None
    on_rejected: Callable[[Any, ApprovalRequest], None] | None = None
    on_changed: Callable[[Any, ApprovalRequest], None] | None = None
    bulk_approvable: bool = False


DOCUMENT_TYPES: dict[str, DocumentType] = {}


def register_document_type(
    code: str,
    *,
    label: Promise | str,
    model: type[models.Model],
    facts: Callable[[Any], dict[str, Any]],
    url: Callable[[Any], str],
    title: Callable[[Any], str],
    requester_employee: Callable[[Any], Any],
    resource_approvers: Callable[[Any], list] | None = None,
    on_approved: Callable[[Any, ApprovalRequest], None] | None = None,
    on_rejected: Callable[[Any, ApprovalRequest], None] | None = None,
    on_changed: Callable[[Any, ApprovalRequest], None] | None = None,
    bulk_approvable: bool = False,
) -> DocumentType:
    """Declare a document type (from ``AppConfig.ready``). Registering a code again replaces it.

    ``url(obj)`` is a local path (``reverse(...)``) shown in the inbox and used in notifications;
    ``facts(obj)`` feeds step conditions (the requester's ``employee_type`` and ``unit_code`` are added
    unless the document gives its own); ``on_approved(obj, request)`` / ``on_rejected`` run inside the
    deciding transaction; ``on_changed(obj, request)`` after every transition (``request.status`` tells
    which) so the document can mirror its state. ``bulk_approvable`` lets the inbox approve several
    documents of this type at once (steps may still opt out).
    """
    if not _CODE_RE.match(code):
        raise ImproperlyConfigured(f"Document type code {code!r} must be a lowercase slug")
    if not (isinstance(model, type) and issubclass(model, models.Model)):
        raise ImproperlyConfigured(f"Document type {code!r}: model must be a model class")
    dtype = DocumentType(
        code=code,
        label=label,
        model=model,
        facts=facts,
        url=url,
        title=title,
        requester_employee=requester_employee,
        resource_approvers=resource_approvers,
        on_approved=on_approved,
        on_rejected=on_rejected,
        on_changed=on_changed,
        bulk_approvable=bulk_approvable,
    )
    DOCUMENT_TYPES[code] = dtype
    return dtype


def document_type_for(obj: models.Model, code: str | None = None) -> DocumentType:
    """The registered type of ``obj`` (``code`` chooses when one model has several types)."""
    if code is not None:
        dtype = DOCUMENT_TYPES.get(code)
        if dtype is None or not isinstance(obj, dtype.model):
            raise ImproperlyConfigured(f"Document type {code!r} is not registered for {type(obj).__name__}")
        return dtype
    matches = [d for d in DOCUMENT_TYPES.values() if isinstance(obj, d.model)]
    if len(matches) != 1:
        raise ImproperlyConfigured(
            f"{type(obj).__name__} has {len(matches)} registered document types; pass document_type="
        )
    return matches[0]


def document_type_label(code: str) -> str:
    dtype = DOCUMENT_TYPES.get(code)
    return str(dtype.label) if dtype else code


# --- Resolvers -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ResolveContext:
    """What a resolver gets: the chain entry, the requesting employee, the document, and the level
    asked for (``levels_up`` of the step, raised by one per escalation for upward rules)."""

    step: dict[str, Any]
    requester: Any  # staff.Employee
    obj: models.Model
    document_type: DocumentType
    levels_up: int


@dataclass(frozen=True)
class _Resolver:
    fn: Callable[[ResolveContext], list | None]
    upward: bool


RESOLVERS: dict[str, _Resolver] = {}


def register_resolver(
    rule: str, fn: Callable[[ResolveContext], list | None], *, upward: bool = False
) -> None:
    """``fn(ctx)`` returns the users a step means (``[]`` = vacant) or ``None`` when the level asked for
    does not exist (above the top of the organisation). ``upward`` rules escalate by asking the next
    level; the others escalate to the next step."""
    if rule not in ApprovalStep.Rule.values:
        raise ImproperlyConfigured(f"Unknown approval rule {rule!r}")
    RESOLVERS[rule] = _Resolver(fn, upward)


def _get_resolver(rule: str) -> _Resolver:
    if rule not in RESOLVERS:
        # staff.approvers registers itself from StaffConfig.ready(); this lazy import only matters in a
        # process where that wiring has not run yet (it is idempotent).
        import_module("staff.approvers").register()
    try:
        return RESOLVERS[rule]
    except KeyError as exc:
        raise ImproperlyConfigured(f"No resolver registered for approval rule {rule!r}") from exc


def _resolve_resource_approvers(ctx: ResolveContext) -> list:
    fn = ctx.document_type.resource_approvers
    return list(fn(ctx.obj) or []) if fn else []


register_resolver(ApprovalStep.Rule.RESOURCE_APPROVER, _resolve_resource_approvers)


@dataclass
class _Resolution:
    index: int
    users: list
    levels_up: int
    escalations: list[dict[str, Any]] = field(default_factory=list)


def _requester_user_ids(req: ApprovalRequest) -> set[int]:
    ids = {req.requester_id, req.requester_employee.user_id}
    return {i for i in ids if i is not None}


def _no_approver_error() -> ApprovalError:
    return ApprovalError(
        _(
            "Tidak ada pejabat yang dapat menyetujui permohonan ini. Mohon hubungi Administrator untuk "
            "memeriksa alur persetujuan dan kepala unit."
        )
    )


def _resolve_from(req: ApprovalRequest, start: int, obj: models.Model, dtype: DocumentType) -> _Resolution:
    """The first step from ``start`` on that resolves to someone other than the requester, with the
    escalations it took to get there. Raises when the chain runs out."""
    excluded = _requester_user_ids(req)
    escalations: list[dict[str, Any]] = []
    for index in range(start, len(req.chain)):
        step = req.chain[index]
        resolver = _get_resolver(step["rule"])
        first = int(step.get("levels_up") or 0)
        levels = range(first, first + MAX_LEVELS) if resolver.upward else range(first, first + 1)
        for level in levels:
            ctx = ResolveContext(step, req.requester_employee, obj, dtype, level)
            found = resolver.fn(ctx)
            if found is None:  # above the top: nothing more up this way
                if level == first:
                    escalations.append(_escalation(index, step, "vacant", level))
                break
            users, seen = [], set()
            for user in found:
                if user is not None and user.is_active and user.pk not in excluded and user.pk not in seen:
                    seen.add(user.pk)
                    users.append(user)
            if users:
                return _Resolution(index, users, level, escalations)
            reason = "self" if any(u is not None and u.pk in excluded for u in found) else "vacant"
            escalations.append(_escalation(index, step, reason, level))
    raise _no_approver_error()


def _escalation(index: int, step: dict, reason: str, level: int) -> dict[str, Any]:
    return {"step_index": index, "step_name": step["name"], "reason": reason, "levels_up": level}


def _check_chain_completes(req: ApprovalRequest, first: int, obj, dtype: DocumentType) -> None:
    """At submit: every later step must land on someone, or the request could never finish."""
    index = first
    while index + 1 < len(req.chain):
        index = _resolve_from(req, index + 1, obj, dtype).index


# --- Assignments -----------------------------------------------------------------------------------
def _valid_on(day: dt.date) -> Q:
    """Assignment rows that count on ``day``: direct ones, and delegated ones inside their dates."""
    return Q(delegation__isnull=True) | Q(
        delegation__start__lte=day, delegation__end__gte=day, delegation__cancelled_at__isnull=True
    )


def _assign(req: ApprovalRequest, resolution: _Resolution) -> list[ApprovalAssignment]:
    today = timezone.localdate()
    direct = {u.pk for u in resolution.users}
    excluded = _requester_user_ids(req)
    rows = [ApprovalAssignment(request=req, user=u, step_index=resolution.index) for u in resolution.users]
    taken = set(direct)
    delegations = Delegation.objects.filter(
        delegator__in=direct, cancelled_at__isnull=True, end__gte=today, delegate__is_active=True
    ).order_by("start", "id")
    for d in delegations:
        if d.delegate_id in taken or d.delegate_id in excluded or not d.covers(req.document_type):
            continue
        taken.add(d.delegate_id)
        rows.append(
            ApprovalAssignment(
                request=req,
                user_id=d.delegate_id,
                step_index=resolution.index,
                on_behalf_of_id=d.delegator_id,
                delegation=d,
            )
        )
    return ApprovalAssignment.objects.bulk_create(rows)


def _retire_assignments(req: ApprovalRequest) -> None:
    ApprovalAssignment.objects.filter(request=req, is_current=True).update(is_current=False)


def _current_assignment(req: ApprovalRequest, user) -> ApprovalAssignment | None:
    return (
        ApprovalAssignment.objects.filter(request=req, user=user, is_current=True)
        .filter(_valid_on(timezone.localdate()))
        .select_related("delegation")
        .first()
    )


# --- Recording and notifying -----------------------------------------------------------------------
def _is_requester(req: ApprovalRequest, user) -> bool:
    return user is not None and user.pk in _requester_user_ids(req)


def _record(
    req: ApprovalRequest,
    obj: models.Model,
    decision: str,
    *,
    step_index: int | None,
    by=None,
    assignment: ApprovalAssignment | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    request=None,
) -> ApprovalAction:
    step = req.chain[step_index] if step_index is not None and step_index < len(req.chain) else None
    delegation = assignment.delegation if assignment is not None else None
    action = ApprovalAction.objects.create(
        request=req,
        step_index=step_index,
        step_name=step["name"] if step else "",
        actor=by,
        on_behalf_of_id=assignment.on_behalf_of_id if assignment is not None else None,
        capacity=delegation.kind if delegation is not None else "",
        decision=decision,
        note=note,
        data=data or {},
    )
    log_action(
        obj,
        f"{req.document_type}.approval.{decision}",
        by=by,
        request=request,
        data={
            "approval": req.pk,
            "step": step_index,
            "step_name": action.step_name,
            "on_behalf_of": action.on_behalf_of_id,
            "capacity": action.capacity,
            "note": note,
            **(data or {}),
        },
        label=req.title,
    )
    return action


def _record_escalations(req: ApprovalRequest, obj, resolution: _Resolution) -> None:
    """Escalations are the system's doing: recorded without an actor (and without the request, whose
    user would otherwise be taken as the actor of the audit event)."""
    for esc in resolution.escalations:
        _record(
            req,
            obj,
            ApprovalAction.Decision.ESCALATED,
            step_index=esc["step_index"],
            data={"reason": esc["reason"], "levels_up": esc["levels_up"]},
        )


def _display_name(user) -> str:
    if user is None:
        return ""
    employee = getattr(user, "employee", None) if _has_employee(user) else None
    if employee is not None:
        return employee.name_with_titles
    return user.get_full_name() or user.get_username()


def _has_employee(user) -> bool:
    try:
        user.employee  # noqa: B018  (reverse one-to-one: raises when absent)
    except models.ObjectDoesNotExist:
        return False
    return True


def _requester_users(req: ApprovalRequest) -> list:
    users = [req.requester]
    if req.requester_employee.user_id and req.requester_employee.user_id != req.requester_id:
        users.append(req.requester_employee.user)
    return users


def _notify(recipients: Iterable, kind: str, *, context: dict[str, Any], url: str) -> None:
    """Tell people in-app (and by e-mail after commit). Guarded so the engine also runs where the
    notifications module is not installed; when it is, its configuration errors surface."""
    try:
        from .notifications import notify_many
    except ImportError:  # pragma: no cover - notifications not installed
        return
    notify_many(recipients, kind, context=context, url=url, category=kind)


def _notify_approvers(req: ApprovalRequest, assignments: list[ApprovalAssignment], note: str = "") -> None:
    if not assignments:
        return
    recipients = get_user_model().objects.filter(pk__in={a.user_id for a in assignments}).order_by("pk")
    _notify(
        recipients,
        "approval_request",
        context={
            "object_label": req.title,
            "actor_name": req.requester_employee.name_with_titles,
            "note": note,
        },
        url=req.url,
    )


def _notify_requester(
    req: ApprovalRequest, kind: str, *, by, approved: bool, note: str = "", step_index: int | None = None
) -> None:
    label = req.title
    if step_index is not None:  # an intermediate step: say which, so "disetujui" is not misread as final
        label = _("%(title)s (langkah %(n)s dari %(total)s: %(step)s)") % {
            "title": req.title,
            "n": step_index + 1,
            "total": len(req.chain),
            "step": req.chain[step_index]["name"],
        }
    _notify(
        _requester_users(req),
        kind,
        context={
            "object_label": label,
            "actor_name": _display_name(by),
            "approved": approved,
            "note": note,
        },
        url=req.url,
    )


def _hook(fn, obj, req: ApprovalRequest) -> None:
    if fn is not None:
        fn(obj, req)


# --- The conditional UPDATE ------------------------------------------------------------------------
def _claim(req: ApprovalRequest, **changes: Any) -> None:
    """Move ``req`` on only if nobody else has since the caller read it; else raise."""
    updated = ApprovalRequest.objects.filter(
        pk=req.pk, status=req.status, current_index=req.current_index, version=req.version
    ).update(version=F("version") + 1, **changes)
    if updated != 1:
        raise ApprovalError(_("Permohonan ini sudah diproses oleh orang lain."))
    req.version += 1
    for name, value in changes.items():
        setattr(req, name, value)


def _target(req: ApprovalRequest) -> tuple[models.Model, DocumentType]:
    dtype = DOCUMENT_TYPES.get(req.document_type)
    if dtype is None:
        raise ImproperlyConfigured(f"Document type {req.document_type!r} is not registered")
    obj = dtype.model._default_manager.get(pk=req.object_id)
    return obj, dtype


def _require_note(note: str, message: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ApprovalError(message, field="note")
    return note


def _decision_assignment(req: ApprovalRequest, by) -> ApprovalAssignment:
    """The assignment that entitles ``by`` to decide now, or a clear error."""
    if _is_requester(req, by):
        raise ApprovalError(_("Anda tidak dapat memutuskan permohonan Anda sendiri."))
    if req.status != ApprovalRequest.Status.PENDING:
        raise ApprovalError(
            _("Permohonan ini tidak lagi menunggu persetujuan (%(status)s).")
            % {"status": req.get_status_display()}
        )
    assignment = _current_assignment(req, by)
    if assignment is None:
        if ApprovalAssignment.objects.filter(request=req, user=by, is_current=False).exists():
            raise ApprovalError(_("Permohonan ini sudah diproses oleh orang lain."))
        raise ApprovalError(_("Anda tidak berwenang memutuskan permohonan ini."))
    return assignment


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


@transaction.atomic
def approval_submit(
    obj: models.Model, *, by, document_type: str | None = None, request=None
) -> ApprovalRequest:
    """Start the approval of ``obj`` under the active policy of its document type."""
    dtype = document_type_for(obj, document_type)
    policy = ApprovalPolicy.objects.filter(document_type=dtype.code, is_active=True).first()
    if policy is None:
        raise ApprovalError(_("Belum ada alur persetujuan untuk jenis dokumen ini."))
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    open_q = Q(content_type=content_type, object_id=obj.pk, status__in=ApprovalRequest.OPEN)
    if ApprovalRequest.objects.filter(open_q).exists():
        raise ApprovalError(_("Dokumen ini sudah diajukan dan masih dalam proses persetujuan."))
    employee = dtype.requester_employee(obj)
    if employee is None:
        raise ApprovalError(_("Pemohon belum terdaftar sebagai pegawai."))
    facts = {"employee_type": employee.employee_type, "unit_code": employee.unit.code, **dtype.facts(obj)}
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
        with transaction.atomic():
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


# --- Reads -----------------------------------------------------------------------------------------
def inbox_assignments(user, *, document_type: str | None = None, on: dt.date | None = None) -> QuerySet:
    """What waits for ``user`` now across document types (their own and delegated rows), one query."""
    qs = (
        ApprovalAssignment.objects.filter(
            user=user, is_current=True, request__status=ApprovalRequest.Status.PENDING
        )
        .filter(_valid_on(on or timezone.localdate()))
        .select_related(
            "request__requester_employee__unit",
            "request__requester_employee__position",
            "on_behalf_of__employee",
            "delegation",
        )
    )
    if document_type:
        qs = qs.filter(request__document_type=document_type)
    return qs


def inbox_count(user) -> int:
    """For the home page counter."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return (
        ApprovalAssignment.objects.filter(
            user=user, is_current=True, request__status=ApprovalRequest.Status.PENDING
        )
        .filter(_valid_on(timezone.localdate()))
        .count()
    )


def _visible_requests(user, qs: QuerySet) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(
        Q(requester=user)
        | Q(requester_employee__user=user)
        | Q(pk__in=ApprovalAssignment.objects.filter(user=user).values("request"))
    )


def approval_get_for_user(user, pk, *, write: bool = False) -> ApprovalRequest:
    """404 unless the user requested it or is/was an approver of it; with ``write``, 403 for the
    requester (nobody decides their own request)."""
    return get_for_user(
        user,
        ApprovalRequest.objects.select_related("requester_employee"),
        pk,
        visible=_visible_requests,
        can_change=lambda u, obj: not _is_requester(obj, u),
        write=write,
    )


def approval_current(obj: models.Model) -> ApprovalRequest | None:
    """The latest approval request of ``obj`` (any status), or ``None``."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return (
        ApprovalRequest.objects.filter(content_type=content_type, object_id=obj.pk)
        .select_related("requester_employee")
        .order_by("-submitted_at", "-id")
        .first()
    )


def _person(user) -> dict[str, str]:
    employee = getattr(user, "employee", None) if user is not None and _has_employee(user) else None
    return {
        "name": _display_name(user),
        "position": employee.position_title if employee is not None else "",
    }


def _escalation_text(reason: str) -> str:
    if reason == "self":
        return _("Pemohon adalah pejabat pada langkah ini; dialihkan ke atas.")
    return _("Tidak ada pejabat pada langkah ini; dialihkan ke atas.")


def approval_status(obj: models.Model, *, user=None) -> dict[str, Any] | None:
    """Context for ``situok/partials/approval_status.html``: who it waits for, the remaining steps and
    the history (three queries). With ``user``, also whether that user may decide now.

    ``waiting_for`` lists the approvers of the current step; ``delegates`` those who may decide on
    their behalf today (``capacity`` is "Plt."/"Plh." or empty, ``on_behalf_of`` the approver's name).
    """
    req = approval_current(obj)
    if req is None:
        return None
    pending = req.status == ApprovalRequest.Status.PENDING
    waiting: list[dict[str, str]] = []
    delegates: list[dict[str, str]] = []
    can_decide = False
    if pending:
        rows = (
            req.assignments.filter(is_current=True)
            .filter(_valid_on(timezone.localdate()))
            .select_related("user__employee__position", "on_behalf_of__employee", "delegation")
        )
        for a in rows:
            person = _person(a.user)
            if a.on_behalf_of_id:
                person["on_behalf_of"] = _display_name(a.on_behalf_of)
                person["capacity"] = a.delegation.prefix if a.delegation else ""
                delegates.append(person)
            else:
                waiting.append(person)
            if user is not None and a.user_id == user.pk:
                can_decide = True
    history = []
    for a in req.actions.select_related("actor__employee", "on_behalf_of__employee"):
        escalated = a.decision == ApprovalAction.Decision.ESCALATED
        history.append(
            {
                "decision": a.decision,
                "label": a.get_decision_display(),
                "actor": _display_name(a.actor) if a.actor_id else _("Sistem"),
                "on_behalf_of": _display_name(a.on_behalf_of) if a.on_behalf_of_id else "",
                "capacity": Delegation.PREFIX.get(a.capacity, ""),
                "step": a.step_name,
                "note": _escalation_text(a.data.get("reason", "")) if escalated else a.note,
                "at": a.created_at,
            }
        )
    start = req.current_index + 1 if pending else req.current_index
    remaining = [s["name"] for s in req.chain[start:]] if req.is_open else []
    step = req.current_step
    waiting_text = ""
    if waiting:
        names = ", ".join(f"{p['name']}, {p['position']}" if p["position"] else p["name"] for p in waiting)
        waiting_text = _("Menunggu persetujuan: %(names)s") % {"names": names}
    return {
        "request": req,
        "status": req.status,
        "status_label": req.get_status_display(),
        "is_open": req.is_open,
        "current_step": step["name"] if step and req.is_open else "",
        "waiting_for": waiting,
        "delegates": delegates,
        "waiting_text": waiting_text,
        "remaining_steps": remaining,
        "history": history,
        "can_decide": can_decide,
        "version": req.version,
    }


# --- Delegation ------------------------------------------------------------------------------------
def delegation_validate(
    *,
    delegator,
    delegate,
    start: dt.date | None,
    end: dt.date | None,
    document_types: Iterable[str] = (),
    exclude_pk: int | None = None,
) -> dict[str, str]:
    """``{field: message}`` of every rule the proposed delegation breaks (empty when valid)."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if delegate is not None and delegator is not None and delegate.pk == delegator.pk:
        errors["delegate"] = _("Anda tidak dapat mendelegasikan kepada diri sendiri.")
    if start is not None and start < today:
        errors["start"] = _("Tanggal mulai tidak boleh sebelum hari ini.")
    if start is not None and end is not None and end < start:
        errors["end"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    unknown = set(document_types) - set(DOCUMENT_TYPES)
    if unknown:
        errors["document_types"] = _("Jenis dokumen tidak dikenal: %(codes)s.") % {
            "codes": ", ".join(sorted(unknown))
        }
    if delegator is not None and start is not None and end is not None and "end" not in errors:
        wanted = set(document_types)
        overlapping = Delegation.objects.filter(
            delegator=delegator, cancelled_at__isnull=True, start__lte=end, end__gte=start
        ).select_related("delegate")
        if exclude_pk is not None:
            overlapping = overlapping.exclude(pk=exclude_pk)
        for other in overlapping:
            others = set(other.document_types)
            if not wanted or not others or wanted & others:
                errors.setdefault(
                    "start",
                    _(
                        "Rentang tanggal ini beririsan dengan delegasi Anda kepada %(name)s "
                        "(%(start)s s.d. %(end)s)."
                    )
                    % {
                        "name": _display_name(other.delegate),
                        "start": other.start.strftime("%d-%m-%Y"),
                        "end": other.end.strftime("%d-%m-%Y"),
                    },
                )
                break
    return errors


@transaction.atomic
def delegation_create(
    *,
    delegator,
    delegate,
    start: dt.date,
    end: dt.date,
    kind: str = Delegation.Kind.DELEGASI,
    reason: str,
    document_types: Iterable[str] = (),
    by,
    request=None,
) -> Delegation:
    """``delegator`` lets ``delegate`` decide on their behalf from ``start`` to ``end`` (inclusive, WITA
    dates). Requests already waiting for the delegator are assigned to the delegate as well."""
    user_model = get_user_model()
    # Serialise delegations of one delegator so two overlapping ones cannot both pass the check.
    user_model.objects.select_for_update().filter(pk=delegator.pk).first()
    document_types = sorted(set(document_types))
    errors = delegation_validate(
        delegator=delegator, delegate=delegate, start=start, end=end, document_types=document_types
    )
    if not (reason or "").strip():
        errors.setdefault("reason", _("Tuliskan alasan delegasi."))
    if kind not in Delegation.Kind.values:
        errors.setdefault("kind", _("Jenis delegasi tidak dikenal."))
    if errors:
        name, message = next(iter(errors.items()))
        raise ApprovalError(message, field=name)
    delegation = Delegation.objects.create(
        delegator=delegator,
        delegate=delegate,
        start=start,
        end=end,
        kind=kind,
        reason=reason.strip(),
        document_types=document_types,
        created_by=by,
    )
    # Requests already waiting for the delegator: add the delegate (the date window is checked on read).
    already = set(
        ApprovalAssignment.objects.filter(user=delegate, is_current=True).values_list("request_id", flat=True)
    )
    waiting = ApprovalAssignment.objects.filter(
        user=delegator,
        is_current=True,
        delegation__isnull=True,
        request__status=ApprovalRequest.Status.PENDING,
    ).select_related("request__requester_employee")
    rows = [
        ApprovalAssignment(
            request=a.request,
            user=delegate,
            step_index=a.step_index,
            on_behalf_of=delegator,
            delegation=delegation,
        )
        for a in waiting
        if a.request_id not in already
        and delegation.covers(a.request.document_type)
        and delegate.pk not in _requester_user_ids(a.request)
    ]
    ApprovalAssignment.objects.bulk_create(rows)
    log_action(
        delegation,
        "situok.delegation.created",
        by=by,
        request=request,
        data={
            "delegator": delegator.pk,
            "delegate": delegate.pk,
            "start": start,
            "end": end,
            "kind": kind,
            "document_types": document_types,
        },
        label=f"{_display_name(delegator)} → {_display_name(delegate)}",
    )
    return delegation


@transaction.atomic
def delegation_cancel(delegation: Delegation, *, by, request=None) -> Delegation:
    """End a delegation now (decisions already taken by the delegate stand)."""
    locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if by.pk not in (locked.delegator_id, locked.created_by_id):
        raise ApprovalError(_("Hanya pemberi delegasi yang dapat membatalkannya."))
    if locked.cancelled_at is not None:
        raise ApprovalError(_("Delegasi ini sudah dibatalkan."))
    if locked.end < timezone.localdate():
        raise ApprovalError(_("Delegasi yang sudah berakhir tidak dapat dibatalkan."))
    locked.cancelled_at, locked.cancelled_by = timezone.now(), by
    locked.save(update_fields=["cancelled_at", "cancelled_by"])
    ApprovalAssignment.objects.filter(delegation=locked, is_current=True).delete()
    log_action(locked, "situok.delegation.cancelled", by=by, request=request)
    return locked


def delegations_for_user(user) -> QuerySet[Delegation]:
    """Delegations the user gave or received, newest first."""
    return (
        Delegation.objects.filter(Q(delegator=user) | Q(delegate=user))
        .select_related("delegator__employee", "delegate__employee")
        .order_by("-start", "-id")
    )


def delegation_get_for_user(user, pk, *, write: bool = False) -> Delegation:
    """404 unless the user gave, received or created it; 403 on ``write`` for anyone but the delegator
    or its creator."""
    return get_for_user(
        user,
        Delegation.objects.all(),
        pk,
        visible=lambda u, qs: (
            qs.filter(Q(delegator=u) | Q(delegate=u) | Q(created_by=u))
            if getattr(u, "is_authenticated", False)
            else qs.none()
        ),
        can_change=lambda u, obj: u.pk in (obj.delegator_id, obj.created_by_id),
        write=write,
    )


def delegation_prefix(user, on: dt.date | None = None, *, on_behalf_of=None) -> str:
    """``"Plt."`` / ``"Plh."`` when ``user`` acts on ``on`` under such a delegation (optionally for a
    given delegator), else ``""`` — for signature blocks."""
    on = on or timezone.localdate()
    qs = Delegation.objects.filter(
        delegate=user,
        kind__in=(Delegation.Kind.PLT, Delegation.Kind.PLH),
        cancelled_at__isnull=True,
        start__lte=on,
        end__gte=on,
    )
    if on_behalf_of is not None:
        qs = qs.filter(delegator=on_behalf_of)
    kind = qs.order_by("-start", "-id").values_list("kind", flat=True).first()
    return Delegation.PREFIX.get(kind, "") if kind else ""
