"""Drafting an SPT (validate and save members, destinations, dasar, attachments), then submitting,
withdrawing and cancelling it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from situok.approval_models import ApprovalRequest
from situok.approvals import (
    ApprovalError,
    approval_cancel,
    approval_current,
    approval_resubmit,
    approval_submit,
    approval_withdraw,
)
from situok.audit import diff, log_action, snapshot
from situok.formats import tanggal
from situok.permissions import has_perm
from situok.regions import Region
from situok.uploads import clean_upload
from staff.models import Employee, OrgUnit
from staff.selectors import employee_for_user, supervised_unit_paths

from .. import signals
from ..costs import compute_costs
from ..models import (
    DEFAULT_ORIGIN_CODE,
    BudgetLine,
    TravelType,
    Trip,
    TripAttachment,
    TripDestination,
    TripMember,
)
from ..rates import RateNotFound, cost_tier_for
from ..selectors import EDITABLE_STATUSES, trip_can_cancel, trip_can_change
from ._common import (
    AUDITED_FIELDS,
    DALAM_KOTA_TYPES,
    MAX_DASAR,
    MAX_DESTINATIONS,
    MAX_MEMBERS,
    TravelError,
    _travel_error,
)
from .checks import _allowed_types, conflict_message, travel_type_suggest, trip_conflicts


# --- Drafting --------------------------------------------------------------------------------------
def _may_assign(by, employees: Sequence[Employee]) -> Employee | None:
    """The first employee ``by`` may not put on an SPT, or ``None``. Operators (``travel.add_trip``) may
    assign anyone; everyone else themselves and colleagues of their own unit (a unit head: of the units
    they head, with sub-units)."""
    if has_perm(by, "travel.add_trip") or has_perm(by, "travel.manage_trip"):
        return None
    me = employee_for_user(by)
    paths = list(supervised_unit_paths(by))
    if me is not None:
        paths.append(me.unit.path)
    for employee in employees:
        if me is not None and employee.pk == me.pk:
            continue
        if not any(employee.unit.path == p or employee.unit.path.startswith(p) for p in paths):
            return employee
    return None


def _clean_dasar(dasar: Iterable[str]) -> list[str]:
    lines = [" ".join(str(line).split()) for line in dasar]
    lines = [line for line in lines if line]
    if not lines:
        raise TravelError(_("Isi sedikitnya satu dasar penugasan."), field="dasar")
    if len(lines) > MAX_DASAR:
        raise TravelError(_("Dasar penugasan paling banyak %(n)s baris.") % {"n": MAX_DASAR}, field="dasar")
    return lines


def _clean_members(members: Sequence[Employee], by) -> list[Employee]:
    if not members:
        raise TravelError(_("Pilih sedikitnya satu pelaksana perjalanan dinas."), field="members")
    if len(members) > MAX_MEMBERS:
        raise TravelError(_("Pelaksana paling banyak %(n)s orang.") % {"n": MAX_MEMBERS}, field="members")
    seen: set[int] = set()
    for employee in members:
        if employee.pk in seen:
            raise TravelError(
                _("%(name)s tercantum lebih dari sekali.") % {"name": employee.name_with_titles},
                field="members",
            )
        seen.add(employee.pk)
        if employee.status != Employee.Status.AKTIF:
            raise TravelError(
                _("%(name)s bukan pegawai aktif.") % {"name": employee.name_with_titles}, field="members"
            )
    outsider = _may_assign(by, members)
    if outsider is not None:
        raise TravelError(
            _(
                "Anda hanya dapat menugaskan diri sendiri dan pegawai di unit Anda; %(name)s di luar unit Anda."
            )
            % {"name": outsider.name_with_titles},
            field="members",
        )
    return list(members)


def _clean_destinations(destinations: Iterable[dict[str, Any]]) -> list[tuple[Region | None, str]]:
    rows: list[tuple[str | None, str]] = []
    for dest in destinations:
        code = (dest.get("region_id") or "").strip() or None
        place = " ".join(str(dest.get("place") or "").split())[:255]
        if code or place:
            rows.append((code, place))
    if not rows:
        raise TravelError(_("Isi sedikitnya satu tempat tujuan."), field="destinations")
    if len(rows) > MAX_DESTINATIONS:
        raise TravelError(
            _("Tempat tujuan paling banyak %(n)s.") % {"n": MAX_DESTINATIONS}, field="destinations"
        )
    regions = Region.objects.in_bulk([c for c, _p in rows if c])
    out = []
    for code, place in rows:
        if code and code not in regions:
            raise TravelError(
                _("Kode wilayah %(code)s tidak dikenal.") % {"code": code}, field="destinations"
            )
        out.append((regions.get(code) if code else None, place))
    return out


def _region(value) -> Region | None:
    if value in (None, ""):
        return Region.objects.filter(code=DEFAULT_ORIGIN_CODE).first()
    if isinstance(value, Region):
        return value
    region = Region.objects.filter(code=str(value)).first()
    if region is None:
        raise TravelError(_("Kode wilayah %(code)s tidak dikenal.") % {"code": value}, field="origin")
    return region


def _apply_data(trip: Trip, data: dict[str, Any], lead: Employee, dests) -> None:
    """Copy the form values onto ``trip`` and check the rules that involve more than one field."""
    purpose = " ".join(str(data.get("purpose") or "").split())
    if not purpose:
        raise TravelError(_("Isi maksud perjalanan dinas."), field="purpose")
    depart, ret = data.get("depart_date"), data.get("return_date")
    if depart is None:
        raise TravelError(_("Isi tanggal berangkat."), field="depart_date")
    if ret is None:
        raise TravelError(_("Isi tanggal kembali."), field="return_date")
    if ret < depart:
        raise TravelError(_("Tanggal kembali tidak boleh sebelum tanggal berangkat."), field="return_date")
    unit = data.get("unit") or lead.unit
    if not isinstance(unit, OrgUnit):
        raise TravelError(_("Unit kerja tidak dikenal."), field="unit")
    origin = _region(data.get("origin"))
    suggested = travel_type_suggest(
        origin.code if origin else None,
        [r.code for r, _p in dests if r is not None],
        bool(data.get("over_8_hours", True)),
    )
    travel_type = data.get("travel_type") or suggested
    if not travel_type:
        raise TravelError(
            _("Pilih jenis perjalanan dinas (tidak dapat ditentukan dari tempat tujuan)."),
            field="travel_type",
        )
    if travel_type not in TravelType.values:
        raise TravelError(_("Jenis perjalanan dinas tidak dikenal."), field="travel_type")
    allowed = _allowed_types(suggested)
    if allowed is not None and travel_type not in allowed:
        raise TravelError(
            _("Jenis perjalanan tidak sesuai dengan tempat tujuan; yang sesuai: %(type)s.")
            % {"type": TravelType(suggested).label},
            field="travel_type",
        )
    if travel_type in DALAM_KOTA_TYPES and depart != ret:
        raise TravelError(
            _(
                "Perjalanan dinas dalam kota hanya untuk satu hari; pilih jenis lain untuk lebih dari satu hari."
            ),
            field="return_date",
        )
    transport = data.get("transport") or Trip.Transport.KENDARAAN_DINAS
    if transport not in Trip.Transport.values:
        raise TravelError(_("Alat angkutan tidak dikenal."), field="transport")
    budget_line = data.get("budget_line")
    if budget_line is not None and not isinstance(budget_line, BudgetLine):
        raise TravelError(_("Mata anggaran tidak dikenal."), field="budget_line")
    if budget_line is not None and budget_line.year != depart.year:
        raise TravelError(
            _("Mata anggaran tahun %(year)s tidak dapat membiayai perjalanan tahun %(trip)s.")
            % {"year": budget_line.year, "trip": depart.year},
            field="budget_line",
        )
    prefix = data.get("signer_prefix") or ""
    if prefix not in Trip.SignerPrefix.values:
        raise TravelError(_("Awalan penanda tangan tidak dikenal."), field="signer_prefix")
    trip.unit = unit
    trip.purpose = purpose
    trip.origin = origin
    trip.depart_date, trip.return_date = depart, ret
    trip.travel_type = travel_type
    trip.transport = transport
    trip.budget_line = budget_line
    trip.signer = data.get("signer")
    trip.signer_prefix = prefix
    trip.ppk = data.get("ppk")
    trip.issued_place = " ".join(str(data.get("issued_place") or "").split()) or "Denpasar"
    trip.notes = str(data.get("notes") or "").strip()


def _store_attachments(trip: Trip, attachments, by) -> list[TripAttachment]:
    stored = []
    for title, upload in attachments or ():
        title = " ".join(str(title or "").split())[:200]
        if upload is None:
            continue
        try:
            clean = clean_upload(upload, kinds=("pdf", "jpeg", "png"))
        except ValidationError as exc:
            raise TravelError(" ".join(exc.messages), field="attachment") from exc
        attachment = TripAttachment(trip=trip, title=title or clean.original_name[:200] or _("Lampiran"))
        attachment.uploaded_by = by
        attachment.file.save(clean.content.name, clean.content, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


@transaction.atomic
def trip_save(
    *,
    by,
    trip: Trip | None = None,
    data: dict[str, Any],
    members: Sequence[Employee],
    destinations: Iterable[dict[str, Any]],
    dasar: Iterable[str],
    attachments: Iterable[tuple[str, Any]] = (),
    remove_attachment_ids: Iterable[int] = (),
    request=None,
) -> Trip:
    """Create a draft SPT or update a draft / returned-for-revision one.

    ``data`` holds the form values (``purpose``, ``depart_date``, ``return_date``, ``travel_type`` — empty
    to derive it from the destinations —, ``over_8_hours``, ``origin``, ``transport``, ``budget_line``,
    ``signer``, ``signer_prefix``, ``ppk``, ``issued_place``, ``notes``, ``unit``); ``members`` are
    ordered, the first leads; ``destinations`` are ``{"region_id": code | None, "place": str}``;
    ``attachments`` ``(title, upload)`` pairs checked by :func:`situok.uploads.clean_upload`. Raises
    :class:`TravelError` with the field at fault; nothing is saved then. Overlaps with other trips are
    not refused here (a draft may still change) but on submit.
    """
    creating = trip is None
    if creating:
        trip = Trip(created_by=by, status=Trip.Status.DRAFT)
        before: dict[str, Any] = {}
    else:
        trip = Trip.objects.select_for_update().get(pk=trip.pk)
        if trip.status not in EDITABLE_STATUSES:
            raise TravelError(
                _("SPT ini tidak dapat diubah lagi (%(status)s).") % {"status": trip.get_status_display()}
            )
        if not trip_can_change(by, trip):
            raise TravelError(_("Anda tidak berwenang mengubah SPT ini."))
        before = snapshot(trip, AUDITED_FIELDS)
        before_members = list(trip.members.order_by("order", "id").values_list("employee_id", flat=True))
        before_dests = list(trip.destinations.order_by("order", "id").values_list("region_id", "place"))
    members = _clean_members(members, by)
    dests = _clean_destinations(destinations)
    trip.dasar = _clean_dasar(dasar)
    _apply_data(trip, data, members[0], dests)
    trip.save()
    trip.members.all().delete()
    TripMember.objects.bulk_create(
        [TripMember(trip=trip, employee=e, order=i, is_lead=i == 0) for i, e in enumerate(members)]
    )
    trip.destinations.all().delete()
    TripDestination.objects.bulk_create(
        [TripDestination(trip=trip, order=i, region=r, place=p) for i, (r, p) in enumerate(dests)]
    )
    removed = []
    for attachment in trip.attachments.filter(pk__in=list(remove_attachment_ids or ())):
        removed.append(attachment.title)
        name, storage = attachment.file.name, attachment.file.storage
        attachment.delete()
        transaction.on_commit(lambda n=name, s=storage: s.delete(n), robust=True)
    added = _store_attachments(trip, attachments, by)
    member_ids = [m.pk for m in members]
    dest_rows = [(r.code if r else None, p) for r, p in dests]
    if creating:
        log_action(
            trip,
            "travel.trip.created",
            by=by,
            request=request,
            data={
                "members": member_ids,
                "destinations": dest_rows,
                "attachments": [a.title for a in added],
            },
        )
    else:
        changes = diff(before, snapshot(trip, AUDITED_FIELDS))
        if before_members != member_ids:
            changes["members"] = [before_members, member_ids]
        if [tuple(d) for d in before_dests] != dest_rows:
            changes["destinations"] = [before_dests, dest_rows]
        log_action(
            trip,
            "travel.trip.changed",
            by=by,
            request=request,
            changes=changes,
            data={"attachments_added": [a.title for a in added], "attachments_removed": removed},
        )
    return trip


def _check_rates(trip: Trip) -> None:
    """Every traveller's costs can be computed with the rates valid on the departure date."""
    province = trip.destination_province_code()
    for member in trip.members.select_related("employee__position"):
        tier = cost_tier_for(member.employee, on=trip.depart_date)
        try:
            compute_costs(
                travel_type=trip.travel_type,
                days=trip.days,
                destination_province_code=province,
                tier=tier,
                on=trip.depart_date,
                representation=True,
            )
        except RateNotFound as exc:
            raise TravelError(
                _(
                    "Tarif perjalanan dinas untuk provinsi tujuan %(province)s (%(type)s, tingkat %(tier)s) "
                    "yang berlaku pada %(date)s belum tersedia. Mohon hubungi Administrator."
                )
                % {
                    "province": province,
                    "type": trip.get_travel_type_display(),
                    "tier": tier,
                    "date": tanggal(trip.depart_date),
                },
                field="destinations",
            ) from exc


