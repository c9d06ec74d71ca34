"""Calendar reads that do not grow with history (see ``bookings/queries.py``).

On every database: writes to resources and buildings bump the ``bookings_resources`` cache version
(``situok/derived.py``), under which the calendars keep the resource list. On PostgreSQL only:

* ``bk_booking_multiday_idx``: the bookings that cross a local (WITA) midnight, by end. A calendar
  window starts at a local midnight, so a booking that stays within one local day overlaps the window
  exactly when it *starts* in it (an index range on ``start``); only multi-day bookings can start before
  the window and still reach into it — this small partial index finds those without scanning the past.
  ``bk_booking_span_stats`` lets the planner know how rare those are.
* ``bk_booking_day_order_idx``: bookings in a day's display order (start, end, id), so the month of all
  rooms reads each day's first four entries straight off the index.
* ``bookings_daycount``: per resource and local day, how many bookings in a calendar status
  (``Booking.VISIBLE``) cover that day (a booking over three days counts on each of them). The month
  view of all rooms/vehicles reads its "+N lainnya" from here instead of counting ~20,000 bookings.
  Maintained by statement-level triggers with transition tables on every INSERT/UPDATE/DELETE of
  ``bookings_booking`` (services, admin, bulk SQL, the bench generator) and emptied with it on
  TRUNCATE; an UPDATE that changes none of resource, times or status nets to nothing and writes nothing.
* ``bookings_calendar_window`` and ``bookings_calendar_first``: the calendar's two reads (bookings and
  blackouts of a window; each day's first entries of a month), as functions so that their plan is kept.
  A change to them is a new migration (``CREATE OR REPLACE FUNCTION``).

Not in the model state and not created on SQLite (no partial expression index worth having there, and
triggers cannot expand a booking into days without a CTE): there the calendar counts from the bookings
themselves, which is cheap at SQLite sizes.
"""

from django.db import migrations

from situok.derived import TrackTables

# Cache group of the calendar's resource list (id, name, kind, plate, active, building): derived data
# read by every calendar page, kept per process until a resource or building is written.
RESOURCE_GROUP = ("bookings_resources", ("bookings_resource", "bookings_building"))

# WITA has no daylight saving: a local day is a fixed UTC interval. ``AT TIME ZONE`` with a constant
# zone name is immutable (the interval is subtracted from the local timestamp, not from the timestamptz,
# which would be merely stable), so the expressions may appear in an index predicate.
ZONE = "Asia/Makassar"
VISIBLE = "('pending', 'approved', 'completed')"  # Booking.VISIBLE
FIRST_DAY = f"(b.start AT TIME ZONE '{ZONE}')::date"
LAST_DAY = f"((b.\"end\" AT TIME ZONE '{ZONE}') - interval '1 microsecond')::date"


def multiday(alias: str = "") -> str:
    """The index predicate ("ends on a later local day than it starts"); queries repeat it verbatim so
    that the planner can use the index. Written as ``span > 0`` rather than ``first_day < last_day``:
    the planner estimates an expression compared with a constant from the statistics below, a
    comparison of two expressions only with a fixed guess (a third of the table, which made it choose
    hash joins over every employee and switch on JIT)."""
    return f"{span(alias)} > 0"


def span(alias: str = "") -> str:
    """Local days a booking reaches beyond its first (0 for a booking within one day)."""
    p = f"{alias}." if alias else ""
    return (
        f"((({p}\"end\" AT TIME ZONE '{ZONE}') - interval '1 microsecond')::date"
        f" - ({p}start AT TIME ZONE '{ZONE}')::date)"
    )


def _days_of(rows: str, sign: str) -> str:
    return f"""
        SELECT b.resource_id, d::date AS day, {sign}1 AS delta
        FROM {rows} b
        CROSS JOIN LATERAL generate_series({FIRST_DAY}, {LAST_DAY}, interval '1 day') AS d
        WHERE b.status IN {VISIBLE}"""  # noqa: S608 (constants only)


def _apply(changes: str) -> str:
    # Ordered by key so that concurrent bulk writes take the row locks in the same order.
    return f"""
        INSERT INTO bookings_daycount AS c (resource_id, day, n)
        SELECT resource_id, day, sum(delta) FROM ({changes}) AS changes
        GROUP BY resource_id, day HAVING sum(delta) <> 0
        ORDER BY day, resource_id
        ON CONFLICT (day, resource_id) DO UPDATE SET n = c.n + EXCLUDED.n;"""  # noqa: S608 (constants only)


