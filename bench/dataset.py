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


def bench_environment(
    url: str, secret_key: str, static_root: Path, media_root: Path | None = None
) -> dict[str, str]:
    """Environment of every process the harness starts: production-like settings on the bench database.

    ``DEBUG=0`` (no per-request query log, manifest static files, secure cookies); TLS is assumed at a
    proxy (the client sends ``X-Forwarded-Proto: https``, which ``SECURE_PROXY_SSL_HEADER`` trusts).
    Uploaded and generated files (background export results) go to ``media_root`` (default: ``media``
    beside ``static_root``, i.e. under ``bench/results/``), never into the project's own media directory.
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
            "MEDIA_ROOT": str(media_root or static_root.parent / "media"),
            "SITUOK_BENCH": "1",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


# --- Staff records --------------------------------------------------------------------------------
# 50,000 employees generated inside PostgreSQL like the audit events, reused between runs through the
# marker row "staff" in ``bench_dataset`` (their id range). They are spread over the demo units that have
# non-structural positions (``seed_demo``); each gets one of its unit's positions.
STAFF_MARKER = "staff"
STAFF_VERSION = 1  # bump when STAFF_INSERT_SQL or its parameters change: the next run reloads
STAFF_CHUNK = 25_000
# NIP sequence numbers (digits 16–18): the demo bureau uses 001–139 (seed_demo --scale 1), the import bench
# 140–199 and the generated employees 200–999, so no two sources can produce the same NIP. Within a source
# the NIP is unique because (birth date, sequence) is: birth = day (g · 7919 mod 11999) after 1966-01-01,
# sequence = g mod 800, and 11999 = 13² · 71 is coprime with 7919 and with 800.
STAFF_NIP_SEQUENCE_FROM = 200
BIRTH_EPOCH = dt.date(1968, 7, 1)
BIRTH_SPAN_DAYS = 11_999  # 1968-07-01 … 2001-05-08: aged 25 to 58 in 2026
BIRTH_STEP = 7_919
# Balinese and other Indonesian name parts (staff.demo has the same first names and surnames).
FIRST_MALE = [
    "I Wayan", "I Made", "I Nyoman", "I Ketut", "I Putu", "I Kadek", "I Komang", "I Gede", "Ida Bagus",
    "I Gusti Ngurah", "Anak Agung Gede", "Dewa Gede", "Agus", "Budi", "Rizki", "Andi",
]  # fmt: skip
FIRST_FEMALE = [
    "Ni Wayan", "Ni Made", "Ni Nyoman", "Ni Ketut", "Ni Putu", "Ni Kadek", "Ni Komang", "Ni Luh", "Ida Ayu",
    "Anak Agung Istri", "Desak Made", "Gusti Ayu", "Siti", "Dewi", "Rina",
]  # fmt: skip
MIDDLE = ["", "", "", "Eka", "Dwi", "Tri", "Adi", "Sri", "Ayu", "Arya", "Gede", "Putra", "Putri", "Indra"]
LAST = [
    "Suardana", "Mahendra", "Sudiarta", "Wirawan", "Astawa", "Suputra", "Arsana", "Parwata", "Sutrisna",
    "Artini", "Suarni", "Widiastuti", "Purnamasari", "Yuliantari", "Kusuma", "Pratama", "Santoso", "Lestari",
    "Saraswati", "Darmawan", "Wibawa", "Suryani", "Adnyana", "Budiarta", "Wiguna", "Antara", "Jayanti",
    "Mertayasa", "Sukerta", "Dharmawan",
]  # fmt: skip
COMMON_NAME_PART = "Wayan"  # "I Wayan …" / "Ni Wayan …": about 6 % of the names (the name search)
# Golongan ruang of a PNS: start by education (SMA II/a, D3 II/c, S1 III/a, S2 III/b), one step per four
# years of service, capped by education (III/b, III/c, IV/a, IV/b); see STAFF_INSERT_SQL.
GOLONGAN_STEPS = ["II/a", "II/b", "II/c", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c"]
EDUCATION = ["SMA", "D3", "S1", "S1", "S1", "S1", "S2"]
DEGREES = {
    "D3": ["A.Md.", "A.Md.Kom.", "A.Md.Ak."],
    "S1": ["S.E.", "S.H.", "S.Kom.", "S.Sos.", "S.Pd.", "S.T.", "S.Ak.", "S.AP."],
    "S2": ["M.Si.", "M.M.", "M.H.", "M.T.", "M.AP."],
}
# 10 % non-ASN (g mod 10 = 0, NIK only); the others by weight, CPNS only for people born from 1990 on.
ASN_TYPES = ["PNS"] * 35 + ["PPPK"] * 9 + ["CPNS"]
PPPK_GOLONGAN = ["V", "VII", "VII", "IX", "IX", "IX", "X", "XI"]
OTHER_STATUSES = ["cltn", "tugas_belajar", "pindah", "pindah", "pensiun", "pensiun", "berhenti"]
ACTIVE_SHARE = 0.95
PLACES = [
    "Denpasar",
    "Tabanan",
    "Gianyar",
    "Singaraja",
    "Klungkung",
    "Bangli",
    "Negara",
    "Amlapura",
    "Badung",
]
STREETS = ["Gatot Subroto", "Hayam Wuruk", "Teuku Umar", "Cokroaminoto", "Gunung Agung", "Diponegoro"]
NIK_REGENCIES = ["71", "71", "71", "03", "02", "04"]  # Kota Denpasar, Badung, Tabanan, Gianyar
RELIGIONS = ["hindu"] * 8 + ["islam", "protestan", "katolik", "buddha"]
STRUCTURAL_KINDS = ("JPT", "ADMINISTRATOR", "PENGAWAS")  # one holder each: not handed out to thousands

STAFF_INSERT_SQL = """
INSERT INTO staff_employee
    (nip, nik, internal_number, name, front_title, back_title, sex, employee_type, supervisor_id, user_id,
     unit_id, address, bank_account, bank_name, birth_date, birth_place, contract_end, contract_start,
     driver_licence_expiry, education_level, education_major, email, golongan, is_driver, npwp, phone,
     photo, pppk_golongan, religion, status, status_date, tmt_cpns, tmt_golongan, tmt_jabatan, tmt_kgb,
     tmt_pns, position_id)
