"""Bookings and recurring series as document types of the shared approval engine.

:func:`register` (called from ``BookingsConfig.ready``) declares ``bookings-booking`` (model
:class:`~bookings.models.Booking`) and ``bookings-series`` (model
:class:`~bookings.models.BookingSeries`: one approval for the whole series). The engine owns the inbox,
history and notifications; its hooks call back into :mod:`bookings.services`, which takes the slot under
the resource lock when the final step approves.

Who approves
------------
The default policy has one step with the ``resource_approver`` rule; :func:`resource_approvers` answers
it from the resource's ``approver_rule``: every Operator Peminjaman (default), the head of the
resource's managing unit, or the users named on the resource. When that leaves only the requester
(an Operator recording a request), the managing unit's head — or the nearest head above — decides.
An Administrator may publish another policy (e.g. Kasubbag → Kabag → Kepala Biro for halls, using step
conditions on the facts ``kind``, ``resource``, ``building``, ``outside`` and ``priority``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from situok.approval_models import ApprovalPolicy, ApprovalStep
from situok.approvals import policy_publish, register_document_type

from .models import Booking, BookingSeries, Resource

BOOKING_DOC = "bookings-booking"
SERIES_DOC = "bookings-series"
OPERATOR_ROLE = "operator_peminjaman"
# Stored data (policy and step names), not interface strings.
DEFAULT_POLICY_NAMES = {BOOKING_DOC: "Peminjaman gedung dan kendaraan", SERIES_DOC: "Peminjaman berulang"}
DEFAULT_STEPS = [{"name": "Penyetuju ruang/kendaraan", "rule": "resource_approver"}]


def ensure_booking_policies() -> dict[str, tuple[ApprovalPolicy, list[ApprovalStep]]]:
    """Publish the default policy of each document type that has no active one (idempotent).

    Returns the active policies that were found with their steps in order, keyed by document type, so
    a submit need not read them again: one query when every active policy has steps.
    """
    codes = list(DEFAULT_POLICY_NAMES)
    found: dict[str, tuple[ApprovalPolicy, list[ApprovalStep]]] = {}
    rows = (
        ApprovalStep.objects.filter(policy__document_type__in=codes, policy__is_active=True)
        .select_related("policy")
        .order_by("order", "id")
    )
    for step in rows:
        policy = found.setdefault(step.policy.document_type, (step.policy, []))[0]
        step.policy = policy  # one policy object shared by its steps
        found[policy.document_type][1].append(step)
    active = set(found)
    if len(active) < len(codes):  # an active policy without steps still counts as active
        active |= set(
            ApprovalPolicy.objects.filter(
                document_type__in=[c for c in codes if c not in found], is_active=True
            ).values_list("document_type", flat=True)
        )
    for code, name in DEFAULT_POLICY_NAMES.items():
        if code in active:
            continue
        try:
            with transaction.atomic():
                policy_publish(code, name=name, steps=DEFAULT_STEPS, by=None)
        except IntegrityError:  # a concurrent first request published it a moment ago
            pass
    return found


def _active_user(employee):
    user = getattr(employee, "user", None) if employee is not None else None
    if user is None or not user.is_active or employee.status != employee.Status.AKTIF:
        return None
    return user


def resource_approvers(resource: Resource, requester=None, *, exclude_user_ids: Iterable[int] = ()) -> list:
    """The users who approve bookings of ``resource``; when the rule leaves nobody but the requester
    (or whoever filed the request: ``exclude_user_ids``), the nearest unit head decides (module doc)."""
    rule = resource.approver_rule
    users: list = []
    if rule == Resource.ApproverRule.OPERATOR:
        users = list(
            get_user_model()
            .objects.filter(groups__name=OPERATOR_ROLE, is_active=True)
            .distinct()
            .order_by("username")
        )
    elif rule == Resource.ApproverRule.USERS:
        users = list(resource.approvers.filter(is_active=True).order_by("username"))
    excluded = {getattr(requester, "user_id", None), *exclude_user_ids}
    if rule == Resource.ApproverRule.UNIT_HEAD or not [u for u in users if u.pk not in excluded]:
        unit = resource.managing_unit or getattr(requester, "unit", None)
        while unit is not None:
            head_user = _active_user(unit.head) if unit.head_id else None
            if head_user is not None and head_user.pk not in excluded:
                users.append(head_user)
                break
            unit = unit.parent
    return users


def booking_url(booking: Booking) -> str:
    try:
        return reverse("bookings:booking_detail", kwargs={"pk": booking.pk})
    except NoReverseMatch:
        return ""


def series_url(series: BookingSeries) -> str:
    try:
        return reverse("bookings:series_detail", kwargs={"pk": series.pk})
    except NoReverseMatch:
        return ""


def booking_title(booking: Booking) -> str:
    from .selectors import span_text

    # Stored on the approval request and reused in notifications: the site language.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Peminjaman %(resource)s, %(span)s: %(purpose)s") % {
            "resource": booking.resource,
            "span": span_text(booking.start, booking.end),
            "purpose": booking.purpose,
        }


def series_title(series: BookingSeries) -> str:
    from situok.formats import jam, tanggal

    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "Peminjaman berulang %(resource)s, %(frequency)s %(start)s–%(end)s WITA, %(first)s s.d. %(until)s: %(purpose)s"
        ) % {
            "resource": series.resource,
            "frequency": series.get_frequency_display().lower(),
            "start": jam(series.start_time),
            "end": jam(series.end_time),
            "first": tanggal(series.first_date),
            "until": tanggal(series.until),
            "purpose": series.purpose,
        }


def _facts(obj) -> dict[str, Any]:
    resource = obj.resource
    return {
        "kind": resource.kind,
        "resource": resource.pk,
        "building": resource.building_id,
        "outside": bool(getattr(obj, "outside_party", "")),
        "priority": bool(getattr(obj, "priority", False)),
        "employee_type": obj.requester.employee_type,
        "unit_code": obj.unit.code,
    }


def register() -> None:
    """Declare the document types (idempotent; called from ``BookingsConfig.ready``)."""
    from . import services

    register_document_type(
        BOOKING_DOC,
        label=gettext_lazy("Peminjaman gedung/kendaraan"),
        model=Booking,
        facts=_facts,
        url=booking_url,
        title=booking_title,
        requester_employee=lambda booking: booking.requester,
        resource_approvers=lambda booking: resource_approvers(
            booking.resource, booking.requester, exclude_user_ids=[booking.created_by_id]
        ),
        on_approved=services.booking_on_approved,
        on_rejected=services.booking_on_rejected,
        on_changed=services.booking_on_changed,
    )
    register_document_type(
        SERIES_DOC,
        label=gettext_lazy("Peminjaman berulang"),
        model=BookingSeries,
        facts=_facts,
        url=series_url,
        title=series_title,
        requester_employee=lambda series: series.requester,
        resource_approvers=lambda series: resource_approvers(
            series.resource, series.requester, exclude_user_ids=[series.created_by_id]
        ),
        on_approved=services.series_on_approved,
        on_rejected=services.series_on_rejected,
        on_changed=services.series_on_changed,
    )
