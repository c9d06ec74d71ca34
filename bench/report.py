"""Plain-text tables for the terminal; the JSON file holds everything else."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from .loadgen import ScenarioResult
from .scenarios import REFERENCE_BARE, REFERENCE_LIST

EXPORT_SPEED_GOAL = 0.8  # our rows/s ÷ raw xlsxwriter rows/s
EXPORT_PEAK_GOAL_MB = 150.0

# Staff records budgets (issue 3). Time budgets for the import and the export are stated for 5,000 and
# 50,000 rows and scale linearly when fewer rows are measured (--quick, --import-rows).
STAFF_P95_MS = 150.0  # server time, every staff list scenario
STAFF_THROUGHPUT = 0.5  # × ref.list, every staff list scenario
STAFF_PAGE_SCENARIOS = ("staff.list", "staff.list.100", "staff.list.page.deep")  # same filter, 25/100/deep
IMPORT_SECONDS, IMPORT_ROWS, IMPORT_PEAK_MB = 30.0, 5_000, 500.0
EXPORT_SECONDS, EXPORT_ROWS, EXPORT_FLAT_MB = 20.0, 50_000, 25.0


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
    "p50/p95 ms: latency at the client (4 clients, 2 workers: includes waiting for a free worker); srv p95: server"
    " time in the worker (request parsed → response sent);\nqueries: median X-Query-Count per request; errors:"
    " HTTP status outside 200–399, failed connections, or a signed-in page redirected to /masuk/;\nnoise %: CPU"
    " share of the machine used by other processes while measuring (high values make the numbers unreliable)."
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
                _num(r.server_ms(0.95)),
                _num(r.queries, 0) if r.queries is not None else "—",
                str(r.errors),
                str(r.requests),
                _num(r.rps / ref_list.rps, 2) if ref_list and ref_list.rps else "—",
                _num(r.rps / ref_bare.rps, 3) if ref_bare and ref_bare.rps else "—",
                f"{100 * r.noise:.0f}" if r.noise is not None else "—",
            ]
        )
    headers = ["scenario", "req/s", "p50 ms", "p95 ms", "srv p95", "queries", "errors", "requests"]
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


# --- Staff budgets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    item: str
    figure: str
    budget: str
    ok: bool | None  # None: for information, no budget

    @property
    def result(self) -> str:
        return "info" if self.ok is None else "ok" if self.ok else "over"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "result": self.result}


def _seconds_budget(limit: float, per_rows: int, rows: int) -> tuple[float, str]:
    if rows >= per_rows:
        return limit, f"≤ {limit:g} s"
    scaled = limit * rows / per_rows
    return scaled, f"≤ {scaled:.1f} s ({limit:g} s × {rows:,}/{per_rows:,})"


@dataclass(frozen=True)
class ListBudget:
    """The list-page budgets of an issue: p95 server time, constant queries per page, throughput."""

    prefix: str  # scenario names starting with it
    label: str
    pages: Mapping[str, str]  # scenario → label, compared for "queries per page constant"
    p95_ms: float = 150.0
    throughput: float = 0.5  # × ref.list


LIST_BUDGETS = (
    ListBudget(
        "staff.",
        "staff list",
        {"staff.list": "25 rows", "staff.list.100": "100 rows", "staff.list.page.deep": "deep page"},
        STAFF_P95_MS,
        STAFF_THROUGHPUT,
    ),
    ListBudget(
        "travel.register",
        "SPT register",
        {
            "travel.register": "25 rows",
            "travel.register.100": "100 rows",
            "travel.register.deep": "deep page",
        },
    ),
    ListBudget(
        "bookings.calendar",
        "booking calendar",
        {"bookings.calendar.month": "full room", "bookings.calendar.month.sparse": "quiet room"},
    ),
)


def _list_budgets(results: Sequence[ScenarioResult], spec: ListBudget) -> list[Budget]:
    by_name = {r.name: r for r in results}
    group = [r for r in results if r.name.startswith(spec.prefix)]
    ref_list = by_name.get(REFERENCE_LIST)
    if not group:
        return []
    budgets = []
    for r in group:
        p95 = r.server_ms(0.95)
        known = not math.isnan(p95)
        budgets.append(
            Budget(
                f"{r.name}: p95 server time",
                f"{p95:,.1f} ms" if known else "—",
                f"≤ {spec.p95_ms:g} ms",
                p95 <= spec.p95_ms if known else False,
            )
        )
    pages = [by_name[n] for n in spec.pages if n in by_name and by_name[n].queries is not None]
    if pages:
        counts = [p.queries for p in pages]
        figure = " / ".join(f"{c:g}" for c in counts) + f" ({' / '.join(spec.pages[p.name] for p in pages)})"
        others = sorted({r.queries for r in group if r.queries is not None and r not in pages})
        if others:
            span = f"{others[0]:g}" if len(others) == 1 else f"{others[0]:g}–{others[-1]:g}"
            figure += f"; filtered/htmx {span}"
        budgets.append(Budget(f"{spec.label}: queries per page", figure, "constant", len(set(counts)) == 1))
    for r in group:
        ratio = r.rps / ref_list.rps if ref_list and ref_list.rps else None
        budgets.append(
            Budget(
                f"{r.name}: throughput",
                f"{ratio:.2f}× ref.list ({r.rps:,.1f} req/s)" if ratio is not None else "—",
                f"≥ {spec.throughput:g}× ref.list",
                ratio is not None and ratio >= spec.throughput,
            )
        )
    return budgets


def _http_budgets(results: Sequence[ScenarioResult]) -> list[Budget]:
    return _list_budgets(results, LIST_BUDGETS[0])


def list_budgets(results: Sequence[ScenarioResult], prefix: str) -> list[Budget]:
    """The list-page budgets of the group whose scenario names start with ``prefix``."""
    return next((_list_budgets(results, spec) for spec in LIST_BUDGETS if spec.prefix == prefix), [])


def _file_budgets(files: Mapping[str, Mapping[str, Any]]) -> list[Budget]:
    budgets = []
    for step, label in (("dry-run", "import dry run"), ("commit", "import commit (rolled back)")):
        r = files.get(step)
        if not r:
            continue
        if "error" in r:
            budgets.append(Budget(f"{label}: failed", "see latest.json", "", False))
            continue
        rows = r["rows"]
        if step == "dry-run":
            limit, text = _seconds_budget(IMPORT_SECONDS, IMPORT_ROWS, rows)
            ok_time: bool | None = r["seconds"] <= limit
            ok_peak: bool | None = r["peak_rss_mb"] <= IMPORT_PEAK_MB
            peak_text = f"≤ {IMPORT_PEAK_MB:g} MB"
        else:
            text, ok_time, ok_peak, peak_text = "—", None, None, "—"
        budgets.append(Budget(f"{label}, {rows:,} rows: time", f"{r['seconds']:,.2f} s", text, ok_time))
        delta = r["peak_rss_mb"] - r["baseline_rss_mb"]
        budgets.append(
            Budget(
                f"{label}: peak memory", f"{r['peak_rss_mb']:,.1f} MB (Δ {delta:,.1f})", peak_text, ok_peak
            )
        )
    r = files.get("export")
    if r and "error" in r:
        budgets.append(Budget("export staff-list xlsx: failed", "see latest.json", "", False))
    elif r:
        limit, text = _seconds_budget(EXPORT_SECONDS, EXPORT_ROWS, r["rows"])
        budgets.append(
            Budget(
                f"export staff-list xlsx, {r['rows']:,} rows: time",
                f"{r['seconds']:,.2f} s ({r['rows_per_s']:,.0f} rows/s)",
                text,
                r["seconds"] <= limit,
            )
        )
        delta = r["peak_rss_mb"] - r["baseline_rss_mb"]
        budgets.append(
            Budget(
                "export staff-list xlsx: memory",
                f"peak {r['peak_rss_mb']:,.1f} MB, Δ {delta:,.1f} MB",
                f"flat: Δ ≤ {EXPORT_FLAT_MB:g} MB",
                delta <= EXPORT_FLAT_MB,
            )
        )
    return budgets


def staff_budgets(results: Sequence[ScenarioResult], files: Mapping[str, Mapping[str, Any]]) -> list[Budget]:
    """Every staff budget of issue 3 with its measured figure (empty when nothing staff-related ran)."""
    return _http_budgets(results) + _file_budgets(files)


SPPD_PDF_RATIO = 0.5  # × a raw reportlab document of the same page count
REGISTER_PDF_SECONDS = 20.0  # 500 SPTs
BOOKING_REQUESTS_PER_S = 100.0


def travel_budgets(results: Sequence[ScenarioResult], steps: Mapping[str, Mapping[str, Any]]) -> list[Budget]:
    """Issue 5: the register list budgets, the SPPD PDF rate and the 500-SPT register PDF."""
    budgets = list_budgets(results, "travel.register")
    r = steps.get("sppd")
    if r and "error" in r:
        budgets.append(Budget("SPPD PDF: failed", "see latest.json", "", False))
    elif r:
        rates = r["docs_per_s"]
        budgets.append(
            Budget(
                f"SPPD PDF ({r['pages']['ours']} pages) vs raw reportlab ({r['pages']['raw']} pages)",
                f"{r['ratio']:.2f}× ({rates['ours']:,.1f} vs {rates['raw']:,.1f} docs/s)",
                f"≥ {SPPD_PDF_RATIO:g}×",
                r["ratio"] >= SPPD_PDF_RATIO and r["pages"]["ours"] == r["pages"]["raw"],
            )
        )
    r = steps.get("register-pdf")
    if r and "error" in r:
        budgets.append(Budget("register PDF: failed", "see latest.json", "", False))
    elif r:
        budgets.append(
            Budget(
                f"register PDF, {r['rows']:,} SPTs ({r['pages']} pages)",
                f"{r['seconds']:,.2f} s",
                f"≤ {REGISTER_PDF_SECONDS:g} s",
                r["seconds"] <= REGISTER_PDF_SECONDS,
            )
        )
    return budgets


def booking_budgets(
    results: Sequence[ScenarioResult], steps: Mapping[str, Mapping[str, Any]]
) -> list[Budget]:
    """Issue 6: booking requests under load and the calendar list budgets."""
    budgets = []
    r = steps.get("booking-requests")
    if r and "error" in r:
        budgets.append(Budget("booking requests: failed", "see latest.json", "", False))
    elif r:
        budgets.append(
            Budget(
                f"booking requests ({r['procs']} processes × {r['threads']} threads)",
                f"{r['rps']:,.1f} req/s ({r['created']:,} created, {r['refused']:,} refused, {r['errors']} errors)",
                f"≥ {BOOKING_REQUESTS_PER_S:g} req/s, 0 errors",
                r["rps"] >= BOOKING_REQUESTS_PER_S and not r["errors"],
            )
        )
    return budgets + list_budgets(results, "bookings.calendar")


def budget_table(budgets: Sequence[Budget], title: str = "staff budgets") -> str:
    rows = [[b.item, b.figure, b.budget, b.result] for b in budgets]
    return table([title, "figure", "budget", "result"], rows, right=[False, True, False, False])


BUDGET_LEGEND = (
    "server time: in the gunicorn worker (see srv p95 above); throughput: req/s ÷ ref.list req/s in the same run;"
    " queries per page: median X-Query-Count at 25 rows,\n100 rows and a deep page of the same list; import and"
    " export: own process each, peak = VmHWM, Δ = above the resident size after Django start-up; over = budget"
    " missed."
)
