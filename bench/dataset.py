"""The benchmark database: created once, migrated and seeded every run, a million audit events loaded once.

The audit events are generated inside PostgreSQL (``INSERT … SELECT … generate_series``), so loading a
million rows takes seconds, not minutes of ORM round trips. A marker row in ``bench_dataset`` records
what was loaded; the next run reuses the rows when the marker and a count agree, and reloads otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/situok_bench"
# Bump when the generator below changes: the next run then reloads instead of reusing old rows.
DATASET_VERSION = 1
MARKER = "audit"
CHUNK = 250_000
OFFICE_START_WITA = dt.timedelta(hours=7, minutes=30)
OFFICE_HOURS = 9

# action, relative weight, target label format (%1$s = object number, %2$s = actor), changes (JSON),
# target content type as (app_label, model) if that model exists yet.
ACTIONS: list[tuple[str, int, str, str, tuple[str, str] | None]] = [
    ("auth.login", 22, "%2$s", "{}", ("auth", "user")),
    ("auth.logout", 8, "%2$s", "{}", ("auth", "user")),
    ("auth.login_failed", 2, "", "{}", None),
    ("travel.trip.created", 6, "SPT 800.1.11.1/%1$s/BUP", "{}", ("travel", "trip")),
    (
        "travel.trip.submitted",
        5,
        "SPT 800.1.11.1/%1$s/BUP",
        '{"status": ["draf", "diajukan"]}',
        ("travel", "trip"),
    ),
    (
        "travel.trip.approved",
        4,
        "SPT 800.1.11.1/%1$s/BUP",
        '{"status": ["diajukan", "disetujui"]}',
        ("travel", "trip"),
    ),
    (
        "travel.trip.rejected",
        1,
        "SPT 800.1.11.1/%1$s/BUP",
        '{"status": ["diajukan", "ditolak"]}',
        ("travel", "trip"),
    ),
    ("travel.expense.created", 4, "Kuitansi SPJ %1$s", "{}", ("travel", "expense")),
    ("travel.report.submitted", 3, "Laporan perjalanan %1$s", "{}", ("travel", "tripreport")),
    (
        "assets.asset.updated",
        4,
        "BMD 1.3.2.05.%1$s",
        '{"kondisi": ["Baik", "Rusak Ringan"]}',
        ("assets", "asset"),
    ),
    ("assets.asset.assigned", 3, "BMD 1.3.2.05.%1$s", '{"pemegang": ["", "%2$s"]}', ("assets", "asset")),
    ("assets.movement.created", 2, "Mutasi barang %1$s", "{}", ("assets", "movement")),
    ("bookings.room.requested", 6, "Ruang Rapat Wiswa Sabha — %1$s", "{}", ("bookings", "booking")),
    (
        "bookings.room.approved",
        4,
        "Ruang Rapat Wiswa Sabha — %1$s",
        '{"status": ["diajukan", "disetujui"]}',
        ("bookings", "booking"),
    ),
    ("bookings.vehicle.requested", 5, "DK %1$s AB", "{}", ("bookings", "booking")),
    (
        "bookings.vehicle.approved",
        3,
        "DK %1$s AB",
        '{"status": ["diajukan", "disetujui"]}',
        ("bookings", "booking"),
    ),
    ("attendance.checkin", 9, "Presensi %2$s", "{}", ("attendance", "checkin")),
    ("attendance.leave.requested", 2, "Cuti %1$s", "{}", ("attendance", "leave")),
    (
        "attendance.leave.approved",
        2,
        "Cuti %1$s",
        '{"status": ["diajukan", "disetujui"]}',
        ("attendance", "leave"),
    ),
    (
        "staff.employee.updated",
        3,
        "Pegawai %1$s",
        '{"jabatan": ["Pengadministrasi Umum", "Penata Layanan Operasional"]}',
        ("staff", "employee"),
    ),
    ("export.audit", 1, "Jejak audit", "{}", None),
    ("export.trips", 1, "Daftar perjalanan dinas", "{}", None),
]

# The 13 demo logins (real accounts in the bench database) and 27 further colleagues. The latter get ids
# from 900001 on: the audit trail outlives accounts (``db_constraint=False``), so ids without a user row
# are realistic.
DEMO_USERNAMES = [
    "admin", "pimpinan", "atasan", "kepegawaian", "perjalanan", "bendahara", "ppk", "pengurus",
    "peminjaman", "humas", "pegawai", "honorer", "luar",
]  # fmt: skip
OTHER_USERNAMES = [
    "wayan.suardana", "made.mahendra", "nyoman.sudiarta", "ketut.astawa", "putu.suputra", "kadek.arsana",
    "komang.parwata", "gede.sutrisna", "ayu.artini", "luh.suarni", "putu.widiastuti", "made.purnamasari",
    "kadek.yuliantari", "agus.kusuma", "budi.pratama", "rizki.santoso", "dewi.lestari", "rina.saraswati",
    "andi.darmawan", "gusti.wibawa", "siti.suryani", "bagus.adnyana", "ngurah.budiarta", "istri.dewi",
    "desak.ratna", "dewa.gede", "komang.adi",
]  # fmt: skip
# Relative activity: operators and the administrator act far more often than the rest (default 2 for the
# other demo logins, 1 for the further colleagues).
USER_WEIGHTS = {
    "admin": 6, "perjalanan": 6, "kepegawaian": 5, "peminjaman": 5, "pengurus": 4, "bendahara": 4, "luar": 1,
}  # fmt: skip
RARE_ACTOR = "luar"  # a login with few events: the worst case for the "user" filter
POPULAR_ACTOR = "perjalanan"


@dataclass(frozen=True)
class DatasetFacts:
    """What the scenarios and the export bench need to know about the loaded rows."""

    rows: int
    first_id: int
    last_id: int
    max_id: int
    first_day: str  # WITA dates, ISO
    last_day: str
    loaded_at: str
    load_seconds: float
    reused: bool

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def check_bench_url(url: str) -> None:
    """The harness truncates tables: refuse any database that is not a local benchmark database."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(f"bench: PostgreSQL only, got {parts.scheme!r}")
    if parts.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit(f"bench: the database must be on this machine, got {parts.hostname!r}")
    if "bench" not in database_name(url):
        raise SystemExit(f"bench: refusing database {database_name(url)!r} (its name must contain 'bench')")