SELECT
    CASE
        WHEN t.etype = 'NON_ASN' THEN NULL
        WHEN t.etype = 'PPPK' THEN to_char(t.birth, 'YYYYMMDD') || t.tmt_year::text || '21' || t.sex_digit
            || lpad(t.seq::text, 3, '0')
        ELSE to_char(t.birth, 'YYYYMMDD') || to_char(t.tmt, 'YYYYMM') || t.sex_digit || lpad(t.seq::text, 3, '0')
    END,
    '51' || t.regency || lpad((1 + t.g %% 4)::text, 2, '0')
        || lpad((extract(day FROM t.birth)::int + CASE WHEN t.sex = 'P' THEN 40 ELSE 0 END)::text, 2, '0')
        || to_char(t.birth, 'MMYY') || lpad((1 + (t.g * 37) %% 9999)::text, 4, '0'),
    NULL,
    t.first_name || CASE WHEN t.middle = '' THEN '' ELSE ' ' || t.middle END || ' ' || t.last_name,
    CASE WHEN t.edu = 'S2' AND t.r_title < 0.08 THEN 'Dr.' ELSE '' END,
    CASE WHEN t.edu = 'D3' THEN (%(d3)s::text[])[1 + (t.g %% %(n_d3)s)::int]
         WHEN t.edu = 'S1' THEN (%(s1)s::text[])[1 + (t.g %% %(n_s1)s)::int]
         WHEN t.edu = 'S2' THEN (%(s1)s::text[])[1 + (t.g %% %(n_s1)s)::int] || ', '
             || (%(s2)s::text[])[1 + (t.g %% %(n_s2)s)::int]
         ELSE '' END,
    t.sex,
    t.etype,
    NULL,
    NULL,
    t.unit_id,
    'Jl. ' || (%(streets)s::text[])[1 + (t.g %% %(n_streets)s)::int] || ' No. ' || (1 + t.g %% 200)::text
        || ', ' || t.place,
    lpad(((t.g * 982451653) %% 1000000000000)::text, 12, '0'),
    'BPD Bali',
    t.birth,
    t.place,
    CASE WHEN t.etype IN ('PPPK', 'NON_ASN') THEN make_date(2026 + (t.g %% 3)::int, 12, 31) END,
    CASE WHEN t.etype IN ('PPPK', 'NON_ASN') THEN make_date(greatest(t.tmt_year, 2021), 1, 1) END,
    NULL,
    t.edu,
    '',
    lower(replace(t.last_name, ' ', '')) || '.' || t.g::text || '@baliprov.go.id',
    CASE WHEN t.etype IN ('PNS', 'CPNS') THEN (%(golongan)s::text[])[t.gol_index] ELSE '' END,
    false,
    '',
    '08' || (11 + (t.g * 37) %% 89)::text || lpad(((t.g * 104729) %% 100000000)::text, 8, '0'),
    '',
    CASE WHEN t.etype = 'PPPK' THEN (%(pppk_golongan)s::text[])[1 + (t.g %% %(n_pppk_golongan)s)::int]
         ELSE '' END,
    (%(religions)s::text[])[1 + (t.g * 13 %% %(n_religions)s)::int],
    t.status,
    CASE WHEN t.status <> 'aktif' THEN date '2024-01-01' + (t.g %% 600)::int END,
    CASE WHEN t.etype IN ('PNS', 'CPNS') THEN t.tmt END,
    CASE WHEN t.etype IN ('PNS', 'CPNS') AND t.gol_index = t.gol_start THEN t.tmt
         WHEN t.etype IN ('PNS', 'CPNS')
         THEN make_date(least(t.tmt_year + 4 * (t.gol_index - t.gol_start), 2025), t.gol_month, 1)
         WHEN t.etype = 'PPPK' THEN make_date(t.tmt_year, 1, 1) END,
    make_date(least(greatest(t.tmt_year, 2010) + (t.g %% 5)::int, 2025), 1 + (t.g %% 12)::int, 1),
    CASE WHEN t.etype IN ('PNS', 'PPPK') THEN make_date(2024 + (t.g %% 2)::int, t.tmt_month, 1) END,
    CASE WHEN t.etype = 'PNS' THEN (t.tmt + interval '1 year')::date END,
    t.position_id
