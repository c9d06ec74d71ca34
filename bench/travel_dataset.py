"""Scale data for the travel budgets: 200,000 SPTs with 400,000 travellers, generated inside PostgreSQL.

Like the audit and staff rows (``bench.dataset``), the trips are made by ``INSERT … SELECT
generate_series`` in one transaction together with a marker row ``travel`` in ``bench_dataset`` (the id
ranges), so the next run reuses them and an interrupted load leaves the previous state. The generated
trips hang off the generated employees (``bench.dataset.ensure_staff_rows`` runs first): two travellers
each (the lead and one follower), one destination (a Kemendagri regency, Bali or elsewhere), spread over
2025–2026 with statuses as a bureau has them (most past trips settled, a few drafts, some cancelled),
and one SPPD per traveller of a numbered trip (number and cost snapshot), so the register shows what it
shows in production.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import psycopg

from .dataset import _read_named_marker

TRAVEL_MARKER = "travel"
TRAVEL_VERSION = 1  # bump when the SQL below changes: the next run reloads
TRAVEL_CHUNK = 50_000
DAYS = 730  # 2025-01-01 … 2026-12-31
# Status by share (per mille): what a two-year register of a bureau looks like.
STATUSES = [("settled", 620), ("reported", 120), ("returned", 40), ("numbered", 90), ("travelling", 10),
            ("submitted", 40), ("draft", 40), ("rejected", 10), ("cancelled", 30)]  # fmt: skip
NUMBERED = ("numbered", "travelling", "returned", "reported", "settled", "cancelled")
PURPOSES = [
    "Koordinasi penyelenggaraan rapat kerja daerah",
    "Menghadiri undangan rapat koordinasi protokol dan komunikasi pimpinan",
    "Konsultasi pengelolaan barang milik daerah",
    "Pendampingan kunjungan kerja Gubernur Bali",
    "Monitoring dan evaluasi pengelolaan rumah jabatan",
    "Bimbingan teknis tata naskah dinas elektronik",
    "Koordinasi persiapan upacara Hari Jadi Provinsi Bali",
    "Konsultasi penyusunan standar harga satuan",
]
TRAVEL_TYPES = ["luar_kota"] * 5 + ["luar_daerah"] * 3 + ["dalam_kota_lebih_8_jam", "diklat"]
TRANSPORTS = {"luar_kota": "kendaraan_dinas", "luar_daerah": "pesawat"}

BUDGET_SQL = """
INSERT INTO travel_budgetline (year, kode_rekening, name, sub_activity_code, sub_activity_name, ceiling)
SELECT y, '5.1.02.04.01.' || lpad(k::text, 4, '0'), 'Belanja Perjalanan Dinas ' || k,
       '4.01.01.2.0' || k || '.0001', 'Sub kegiatan ' || k, 5000000000
FROM generate_series(2025, 2026) y, generate_series(1, 10) k
ON CONFLICT DO NOTHING
"""

TRIP_SQL = """
INSERT INTO travel_trip
    (unit_id, dasar, purpose, travel_type, origin_id, depart_date, return_date, transport, budget_line_id,
     status, spt_number, spt_date, signer_id, signer_prefix, signer_role, signer_name, signer_nip,
     signer_pangkat, ppk_id, ppk_role, ppk_name, ppk_nip, issued_place, notes, report_due_date,
     cancelled_at, cancel_reason, created_by_id, created_at, updated_at)
