"""Reads: the inbox, the home page counter, access to a request and its status panel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..approval_models import ApprovalAction, ApprovalAssignment, ApprovalRequest, Delegation
from ..permissions import get_for_user
from .records import _display_name, _has_employee, _is_requester, _valid_on


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