def ensure_database(url: str) -> bool:
    """Create the benchmark database if missing; True if it was created."""
    name = database_name(url)
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def drop_database(url: str) -> None:
    name = database_name(url)
    admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def manage(args: list[str], env: Mapping[str, str], *, timeout: float = 600) -> str:
    """Run ``manage.py <args>`` with ``env``; raise with the output's tail if it fails."""
    proc = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr)[-3000:]
        raise RuntimeError(f"manage.py {' '.join(args)} failed ({proc.returncode}):\n{tail}")
    return proc.stdout.strip()


def _weighted(items: list[tuple[object, int]]) -> list[object]:
    return [item for item, weight in items for _ in range(weight)]


def _content_types(conn: psycopg.Connection) -> dict[tuple[str, str], int]:
    rows = conn.execute("SELECT app_label, model, id FROM django_content_type").fetchall()
    return {(app, model): pk for app, model, pk in rows}


def _user_ids(conn: psycopg.Connection) -> dict[str, int]:
    rows = conn.execute("SELECT username, id FROM auth_user WHERE username = ANY(%s)", (DEMO_USERNAMES,))
    return dict(rows.fetchall())


def _read_marker(conn: psycopg.Connection) -> dict | None:
    conn.execute("CREATE TABLE IF NOT EXISTS bench_dataset (name text PRIMARY KEY, info jsonb NOT NULL)")
    row = conn.execute("SELECT info FROM bench_dataset WHERE name = %s", (MARKER,)).fetchone()
    conn.commit()
    return row[0] if row else None


def _marker_valid(conn: psycopg.Connection, info: dict | None, rows: int) -> bool:
    if not info or info.get("version") != DATASET_VERSION or info.get("rows") != rows:
        return False
    (count,) = conn.execute(
        "SELECT count(*) FROM situok_auditevent WHERE id BETWEEN %s AND %s",
        (info["first_id"], info["last_id"]),
    ).fetchone()
    return count == rows


