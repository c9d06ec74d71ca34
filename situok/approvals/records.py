"""What every transition shares: assignment rows, action records with their audit events,
notifications and the conditional UPDATE."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..approval_models import ApprovalAction, ApprovalAssignment, ApprovalRequest, Delegation
from ..audit import log_action
from .registry import DOCUMENT_TYPES, ApprovalError, DocumentType, _requester_user_ids, _Resolution


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
        from ..notifications import notify_many
    except ImportError:  # pragma: no cover - notifications not installed
        return
    notify_many(recipients, kind, context=context, url=url, category=kind)


def _notify_approvers(req: ApprovalRequest, assignments: list[ApprovalAssignment], note: str = "") -> None:
    if not assignments:
        return
    # The approvers were just read by the resolver (their rows are on the assignments); only the
    # delegates, attached by id, are read here.
    users = {a.user_id: a.user for a in assignments if ApprovalAssignment.user.is_cached(a)}
    missing = {a.user_id for a in assignments} - set(users)
    if missing:
        users.update((u.pk, u) for u in get_user_model().objects.filter(pk__in=missing))
    recipients = [users[pk] for pk in sorted(users)]
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
