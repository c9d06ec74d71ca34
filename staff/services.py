"""Writes of the organisation and of employee records. Every change goes through a function here,
validates, writes and leaves an audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from situok.approval_models import ApprovalAction, ApprovalRequest
from situok.approvals import (
    ApprovalError,
    approval_approve,
    approval_reject,
    approval_resubmit,
    approval_return,
    approval_submit,
)
from situok.audit import diff, log_action, snapshot
from situok.uploads import clean_upload

from . import identifiers, rules
from .approval import (
    CORRECTION_DOC,
    DECIDING_ACTION,
    STATUS_MIRROR,
    correction_approval,
    deciding_action,
    ensure_correction_policy,
)
from .models import (
    CorrectionRequest,
    EducationHistory,
    Employee,
    KgbHistory,
    OrgUnit,
    Position,
    PositionHistory,
    RankHistory,
    StaffDocument,
)

# Fields an employee may ask to have corrected through "Profil Saya" (the official record — rank,
# position, TMTs — changes only through SK-backed history entries by the Operator Kepegawaian).
CORRECTABLE_FIELDS = (
    "front_title",
    "back_title",
    "birth_place",
    "birth_date",
    "religion",
    "nik",
    "phone",
    "email",
    "address",
    "npwp",
    "bank_name",
    "bank_account",
    "education_major",
)
EMPLOYEE_AUDIT_FIELDS = tuple(f.name for f in Employee._meta.concrete_fields if f.name not in ("id", "photo"))


class StaffError(Exception):
    """A staff rule was broken; ``message`` is translated and shown to the user."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@transaction.atomic
def unit_save(unit: OrgUnit) -> OrgUnit:
    """Save a unit and keep the materialised paths of it and its sub-units right."""
    if unit.pk is None:
        unit.path = ""
        unit.save()
    old_path = unit.path
    parent_path = unit.parent.path if unit.parent_id else "/"
    if unit.parent_id and parent_path.startswith(old_path) and old_path:
        raise StaffError(_("Unit tidak dapat dipindahkan ke bawah sub-unitnya sendiri."), field="parent")
    unit.path = f"{parent_path}{unit.pk}/"
    unit.save()
    if old_path and old_path != unit.path:
        for child in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = unit.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    return unit


def position_defaults(position: Position) -> Position:
    """Fill the retirement age from the position type and level when it is not set."""
    if not position.bup:
        position.bup = rules.bup_for(
            position.kind, position.functional_level or None, position.eselon or None
        )
    return position


def employee_validate(employee: Employee) -> list[str]:
    """Full validation of an employee record; returns soft warnings, raises ``ValidationError``."""
    errors: dict[str, list] = {}
    warnings: list[str] = []
    if employee.nip:
        employee.nip = identifiers.normalize_identifier(employee.nip)
    if employee.nik:
        employee.nik = identifiers.normalize_identifier(employee.nik)
    etype = employee.employee_type
    if etype in Employee.PNS_TYPES:
        if not employee.nip:
            errors.setdefault("nip", []).append(_("NIP wajib diisi untuk PNS/CPNS."))
        else:
            try:
                info = identifiers.parse_nip(employee.nip)
                warnings += identifiers.nip_warnings(info, birth_date=employee.birth_date, sex=employee.sex)
            except ValidationError as exc:
                errors.setdefault("nip", []).extend(exc.messages)
        if employee.pppk_golongan:
            errors.setdefault("pppk_golongan", []).append(_("Golongan PPPK hanya untuk pegawai PPPK."))
    elif etype in Employee.PPPK_TYPES:
        if not employee.nip:
            errors.setdefault("nip", []).append(_("NI PPPK wajib diisi untuk PPPK."))
        else:
            try:
                info = identifiers.parse_ni_pppk(employee.nip)
                warnings += identifiers.ni_pppk_warnings(
                    info, birth_date=employee.birth_date, sex=employee.sex
                )
            except ValidationError as exc:
                errors.setdefault("nip", []).extend(exc.messages)
        if employee.golongan:
            errors.setdefault("golongan", []).append(_("Golongan/ruang hanya untuk PNS/CPNS."))
    else:
        if employee.nip:
            errors.setdefault("nip", []).append(_("Pegawai non-ASN tidak memiliki NIP; kosongkan kolom ini."))
        if not employee.nik:
            errors.setdefault("nik", []).append(_("NIK wajib diisi untuk pegawai non-ASN."))
        if employee.golongan or employee.pppk_golongan:
            errors.setdefault("golongan", []).append(_("Pegawai non-ASN tidak memiliki golongan."))
    if employee.nik:
        try:
            nik = identifiers.parse_nik(employee.nik)
            warnings += identifiers.nik_warnings(nik, birth_date=employee.birth_date, sex=employee.sex)
        except ValidationError as exc:
            errors.setdefault("nik", []).extend(exc.messages)
    if employee.position_id and employee.position.unit_id != employee.unit_id:
        errors.setdefault("position", []).append(_("Jabatan ini bukan milik unit kerja yang dipilih."))
    try:
        employee.full_clean(exclude=list(errors))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return warnings


