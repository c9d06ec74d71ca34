"""Numbering at final approval (SPT and SPPD numbers, signer snapshot, frozen costs), mirroring the
engine's status, and the date-driven statuses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from situok.approval_models import ApprovalAction, ApprovalRequest
from situok.approvals import ApprovalError
from situok.audit import diff, log_action, snapshot
from situok.numbering import NumberingScheme, number_take
from situok.signatures import signer_from_employee
from staff.models import Employee, OrgUnit
from staff.selectors import employee_for_user

from .. import signals
from ..costs import compute_costs
from ..models import Sppd, Trip
from ..rates import RateNotFound, cost_tier_for
from ._common import AUDITED_FIELDS, DEFAULT_SCHEMES, SPPD_SCHEME, SPT_SCHEME

# Engine status → trip status (APPROVED is handled by the numbering hook, which sets NUMBERED).
STATUS_FROM_APPROVAL = {
    ApprovalRequest.Status.PENDING: Trip.Status.SUBMITTED,
    ApprovalRequest.Status.RETURNED: Trip.Status.RETURNED_FOR_REVISION,
    ApprovalRequest.Status.REJECTED: Trip.Status.REJECTED,
    ApprovalRequest.Status.CANCELLED: Trip.Status.CANCELLED,
    ApprovalRequest.Status.WITHDRAWN: Trip.Status.DRAFT,
}


# --- Submitting, withdrawing, cancelling -----------------------------------------------------------
def ensure_numbering_schemes() -> None:
    """The SPT and SPPD numbering schemes, created with the defaults when absent (idempotent)."""
    for code, (name, kode) in DEFAULT_SCHEMES.items():
        NumberingScheme.objects.get_or_create(
            code=code,
            defaults={"name": name, "classification_code": kode, "pattern": "{kode}/{nomor}/{unit}/{tahun}"},
        )


# --- Approval engine hooks -------------------------------------------------------------------------
def _numbering_unit(unit: OrgUnit) -> str:
    """The abbreviation of the Biro the unit belongs to (the numbering office), else ``""`` (the
    scheme's default unit)."""
    current: OrgUnit | None = unit
    while current is not None:
        if current.kind == OrgUnit.Kind.BIRO:
            return current.abbreviation or ""
        current = current.parent
    return ""


def _final_approver(req: ApprovalRequest):
    action = (
        ApprovalAction.objects.filter(request=req, decision=ApprovalAction.Decision.APPROVED)
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    return action.actor if action is not None else None


def _pangkat_text(signer) -> str:
    if signer.pangkat and signer.golongan:
        return f"{signer.pangkat} ({signer.golongan})"[:60]
    return (signer.pangkat or signer.golongan or "")[:60]


def _default_ppk() -> Employee | None:
    user = (
        get_user_model()
        .objects.filter(groups__name="ppk", is_active=True, employee__status=Employee.Status.AKTIF)
        .order_by("pk")
        .first()
    )
    return employee_for_user(user) if user is not None else None


def _snapshot_signers(trip: Trip, approver) -> None:
    signer = trip.signer or employee_for_user(approver)
    if signer is not None:
        block = signer_from_employee(signer)
        trip.signer = signer
        trip.signer_role = block.title[:150]
        trip.signer_name = signer.name_with_titles[:150]
        trip.signer_nip = signer.nip or ""
        trip.signer_pangkat = _pangkat_text(block)
    ppk = trip.ppk or _default_ppk()
    if ppk is not None:
        trip.ppk = ppk
        trip.ppk_role = (ppk.position.name if ppk.position_id else "")[:150]
        trip.ppk_name = ppk.name_with_titles[:150]
        trip.ppk_nip = ppk.nip or ""


def trip_number(trip: Trip, req: ApprovalRequest) -> None:
    """``on_approved``: inside the final approval's transaction take the SPT number and one SPPD number
    per traveller, snapshot signer and PPK, and freeze each traveller's cost tier and costs with the
    rates valid on the departure date. Drafts never reach this point, so they never burn numbers."""
    trip = (
        Trip.objects.select_for_update(of=("self",))
        .select_related("unit__parent", "signer__position", "ppk__position")
        .get(pk=trip.pk)
    )
    if trip.spt_number:  # approved twice cannot happen through the engine; never number twice
        return
    approver = _final_approver(req)
    before = snapshot(trip, AUDITED_FIELDS)
    ensure_numbering_schemes()
    today = timezone.localdate()
    unit_code = _numbering_unit(trip.unit)
    members = list(trip.members.select_related("employee__position").order_by("order", "id"))
    province = trip.destination_province_code()
    sppds = []
    try:
        for member in members:
            tier = cost_tier_for(member.employee, on=trip.depart_date)
            sheet = compute_costs(
                travel_type=trip.travel_type,
                days=trip.days,
                destination_province_code=province,
                tier=tier,
                on=trip.depart_date,
                representation=True,
            )
            sppds.append(Sppd(member=member, cost_tier=tier, rates_on=trip.depart_date, **sheet.snapshot()))
    except RateNotFound as exc:
        raise ApprovalError(
            _(
                "Tarif perjalanan dinas yang berlaku pada tanggal berangkat belum tersedia; SPT belum dapat "
                "diberi nomor. Mohon hubungi Administrator."
            )
        ) from exc
    spt = number_take(SPT_SCHEME, unit_code=unit_code, on=today, target=trip)
    trip.spt_number = spt.number
    trip.spt_date = today
    trip.status = Trip.Status.NUMBERED
    _snapshot_signers(trip, approver)
    trip.save()
    from ..posttrip import sppd_recompute  # the cost sheet's one rule set (30 % rule, expenses)

    for sppd in sppds:
        sppd.number = number_take(SPPD_SCHEME, unit_code=unit_code, on=today).number
        sppd.save()
        # compute_costs froze the rates (and the lodging ceiling) valid on the departure date; the
        # totals follow the post-trip rules from the start (no 30 % line unless "no hotel" is ticked).
        sppd_recompute(sppd)
    log_action(
        trip,
        "travel.trip.numbered",
        by=approver,
        changes=diff(before, snapshot(trip, AUDITED_FIELDS)),
        data={"approval": req.pk, "sppd_numbers": [s.number for s in sppds]},
    )
    signals.trip_numbered.send(sender=Trip, trip=trip, by=approver)


def trip_mirror_status(trip: Trip, req: ApprovalRequest) -> None:
    """``on_changed``: the trip shows the engine's state (approval itself is :func:`trip_number`)."""
    status = STATUS_FROM_APPROVAL.get(req.status)
    if status is None:
        return
    current = Trip.objects.filter(pk=trip.pk).values_list("status", flat=True).first()
    if current == status:
        return
    Trip.objects.filter(pk=trip.pk).update(status=status, updated_at=timezone.now())
    action = req.actions.order_by("-id").first()
    log_action(
        trip,
        f"travel.trip.{status}",
        by=action.actor if action is not None else None,
        changes={"status": [current, status]},
        data={"approval": req.pk, "note": action.note if action is not None else ""},
    )
    trip.status = status


# --- Date-driven statuses --------------------------------------------------------------------------
def _report_due(trip: Trip) -> dt.date:
    """The trip report's due date — the post-trip part owns the rule (imported here, not at the top:
    ``travel.posttrip`` imports this module)."""
    from ..posttrip import trip_report_due

    return trip_report_due(trip)


def _advance(trip_ids: Iterable[int], old: str, new: str, today: dt.date) -> int:
    moved = 0
    for trip in Trip.objects.filter(pk__in=list(trip_ids), status=old).order_by("pk"):
        with transaction.atomic():
            fields: dict[str, Any] = {"status": new, "updated_at": timezone.now()}
            if new == Trip.Status.RETURNED and trip.report_due_date is None:
                fields["report_due_date"] = _report_due(trip)
            if Trip.objects.filter(pk=trip.pk, status=old).update(**fields) != 1:
                continue  # moved by a concurrent run
            log_action(
                trip,
                f"travel.trip.{new}",
                changes={k: [getattr(trip, k), v] for k, v in fields.items() if k != "updated_at"},
                data={"on": today},
            )
            moved += 1
    return moved


def trips_advance(today: dt.date | None = None, *, trip_ids: Iterable[int] | None = None) -> int:
    """Move numbered trips to *travelling* on their departure date and travelling ones to *returned*
    after their return date (a trip already over goes straight to returned). Idempotent; each move is a
    conditional update and audited. ``trip_ids`` limits it to those trips (a detail page). Returns the
    number of moves."""
    today = today or timezone.localdate()
    qs = Trip.objects.all()
    if trip_ids is not None:
        qs = qs.filter(pk__in=list(trip_ids))
    moved = _advance(
        qs.filter(status=Trip.Status.NUMBERED, depart_date__lte=today).values_list("pk", flat=True),
        Trip.Status.NUMBERED,
        Trip.Status.TRAVELLING,
        today,
    )
    moved += _advance(
        qs.filter(status=Trip.Status.TRAVELLING, return_date__lt=today).values_list("pk", flat=True),
        Trip.Status.TRAVELLING,
        Trip.Status.RETURNED,
        today,
    )
    return moved