INSERT_SQL = """
INSERT INTO situok_auditevent
    (created_at, actor_id, actor_label, ip, action, target_type_id, target_id, target_label, changes, data)
SELECT
    ((%(monday)s::date + ((s.w / 5) * 7 + s.w %% 5) * interval '1 day' + %(start)s::interval
      + s.f * %(span)s::interval) AT TIME ZONE 'Asia/Makassar'),
    CASE WHEN s.anon THEN NULL ELSE (%(actor_ids)s::bigint[])[s.ui] END,
    CASE WHEN s.anon THEN '' ELSE (%(actor_labels)s::text[])[s.ui] END,
    CASE WHEN s.r < 0.97 THEN (%(actor_ips)s::text[])[s.ui]::inet END,
    (%(actions)s::text[])[s.ai],
    (%(ct_ids)s::int[])[s.ai],
    CASE WHEN (%(ct_ids)s::int[])[s.ai] IS NULL THEN '' ELSE s.tid::text END,
    format((%(labels)s::text[])[s.ai], lpad(s.tid::text, 4, '0'), (%(actor_labels)s::text[])[s.ui]),
    format((%(changes)s::text[])[s.ai], s.tid, (%(actor_labels)s::text[])[s.ui])::jsonb,
    CASE WHEN s.anon THEN jsonb_build_object('username', (%(actor_labels)s::text[])[s.ui]) ELSE '{}' END
FROM (
    SELECT t.*, (%(actions)s::text[])[t.ai] = 'auth.login_failed' AS anon
    FROM (
        SELECT
            g,
            ((g - 1) * %(weekdays)s / %(total)s)::int AS w,
            (((g - 1) * %(weekdays)s) %% %(total)s)::float8 / %(total)s AS f,
            1 + floor(random() * %(n_actions)s)::int AS ai,
            1 + floor(random() * %(n_actors)s)::int AS ui,
            1 + floor(random() * 4999)::int AS tid,
            random() AS r
        FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS g
    ) AS t
) AS s
"""