@transaction.atomic
def trip_submit(trip: Trip, *, by, request=None) -> Trip:
    """Send a draft (or a revised, returned) SPT into approval: the lead traveller's supervisor, then
    the leader (:func:`travel.approval.ensure_travel_policy`). Refused while a traveller is on another
    submitted or approved trip on overlapping dates, or when a rate is missing."""
    from ..approval import TRIP_DOC, ensure_travel_policy

    given, trip = trip, Trip.objects.select_for_update().get(pk=trip.pk)
    if trip.status not in EDITABLE_STATUSES:
        raise TravelError(
            _("SPT ini tidak dapat diajukan (%(status)s).") % {"status": trip.get_status_display()}
        )
    if not trip_can_change(by, trip):
        raise TravelError(_("Anda tidak berwenang mengajukan SPT ini."))
    members = list(trip.members.select_related("employee").order_by("order", "id"))
    if not members:
        raise TravelError(_("Pilih sedikitnya satu pelaksana perjalanan dinas."), field="members")
    # Serialise submissions touching the same people, so two overlapping trips cannot both pass.
    list(Employee.objects.select_for_update().filter(pk__in=[m.employee_id for m in members]).order_by("pk"))
    conflicts = trip_conflicts([m.employee for m in members], trip.depart_date, trip.return_date, trip)
    if conflicts:
        raise TravelError(" ".join(conflict_message(e, t) for e, t in conflicts), field="members")
    _check_rates(trip)
    ensure_travel_policy()
    current = approval_current(trip)
    try:
        if (
            trip.status == Trip.Status.RETURNED_FOR_REVISION
            and current is not None
            and current.status == ApprovalRequest.Status.RETURNED
        ):
            approval_resubmit(current, by=by, request=request)
        else:
            approval_submit(trip, by=by, document_type=TRIP_DOC, request=request)
    except ApprovalError as exc:
        raise _travel_error(exc) from exc
    given.refresh_from_db()
    log_action(given, "travel.trip.submitted", by=by, request=request)
    return given


