"""XLSX export bench: our exporter against raw xlsxwriter and raw openpyxl on the same rows.

Each variant runs in a process of its own (``python -m bench.exportbench <variant> ...``), so its peak
memory (``VmHWM``) is its own. Every variant reads the same ``values_list`` iterator over the same id range
(newest first), writes a complete workbook to a temporary file and then reads the file back in 64 KiB
chunks, as the download view's ``FileResponse`` would.

- ``fetch``: only iterates the rows (the floor: database + ORM);
- ``ours``: ``AuditEventExporter.render(..., fmt="xlsx")`` — ``rows()`` plus ``situok.exports.xlsx``;
- ``xlsxwriter``: hand-written xlsxwriter ``constant_memory`` loop, typed writes, same conversions;
- ``openpyxl``: hand-written openpyxl write-only workbook.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

BASE_DIR = Path(__file__).resolve().parent.parent
VARIANTS = ("fetch", "ours", "xlsxwriter", "openpyxl")
COMPARED = ("ours", "xlsxwriter")  # the goal is a ratio of these two
COLUMNS = ("created_at", "actor_label", "ip", "action", "target_label", "changes")
HEADER = ("Waktu (WITA)", "Pengguna", "Alamat IP", "Aksi", "Objek", "Perubahan")


def _proc_status_kib(field_name: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(f"{field_name}:"):
                return int(line.split()[1])
    return 0


def _drain(file: IO[bytes]) -> int:
    """Read the finished file the way ``FileResponse`` streams it; returns its size."""
    file.seek(0)
    size = 0
    while chunk := file.read(64 * 1024):
        size += len(chunk)
    file.close()
    return size


def _changes_text(changes: Mapping[str, Any] | None) -> str:
    return "; ".join(f"{k}: {v[0]} → {v[1]}" for k, v in changes.items()) if changes else ""


def _values(lo: int, hi: int) -> Iterator[tuple[Any, ...]]:
    from situok.audit import AuditEvent

    qs = AuditEvent.objects.filter(id__range=(lo, hi)).order_by("-id").values_list(*COLUMNS)
    return qs.iterator(chunk_size=5000)


def _run_fetch(lo: int, hi: int) -> tuple[int, int]:
    rows = sum(1 for _ in _values(lo, hi))
    return rows, 0


def _run_ours(lo: int, hi: int) -> tuple[int, int]:
    from django.contrib.auth import get_user_model

    from situok.exporters import AuditEventExporter

    class BoundedAuditEventExporter(AuditEventExporter):
        """The real exporter, its queryset limited to the benchmark's id range; counts the rows."""

        count = 0

        def queryset(self, form_data: dict[str, Any]):
            return super().queryset(form_data).filter(id__range=(lo, hi))

        def rows(self, form_data: dict[str, Any], *, user):
            for row in super().rows(form_data, user=user):
                self.count += 1
                yield row

    user = get_user_model().objects.get(username="admin")
    exporter = BoundedAuditEventExporter()
    result = exporter.render({}, user=user, fmt="xlsx")
    return exporter.count, _drain(result.file)


def _run_xlsxwriter(lo: int, hi: int) -> tuple[int, int]:
    import xlsxwriter
    from django.utils import timezone

    from situok.formats import WITA

    output = tempfile.TemporaryFile()  # noqa: SIM115 - drained and closed below
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet("Jejak Audit")
    bold = workbook.add_format({"bold": True})
    when = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for col, label in enumerate(HEADER):
        sheet.write_string(0, col, label, bold)
    row = 0
    for row, (created_at, actor, ip, action, target, changes) in enumerate(_values(lo, hi), start=1):
        sheet.write_datetime(row, 0, timezone.localtime(created_at, WITA).replace(tzinfo=None), when)
        sheet.write_string(row, 1, actor)
        if ip:
            sheet.write_string(row, 2, ip)
        sheet.write_string(row, 3, action)
        sheet.write_string(row, 4, target)
        if changes:
            sheet.write_string(row, 5, _changes_text(changes))
    workbook.close()
    return row, _drain(output)


def _run_openpyxl(lo: int, hi: int) -> tuple[int, int]:
    from django.utils import timezone
    from openpyxl import Workbook

    from situok.formats import WITA

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Jejak Audit")
    sheet.append(HEADER)
    rows = 0
    for created_at, actor, ip, action, target, changes in _values(lo, hi):
        local = timezone.localtime(created_at, WITA).replace(tzinfo=None)
        sheet.append([local, actor, ip or None, action, target, _changes_text(changes) or None])
        rows += 1
    output = tempfile.TemporaryFile()  # noqa: SIM115 - drained and closed below
    workbook.save(output)
    return rows, _drain(output)


RUNNERS = {"fetch": _run_fetch, "ours": _run_ours, "xlsxwriter": _run_xlsxwriter, "openpyxl": _run_openpyxl}


def worker_main(argv: list[str] | None = None) -> None:
    """Child process: set Django up, run one variant, print one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m bench.exportbench")
    parser.add_argument("variant", choices=VARIANTS)
    parser.add_argument("--lo", type=int, required=True)
    parser.add_argument("--hi", type=int, required=True)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "situok.settings")
    import django

    django.setup()
    # Import every writer up front, so all variants start from the same resident baseline and no import
    # is timed (ListExporter.render imports the CSV and PDF writers too; a server worker has them loaded
    # after its first export).
    import openpyxl  # noqa: F401
    import xlsxwriter  # noqa: F401

    import situok.exporters
    import situok.exports.csv
    import situok.exports.pdf
    import situok.exports.xlsx  # noqa: F401

    baseline_kib = _proc_status_kib("VmRSS")
    started, cpu_started = time.perf_counter(), time.process_time()
    rows, size = RUNNERS[args.variant](args.lo, args.hi)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    result = {
        "variant": args.variant,
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_s": round(rows / seconds, 1) if seconds else None,
        # CPU time of this process only (the database works in its own backend): steadier than wall time
        # when other processes compete for the cores.
        "cpu_seconds": round(cpu_seconds, 3),
        "rows_per_cpu_s": round(rows / cpu_seconds, 1) if cpu_seconds else None,
        "bytes": size,
        "baseline_rss_mb": round(baseline_kib / 1024, 1),
        "peak_rss_mb": round(_proc_status_kib("VmHWM") / 1024, 1),
    }
    print(json.dumps(result))


def run_module(
    module: str, args: list[str], env: Mapping[str, str], *, timeout: float = 600
) -> dict[str, Any]:
    """Parent side: ``python -m <module> <args>`` in a fresh interpreter (so its peak memory is its own);
    the JSON object on its last stdout line, or ``{"error": …}``."""
    proc = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=BASE_DIR,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        return {"error": (proc.stderr or proc.stdout)[-2000:]}
    return json.loads(lines[-1])


def run_variant(
    variant: str, lo: int, hi: int, env: Mapping[str, str], *, timeout: float = 600
) -> dict[str, Any]:
    """One export variant in a fresh interpreter; its JSON result (or an ``error``)."""
    result = run_module(
        "bench.exportbench", [variant, "--lo", str(lo), "--hi", str(hi)], env, timeout=timeout
    )
    return {"variant": variant, **result} if "error" in result else result


if __name__ == "__main__":
    worker_main()