# --- The calendar's reads, as functions ----------------------------------------------------------------
# PL/pgSQL keeps the plan of a function's query per connection; with ``force_generic_plan`` it is made
# once (the plans were measured equally good for one resource, a kind, a day and a month). The query is
# a union of three arms joined per row to the requester; planning it and sending its text on every page
# cost about as much as running it. No JIT: a generic plan guesses a thousand days from
# ``generate_series`` and its cost would switch JIT on, compiling ~35 ms on every call for a 1 ms query. ``bookings/queries.py`` calls them; ``param`` names the arguments
# (``p_resources`` inside the function, ``%(resources)s`` when a test explains the query itself).
COLUMNS = (
    'b.id, b.start, b."end", b.status, b.purpose, b.outside_party, b.resource_id, b.requester_id, b.unit_id'
)
RESULT = (
    "r_id bigint, r_start timestamp, r_end timestamp, r_status varchar, r_purpose varchar, "
    "r_outside_party varchar, r_resource_id bigint, r_front_title varchar, r_name varchar, "
    "r_back_title varchar, r_unit_id bigint"
)


def _entries(source: str, p) -> str:
    """Rows ``(id, start, end, status, purpose, outside_party, resource_id, requester's front title,
    name, back title, unit id)`` of ``source`` (bookings) and the blackouts of ``[start, end)``; start
    and end as naive WITA times; by start, end, bookings before blackouts, id. The requester is looked
    up per row (``OFFSET 0`` keeps the planner from joining every employee)."""
    return f"""
    SELECT b.id, b.start AT TIME ZONE '{ZONE}', b."end" AT TIME ZONE '{ZONE}', b.status, b.purpose,
           b.outside_party, b.resource_id, e.front_title, e.name, e.back_title, b.unit_id
    FROM ({source}
        UNION ALL
        SELECT x.id, x.start, x."end", NULL, x.reason, '', x.resource_id, NULL, NULL FROM bookings_blackout x
        WHERE x.resource_id = ANY({p("resources")}) AND x.start < {p("end")} AND x."end" > {p("start")}
    ) b
    LEFT JOIN LATERAL (
        SELECT e.front_title, e.name, e.back_title FROM staff_employee e WHERE e.id = b.requester_id OFFSET 0
    ) e ON true
    ORDER BY b.start, b."end", b.status IS NULL, b.id"""  # noqa: S608 (constants and argument names only)


def _in_calendar(p) -> str:
    return f"b.resource_id = ANY({p('resources')}) AND b.status = ANY({p('statuses')})"


def _multiday_arm(p, before: str) -> str:
    """Multi-day bookings starting before ``before`` and reaching past the window's start."""
    return f"""
        SELECT {COLUMNS} FROM bookings_booking b
        WHERE {_in_calendar(p)} AND {multiday("b")} AND b."end" > {p("start")} AND b.start < {p(before)}"""  # noqa: S608


def window_sql(p) -> str:
    """Of a window of whole local days: the bookings starting in it (a booking within one local day
    overlaps the window exactly when it starts in it) and the multi-day ones started before it."""
    return _entries(
        f"""
        SELECT {COLUMNS} FROM bookings_booking b
        WHERE {_in_calendar(p)} AND b.start >= {p("start")} AND b.start < {p("end")}
        UNION ALL {_multiday_arm(p, "start")}""",  # noqa: S608
        p,
    )


def first_sql(p) -> str:
    """Of each day ``first``..``last``: the first ``per_day`` bookings starting that day (by start, end,
    id), and every multi-day booking reaching into the days."""
    return _entries(
        f"""
        SELECT first.* FROM generate_series({p("first")}, {p("last")}, interval '1 day') AS d(day)
        CROSS JOIN LATERAL (
            SELECT {COLUMNS} FROM bookings_booking b
            WHERE {_in_calendar(p)} AND b.start >= (d.day AT TIME ZONE '{ZONE}')
              AND b.start < ((d.day + interval '1 day') AT TIME ZONE '{ZONE}')
            ORDER BY b.start, b."end", b.id LIMIT {p("per_day")}
        ) AS first
        UNION ALL {_multiday_arm(p, "end")}""",  # noqa: S608
        p,
    )


def _argument(name: str) -> str:
    return f"p_{name}"