def _load(conn: psycopg.Connection, rows: int, progress: Callable[[str], None]) -> dict:
    """Replace the audit table's content with ``rows`` generated events spread over the last 52 weeks."""
    cts = _content_types(conn)
    users = _user_ids(conn)
    actions = _weighted([(a, w) for a, w, *_ in ACTIONS])
    by_action = {a[0]: a for a in ACTIONS}
    actors = _weighted(
        [(u, USER_WEIGHTS.get(u, 2)) for u in DEMO_USERNAMES] + [(u, 1) for u in OTHER_USERNAMES]
    )
    other_ids = {u: 900_001 + i for i, u in enumerate(OTHER_USERNAMES)}
    all_names = DEMO_USERNAMES + OTHER_USERNAMES
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=52)
    weekdays = 52 * 5
    params = {
        "monday": monday,
        "start": OFFICE_START_WITA,
        "span": dt.timedelta(hours=OFFICE_HOURS),
        "weekdays": weekdays,
        "total": rows,
        "actions": actions,
        "n_actions": len(actions),
        "ct_ids": [cts.get(by_action[a][4]) if by_action[a][4] else None for a in actions],
        "labels": [by_action[a][2] for a in actions],
        "changes": [by_action[a][3] for a in actions],
        "actor_labels": actors,
        "actor_ids": [users.get(u) or other_ids.get(u) for u in actors],
        "actor_ips": [f"10.20.{all_names.index(u) // 20}.{10 + all_names.index(u) % 20}" for u in actors],
        "n_actors": len(actors),
    }
    conn.execute("TRUNCATE situok_auditevent RESTART IDENTITY")
    conn.execute("DELETE FROM bench_dataset WHERE name = %s", (MARKER,))
    conn.execute("SELECT setseed(0.20261122)")  # the same rows every time
    for lo in range(1, rows + 1, CHUNK):
        hi = min(lo + CHUNK - 1, rows)
        conn.execute(INSERT_SQL, {**params, "lo": lo, "hi": hi})
        progress(f"  audit events {hi:,}/{rows:,}")
    first_id, last_id = conn.execute("SELECT min(id), max(id) FROM situok_auditevent").fetchone()
    info = {
        "version": DATASET_VERSION,
        "rows": rows,
        "first_id": first_id,
        "last_id": last_id,
        "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    conn.execute("INSERT INTO bench_dataset (name, info) VALUES (%s, %s)", (MARKER, json.dumps(info)))
    conn.commit()
    return info


def ensure_audit_rows(url: str, rows: int, *, reload: bool, progress: Callable[[str], None]) -> DatasetFacts:
    """Reuse the generated audit events if the marker says they are there, else (re)load them; ANALYZE."""
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        info = _read_marker(conn)
        reused = not reload and _marker_valid(conn, info, rows)
        conn.commit()
        if reused:
            progress(f"  reusing {rows:,} audit events (loaded {info['loaded_at']})")
        else:
            progress(f"  loading {rows:,} audit events with INSERT … SELECT generate_series")
            info = _load(conn, rows, progress)
    load_seconds = time.perf_counter() - started
    with psycopg.connect(url, autocommit=True) as conn:
        # VACUUM sets the visibility map (index-only scans); ANALYZE gives the planner fresh statistics.
        conn.execute("VACUUM (ANALYZE) situok_auditevent" if not reused else "ANALYZE situok_auditevent")
        (max_id,) = conn.execute("SELECT max(id) FROM situok_auditevent").fetchone()
        first_day, last_day = conn.execute(
            "SELECT (min(created_at) AT TIME ZONE 'Asia/Makassar')::date,"
            " (max(created_at) AT TIME ZONE 'Asia/Makassar')::date"
            " FROM situok_auditevent WHERE id BETWEEN %s AND %s",
            (info["first_id"], info["last_id"]),
        ).fetchone()
    return DatasetFacts(
        rows=rows,
        first_id=info["first_id"],
        last_id=info["last_id"],
        max_id=max_id,
        first_day=first_day.isoformat(),
        last_day=last_day.isoformat(),
        loaded_at=info["loaded_at"],
        load_seconds=round(load_seconds, 1),
        reused=reused,
    )


def nth_id(url: str, first_id: int, n: int) -> int:
    """The id of the ``n``-th generated event by id (the export benches take rows ``first_id..nth_id``)."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT id FROM situok_auditevent WHERE id >= %s ORDER BY id OFFSET %s LIMIT 1", (first_id, n - 1)
        ).fetchone()
    if row is None:
        raise ValueError(f"fewer than {n} audit events from id {first_id}")
    return row[0]


def days_covering(url: str, first_id: int, n: int) -> tuple[str, str, int]:
    """A WITA date range from the first generated day holding at most ``n`` events, and its exact count
    (for the HTTP export download, which filters by date like a user would)."""
    with psycopg.connect(url) as conn:
        (last_day,) = conn.execute(
            "SELECT (created_at AT TIME ZONE 'Asia/Makassar')::date - 1 FROM situok_auditevent"
            " WHERE id >= %s ORDER BY id OFFSET %s LIMIT 1",
            (first_id, n),
        ).fetchone()
        first_day, count = conn.execute(
            "SELECT min((created_at AT TIME ZONE 'Asia/Makassar')::date), count(*) FROM situok_auditevent"
            " WHERE (created_at AT TIME ZONE 'Asia/Makassar')::date <= %s",
            (last_day,),
        ).fetchone()
    return first_day.isoformat(), last_day.isoformat(), count


def postgres_info(url: str) -> dict[str, str]:
    with psycopg.connect(url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        settings = {
            name: conn.execute(sql.SQL("SHOW {}").format(sql.Identifier(name))).fetchone()[0]
            for name in ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost")
        }
    return {"server_version": version, **settings}


def bench_environment(url: str, secret_key: str, static_root: Path) -> dict[str, str]:
    """Environment of every process the harness starts: production-like settings on the bench database.

    ``DEBUG=0`` (no per-request query log, manifest static files, secure cookies); TLS is assumed at a
    proxy (the client sends ``X-Forwarded-Proto: https``, which ``SECURE_PROXY_SSL_HEADER`` trusts).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SITUOK_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "situok.settings",
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BEHIND_PROXY": "1",
            "STATIC_ROOT": str(static_root),
            "SITUOK_BENCH": "1",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env
