"""Every write of the SPT workflow: drafting, submitting, approval hooks, numbering, cancelling and the
date-driven statuses (design.md §3.1). Views call these; nothing here knows about HTTP.

Flow (domain.md §2.1): draft → submitted → (approval engine) → numbered (SPT and SPPD numbers taken at
the final approval, inside its transaction) → travelling → returned → reported → settled; plus
rejected, returned for revision and cancelled. A cancelled numbered SPT keeps its numbers (*batal*).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from situok.approval_models import ApprovalAction, ApprovalRequest
from situok.approvals import (
    ApprovalError,
    approval_cancel,
    approval_current,
    approval_resubmit,
    approval_submit,
    approval_withdraw,
)
from situok.audit import diff, log_action, snapshot
from situok.calendar_models import CalendarDay
from situok.formats import tanggal, tanggal_hari
from situok.numbering import NumberingScheme, number_take
from situok.permissions import has_perm
from situok.regions import Region
from situok.signatures import signer_from_employee
from situok.uploads import clean_upload
from situok.workcalendar import working_days_in
from staff.models import Employee, OrgUnit
from staff.selectors import employee_for_user, supervised_unit_paths

from . import signals
from .costs import compute_costs
from .models import (
    DEFAULT_ORIGIN_CODE,
    BudgetLine,
    Sppd,
    TravelType,
    Trip,
    TripAttachment,
    TripDestination,
    TripMember,
)
from .rates import RateNotFound, cost_tier_for
from .selectors import (
    BLOCKING_STATUSES,
    EDITABLE_STATUSES,
    trip_can_cancel,
    trip_can_change,
)

SPT_SCHEME = "travel-spt"
SPPD_SCHEME = "travel-sppd"
# Defaults when a database was never seeded (seed_demo creates the same); an Administrator edits them.
DEFAULT_SCHEMES = {
    SPT_SCHEME: ("Surat Perintah Tugas", "800.1.11.1"),
    SPPD_SCHEME: ("Surat Perintah Perjalanan Dinas", "000.1.2.3"),
}
MAX_MEMBERS = 50
MAX_DESTINATIONS = 10
MAX_DASAR = 20
DALAM_KOTA_TYPES = (TravelType.DALAM_KOTA_LEBIH_8_JAM, TravelType.DALAM_KOTA_SAMPAI_8_JAM)
# Fields of the SPT whose changes the audit trail records as a diff.
AUDITED_FIELDS = (
    "unit",
    "dasar",
    "purpose",
    "travel_type",
    "origin",
    "depart_date",
    "return_date",
    "transport",
    "budget_line",
    "signer",
    "signer_prefix",
    "ppk",
    "issued_place",
    "notes",
    "status",
    "spt_number",
    "spt_date",
    "cancel_reason",
)
# Engine status → trip status (APPROVED is handled by the numbering hook, which sets NUMBERED).
STATUS_FROM_APPROVAL = {
    ApprovalRequest.Status.PENDING: Trip.Status.SUBMITTED,
    ApprovalRequest.Status.RETURNED: Trip.Status.RETURNED_FOR_REVISION,
    ApprovalRequest.Status.REJECTED: Trip.Status.REJECTED,
    ApprovalRequest.Status.CANCELLED: Trip.Status.CANCELLED,
    ApprovalRequest.Status.WITHDRAWN: Trip.Status.DRAFT,
}


class TravelError(Exception):
    """A travel rule was broken; ``message`` is translated, ``field`` names the form field it belongs to."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _travel_error(exc: ApprovalError) -> TravelError:
    return TravelError(exc.message, field=exc.field if exc.field == "note" else None)


def _trip_label(trip: Trip) -> str:
    """How a message names another SPT: its number, or "draf #id"."""
    return trip.spt_number or _("draf #%(id)s") % {"id": trip.pk}


# --- Travel type -----------------------------------------------------------------------------------
def travel_type_suggest(
    origin_code: str | None, destination_codes: Iterable[str | None], over_8_hours: bool = True
) -> TravelType | None:
    """The travel type the origin and destinations imply (domain.md §2.4), ``None`` without any region.

    Outside the origin's province (Bali, 51) → *luar daerah*; another regency/city in the province →
    *luar kota*; the same city → *dalam kota* more than or up to 8 hours. *Diklat* is never implied: the
    requester chooses it.
    """
    origin = origin_code or DEFAULT_ORIGIN_CODE
    codes = [c for c in destination_codes if c]
    if not codes:
        return None
    if any(c[:2] != origin[:2] for c in codes):
        return TravelType.LUAR_DAERAH
    origin_regency = origin[:5]
    if any(len(c) < 5 or c[:5] != origin_regency for c in codes):
        return TravelType.LUAR_KOTA
    return TravelType.DALAM_KOTA_LEBIH_8_JAM if over_8_hours else TravelType.DALAM_KOTA_SAMPAI_8_JAM