FIRST_BOUNDS = (
    f"p_start timestamptz := p_first AT TIME ZONE '{ZONE}'; "
    f"p_end timestamptz := (p_last + interval '1 day') AT TIME ZONE '{ZONE}';"
)
FUNCTIONS_SQL = [
    f"""CREATE OR REPLACE FUNCTION bookings_calendar_window(
        p_resources bigint[], p_statuses text[], p_start timestamptz, p_end timestamptz
    ) RETURNS TABLE ({RESULT}) LANGUAGE plpgsql STABLE
    SET plan_cache_mode = force_generic_plan SET jit = off AS $$
    BEGIN
        RETURN QUERY {window_sql(_argument)};
    END;
    $$""",
    f"""CREATE OR REPLACE FUNCTION bookings_calendar_first(
        p_resources bigint[], p_statuses text[], p_first timestamp, p_last timestamp, p_per_day integer
    ) RETURNS TABLE ({RESULT}) LANGUAGE plpgsql STABLE
    SET plan_cache_mode = force_generic_plan SET jit = off AS $$
    DECLARE {FIRST_BOUNDS}
    BEGIN
        RETURN QUERY {first_sql(_argument)};
    END;
    $$""",
]

CREATE_SQL = [
    f"""CREATE INDEX IF NOT EXISTS bk_booking_multiday_idx ON bookings_booking ("end", start, resource_id)
        WHERE {multiday()}""",
    'CREATE INDEX IF NOT EXISTS bk_booking_day_order_idx ON bookings_booking (start, "end", id)',
    f"CREATE STATISTICS IF NOT EXISTS bk_booking_span_stats ON ({span()}) FROM bookings_booking",
    "ANALYZE bookings_booking",
    """CREATE TABLE IF NOT EXISTS bookings_daycount (
        day date NOT NULL,
        resource_id bigint NOT NULL,
        n integer NOT NULL,
        PRIMARY KEY (day, resource_id)
    )""",
    f"""CREATE OR REPLACE FUNCTION bookings_daycount_apply() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {_apply(_days_of("new_rows", "+"))}
        ELSIF TG_OP = 'DELETE' THEN
            {_apply(_days_of("old_rows", "-"))}
        ELSE
            {_apply(_days_of("old_rows", "-") + " UNION ALL " + _days_of("new_rows", "+"))}
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION bookings_daycount_truncate() RETURNS trigger AS $$
    BEGIN
        TRUNCATE bookings_daycount;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER bookings_daycount_insert AFTER INSERT ON bookings_booking
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bookings_daycount_apply()""",
    """CREATE TRIGGER bookings_daycount_update AFTER UPDATE ON bookings_booking
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION bookings_daycount_apply()""",
    """CREATE TRIGGER bookings_daycount_delete AFTER DELETE ON bookings_booking
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bookings_daycount_apply()""",
    """CREATE TRIGGER bookings_daycount_truncate AFTER TRUNCATE ON bookings_booking
        FOR EACH STATEMENT EXECUTE FUNCTION bookings_daycount_truncate()""",
    *FUNCTIONS_SQL,
    # Backfill (inside the migration's transaction, so no write slips between it and the triggers).
    "TRUNCATE bookings_daycount",
    f"""INSERT INTO bookings_daycount (resource_id, day, n)
        SELECT resource_id, day, sum(delta) FROM ({_days_of("bookings_booking", "+")}) AS changes
        GROUP BY resource_id, day ORDER BY day, resource_id""",  # noqa: S608 (constants only)
    "ANALYZE bookings_daycount",
]
DROP_SQL = [
    "DROP TRIGGER IF EXISTS bookings_daycount_insert ON bookings_booking",
    "DROP TRIGGER IF EXISTS bookings_daycount_update ON bookings_booking",
    "DROP TRIGGER IF EXISTS bookings_daycount_delete ON bookings_booking",
    "DROP TRIGGER IF EXISTS bookings_daycount_truncate ON bookings_booking",
    "DROP FUNCTION IF EXISTS bookings_daycount_apply()",
    "DROP FUNCTION IF EXISTS bookings_daycount_truncate()",
    "DROP FUNCTION IF EXISTS bookings_calendar_window(bigint[], text[], timestamptz, timestamptz)",
    "DROP FUNCTION IF EXISTS bookings_calendar_first(bigint[], text[], timestamp, timestamp, integer)",
    "DROP TABLE IF EXISTS bookings_daycount",
    "DROP STATISTICS IF EXISTS bk_booking_span_stats",
    "DROP INDEX IF EXISTS bk_booking_multiday_idx",
    "DROP INDEX IF EXISTS bk_booking_day_order_idx",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in CREATE_SQL:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in DROP_SQL:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0002_no_double_booking"), ("situok", "0007_cache_versions")]

    operations = [migrations.RunPython(create, drop), TrackTables(*RESOURCE_GROUP)]
