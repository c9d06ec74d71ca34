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

from .delegation import (
    delegation_cancel,
    delegation_create,
    delegation_get_for_user,
    delegation_prefix,
    delegation_validate,
    delegations_for_user,
)
from .engine import (
    BulkResult,
    approval_approve,
    approval_bulk_approve,
    approval_cancel,
    approval_reject,
    approval_resubmit,
    approval_return,
    approval_submit,
    approval_withdraw,
    is_bulk_approvable,
    policy_publish,
)
from .inbox import approval_current, approval_get_for_user, approval_status, inbox_assignments, inbox_count
from .registry import (
    DOCUMENT_TYPES,
    ApprovalError,
    DocumentType,
    ResolveContext,
    document_type_for,
    document_type_label,
    register_document_type,
    register_resolver,
)
from .registry import MAX_LEVELS as MAX_LEVELS
from .registry import RESOLVERS as RESOLVERS

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