@transaction.atomic
def employee_save(employee: Employee, *, by, request=None) -> list[str]:
    """Create or update an employee record (Operator Kepegawaian); returns warnings."""
    before = {}
    if employee.pk:
        before = snapshot(Employee.objects.get(pk=employee.pk), EMPLOYEE_AUDIT_FIELDS)
    warnings = employee_validate(employee)
    created = employee.pk is None
    employee.save()
    changes = diff(before, snapshot(employee, EMPLOYEE_AUDIT_FIELDS))
    log_action(
        employee,
        "staff.employee.created" if created else "staff.employee.changed",
        by=by,
        request=request,
        changes=_mask_changes(changes),
        data={"warnings": [str(w) for w in warnings]} if warnings else None,
    )
    return warnings


def _mask_changes(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Keep personal values out of the audit trail: record that they changed, not what they are."""
    return {k: (["•", "•"] if k in Employee.PERSONAL_FIELDS else v) for k, v in changes.items()}


def _record_history(
    entry, *, current: dict[str, Any], action: str, by, request, is_current: bool | None = None
):
    """Validate and save a history entry. When it is the employee's newest (by TMT, unless the caller
    decides with ``is_current``), ``current`` becomes the employee's present value; audited either way."""
    entry.full_clean()
    employee = entry.employee
    if is_current is None:
        is_current = _is_latest(type(entry), employee, entry.tmt)
    entry.save()
    changes: dict[str, list[Any]] = {}
    if is_current:
        before = snapshot(employee, list(current))
        for name, value in current.items():
            setattr(employee, name, value)
        employee.save(update_fields=list(current))
        changes = diff(before, snapshot(employee, list(current)))
    log_action(employee, action, by=by, request=request, changes=changes, data={"history_id": entry.pk})
    return entry