FROM (
    SELECT
        u.*,
        make_date(u.tmt_year, u.tmt_month, 1) AS tmt,
        least(u.gol_start + (2025 - u.tmt_year) / 4, u.gol_cap) AS gol_index
    FROM (
        SELECT
            v.*,
            CASE v.etype
                WHEN 'CPNS' THEN 2025
                WHEN 'PPPK' THEN greatest(2019 + (v.g %% 7)::int, extract(year FROM v.birth)::int + 20)
                ELSE least(extract(year FROM v.birth)::int + 22 + (v.g %% 9)::int, 2024)
            END AS tmt_year,
            1 + (v.g * 31 %% 12)::int AS tmt_month,
            CASE v.edu WHEN 'SMA' THEN 1 WHEN 'D3' THEN 3 WHEN 'S1' THEN 5 ELSE 6 END AS gol_start,
            CASE v.edu WHEN 'SMA' THEN 6 WHEN 'D3' THEN 7 WHEN 'S1' THEN 9 ELSE 10 END AS gol_cap,
            CASE WHEN v.sex = 'L' THEN '1' ELSE '2' END AS sex_digit
        FROM (
            SELECT
                w.*,
                CASE WHEN w.g %% 10 = 0 THEN 'NON_ASN'
                     WHEN w.asn = 'CPNS' AND w.birth < date '1990-01-01' THEN 'PNS'
                     ELSE w.asn END AS etype,
                CASE WHEN w.sex = 'L' THEN (%(first_male)s::text[])[1 + floor(w.r_first * %(n_first_male)s)::int]
                     ELSE (%(first_female)s::text[])[1 + floor(w.r_first * %(n_first_female)s)::int]
                END AS first_name,
                (%(unit_ids)s::bigint[])[w.uk] AS unit_id,
                (%(position_ids)s::bigint[])[(%(position_first)s::int[])[w.uk]
                    + floor(w.r_position * (%(position_count)s::int[])[w.uk])::int] AS position_id
            FROM (
                SELECT
                    g,
                    %(epoch)s::date + ((g * %(birth_step)s) %% %(birth_span)s)::int AS birth,
                    %(seq_from)s + (g %% (1000 - %(seq_from)s))::int AS seq,
                    CASE WHEN random() < 0.52 THEN 'L' ELSE 'P' END AS sex,
                    (%(asn_types)s::text[])[1 + floor(random() * %(n_asn_types)s)::int] AS asn,
                    (%(education)s::text[])[1 + floor(random() * %(n_education)s)::int] AS edu,
                    (%(middle)s::text[])[1 + floor(random() * %(n_middle)s)::int] AS middle,
                    (%(last)s::text[])[1 + floor(random() * %(n_last)s)::int] AS last_name,
                    (%(places)s::text[])[1 + floor(random() * %(n_places)s)::int] AS place,
                    (%(regencies)s::text[])[1 + floor(random() * %(n_regencies)s)::int] AS regency,
                    CASE WHEN random() < %(active_share)s THEN 'aktif'
                         ELSE (%(statuses)s::text[])[1 + floor(random() * %(n_statuses)s)::int] END AS status,
                    1 + floor(random() * %(n_units)s)::int AS uk,
                    CASE WHEN random() < 0.5 THEN 4 ELSE 10 END AS gol_month,
                    random() AS r_first,
                    random() AS r_position,
                    random() AS r_title
                FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS g
            ) AS w
        ) AS v
    ) AS u
) AS t
ORDER BY t.g
"""


@dataclass(frozen=True)
class StaffFacts:
    """What the staff scenarios need: the generated id range, filter values and their result sizes."""

    rows: int  # generated employees
    first_id: int
    last_id: int
    total: int  # every employee in the table (the demo bureau's too): what the administrator lists
    unit_id: int  # the Bagian with the most employees in its subtree
    unit_code: str
    unit_rows: int
    name_part: str
    name_rows: int
    nip_prefix: str  # first 8 digits (a birth date) of a generated NIP
    nip_rows: int
    pppk_rows: int
    deep_page: int  # a page near the end of the unfiltered list at 25 per page
    loaded_at: str
    load_seconds: float
    reused: bool

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _staff_units(conn: psycopg.Connection) -> tuple[list[int], list[int], list[int], list[int]]:
    """Units with non-structural positions: unit ids and, per unit, its positions as a slice
    (1-based first index, count) of one flat id array."""
    rows = conn.execute(
        "SELECT p.unit_id, p.id FROM staff_position p JOIN staff_orgunit u ON u.id = p.unit_id"
        " WHERE p.kind <> ALL(%s) ORDER BY u.path, p.name, p.id",
        (list(STRUCTURAL_KINDS),),
    ).fetchall()
    if not rows:
        raise RuntimeError("no staff positions in the bench database: did seed_demo run?")
    unit_ids: list[int] = []
    first: list[int] = []
    count: list[int] = []
    positions: list[int] = []
    for unit_id, position_id in rows:
        if not unit_ids or unit_ids[-1] != unit_id:
            unit_ids.append(unit_id)
            first.append(len(positions) + 1)
            count.append(0)
        positions.append(position_id)
        count[-1] += 1
    return unit_ids, first, count, positions


def _staff_params(conn: psycopg.Connection) -> dict[str, object]:
    unit_ids, first, count, positions = _staff_units(conn)
    lists = {
        "d3": DEGREES["D3"],
        "s1": DEGREES["S1"],
        "s2": DEGREES["S2"],
        "streets": STREETS,
        "pppk_golongan": PPPK_GOLONGAN,
        "religions": RELIGIONS,
        "asn_types": ASN_TYPES,
        "education": EDUCATION,
        "middle": MIDDLE,
        "last": LAST,
        "places": PLACES,
        "regencies": NIK_REGENCIES,
        "statuses": OTHER_STATUSES,
        "first_male": FIRST_MALE,
        "first_female": FIRST_FEMALE,
        "golongan": GOLONGAN_STEPS,
    }
    return {
        **lists,
        **{f"n_{name}": len(values) for name, values in lists.items()},
        "unit_ids": unit_ids,
        "n_units": len(unit_ids),
        "position_ids": positions,
        "position_first": first,
        "position_count": count,
        "epoch": BIRTH_EPOCH,
        "birth_step": BIRTH_STEP,
        "birth_span": BIRTH_SPAN_DAYS,
        "seq_from": STAFF_NIP_SEQUENCE_FROM,
        "active_share": ACTIVE_SHARE,
    }


def _staff_marker_valid(conn: psycopg.Connection, info: dict | None, rows: int) -> bool:
    if not info or info.get("version") != STAFF_VERSION or info.get("rows") != rows:
        return False
    (count,) = conn.execute(
        "SELECT count(*) FROM staff_employee WHERE id BETWEEN %s AND %s", (info["first_id"], info["last_id"])
    ).fetchone()
    return count == rows


def _read_named_marker(conn: psycopg.Connection, name: str) -> dict | None:
    conn.execute("CREATE TABLE IF NOT EXISTS bench_dataset (name text PRIMARY KEY, info jsonb NOT NULL)")
    row = conn.execute("SELECT info FROM bench_dataset WHERE name = %s", (name,)).fetchone()
    conn.commit()
    return row[0] if row else None


def _load_staff(
    conn: psycopg.Connection, rows: int, old: dict | None, progress: Callable[[str], None]
) -> dict:
    """Replace the generated employees (the old marker's id range) with ``rows`` new ones, in one
    transaction together with the marker: an interrupted load leaves the previous state."""
    params = _staff_params(conn)
    if old and old.get("first_id") is not None:
        deleted = conn.execute(
            "DELETE FROM staff_employee WHERE id BETWEEN %s AND %s AND internal_number IS NULL"
            " AND user_id IS NULL",
            (old["first_id"], old["last_id"]),
        ).rowcount
        progress(f"  removed {deleted:,} employees of the previous load")
    conn.execute("DELETE FROM bench_dataset WHERE name = %s", (STAFF_MARKER,))
    conn.execute("SELECT setseed(0.5122)")  # the same employees every time
    first_id = last_id = None
    for lo in range(1, rows + 1, STAFF_CHUNK):
        hi = min(lo + STAFF_CHUNK - 1, rows)
        cursor = conn.execute(STAFF_INSERT_SQL + " RETURNING id", {**params, "lo": lo, "hi": hi})
        ids = [r[0] for r in cursor.fetchall()]
        first_id = min(ids) if first_id is None else min(first_id, min(ids))
        last_id = max(ids) if last_id is None else max(last_id, max(ids))
        progress(f"  employees {hi:,}/{rows:,}")
    info = {
        "version": STAFF_VERSION,
        "rows": rows,
        "first_id": first_id,
        "last_id": last_id,
        "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    conn.execute("INSERT INTO bench_dataset (name, info) VALUES (%s, %s)", (STAFF_MARKER, json.dumps(info)))
    conn.commit()
    return info


def ensure_staff_rows(url: str, rows: int, *, reload: bool, progress: Callable[[str], None]) -> StaffFacts:
    """Reuse the generated employees if the marker says they are there, else (re)load them; ANALYZE."""
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        info = _read_named_marker(conn, STAFF_MARKER)
        reused = not reload and _staff_marker_valid(conn, info, rows)
        conn.commit()
        if reused:
            progress(f"  reusing {rows:,} employees (loaded {info['loaded_at']})")
        else:
            progress(f"  loading {rows:,} employees with INSERT … SELECT generate_series")
            info = _load_staff(conn, rows, info, progress)
    load_seconds = time.perf_counter() - started
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) staff_employee" if not reused else "ANALYZE staff_employee")
        (total,) = conn.execute("SELECT count(*) FROM staff_employee").fetchone()
        unit_id, unit_code, unit_rows = conn.execute(
            "SELECT u.id, u.code, count(e.id) FROM staff_orgunit u"
            " JOIN staff_orgunit s ON s.path LIKE u.path || '%'"
            " JOIN staff_employee e ON e.unit_id = s.id"
            " WHERE u.kind = 'bagian' GROUP BY u.id, u.code ORDER BY count(e.id) DESC, u.id LIMIT 1"
        ).fetchone()
        (name_rows,) = conn.execute(
            "SELECT count(*) FROM staff_employee WHERE upper(name) LIKE upper(%s)", (f"%{COMMON_NAME_PART}%",)
        ).fetchone()
        (nip_prefix,) = conn.execute(
            "SELECT left(nip, 8) FROM staff_employee WHERE id >= %s AND nip IS NOT NULL ORDER BY id LIMIT 1",
            (info["first_id"] + rows // 2,),
        ).fetchone()
        (nip_rows,) = conn.execute(
            "SELECT count(*) FROM staff_employee WHERE nip LIKE %s", (f"{nip_prefix}%",)
        ).fetchone()
        (pppk_rows,) = conn.execute(
            "SELECT count(*) FROM staff_employee WHERE employee_type = 'PPPK'"
        ).fetchone()
    pages = max(1, -(-total // 25))
    return StaffFacts(
        rows=rows,
        first_id=info["first_id"],
        last_id=info["last_id"],
        total=total,
        unit_id=unit_id,
        unit_code=unit_code,
        unit_rows=unit_rows,
        name_part=COMMON_NAME_PART,
        name_rows=name_rows,
        nip_prefix=nip_prefix,
        nip_rows=nip_rows,
        pppk_rows=pppk_rows,
        deep_page=max(1, pages * 9 // 10),
        loaded_at=info["loaded_at"],
        load_seconds=round(load_seconds, 1),
        reused=reused,
    )