SELECT
    e.unit_id,
    '["Peraturan Gubernur Bali tentang Perjalanan Dinas", "Undangan rapat"]'::jsonb,
    (%(purposes)s::text[])[1 + (g %% %(n_purposes)s)],
    t.ttype,
    %(origin)s,
    t.depart,
    t.depart + (CASE WHEN t.ttype = 'dalam_kota_lebih_8_jam' THEN 0 ELSE 1 + g %% 4 END)::int,
    CASE WHEN t.ttype = 'luar_daerah' THEN 'pesawat' ELSE 'kendaraan_dinas' END,
    (SELECT id FROM travel_budgetline b WHERE b.year = extract(year FROM t.depart)::int
        ORDER BY b.id OFFSET (g %% 10) LIMIT 1),
    t.status,
    CASE WHEN t.status = ANY(%(numbered)s) THEN '800.1.11.1/' || g || '/B.Um/' || extract(year FROM t.depart)
         ELSE '' END,
    CASE WHEN t.status = ANY(%(numbered)s) THEN t.depart - 3 END,
    NULL, 'a.n.', 'Sekretaris Daerah', 'Kepala Biro Umum dan Protokol', '197001011995031001', 'Pembina (IV/a)',
    NULL, 'Pejabat Pembuat Komitmen', 'Pejabat Pembuat Komitmen', '197502022000031002',
    'Denpasar', '',
    CASE WHEN t.status IN ('returned', 'reported', 'settled') THEN t.depart + 12 END,
    CASE WHEN t.status = 'cancelled' THEN t.depart::timestamptz - interval '2 days' END,
    CASE WHEN t.status = 'cancelled' THEN 'Kegiatan ditunda oleh penyelenggara' ELSE '' END,
    NULL,
    t.depart::timestamptz - interval '10 days',
    t.depart::timestamptz - interval '2 days'
FROM (
    SELECT g,
           date '2025-01-01' + ((g * 7919) %% %(days)s)::int AS depart,
           (%(ttypes)s::text[])[1 + (g %% %(n_ttypes)s)] AS ttype,
           (%(statuses)s::text[])[1 + ((g * 104729) %% 1000)] AS status,
           %(first_emp)s + ((g * 2654435761) %% %(n_emp)s) AS lead_id
    FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) g
) t
JOIN staff_employee e ON e.id = t.lead_id
ORDER BY g
RETURNING id
"""

MEMBER_SQL = """
INSERT INTO travel_tripmember (trip_id, employee_id, "order", is_lead)
SELECT t.id, %(first_emp)s + ((t.id * 2654435761 + k * 7919) %% %(n_emp)s), k, k = 0
FROM travel_trip t, generate_series(0, 1) k
WHERE t.id BETWEEN %(first)s AND %(last)s
"""

DEST_SQL = """
INSERT INTO travel_tripdestination (trip_id, "order", region_id, place)
SELECT t.id, 0,
       CASE WHEN t.travel_type = 'luar_daerah' THEN (%(other)s::text[])[1 + (t.id %% %(n_other)s)]
            ELSE (%(bali)s::text[])[1 + (t.id %% %(n_bali)s)] END,
       'Kantor ' || CASE WHEN t.id %% 2 = 0 THEN 'Gubernur' ELSE 'Bupati/Wali Kota' END
FROM travel_trip t
WHERE t.id BETWEEN %(first)s AND %(last)s
"""

REFRESH_SQL = "SELECT travel_trip_refresh(ARRAY(SELECT generate_series(%(first)s::bigint, %(last)s::bigint)))"

SPPD_SQL = """
INSERT INTO travel_sppd
    (member_id, number, cost_tier, rates_on, daily_rate, representation_rate, lodging_ceiling,
     lump_sum_total, at_cost_total, total, advance, cost_lines, no_hotel, actual_return_date, paid_at,
     paid_by_id, created_at, updated_at)
SELECT m.id, '000.1.2.3/' || m.id || '/B.Um/' || extract(year FROM t.depart_date),
       'E', t.depart_date, 480000, 0, 1000000,
       480000 * (t.return_date - t.depart_date + 1), 750000,
       480000 * (t.return_date - t.depart_date + 1) + 750000, 0, '[]'::jsonb, false,
       CASE WHEN t.status IN ('returned', 'reported', 'settled') THEN t.return_date END,
       CASE WHEN t.status = 'settled' THEN t.return_date::timestamptz + interval '9 days' END,
       NULL, t.created_at, t.updated_at
