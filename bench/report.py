"""Plain-text tables for the terminal; the JSON file holds everything else."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .loadgen import ScenarioResult
from .scenarios import REFERENCE_BARE, REFERENCE_LIST

EXPORT_SPEED_GOAL = 0.8  # our rows/s ÷ raw xlsxwriter rows/s
EXPORT_PEAK_GOAL_MB = 150.0


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[bool]) -> str:
    """Align columns: text left, numbers right."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)
        )

    rule = "  ".join("-" * w for w in widths)
    return "\n".join(text.rstrip() for text in [line(headers), rule, *(line(r) for r in rows)])


def _num(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{digits}f}"


HTTP_LEGEND = (
    "queries: median X-Query-Count per request; errors: HTTP status outside 200–399, failed connections, or a"
    " signed-in page redirected to /masuk/;\nnoise %: CPU share of the machine used by other processes while"
    " measuring (high values make the numbers unreliable)."
)


def http_table(results: Sequence[ScenarioResult]) -> str:
    by_name = {r.name: r for r in results}
    ref_list = by_name.get(REFERENCE_LIST)
    ref_bare = by_name.get(REFERENCE_BARE)
    rows = []
    for r in results:
        rows.append(
            [
                r.name,
                _num(r.rps),
                _num(r.latency_ms(0.50)),
                _num(r.latency_ms(0.95)),
                _num(r.queries, 0) if r.queries is not None else "—",
                str(r.errors),
                str(r.requests),
                _num(r.rps / ref_list.rps, 2) if ref_list and ref_list.rps else "—",
                _num(r.rps / ref_bare.rps, 3) if ref_bare and ref_bare.rps else "—",
                f"{100 * r.noise:.0f}" if r.noise is not None else "—",
            ]
        )
    headers = ["scenario", "req/s", "p50 ms", "p95 ms", "queries", "errors", "requests"]
    headers += ["÷ref.list", "÷ref.bare", "noise %"]
    return table(headers, rows, right=[False] + [True] * (len(headers) - 1))


def export_table(results: Sequence[dict[str, Any]]) -> str:
    """Wall-clock rates (the goal) and CPU rates (this process's CPU time, steadier on a busy machine)."""
    base = next((r for r in results if r.get("variant") == "xlsxwriter" and "error" not in r), None)
    rows = []
    for r in results:
        if "error" in r:
            rows.append([r["variant"], "failed"] + [""] * 9)
            continue
        ratio = r["rows_per_s"] / base["rows_per_s"] if base and r.get("rows_per_s") else None
        cpu_ratio = r["rows_per_cpu_s"] / base["rows_per_cpu_s"] if base and r.get("rows_per_cpu_s") else None
        goal = ""
        if r["variant"] == "ours":
            speed_ok = ratio is not None and ratio >= EXPORT_SPEED_GOAL
            peak_ok = r["peak_rss_mb"] <= EXPORT_PEAK_GOAL_MB
            goal = f"speed {'ok' if speed_ok else 'MISSED'}, memory {'ok' if peak_ok else 'MISSED'}"
        rows.append(
            [
                r["variant"],
                f"{r['rows']:,}",
                _num(r["seconds"], 2),
                _num(r["rows_per_s"], 0),
                _num(ratio, 2),
                _num(r["rows_per_cpu_s"], 0),
                _num(cpu_ratio, 2),
                _num(r["peak_rss_mb"]),
                _num(r["peak_rss_mb"] - r["baseline_rss_mb"]),
                goal,
            ]
        )
    headers = ["export (xlsx)", "rows", "seconds", "rows/s", "÷xlsxwriter", "rows/cpu-s", "÷xlsxwriter"]
    headers += ["peak MB", "Δ MB", f"goal (≥{EXPORT_SPEED_GOAL}×, ≤{EXPORT_PEAK_GOAL_MB:.0f} MB)"]
    return table(headers, rows, right=[False] + [True] * 8 + [False])


EXPORT_LEGEND = (
    "rows/s: wall clock, best of the runs; rows/cpu-s: rows per CPU second of the exporting process (the"
    " database's own work excluded);\npeak MB: VmHWM of the process (Δ: above its resident size after Django"
    " start-up)."
)
