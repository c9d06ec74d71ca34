"""Document types and resolvers: ApprovalError, the registries, and walking a chain to the next step
that resolves to someone other than the requester (with its escalations)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ..approval_models import ApprovalRequest, ApprovalStep

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