@transaction.atomic
def trip_withdraw(trip: Trip, *, by, request=None) -> Trip:
    """Take a submitted (or returned) SPT back into draft, to change it and submit again."""
    given, trip = trip, Trip.objects.select_for_update().get(pk=trip.pk)
    if trip.status not in (Trip.Status.SUBMITTED, Trip.Status.RETURNED_FOR_REVISION):
        raise TravelError(_("Hanya SPT yang sedang diajukan yang dapat ditarik kembali."))
    current = approval_current(trip)
    if current is None or not current.is_open:
        raise TravelError(_("Hanya SPT yang sedang diajukan yang dapat ditarik kembali."))
    try:
        approval_withdraw(current, by=by, request=request)
    except ApprovalError as exc:
        raise _travel_error(exc) from exc
    given.refresh_from_db()
    log_action(given, "travel.trip.withdrawn", by=by, request=request)
    return given


@transaction.atomic
def trip_cancel(trip: Trip, *, by, reason: str, request=None) -> Trip:
    """Cancel an SPT (a reason is required). Before approval it simply ends (an open approval is cancelled
    or withdrawn); an approved, numbered SPT keeps its SPT and SPPD numbers and is shown *batal*
    (``travel.signals.trip_cancelled`` lets the documents mark their seals cancelled)."""
    reason = (reason or "").strip()
    if not reason:
        raise TravelError(_("Tuliskan alasan pembatalan."), field="reason")
    given, trip = trip, Trip.objects.select_for_update().get(pk=trip.pk)
    if not trip_can_cancel(by, trip):
        if trip.status in (Trip.Status.APPROVED, Trip.Status.NUMBERED):
            raise TravelError(
                _("SPT yang sudah bernomor hanya dapat dibatalkan oleh operator perjalanan dinas.")
            )
        raise TravelError(
            _("SPT ini tidak dapat dibatalkan (%(status)s).") % {"status": trip.get_status_display()}
        )
    before = snapshot(trip, AUDITED_FIELDS)
    current = approval_current(trip)
    if current is not None and current.is_open:
        try:
            if current.status == ApprovalRequest.Status.PENDING:
                approval_cancel(current, by=by, request=request)
            else:
                approval_withdraw(current, by=by, request=request)
        except ApprovalError as exc:
            raise _travel_error(exc) from exc
        trip.refresh_from_db()
    trip.status = Trip.Status.CANCELLED
    trip.cancelled_at = timezone.now()
    trip.cancel_reason = reason
    trip.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    log_action(
        trip,
        "travel.trip.cancelled",
        by=by,
        request=request,
        changes=diff(before, snapshot(trip, AUDITED_FIELDS)),
        data={"reason": reason, "kept_number": trip.spt_number},
    )
    signals.trip_cancelled.send(sender=Trip, trip=trip, by=by)
    given.refresh_from_db()
    return given
