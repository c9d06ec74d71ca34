"""Delegation (Plt./Plh./delegasi): validate, create, cancel, list, access and the signature prefix."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..approval_models import ApprovalAssignment, ApprovalRequest, Delegation
from ..audit import log_action
from ..permissions import get_for_user
from .records import _display_name
from .registry import DOCUMENT_TYPES, ApprovalError, _requester_user_ids


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
