"""Data corrections ("Profil Saya → Ajukan perbaikan data") as a document type of the approval engine.

:func:`register` (called from ``StaffConfig.ready``) declares ``staff-correction``; the engine then owns
who decides, the inbox, the history and the notifications, and calls back into
:mod:`staff.services` when a decision lands (``on_approved`` applies the requested values through
``employee_save``, audited; ``on_changed`` mirrors the engine's status on the ``CorrectionRequest``).

The code is ``staff-correction`` rather than ``staff.correction``: document type codes are slugs
(``situok.approvals`` refuses dots), like the numbering schemes' ``travel-spt``.

Default policy
--------------
One step, role ``operator_kepegawaian``. :func:`ensure_correction_policy` publishes it when no version
is active, so corrections work without anyone visiting the admin first. It is called by ``seed_demo``
(demo and test databases start ready) *and* lazily by ``correction_submit`` (a production database
that was never seeded gets the default on the first request). Once a policy is active — the default or
one an Administrator published — it is left alone.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from situok.approval_models import ApprovalAction, ApprovalPolicy, ApprovalRequest
from situok.approvals import policy_publish, register_document_type

from .models import CorrectionRequest

CORRECTION_DOC = "staff-correction"
OPERATOR_ROLE = "operator_kepegawaian"
# Stored data (policy and step names), like the numbering schemes' names: not interface strings.
DEFAULT_POLICY_NAME = "Perbaikan data pegawai"
DEFAULT_STEPS = [{"name": "Operator Kepegawaian", "rule": "role", "role": OPERATOR_ROLE}]

# The engine's status → the correction's status (cancelled and withdrawn both end the correction).
STATUS_MIRROR = {
    ApprovalRequest.Status.PENDING: CorrectionRequest.Status.PENDING,
    ApprovalRequest.Status.RETURNED: CorrectionRequest.Status.RETURNED,
    ApprovalRequest.Status.APPROVED: CorrectionRequest.Status.APPROVED,
    ApprovalRequest.Status.REJECTED: CorrectionRequest.Status.REJECTED,
    ApprovalRequest.Status.CANCELLED: CorrectionRequest.Status.CANCELLED,
    ApprovalRequest.Status.WITHDRAWN: CorrectionRequest.Status.CANCELLED,
}
# Which action decided each final or returned state (its actor, time and note are mirrored).
DECIDING_ACTION = {
    ApprovalRequest.Status.RETURNED: ApprovalAction.Decision.RETURNED,
    ApprovalRequest.Status.APPROVED: ApprovalAction.Decision.APPROVED,
    ApprovalRequest.Status.REJECTED: ApprovalAction.Decision.REJECTED,
}


def ensure_correction_policy() -> ApprovalPolicy:
    """The active policy of corrections; publishes the default one when none is active (idempotent)."""
    policy = ApprovalPolicy.objects.filter(document_type=CORRECTION_DOC, is_active=True).first()
    if policy is not None:
        return policy
    try:
        with transaction.atomic():
            return policy_publish(CORRECTION_DOC, name=DEFAULT_POLICY_NAME, steps=DEFAULT_STEPS, by=None)
    except IntegrityError:  # a concurrent first request published it a moment ago
        return ApprovalPolicy.objects.get(document_type=CORRECTION_DOC, is_active=True)


def correction_approval(correction: CorrectionRequest) -> ApprovalRequest | None:
    """The latest approval request of ``correction`` under this document type, or ``None`` (a
    correction filed before corrections went through the engine)."""
    content_type = ContentType.objects.get_for_model(CorrectionRequest, for_concrete_model=False)
    return (
        ApprovalRequest.objects.filter(
            content_type=content_type, object_id=correction.pk, document_type=CORRECTION_DOC
        )
        .select_related("requester_employee")
        .order_by("-submitted_at", "-id")
        .first()
    )


def deciding_action(req: ApprovalRequest, decision: str) -> ApprovalAction | None:
    """The latest action of ``decision`` on ``req`` (who returned, approved or rejected it)."""
    return (
        ApprovalAction.objects.filter(request=req, decision=decision)
        .select_related("actor")
        .order_by("-id")
        .first()
    )


def _facts(correction: CorrectionRequest) -> dict[str, Any]:
    return {
        "fields": sorted(correction.changes),
        "field_count": len(correction.changes),
        "employee_type": correction.employee.employee_type,
    }


def _url(correction: CorrectionRequest) -> str:
    # One link for everyone: the Operator lands on the before/after page, the requester is sent on
    # to "Profil Saya" by the same view (see staff.views.correction_decide).
    return reverse("staff:correction_decide", args=[correction.pk])


def _title(correction: CorrectionRequest) -> str:
    # Stored on the request and reused in notifications: written in the site language, whatever
    # language the submitting user happens to browse in.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Perbaikan data: %(name)s") % {"name": correction.employee.name_with_titles}


def register() -> None:
    """Declare the document type (idempotent; called from ``StaffConfig.ready``)."""
    from . import services

    register_document_type(
        CORRECTION_DOC,
        label=gettext_lazy("Perbaikan data pegawai"),
        model=CorrectionRequest,
        facts=_facts,
        url=_url,
        title=_title,
        requester_employee=lambda correction: correction.employee,
        on_approved=services.correction_apply,
        on_rejected=services.correction_mark_rejected,
        on_changed=services.correction_mirror_status,
    )
