"""Writes of the organisation and of employee records. Every change goes through a function here,
validates, writes and leaves an audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from situok.audit import diff, log_action, snapshot
from situok.uploads import clean_upload

from . import identifiers, rules
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


def _apply_current(employee: Employee, fields: dict[str, Any], *, by, request, action: str, history) -> None:
    before = snapshot(employee, list(fields))
    for name, value in fields.items():
        setattr(employee, name, value)
    employee.save(update_fields=list(fields))
    log_action(
        employee,
        action,
        by=by,
        request=request,
        changes=diff(before, snapshot(employee, list(fields))),
        data={"history_id": history.pk},
    )


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
    entry.full_clean()
    latest = _is_latest(RankHistory, employee, tmt)
    entry.save()
    if latest:
        current = {
            "tmt_golongan": tmt,
            "golongan" if golongan else "pppk_golongan": golongan or pppk_golongan,
        }
        _apply_current(
            employee, current, by=by, request=request, action="staff.employee.rank_added", history=entry
        )
    else:
        log_action(
            employee, "staff.employee.rank_added", by=by, request=request, data={"history_id": entry.pk}
        )
    return entry


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
    entry.full_clean()
    latest = _is_latest(PositionHistory, employee, tmt)
    entry.save()
    if latest:
        current = {"position": position, "unit": position.unit, "tmt_jabatan": tmt}
        _apply_current(
            employee,
            current,
            by=by,
            request=request,
            action="staff.employee.position_assigned",
            history=entry,
        )
    else:
        log_action(
            employee,
            "staff.employee.position_assigned",
            by=by,
            request=request,
            data={"history_id": entry.pk},
        )
    return entry


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
    entry.full_clean()
    entry.save()
    if rules.pendidikan_rank(level) >= rules.pendidikan_rank(employee.education_level or None):
        _apply_current(
            employee,
            {"education_level": level, "education_major": major},
            by=by,
            request=request,
            action="staff.employee.education_added",
            history=entry,
        )
    else:
        log_action(
            employee, "staff.employee.education_added", by=by, request=request, data={"history_id": entry.pk}
        )
    return entry


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
    entry.full_clean()
    latest = _is_latest(KgbHistory, employee, tmt)
    entry.save()
    if latest:
        _apply_current(
            employee,
            {"tmt_kgb": tmt},
            by=by,
            request=request,
            action="staff.employee.kgb_added",
            history=entry,
        )
    else:
        log_action(
            employee, "staff.employee.kgb_added", by=by, request=request, data={"history_id": entry.pk}
        )
    return entry


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
@transaction.atomic
def correction_submit(
    employee: Employee, *, changes: dict[str, Any], note: str = "", attachment=None, by, request=None
) -> CorrectionRequest:
    """An employee asks for corrections of their own data; nothing official changes yet."""
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise StaffError(_("Kolom ini tidak dapat diajukan perbaikannya."))
    current = snapshot(employee, list(changes))
    real = diff(current, changes)
    if not real:
        raise StaffError(_("Tidak ada perubahan yang diajukan."))
    if employee.correction_requests.filter(status=CorrectionRequest.Status.PENDING).exists():
        raise StaffError(_("Masih ada permohonan perbaikan yang menunggu keputusan."))
    request_obj = CorrectionRequest(
        employee=employee, requested_by=by, note=note, changes={k: v[1] for k, v in real.items()}
    )
    # Validate the proposed values as they would be saved.
    trial = Employee.objects.get(pk=employee.pk)
    for field, value in request_obj.changes.items():
        setattr(trial, field, Employee._meta.get_field(field).to_python(value))
    employee_validate(trial)
    if attachment:
        cleaned = clean_upload(attachment)
        request_obj.attachment.save(cleaned.content.name, cleaned.content, save=False)
    request_obj.save()
    log_action(
        request_obj,
        "staff.correction.submitted",
        by=by,
        request=request,
        data={"fields": sorted(request_obj.changes)},
    )
    return request_obj


@transaction.atomic
def correction_decide(
    correction: CorrectionRequest, *, approve: bool, note: str = "", by, request=None
) -> CorrectionRequest:
    """The Operator Kepegawaian approves (the record changes, audited) or rejects (reason required)."""
    locked = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    if locked.status != CorrectionRequest.Status.PENDING:
        raise StaffError(_("Permohonan ini sudah diputuskan."))
    if not approve and not note.strip():
        raise StaffError(_("Tuliskan alasan penolakan."), field="decision_note")
    if locked.requested_by_id == by.pk:
        raise StaffError(_("Anda tidak dapat memutuskan permohonan Anda sendiri."))
    if approve:
        employee = Employee.objects.select_for_update().get(pk=locked.employee_id)
        for field, value in locked.changes.items():
            setattr(employee, field, Employee._meta.get_field(field).to_python(value))
        employee_save(employee, by=by, request=request)
    locked.status = CorrectionRequest.Status.APPROVED if approve else CorrectionRequest.Status.REJECTED
    locked.decided_by, locked.decided_at, locked.decision_note = by, timezone.now(), note
    locked.save()
    log_action(
        locked,
        "staff.correction.approved" if approve else "staff.correction.rejected",
        by=by,
        request=request,
        data={"note": note},
    )
    return locked


def document_downloaded(document: StaffDocument, *, by, request=None) -> None:
    """Staff documents hold personal data: every download is recorded."""
    log_action(
        document, "staff.document.downloaded", by=by, request=request, data={"employee": document.employee_id}
    )