def _allowed_types(suggested: TravelType | None) -> set[str] | None:
    if suggested is None:
        return None
    if suggested in DALAM_KOTA_TYPES:
        return {*DALAM_KOTA_TYPES, TravelType.DIKLAT}
    return {suggested, TravelType.DIKLAT}


# --- Conflicts and warnings ------------------------------------------------------------------------
def trip_conflicts(
    members: Iterable[Employee],
    depart: dt.date,
    return_: dt.date,
    exclude_trip: Trip | None = None,
) -> list[tuple[Employee, Trip]]:
    """``(employee, other trip)`` for every member already on a submitted/approved/numbered/travelling
    trip whose dates overlap ``[depart, return_]`` (both inclusive: a trip ending on the day another
    starts overlaps it; enclosing and enclosed ranges overlap too)."""
    ids = [m.pk for m in members]
    if not ids or depart is None or return_ is None:
        return []
    qs = TripMember.objects.filter(
        employee_id__in=ids,
        trip__status__in=BLOCKING_STATUSES,
        trip__depart_date__lte=return_,
        trip__return_date__gte=depart,
    ).select_related("employee", "trip")
    if exclude_trip is not None and exclude_trip.pk:
        qs = qs.exclude(trip_id=exclude_trip.pk)
    return [(m.employee, m.trip) for m in qs.order_by("employee__name", "trip__depart_date", "trip_id")]


def conflict_message(employee: Employee, other: Trip) -> str:
    return _("%(name)s sudah ditugaskan pada SPT %(spt)s (%(start)s s.d. %(end)s).") % {
        "name": employee.name_with_titles,
        "spt": _trip_label(other),
        "start": tanggal(other.depart_date),
        "end": tanggal(other.return_date),
    }


def approved_leave_overlaps(employee: Employee, start: dt.date, end: dt.date) -> list:
    """Approved leave of ``employee`` overlapping ``[start, end]``.

    No leave model exists yet: this returns ``[]``. The leave issue (attendance/) will fill it with the
    employee's approved leave periods, and :func:`trip_warnings` will then name them."""
    return []


def trip_warnings(trip: Trip) -> list[str]:
    """Indonesian warnings (never blocks): days that are not working days, and travellers on leave."""
    warnings: list[str] = []
    days = [trip.depart_date + dt.timedelta(days=i) for i in range(trip.days)]
    working = set(working_days_in(days))
    off = [d for d in days if d not in working]
    if off:
        names: dict[dt.date, list[str]] = {}
        for day, name in CalendarDay.objects.filter(date__in=off, is_day_off=True).values_list(
            "date", "name"
        ):
            names.setdefault(day, []).append(name)
        parts = []
        for day in off:
            label = tanggal_hari(day)
            if names.get(day):
                label = f"{label} ({', '.join(sorted(set(names[day])))})"
            parts.append(label)
        warnings.append(
            _("Perjalanan mencakup hari libur atau akhir pekan: %(days)s.") % {"days": "; ".join(parts)}
        )
    for member in trip.members.select_related("employee"):
        for leave in approved_leave_overlaps(member.employee, trip.depart_date, trip.return_date):
            warnings.append(
                _("%(name)s sedang cuti pada rentang tanggal ini (%(leave)s).")
                % {"name": member.employee.name_with_titles, "leave": leave}
            )
    return warnings


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


# --- Submitting, withdrawing, cancelling -----------------------------------------------------------
def ensure_numbering_schemes() -> None:
    """The SPT and SPPD numbering schemes, created with the defaults when absent (idempotent)."""
    for code, (name, kode) in DEFAULT_SCHEMES.items():
        NumberingScheme.objects.get_or_create(
            code=code,
            defaults={"name": name, "classification_code": kode, "pattern": "{kode}/{nomor}/{unit}/{tahun}"},
        )


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
    from .approval import TRIP_DOC, ensure_travel_policy

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
    from .posttrip import sppd_recompute  # the cost sheet's one rule set (30 % rule, expenses)

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
    from .posttrip import trip_report_due

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