def _is_latest(history_model, employee: Employee, tmt: dt.date, field: str = "tmt") -> bool:
    latest = (
        history_model.objects.filter(employee=employee)
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    return latest is None or tmt >= latest


@transaction.atomic
def rank_add(
    employee: Employee,
    *,
    tmt: dt.date,
    golongan: str = "",
    pppk_golongan: str = "",
    sk_number: str = "",
    sk_date: dt.date | None = None,
    by,
    request=None,
) -> RankHistory:
    """Record a promotion (SK kenaikan pangkat); the newest entry becomes the current rank."""
    if employee.employee_type in Employee.PNS_TYPES and not golongan:
        raise StaffError(_("Pilih golongan/ruang."), field="golongan")
    if employee.employee_type in Employee.PPPK_TYPES and not pppk_golongan:
        raise StaffError(_("Pilih golongan PPPK."), field="pppk_golongan")
    if not employee.is_asn:
        raise StaffError(_("Pegawai non-ASN tidak memiliki golongan."))
    entry = RankHistory(
        employee=employee,
        tmt=tmt,
        golongan=golongan,
        pppk_golongan=pppk_golongan,
        sk_number=sk_number,
        sk_date=sk_date,
    )
    current = {"tmt_golongan": tmt, "golongan" if golongan else "pppk_golongan": golongan or pppk_golongan}
    return _record_history(entry, current=current, action="staff.employee.rank_added", by=by, request=request)


@transaction.atomic
def position_assign(
    employee: Employee,
    *,
    position: Position,
    tmt: dt.date,
    sk_number: str = "",
    sk_date: dt.date | None = None,
    by,
    request=None,
) -> PositionHistory:
    """Record an appointment (SK jabatan); the newest entry becomes the current position and unit."""
    entry = PositionHistory(
        employee=employee,
        position=position,
        position_name=position.name,
        unit_name=position.unit.name,
        tmt=tmt,
        sk_number=sk_number,
        sk_date=sk_date,
    )
    current = {"position": position, "unit": position.unit, "tmt_jabatan": tmt}
    return _record_history(
        entry, current=current, action="staff.employee.position_assigned", by=by, request=request
    )


@transaction.atomic
def education_add(
    employee: Employee,
    *,
    level: str,
    institution: str,
    graduation_year: int,
    major: str = "",
    sk_number: str = "",
    by,
    request=None,
) -> EducationHistory:
    """Record a diploma; the highest level becomes the current education."""
    entry = EducationHistory(
        employee=employee,
        level=level,
        institution=institution,
        major=major,
        graduation_year=graduation_year,
        sk_number=sk_number,
    )
    return _record_history(
        entry,
        current={"education_level": level, "education_major": major},
        action="staff.employee.education_added",
        by=by,
        request=request,
        is_current=rules.pendidikan_rank(level) >= rules.pendidikan_rank(employee.education_level or None),
    )


@transaction.atomic
def kgb_add(
    employee: Employee,
    *,
    tmt: dt.date,
    salary=None,
    masa_kerja_years: int | None = None,
    sk_number: str = "",
    sk_date: dt.date | None = None,
    by,
    request=None,
) -> KgbHistory:
    """Record a periodic pay rise (surat pemberitahuan KGB); the newest becomes the current TMT KGB."""
    if not employee.is_asn:
        raise StaffError(_("KGB hanya untuk pegawai ASN."))
    entry = KgbHistory(
        employee=employee,
        tmt=tmt,
        salary=salary,
        masa_kerja_years=masa_kerja_years,
        sk_number=sk_number,
        sk_date=sk_date,
    )
    return _record_history(
        entry, current={"tmt_kgb": tmt}, action="staff.employee.kgb_added", by=by, request=request
    )


@transaction.atomic
def document_upload(
    employee: Employee,
    *,
    kind: str,
    upload,
    number: str = "",
    date: dt.date | None = None,
    issuer: str = "",
    by,
    request=None,
) -> StaffDocument:
    """Store an SK or diploma (PDF only, checked by content)."""
    cleaned = clean_upload(upload, kinds=("pdf",))
    document = StaffDocument(
        employee=employee,
        kind=kind,
        number=number,
        date=date,
        issuer=issuer,
        original_name=cleaned.original_name[:255],
        uploaded_by=by,
    )
    document.file.save(cleaned.content.name, cleaned.content, save=False)
    document.full_clean()
    document.save()
    log_action(
        document,
        "staff.document.uploaded",
        by=by,
        request=request,
        data={"employee": employee.pk, "kind": kind},
    )
    return document


# --- Self-service corrections ---------------------------------------------------------------------
# A correction is a document of the approval engine (staff/approval.py): these services create and
# revise it and hand every decision to situok.approvals, which calls back into the hooks below. The
# Operator's pages and the inbox therefore decide through the same code.
_CORRECTION_DECISIONS = {
    "approve": approval_approve,
    "reject": approval_reject,
    "return": approval_return,
}


def _correction_proposal(employee: Employee, changes: dict[str, Any]) -> dict[str, Any]:
    """The requested values that really differ from the record, validated as they would be saved."""
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise StaffError(_("Kolom ini tidak dapat diajukan perbaikannya."))
    real = diff(snapshot(employee, list(changes)), changes)
    if not real:
        raise StaffError(_("Tidak ada perubahan yang diajukan."))
    proposal = {k: v[1] for k, v in real.items()}
    trial = Employee.objects.get(pk=employee.pk)
    for field, value in proposal.items():
        setattr(trial, field, Employee._meta.get_field(field).to_python(value))
    employee_validate(trial)
    return proposal


def _staff_error(exc: ApprovalError) -> StaffError:
    return StaffError(exc.message, field=exc.field)


def _store_attachment(correction: CorrectionRequest, attachment) -> None:
    cleaned = clean_upload(attachment)
    correction.attachment.save(cleaned.content.name, cleaned.content, save=False)


def _discard_attachment(correction: CorrectionRequest) -> None:
    # The transaction rolls the row back, not the file written to storage.
    if correction.attachment:
        correction.attachment.delete(save=False)


@transaction.atomic
def correction_submit(
    employee: Employee, *, changes: dict[str, Any], note: str = "", attachment=None, by, request=None
) -> CorrectionRequest:
    """An employee asks for corrections of their own data and the request starts its approval (the
    Operator Kepegawaian by default); nothing official changes until it is approved."""
    # One open correction per employee: serialise submissions of the same employee.
    Employee.objects.select_for_update().filter(pk=employee.pk).first()
    open_status = (
        employee.correction_requests.filter(
            status__in=(CorrectionRequest.Status.PENDING, CorrectionRequest.Status.RETURNED)
        )
        .values_list("status", flat=True)
        .first()
    )
    if open_status == CorrectionRequest.Status.RETURNED:
        raise StaffError(
            _("Permohonan perbaikan Anda dikembalikan untuk diperbaiki; perbaiki dan ajukan kembali.")
        )
    if open_status is not None:
        raise StaffError(_("Masih ada permohonan perbaikan yang menunggu keputusan."))
    proposal = _correction_proposal(employee, changes)
    correction = CorrectionRequest(employee=employee, requested_by=by, note=note, changes=proposal)
    if attachment:
        _store_attachment(correction, attachment)
    correction.save()
    log_action(
        correction,
        "staff.correction.submitted",
        by=by,
        request=request,
        data={"fields": sorted(correction.changes)},
    )
    ensure_correction_policy()
    try:
        approval_submit(correction, by=by, document_type=CORRECTION_DOC, request=request)
    except ApprovalError as exc:
        _discard_attachment(correction)
        raise _staff_error(exc) from exc
    return correction


@transaction.atomic
def correction_resubmit(
    correction: CorrectionRequest,
    *,
    changes: dict[str, Any],
    note: str = "",
    attachment=None,
    by,
    request=None,
) -> CorrectionRequest:
    """The requester revises a returned correction (``changes`` as in :func:`correction_submit`,
    compared with the record, not with the earlier request) and sends it back to the step that
    returned it."""
    locked = CorrectionRequest.objects.select_for_update().select_related("employee").get(pk=correction.pk)
    approval = correction_approval(locked)
    if locked.status != CorrectionRequest.Status.RETURNED or approval is None:
        raise StaffError(_("Hanya permohonan yang dikembalikan yang dapat diajukan kembali."))
    proposal = _correction_proposal(locked.employee, changes)
    old_attachment = locked.attachment.name if attachment and locked.attachment else ""
    locked.changes, locked.note = proposal, note
    if attachment:
        _store_attachment(locked, attachment)
    locked.save(update_fields=["changes", "note", "attachment"])
    log_action(
        locked,
        "staff.correction.resubmitted",
        by=by,
        request=request,
        data={"fields": sorted(proposal)},
    )
    try:
        approval_resubmit(approval, by=by, note=note, request=request)
    except ApprovalError as exc:
        if attachment:
            _discard_attachment(locked)
        raise _staff_error(exc) from exc
    if old_attachment:
        storage = locked.attachment.storage
        transaction.on_commit(lambda: storage.delete(old_attachment), robust=True)
    locked.refresh_from_db()
    return locked


@transaction.atomic
def correction_decide(
    correction: CorrectionRequest,
    *,
    decision: str,
    note: str = "",
    version: int | None = None,
    by,
    request=None,
) -> CorrectionRequest:
    """Approve (the record changes, audited), reject (reason required) or return for revision (what
    to fix required) — through the approval engine, so the rules are the inbox's: only the current
    approver decides, never the requester. ``version`` is the approval version the decider saw."""
    service = _CORRECTION_DECISIONS.get(decision)
    if service is None:
        raise StaffError(_("Keputusan tidak dikenal."), field="decision")
    locked = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    approval = correction_approval(locked)
    if approval is None and locked.status == CorrectionRequest.Status.PENDING:
        # Filed before corrections went through the engine: start its approval now, as the requester
        # would have; if the decision below fails, this rolls back with it.
        ensure_correction_policy()
        try:
            approval = approval_submit(locked, by=locked.requested_by, document_type=CORRECTION_DOC)
        except ApprovalError as exc:
            raise _staff_error(exc) from exc
    if approval is None:
        raise StaffError(_("Permohonan ini sudah diputuskan."))
    if version is not None:
        approval.version = version
    try:
        service(approval, by=by, note=note, request=request)
    except ApprovalError as exc:
        raise _staff_error(exc) from exc
    locked.refresh_from_db()
    return locked


def _decider(approval: ApprovalRequest, decision: str):
    action = deciding_action(approval, decision)
    return (action.actor if action else None), (action.note if action else "")


def correction_apply(correction: CorrectionRequest, approval: ApprovalRequest) -> None:
    """``on_approved``: write the requested values into the record through :func:`employee_save`
    (validated, audited as ``staff.employee.changed`` by the approver). Runs inside the approving
    transaction, so a value that is no longer valid undoes the approval too."""
    by, note = _decider(approval, ApprovalAction.Decision.APPROVED)
    employee = Employee.objects.select_for_update().get(pk=correction.employee_id)
    for field, value in correction.changes.items():
        setattr(employee, field, Employee._meta.get_field(field).to_python(value))
    try:
        employee_save(employee, by=by)
    except ValidationError as exc:
        raise ApprovalError(
            _("Perubahan tidak dapat diterapkan karena datanya tidak valid: %(errors)s")
            % {"errors": " ".join(exc.messages)}
        ) from exc
    correction_mirror_status(correction, approval)
    log_action(
        correction,
        "staff.correction.approved",
        by=by,
        data={"note": note, "fields": sorted(correction.changes), "approval": approval.pk},
    )


def correction_mark_rejected(correction: CorrectionRequest, approval: ApprovalRequest) -> None:
    """``on_rejected``: the correction ends rejected, with the approver's reason."""
    by, note = _decider(approval, ApprovalAction.Decision.REJECTED)
    correction_mirror_status(correction, approval)
    log_action(correction, "staff.correction.rejected", by=by, data={"note": note, "approval": approval.pk})


def correction_mirror_status(correction: CorrectionRequest, approval: ApprovalRequest) -> None:
    """``on_changed``: the correction shows the engine's state — status and, while returned or once
    decided, who decided, when and their note (the return note is what the requester must fix)."""
    fields: dict[str, Any] = {"status": STATUS_MIRROR[approval.status]}
    decision = DECIDING_ACTION.get(approval.status)
    action = deciding_action(approval, decision) if decision else None
    fields.update(
        decided_by=action.actor if action else None,
        decided_at=action.created_at if action else None,
        decision_note=action.note if action else "",
    )
    CorrectionRequest.objects.filter(pk=correction.pk).update(**fields)
    for name, value in fields.items():
        setattr(correction, name, value)


def document_downloaded(document: StaffDocument, *, by, request=None) -> None:
    """Staff documents hold personal data: every download is recorded."""
    log_action(
        document, "staff.document.downloaded", by=by, request=request, data={"employee": document.employee_id}
    )
