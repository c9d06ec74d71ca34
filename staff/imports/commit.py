"""Steps 4–5: the dry run, the all-or-nothing commit, and the template workbook."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from situok.audit import log_action

from .. import resources
from ..models import Employee, OrgUnit, Position
from .checks import MAX_ROWS, MAX_UPLOAD_BYTES
from .results import ImportReport, RowError
from .validation import _validate


# --- 4./5. Services -------------------------------------------------------------------------------
def import_dry_run(upload: Any, *, by: Any = None) -> ImportReport:
    """Check and validate an upload without writing anything.

    ``upload`` is an uploaded file, a file object, ``bytes`` or a :class:`CheckedUpload`. Raises
    ``ValidationError`` when the file itself is refused (type, size, zip bomb, too many rows, unreadable);
    problems inside the sheet are returned in the report.
    """
    report, _plan = _validate(upload)
    return report


def import_commit(
    upload: Any, *, by: Any, request: HttpRequest | None = None, filename: str | None = None
) -> ImportReport:
    """Validate again and, only if no row has an error, write every row in one transaction.

    Returns the report; ``report.committed`` tells whether anything was written. Audit:
    ``staff.employee.imported`` with the counts (plus the ids created and the columns changed per updated
    employee — names only, never the values), or ``staff.employee.import_rejected`` when errors stopped it.
    """
    report, plan = _validate(upload)
    if filename:
        report.filename = filename
    if not report.ok:
        log_action(
            None,
            "staff.employee.import_rejected",
            by=by,
            request=request,
            data={**report.counts(), "error_rows": len(report.error_rows), "filename": report.filename},
        )
        return report
    try:
        with transaction.atomic():
            created = Employee.objects.bulk_create(plan.new, batch_size=500)
            for fields, employees in plan.updates.items():
                Employee.objects.bulk_update(employees, fields, batch_size=500)
            updated = {str(e.pk): list(fields) for fields, group in plan.updates.items() for e in group}
            log_action(
                None,
                "staff.employee.imported",
                by=by,
                request=request,
                data={
                    **report.counts(),
                    "filename": report.filename,
                    "created_ids": [e.pk for e in created],
                    "updated_fields": updated,
                },
                label=report.filename or None,
            )
    except IntegrityError:
        # Someone saved the same NIP or internal number between validation and writing.
        report.issues.append(
            RowError(
                0,
                "",
                _(
                    "Data pegawai berubah ketika impor berjalan. Tidak ada data yang disimpan; unggah ulang berkasnya."
                ),
            )
        )
        return report
    report.committed = True
    return report


def import_template() -> bytes:
    """The XLSX template: headers, an example row, *Petunjuk* and *Referensi* (unit codes, positions)."""
    units = list(OrgUnit.objects.order_by("path").values_list("code", "name"))
    unit_order = {code: index for index, (code, _name) in enumerate(units)}
    positions = sorted(
        Position.objects.values_list("unit__code", "name"), key=lambda p: (unit_order.get(p[0], 0), p[1])
    )
    # The example row uses the first unit that has positions, so it shows a Jabatan too.
    example = positions[0] if positions else ((units[0][0], "") if units else ("", ""))
    return resources.build_template(
        units=units,
        positions=positions,
        example=example,
        max_rows=MAX_ROWS,
        max_megabytes=MAX_UPLOAD_BYTES // (1024 * 1024),
    )


def template_filename(today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    return f"templat-impor-pegawai-{today:%Y%m%d}.xlsx"
