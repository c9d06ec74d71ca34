"""``python -m bench``: build the data, serve with gunicorn, run the scenarios, the export bench and the
staff import/export budgets, report.

Progress goes to stderr; the result tables go to stdout and, with every detail, to
``bench/results/latest.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import json
import os
import platform
import re
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from . import bookings_dataset, dataset, exportbench, report, staffbench, travel_dataset
from .client import Client
from .gunicorn_timing import read_timings
from .loadgen import ScenarioResult, run_scenario
from .machine import CpuMeter, load_average
from .scenarios import REFERENCE_BARE, REFERENCE_LIST, SCENARIOS, Scenario, cursor_range, path_context
from .server import Gunicorn

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "SituOK-Demo-2026!"  # staff.demo.DEMO_PASSWORD; the bench database holds demo data only


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Extra:
    """The travel and booking data (issues 5 and 6) next to the audit events and the employees."""

    travel: travel_dataset.TravelFacts
    bookings: bookings_dataset.BookingFacts

    def context(self) -> dict[str, str]:
        """Placeholders of the travel and booking scenarios (see ``bench.scenarios``)."""
        today = dt.date.today()
        return {
            "travel_unit": str(self.travel.unit_id),
            "travel_province": self.travel.province,
            "travel_budget_line": str(self.travel.budget_line_id),
            "travel_year": str(self.travel.year),
            # keyset cursor "<departure>_<id>": the page that starts a year back from today
            "travel_deep_cursor": f"{today.replace(year=today.year - 1).isoformat()}_{self.travel.last_id + 1}",
            "booking_room": str(self.bookings.room_id),
            "booking_sparse_room": str(self.bookings.sparse_room_id),
            "booking_day": today.isoformat(),
        }

    def as_dict(self) -> dict[str, Any]:
        return {"travel": self.travel.as_dict(), "bookings": self.bookings.as_dict()}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke test: 2 s per scenario, 20k export rows")
    parser.add_argument("--seconds", type=float, help="measured seconds per scenario (default 8, quick 2)")
    parser.add_argument("--warmup", type=float, help="unrecorded seconds before each scenario (default 1)")
    parser.add_argument("--rounds", type=int, help="split each scenario's time over N round-robin passes (2)")
    parser.add_argument("--threads", type=int, default=4, help="concurrent client threads (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--worker-threads", type=int, default=1, help=">1 uses gunicorn's gthread workers")
    parser.add_argument(
        "--max-requests", type=int, default=50_000, help="cap of recorded requests per scenario"
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="audit events in the database")
    parser.add_argument(
        "--staff-rows", type=int, default=50_000, help="generated employees in the database (default 50000)"
    )
    parser.add_argument("--travel-rows", type=int, default=200_000, help="generated SPTs (default 200000)")
    parser.add_argument(
        "--booking-rows", type=int, default=200_000, help="generated bookings (default 200000)"
    )
    parser.add_argument(
        "--import-rows", type=int, help="rows of the staff import file (default 5000, quick 1000)"
    )
    parser.add_argument(
        "--export-rows", type=int, help="rows per export variant (default 100000, quick 20000)"
    )
    parser.add_argument(
        "--export-repeat", type=int, help="runs of ours and xlsxwriter, best kept (default 2, quick 1)"
    )
    parser.add_argument(
        "--only", action="append", default=[], metavar="GLOB", help="scenarios to run (repeatable)"
    )
    parser.add_argument("--skip-http", action="store_true", help="no gunicorn / HTTP scenarios")
    parser.add_argument("--skip-export", action="store_true", help="no export bench, no staff import/export")
    parser.add_argument(
        "--explain", action="store_true", help="also EXPLAIN ANALYZE the audit and staff list queries"
    )
    parser.add_argument(
        "--reload", action="store_true", help="regenerate the audit events and employees even if present"
    )
    parser.add_argument(
        "--keep-db",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="keep the bench database for the next run (default); --no-keep-db drops it at the end",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", dataset.DEFAULT_DATABASE_URL),
        help="local PostgreSQL database whose name contains 'bench' (env BENCH_DATABASE_URL)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "latest.json")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = parser.parse_args(argv)
    args.seconds = args.seconds or (2.0 if args.quick else 8.0)
    args.warmup = args.warmup if args.warmup is not None else (0.5 if args.quick else 1.0)
    args.export_rows = args.export_rows or (20_000 if args.quick else 100_000)
    args.import_rows = args.import_rows or (1_000 if args.quick else 5_000)
    args.rounds = args.rounds or (1 if args.quick else 2)
    args.export_repeat = args.export_repeat or (1 if args.quick else 2)
    if min(args.threads, args.workers, args.rounds, args.export_repeat) < 1 or args.seconds <= 0:
        parser.error("threads, workers, rounds and export repeats must be >= 1, seconds > 0")
    if args.rows < args.export_rows:
        parser.error("--rows must be at least --export-rows")
    if args.staff_rows < 1 or not 1 <= args.import_rows <= 10_000:
        parser.error("--staff-rows must be >= 1 and --import-rows 1..10000 (the importer's limit)")
    if args.threads > 32 or args.seconds > 300:
        parser.error("the load is bounded: at most 32 threads and 300 s per scenario")
    return args


def selected(only: list[str]) -> list[Scenario]:
    """The scenarios matching ``--only`` globs; the two references always run (the ratios need them)."""
    if not only:
        return list(SCENARIOS)
    keep = {REFERENCE_BARE, REFERENCE_LIST}
    return [s for s in SCENARIOS if s.name in keep or any(fnmatch.fnmatch(s.name, g) for g in only)]


def prepare(
    args: argparse.Namespace, env: dict[str, str]
) -> tuple[dataset.DatasetFacts, dataset.StaffFacts, Extra]:
    url = args.database_url
    if dataset.ensure_database(url):
        say(f"created database {dataset.database_name(url)}")
    for command in (["migrate", "--noinput"], ["sync_roles"], ["load_regions"], ["seed_demo", "--force"]):
        say(f"manage.py {' '.join(command)}")
        dataset.manage(command, env)
    say("manage.py collectstatic (manifest storage needs it with DEBUG=0)")
    # bench.static_settings adds the source maps the vendored Bootstrap refers to (see its docstring).
    dataset.manage(
        ["collectstatic", "--noinput", "--verbosity", "0", "--settings", "bench.static_settings"], env
    )
    facts = dataset.ensure_audit_rows(url, args.rows, reload=args.reload, progress=say)
    staff = dataset.ensure_staff_rows(url, args.staff_rows, reload=args.reload, progress=say)
    common = {
        "staff_first_id": staff.first_id,
        "staff_rows": staff.rows,
        "reload": args.reload,
        "progress": say,
    }
    travel = travel_dataset.ensure_travel_rows(url, args.travel_rows, **common)
    bookings = bookings_dataset.ensure_booking_rows(url, args.booking_rows, **common)
    return facts, staff, Extra(travel, bookings)


def run_http(
    args: argparse.Namespace,
    env: dict[str, str],
    facts: dataset.DatasetFacts,
    staff: dataset.StaffFacts,
    extra: Extra,
) -> tuple[list[ScenarioResult], dict[str, Any]]:
    """Serve with gunicorn, sign the client threads in, and run the scenarios round-robin ``--rounds``
    times (so a burst of foreign load spreads over all scenarios instead of skewing one). The workers log
    the server time of every recorded request; it is attached to the results after gunicorn stopped."""
    scenarios = selected(args.only)
    context = path_context(facts, staff, extra.context())
    cursors = cursor_range(facts)
    meter = CpuMeter(dataset.database_name(args.database_url))
    timing_log = RESULTS_DIR / "server-timing.tsv"
    server = Gunicorn(
        env,
        RESULTS_DIR / "gunicorn.log",
        workers=args.workers,
        threads=args.worker_threads,
        timing_log=timing_log,
    )
    say(f"gunicorn on 127.0.0.1:{server.port} ({args.workers} workers × {args.worker_threads} threads)")
    results: dict[str, ScenarioResult] = {}
    with server:
        meter.watch_process_group(server.process.pid)
        anonymous = [Client(server.port) for _ in range(args.threads)]
        signed_in = [Client(server.port) for _ in range(args.threads)]
        try:
            for client in signed_in:
                client.login(ADMIN_USERNAME, ADMIN_PASSWORD)
            for round_index in range(args.rounds):
                say(f"round {round_index + 1}/{args.rounds}")
                for scenario in scenarios:
                    result = run_scenario(
                        scenario,
                        signed_in if scenario.needs_login else anonymous,
                        seconds=args.seconds / args.rounds,
                        warmup=args.warmup if round_index == 0 else min(args.warmup, 0.5),
                        max_requests=args.max_requests // args.rounds,
                        context=context,
                        cursor_range=cursors,
                        meter=meter,
                        seed=20261122 + 1000 * round_index,
                    )
                    say(
                        f"  {result.name:<24} {result.rps:8.1f} req/s  p95 {result.latency_ms(0.95):7.1f} ms"
                        f"  errors {result.errors}  foreign CPU {100 * (result.noise or 0):.0f} %"
                    )
                    earlier = results.get(scenario.name)
                    results[scenario.name] = earlier.merged(result) if earlier else result
            download = http_download(args, signed_in[0], facts) if not args.skip_export else {}
        finally:
            for client in anonymous + signed_in:
                client.close()
    timings = read_timings(timing_log)
    for name, result in results.items():
        result.server_seconds = timings.get(name, [])
    return list(results.values()), download


def explain_targets(
    scenarios: list[Scenario], facts: dataset.DatasetFacts, staff: dataset.StaffFacts
) -> list[str]:
    """``name=path`` for each audit list scenario, filtered ones also with a cursor half-way down; and for
    each staff list scenario (its COUNT and its page query)."""
    context = path_context(facts, staff)
    low, high = cursor_range(facts)
    middle = urlencode({"cursor": (low + high) // 2})
    targets = []
    seen_staff: set[str] = set()
    for s in scenarios:
        if s.path.startswith("/pegawai/"):
            path = s.path.format(**context)
            if path not in seen_staff:  # the htmx variant runs the same queries as the search
                seen_staff.add(path)
                targets.append(f"{s.name}={path}")
            continue
        if not s.path.startswith("/audit/"):
            continue
        path = s.path.format(**context)
        if s.deep_cursor:
            targets.append(f"{s.name}={path}{'&' if '?' in path else '?'}{middle}")
            continue
        targets.append(f"{s.name}={path}")
        if "?" in path:
            targets.append(f"{s.name}+deep={path}&{middle}")
    return targets


JOB_PAGE = re.compile(r"^(?:https?://[^/]+)?/tugas/(\d+)/$")
JOB_WAIT_SECONDS = 300.0


def http_download(args: argparse.Namespace, client: Client, facts: dataset.DatasetFacts) -> dict[str, Any]:
    """One real download of the audit export filtered to about ``export_rows`` events by date.

    Exports estimated above ``EXPORT_BACKGROUND_ROWS`` (default 20,000) answer with a redirect to a
    background job (``/tugas/<id>/``; without a Celery broker the job has already run in the request). The
    download then follows the job like the browser's progress page: ``/tugas/<id>/unduh/`` until it serves
    the file; the time covers the whole way."""
    first_day, last_day, rows = dataset.days_covering(args.database_url, facts.first_id, args.export_rows)
    path = "/ekspor/audit/xlsx/?" + urlencode({"date_from": first_day, "date_to": last_day})
    say(f"download {path} ({rows:,} rows)")
    started = time.perf_counter()
    response = client.get(path)
    via = "direct"
    job = JOB_PAGE.match(response.headers.get("location", "")) if 300 <= response.status < 400 else None
    if job:
        via = f"background job {job.group(1)}"
        deadline = time.monotonic() + JOB_WAIT_SECONDS
        while True:
            response = client.get(f"/tugas/{job.group(1)}/unduh/")
            if response.status != 404 or time.monotonic() > deadline:
                break
            time.sleep(0.25)  # not finished yet (a worker runs it)
    seconds = time.perf_counter() - started
    return {
        "path": path,
        "via": via,
        "status": response.status,
        "rows": rows,
        "bytes": len(response.body),
        "seconds": round(seconds, 3),
        "rows_per_s": round(rows / seconds, 1) if seconds else None,
    }


def run_exports(
    args: argparse.Namespace, env: dict[str, str], facts: dataset.DatasetFacts
) -> list[dict[str, Any]]:
    """Our exporter and raw xlsxwriter ``--export-repeat`` times, interleaved, the other variants once; per
    variant the fastest run is reported (with the best CPU rate and the highest peak memory of its runs);
    every run is kept under ``runs``."""
    hi = dataset.nth_id(args.database_url, facts.first_id, args.export_rows)
    runs: dict[str, list[dict[str, Any]]] = {v: [] for v in exportbench.VARIANTS}
    for repeat in range(args.export_repeat):
        # Only the compared pair is repeated; the floor (fetch) and openpyxl are orientation.
        variants = exportbench.VARIANTS if repeat == 0 else exportbench.COMPARED
        for variant in variants:
            say(f"export {variant} (run {repeat + 1}): ids {facts.first_id}..{hi}")
            result = exportbench.run_variant(variant, facts.first_id, hi, env)
            if "error" in result:
                say(f"  failed:\n{result['error']}")
            else:
                say(f"  {result['rows_per_s']:,.0f} rows/s, peak {result['peak_rss_mb']} MB")
            runs[variant].append(result)
    summary = []
    for variant, attempts in runs.items():
        good = [r for r in attempts if "error" not in r]
        if not good:
            summary.append({"variant": variant, "error": attempts[-1]["error"], "runs": attempts})
            continue
        best = max(good, key=lambda r: r["rows_per_s"] or 0)
        summary.append(
            {
                **best,
                "rows_per_cpu_s": max(r["rows_per_cpu_s"] or 0 for r in good),
                "peak_rss_mb": max(r["peak_rss_mb"] for r in good),
                "runs": attempts,
            }
        )
    return summary


def run_staff_files(
    args: argparse.Namespace, env: dict[str, str], staff: dataset.StaffFacts
) -> dict[str, dict[str, Any]]:
    """The import of ``--import-rows`` new employees (dry run; commit rolled back) and the XLSX export of
    the staff list (every employee; with ``--quick`` only the largest Bagian), each in its own process."""
    results: dict[str, dict[str, Any]] = {}
    file = RESULTS_DIR / f"import-{args.import_rows}.xlsx"
    say(f"staff import: building {file.name} from the import template ({args.import_rows:,} new employees)")
    results["build"] = staffbench.run_step("build", env, "--rows", str(args.import_rows), "--file", str(file))
    if "error" in results["build"]:
        say(f"  failed:\n{results['build']['error']}")
        return results
    for step in ("dry-run", "commit"):
        say(f"staff import: {step}{' (rolled back)' if step == 'commit' else ''}")
        result = staffbench.run_step(step, env, "--file", str(file))
        if "error" not in result and (result["errors"] or result["created"] != args.import_rows):
            result["error"] = f"the import file was not accepted as {args.import_rows:,} new rows: {result}"
        if "error" in result:
            say(f"  failed:\n{result['error']}")
        else:
            say(
                f"  {result['seconds']:.2f} s, peak {result['peak_rss_mb']} MB, {result['warnings']} warnings"
            )
        results[step] = result
    extra = ["--unit", str(staff.unit_id)] if args.quick else []
    say(f"staff export: staff-list xlsx{f' (unit {staff.unit_code})' if args.quick else ''}")
    result = staffbench.run_step("export", env, *extra)
    if "error" in result:
        say(f"  failed:\n{result['error']}")
    else:
        say(f"  {result['rows']:,} rows in {result['seconds']:.2f} s, peak {result['peak_rss_mb']} MB")
    results["export"] = result
    return results


def run_module_steps(
    args: argparse.Namespace, env: dict[str, str], extra: Extra
) -> dict[str, dict[str, Any]]:
    """Travel PDFs (SPPD vs raw reportlab, a 500-SPT register PDF) and booking requests under load, each in a
    fresh interpreter (``bench.travelbench``, ``bench.bookingsbench``)."""
    seconds = str(max(args.seconds, 2.0))
    steps = {
        "sppd": ("bench.travelbench", ["sppd", "--seconds", seconds]),
        "register-pdf": ("bench.travelbench", ["register-pdf", "--rows", "500"]),
        "booking-requests": (
            "bench.bookingsbench",
            ["--seconds", seconds, "--procs", str(args.workers), "--threads", str(args.threads),
             "--resources", ",".join(map(str, extra.bookings.resources))],
        ),
    }  # fmt: skip
    results: dict[str, dict[str, Any]] = {}
    for name, (module, module_args) in steps.items():
        say(f"{name}: python -m {module} {' '.join(module_args[:3])} …")
        result = exportbench.run_module(module, module_args, env)
        say(f"  {result if 'error' in result else {k: v for k, v in result.items() if k != 'error_samples'}}")
        results[name] = result
    return results


def run_explain(env: dict[str, str], targets: list[str]) -> Path | None:
    if not targets:
        return None
    proc = subprocess.run(
        [sys.executable, "-m", "bench.explain", *targets],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    target = RESULTS_DIR / "explain.txt"
    target.write_text(proc.stdout + proc.stderr, encoding="utf-8")
    return target


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in ("django", "gunicorn", "psycopg", "xlsxwriter", "openpyxl"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "—"
    return found


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.list:
        for s in SCENARIOS:
            print(f"{s.name:<24} {'login ' if s.needs_login else 'anon  '} {s.path:<48} {s.description}")
        return 0
    dataset.check_bench_url(args.database_url)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    load_at_start = load_average()
    # A fresh key per run: sessions of earlier runs are worthless, nothing secret outlives the run.
    env = dataset.bench_environment(args.database_url, secrets.token_hex(32), RESULTS_DIR / "staticfiles")

    facts, staff, extra = prepare(args, env)
    say(f"dataset: {facts.rows:,} events {facts.first_day}..{facts.last_day}, max id {facts.max_id}")
    say(
        f"dataset: {staff.total:,} employees ({staff.rows:,} generated); {staff.unit_code}: {staff.unit_rows:,},"
        f" q={staff.name_part}: {staff.name_rows:,}, q={staff.nip_prefix}: {staff.nip_rows}"
    )
    http_results: list[ScenarioResult] = []
    download: dict[str, Any] = {}
    if not args.skip_http:
        http_results, download = run_http(args, env, facts, staff, extra)
    export_results = [] if args.skip_export else run_exports(args, env, facts)
    staff_files = {} if args.skip_export else run_staff_files(args, env, staff)
    module_steps = {} if args.skip_export else run_module_steps(args, env, extra)
    explain_file = (
        run_explain(env, explain_targets(selected(args.only), facts, staff)) if args.explain else None
    )

    duration = time.perf_counter() - started
    pg_version = dataset.postgres_info(args.database_url)["server_version"].split()[0]
    load = f"load average at start {load_at_start[0]:.2f}" if load_at_start else "load average unknown"
    lines = [
        f"SITU OK bench — {os.cpu_count()} CPUs ({load}), PostgreSQL {pg_version}, {facts.rows:,} audit events,"
        f" {staff.total:,} employees, gunicorn {args.workers}×{args.worker_threads}, {args.threads} client threads,"
        f" {args.seconds:g} s per scenario in {args.rounds} round(s)",
    ]
    if http_results:
        lines += ["", report.http_table(http_results), report.HTTP_LEGEND]
    if download:
        lines += [
            "",
            f"HTTP download {download['path']} ({download['via']}): HTTP {download['status']}, {download['rows']:,} rows,"
            f" {download['bytes'] / 1e6:.1f} MB in {download['seconds']:.2f} s ({download['rows_per_s']:,.0f} rows/s)",
        ]
    if export_results:
        lines += ["", report.export_table(export_results), report.EXPORT_LEGEND]
    budgets = report.staff_budgets(http_results, staff_files)
    if budgets:
        lines += ["", report.budget_table(budgets), report.BUDGET_LEGEND]
    travel_budgets = report.travel_budgets(http_results, module_steps)
    if travel_budgets:
        lines += ["", report.budget_table(travel_budgets, "travel budgets")]
    booking_budgets = report.booking_budgets(http_results, module_steps)
    if booking_budgets:
        lines += ["", report.budget_table(booking_budgets, "booking budgets")]
    if explain_file:
        lines += ["", f"EXPLAIN ANALYZE of the audit and staff list queries: {explain_file}"]
    lines += ["", f"total {duration:.0f} s; details in {args.output}"]
    print("\n".join(lines))

    payload = {
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "duration_s": round(duration, 1),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "load_at_start": load_at_start},
        "versions": versions(),
        "postgres": dataset.postgres_info(args.database_url),
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "dataset": facts.as_dict(),
        "staff_dataset": staff.as_dict(),
        "http": [r.as_dict() for r in http_results],
        "download": download,
        "export": export_results,
        "staff_files": staff_files,
        "staff_budgets": [b.as_dict() for b in budgets],
        "travel_booking_dataset": extra.as_dict(),
        "module_steps": module_steps,
        "travel_budgets": [b.as_dict() for b in travel_budgets],
        "booking_budgets": [b.as_dict() for b in booking_budgets],
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if not args.keep_db:
        say(f"dropping database {dataset.database_name(args.database_url)}")
        dataset.drop_database(args.database_url)
    failed = (
        any(r.errors for r in http_results)
        or (download and download["status"] != 200)
        or any("error" in r for r in export_results)
        or any("error" in r for r in staff_files.values())
        or any("error" in r or r.get("errors") for r in module_steps.values())
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
