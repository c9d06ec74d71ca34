"""Staff records budgets outside HTTP: the Excel import of 5,000 rows and the XLSX export of the staff list.

Each step runs in a process of its own (``python -m bench.staffbench <step> ...``), so its peak memory
(``VmHWM``) is its own, and prints one JSON line:

- ``build``: the import template (``staff.imports.import_template()``) filled in with ``--rows`` new
  employees — valid against the bench database's units and positions, NIPs and NIKs that exist nowhere
  else, types, ranks, dates and identifiers consistent with each other, so the importer finds no error
  and no warning — saved to ``--file``;
- ``dry-run``: ``import_dry_run(upload, by=admin)`` of that file, as the upload view calls it (the checks
  before parsing included);
- ``commit``: ``import_commit(upload, by=admin)`` of the same file inside a transaction that is rolled back
  afterwards (the bench data stays as it was; only sequences advance); the employee count is checked;
- ``export``: the registered exporter ``staff-list`` (``get_exporter("staff-list").render({}, user=admin,
  fmt="xlsx")``, optional ``--unit`` filter) with the file read back like ``FileResponse`` would.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .dataset import (
    BIRTH_EPOCH,
    BIRTH_SPAN_DAYS,
    BIRTH_STEP,
    DEGREES,
    FIRST_FEMALE,
    FIRST_MALE,
    LAST,
    MIDDLE,
    PLACES,
    STAFF_NIP_SEQUENCE_FROM,
    STREETS,
    STRUCTURAL_KINDS,
)
from .exportbench import _drain, _proc_status_kib, run_module

BASE_DIR = Path(__file__).resolve().parent.parent
STEPS = ("build", "dry-run", "commit", "export")
ADMIN = "admin"
# NIP sequences 140–199 belong to the import file (see dataset.STAFF_NIP_SEQUENCE_FROM); with a birth
# date stepping through BIRTH_SPAN_DAYS they are unique for up to lcm(11999, 60) rows.
IMPORT_NIP_SEQUENCE_FROM = 140
IMPORT_NIP_SEQUENCES = STAFF_NIP_SEQUENCE_FROM - IMPORT_NIP_SEQUENCE_FROM
# NIK regencies not used by the generated employees (5106 Bangli, 5105 Klungkung): no NIK of the file is
# already recorded, so no "NIK juga tercatat" warning.
IMPORT_NIK_REGENCIES = ("06", "05")
IMPORT_SEED = 3_052_026


def _admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=ADMIN)


def _import_row(rng: random.Random, i: int, units: list[tuple[str, list[str]]]) -> dict[str, Any]:
    """One new employee by field name (``staff.resources.EmployeeResource`` columns); values as a person
    types them: choice labels, golongan with a slash, dates as date cells, identifiers as text."""
    birth = BIRTH_EPOCH + dt.timedelta(days=((i + 1) * BIRTH_STEP) % BIRTH_SPAN_DAYS)
    seq = IMPORT_NIP_SEQUENCE_FROM + i % IMPORT_NIP_SEQUENCES
    sex = "L" if rng.random() < 0.52 else "P"
    if i % 10 == 0:
        etype = "Non-ASN"
    else:
        etype = rng.choice(["PNS"] * 38 + ["PPPK"] * 10 + ["CPNS"] * (1 if birth.year >= 1990 else 0))
    education = rng.choice(["SMA", "D3", "S1", "S1", "S1", "S2"])
    sex_digit = "1" if sex == "L" else "2"
    row: dict[str, Any] = {}
    if etype in ("PNS", "CPNS"):
        tmt_year = 2025 if etype == "CPNS" else min(birth.year + 22 + i % 9, 2024)
        tmt_cpns = dt.date(tmt_year, 1 + (i * 31) % 12, 1)
        start = {"SMA": 0, "D3": 2, "S1": 4, "S2": 5}[education]
        cap = {"SMA": 5, "D3": 6, "S1": 8, "S2": 9}[education]
        steps = min((2025 - tmt_year) // 4, cap - start)
        golongan = ["II/a", "II/b", "II/c", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b"]
        row |= {
            "nip": f"{birth:%Y%m%d}{tmt_cpns:%Y%m}{sex_digit}{seq:03d}",
            "golongan": golongan[start + steps],
            "tmt_golongan": tmt_cpns if steps == 0 else dt.date(min(tmt_year + 4 * steps, 2025), 4, 1),
            "tmt_cpns": tmt_cpns,
        }
    elif etype == "PPPK":
        year = max(2019 + i % 7, birth.year + 20)
        row |= {
            "nip": f"{birth:%Y%m%d}{year}21{sex_digit}{seq:03d}",
            "pppk_golongan": rng.choice(["V", "VII", "IX", "IX", "X"]),
            "tmt_golongan": dt.date(year, 1, 1),
        }
    unit_code, positions = units[i % len(units)]
    day = birth.day + (40 if sex == "P" else 0)
    regency = IMPORT_NIK_REGENCIES[i % len(IMPORT_NIK_REGENCIES)]
    first = rng.choice(FIRST_MALE if sex == "L" else FIRST_FEMALE)
    middle = rng.choice(MIDDLE)
    last = rng.choice(LAST)
    degree = rng.choice(DEGREES[education]) if education in DEGREES else ""
    row |= {
        "nik": f"51{regency}{1 + i % 4:02d}{day:02d}{birth:%m}{birth:%y}{1 + i % 9999:04d}",
        "name": " ".join(part for part in (first, middle, last) if part),
        "back_title": degree,
        "sex": sex,
        "birth_place": rng.choice(PLACES),
        "birth_date": birth,
        "religion": rng.choice(["Hindu"] * 8 + ["Islam", "Kristen Protestan", "Katolik", "Buddha"]),
        "employee_type": etype,
        "unit": unit_code,
        "position": rng.choice(positions),
        "tmt_jabatan": dt.date(2020 + i % 6, 1 + i % 12, 1),
        "education_level": education,
        "education_major": "" if education == "SMA" else "Administrasi Publik",
        "phone": f"08{11 + (i * 37) % 89}{(i * 104729) % 100_000_000:08d}",
        "email": f"{last.lower()}.impor{i}@baliprov.go.id",
        "address": f"Jl. {rng.choice(STREETS)} No. {1 + i % 200}, {rng.choice(PLACES)}",
        "bank_name": "BPD Bali",
        "bank_account": f"{(i * 982451653) % 10**12:012d}",
        "status": "Aktif",
    }
    return row


def _build(rows: int, file: Path) -> dict[str, Any]:
    """The downloaded template, its example row replaced by ``rows`` new employees."""
    from openpyxl import load_workbook

    from staff import imports, resources
    from staff.models import Position

    units: dict[str, list[str]] = {}
    for code, name in (
        Position.objects.exclude(kind__in=STRUCTURAL_KINDS).order_by("unit__path", "name")
    ).values_list("unit__code", "name"):
        units.setdefault(code, []).append(name)
    if not units:
        raise RuntimeError("no positions in the bench database: did seed_demo run?")
    book = load_workbook(io.BytesIO(imports.import_template()))
    sheet = book[resources.DATA_SHEET]
    by_label = {label: name for name, label in resources.column_labels().items()}
    header = [cell.value for cell in sheet[1]]
    columns = [(index, by_label[label]) for index, label in enumerate(header, start=1) if label in by_label]
    sheet.delete_rows(2, sheet.max_row)  # the example row
    rng = random.Random(IMPORT_SEED)
    unit_list = list(units.items())
    for i in range(rows):
        values = _import_row(rng, i, unit_list)
        for col, name in columns:
            value = values.get(name)
            if value not in (None, ""):
                sheet.cell(row=i + 2, column=col, value=value)
    file.parent.mkdir(parents=True, exist_ok=True)
    book.save(file)
    return {"rows": rows, "bytes": file.stat().st_size, "units": len(units)}


def _upload(file: Path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from staff import imports

    return SimpleUploadedFile(file.name, file.read_bytes(), content_type=imports.XLSX_CONTENT_TYPE)


def _report(report) -> dict[str, Any]:
    counts = report.counts()
    counts["first_issues"] = [
        f"row {i.row} {i.column}: {i.message} ({i.level})" for i in report.sorted_issues()[:5]
    ]
    return counts


def _dry_run(file: Path) -> dict[str, Any]:
    from staff import imports

    upload = _upload(file)
    started = time.perf_counter()
    report = imports.import_dry_run(upload, by=_admin())
    return {"seconds": time.perf_counter() - started, **_report(report)}


class _Rollback(Exception):
    """Raised inside the atomic block to undo the commit."""


def _commit(file: Path) -> dict[str, Any]:
    from django.db import transaction

    from staff import imports
    from staff.models import Employee

    upload = _upload(file)
    user = _admin()
    before = Employee.objects.count()
    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            report = imports.import_commit(upload, by=user)
            result["seconds"] = time.perf_counter() - started
            result["committed"] = report.committed
            result["count_inside"] = Employee.objects.count()
            result.update(_report(report))
            raise _Rollback
    except _Rollback:
        pass
    result["count_after"] = Employee.objects.count()
    result["count_before"] = before
    if result["count_after"] != before:
        raise RuntimeError(f"the rollback left {result['count_after'] - before} employees behind")
    return result


def _export(unit: int | None) -> dict[str, Any]:
    from situok.exports import get_exporter

    user = _admin()
    form_data = {"unit": str(unit)} if unit else {}
    exporter = get_exporter("staff-list")
    rows = exporter.filterset(form_data, user=user).qs.count()  # the rows the export writes
    started, cpu_started = time.perf_counter(), time.process_time()
    result = exporter.render(form_data, user=user, fmt="xlsx")
    size = _drain(result.file)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "rows": rows, "bytes": size}


def worker_main(argv: list[str] | None = None) -> None:
    """Child process: set Django up, run one step, print one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m bench.staffbench")
    parser.add_argument("step", choices=STEPS)
    parser.add_argument("--file", type=Path)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--unit", type=int)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "situok.settings")
    import django

    django.setup()
    # What a server worker has loaded after its first import or export, so nothing is imported while timed.
    import openpyxl  # noqa: F401
    import xlsxwriter  # noqa: F401

    import situok.exports.xlsx  # noqa: F401
    import staff.exporters
    import staff.imports  # noqa: F401

    baseline_kib = _proc_status_kib("VmRSS")
    if args.step == "build":
        result = _build(args.rows, args.file)
    elif args.step == "dry-run":
        result = _dry_run(args.file)
    elif args.step == "commit":
        result = _commit(args.file)
    else:
        result = _export(args.unit)
    result = {
        "step": args.step,
        **result,
        "baseline_rss_mb": round(baseline_kib / 1024, 1),
        "peak_rss_mb": round(_proc_status_kib("VmHWM") / 1024, 1),
    }
    for key in ("seconds", "cpu_seconds"):
        if key in result:
            result[key] = round(result[key], 3)
    if result.get("rows") and result.get("seconds") and args.step == "export":
        result["rows_per_s"] = round(result["rows"] / result["seconds"], 1)
    print(json.dumps(result))


def run_step(step: str, env: Mapping[str, str], *extra: str, timeout: float = 600) -> dict[str, Any]:
    """One step in a fresh interpreter; its JSON result (or an ``error``)."""
    result = run_module("bench.staffbench", [step, *extra], env, timeout=timeout)
    return {"step": step, **result} if "error" in result else result


if __name__ == "__main__":
    worker_main()