FROM travel_tripmember m JOIN travel_trip t ON t.id = m.trip_id
WHERE t.id BETWEEN %(first)s AND %(last)s AND t.status = ANY(%(numbered)s)
"""


@dataclass(frozen=True)
class TravelFacts:
    trips: int
    members: int
    first_id: int
    last_id: int
    total: int  # every trip in the table
    unit_id: int  # the unit owning the most trips
    unit_rows: int
    employee_id: int  # a traveller with many trips
    employee_rows: int
    budget_line_id: int
    province: str  # a destination province outside Bali
    year: int
    loaded_at: str
    load_seconds: float
    reused: bool

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _statuses() -> list[str]:
    out: list[str] = []
    for status, share in STATUSES:
        out += [status] * share
    assert len(out) == 1000
    return out


def _valid(conn: psycopg.Connection, info: dict | None, trips: int, staff_first: int) -> bool:
    if not info or info.get("version") != TRAVEL_VERSION or info.get("trips") != trips:
        return False
    if info.get("staff_first_id") != staff_first:
        return False
    (count,) = conn.execute(
        "SELECT count(*) FROM travel_trip WHERE id BETWEEN %s AND %s", (info["first_id"], info["last_id"])
    ).fetchone()
    return count == trips


def _load(
    conn: psycopg.Connection, trips: int, staff_first: int, staff_rows: int, old: dict | None, progress
) -> dict:
    if old and old.get("first_id") is not None:
        span = (old["first_id"], old["last_id"])
        # Their rows first (Django's foreign keys do not cascade in the database): SPPDs, travellers,
        # destinations — all the generator wrote.
        conn.execute(
            "DELETE FROM travel_sppd WHERE member_id IN "
            "(SELECT id FROM travel_tripmember WHERE trip_id BETWEEN %s AND %s)",
            span,
        )
        for table in ("travel_tripmember", "travel_tripdestination"):
            conn.execute(f"DELETE FROM {table} WHERE trip_id BETWEEN %s AND %s", span)
        deleted = conn.execute("DELETE FROM travel_trip WHERE id BETWEEN %s AND %s", span).rowcount
        progress(f"  removed {deleted:,} trips of the previous load")
    conn.execute("DELETE FROM bench_dataset WHERE name = %s", (TRAVEL_MARKER,))
    conn.execute(BUDGET_SQL)
    bali = [r[0] for r in conn.execute(
        "SELECT code FROM situok_region WHERE code LIKE '51.__' ORDER BY code"
    ).fetchall()]  # fmt: skip
    other = [r[0] for r in conn.execute(
        "SELECT code FROM situok_region WHERE char_length(code) = 5 AND code NOT LIKE '51.%' ORDER BY code"
    ).fetchall()]  # fmt: skip
    if not bali or not other:
        raise RuntimeError("the region table is empty: run manage.py load_regions on the bench database")
    origin = "51.71" if "51.71" in bali else bali[0]
    params = {
        "purposes": PURPOSES,
        "n_purposes": len(PURPOSES),
        "ttypes": TRAVEL_TYPES,
        "n_ttypes": len(TRAVEL_TYPES),
        "statuses": _statuses(),
        "numbered": list(NUMBERED),
        "days": DAYS,
        "origin": origin,
        "first_emp": staff_first,
        "n_emp": staff_rows,
    }
    first_id = last_id = None
    for lo in range(1, trips + 1, TRAVEL_CHUNK):
        hi = min(lo + TRAVEL_CHUNK - 1, trips)
        ids = [r[0] for r in conn.execute(TRIP_SQL, {**params, "lo": lo, "hi": hi}).fetchall()]
        chunk = {"first": min(ids), "last": max(ids), **params}
        # The travellers and destinations without the search-column triggers of travel/migrations/0004
        # (statement triggers whose one UPDATE per statement the planner, on tables without statistics
        # yet, ran as a scan per trip: hours for 50,000 trips), then the same refresh for the whole
        # chunk once the tables are analysed.
        conn.execute("SET LOCAL session_replication_role = replica")
        conn.execute(MEMBER_SQL, chunk)
        conn.execute(
            DEST_SQL, {**chunk, "bali": bali, "n_bali": len(bali), "other": other, "n_other": len(other)}
        )
        conn.execute(SPPD_SQL, chunk)
        conn.execute("SET LOCAL session_replication_role = origin")
        for table in ("travel_trip", "travel_tripmember", "travel_tripdestination"):
            conn.execute(f"ANALYZE {table}")
        conn.execute(REFRESH_SQL, chunk)
        first_id = chunk["first"] if first_id is None else min(first_id, chunk["first"])
        last_id = chunk["last"] if last_id is None else max(last_id, chunk["last"])
        progress(f"  trips {hi:,}/{trips:,}")
    info = {
        "version": TRAVEL_VERSION,
        "trips": trips,
        "first_id": first_id,
        "last_id": last_id,
        "staff_first_id": staff_first,
        "loaded_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    conn.execute("INSERT INTO bench_dataset (name, info) VALUES (%s, %s)", (TRAVEL_MARKER, json.dumps(info)))
    conn.commit()
    return info


def ensure_travel_rows(
    url: str,
    trips: int,
    *,
    staff_first_id: int,
    staff_rows: int,
    reload: bool,
    progress: Callable[[str], None],
) -> TravelFacts:
    """Reuse the generated trips when the marker says they are there, else (re)load them; ANALYZE."""
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        info = _read_named_marker(conn, TRAVEL_MARKER)
        reused = not reload and _valid(conn, info, trips, staff_first_id)
        conn.commit()
        if reused:
            progress(f"  reusing {trips:,} trips (loaded {info['loaded_at']})")
        else:
            progress(f"  loading {trips:,} trips with INSERT … SELECT generate_series")
            info = _load(conn, trips, staff_first_id, staff_rows, info, progress)
    load_seconds = time.perf_counter() - started
    with psycopg.connect(url, autocommit=True) as conn:
        # situok_region: the destination filters join it; it is loaded once by load_regions, never analysed
        tables = (
            "travel_trip",
            "travel_tripmember",
            "travel_tripdestination",
            "travel_sppd",
            "situok_region",
        )
        for table in tables:
            conn.execute(f"VACUUM (ANALYZE) {table}" if not reused else f"ANALYZE {table}")
        (total,) = conn.execute("SELECT count(*) FROM travel_trip").fetchone()
        (members,) = conn.execute("SELECT count(*) FROM travel_tripmember").fetchone()
        unit_id, unit_rows = conn.execute(
            "SELECT unit_id, count(*) FROM travel_trip GROUP BY unit_id ORDER BY count(*) DESC, unit_id LIMIT 1"
        ).fetchone()
        employee_id, employee_rows = conn.execute(
            "SELECT employee_id, count(*) FROM travel_tripmember"
            " GROUP BY employee_id ORDER BY count(*) DESC, employee_id LIMIT 1"
        ).fetchone()
        (budget_line_id,) = conn.execute(
            "SELECT id FROM travel_budgetline WHERE year = 2026 ORDER BY id LIMIT 1"
        ).fetchone()
        (province,) = conn.execute(
            "SELECT left(region_id, 2) FROM travel_tripdestination WHERE region_id NOT LIKE '51%%'"
            " GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    return TravelFacts(
        trips=trips,
        members=members,
        first_id=info["first_id"],
        last_id=info["last_id"],
        total=total,
        unit_id=unit_id,
        unit_rows=unit_rows,
        employee_id=employee_id,
        employee_rows=employee_rows,
        budget_line_id=budget_line_id,
        province=province,
        year=2026,
        loaded_at=info["loaded_at"],
        load_seconds=round(load_seconds, 1),
        reused=reused,
    )
