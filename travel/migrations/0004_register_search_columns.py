"""The SPT register reads one row per trip, newest departure first, and filters by traveller and destination.

1. ``trip_depart_id_idx`` on ``(depart_date, id)`` — the register's keyset order — replaces the index on
   ``depart_date`` alone (with it every page sorted a whole day's trips to find the tie-breaking ids).

2. Four columns on ``travel_trip`` kept by database triggers, so that a register page is one index walk over
   ``travel_trip`` alone — no probe of members, employees, destinations or regions per trip:

   * ``traveller_names``: the travellers' names (no titles), one per line — the "Pelaksana" filter
     (a common name part: ~17 ms of probes per page → under 1 ms);
   * ``destination_regions``: the destinations' region codes, each followed by a dot, between spaces
     (`` 51.04. 31.71. ``) — the province/regency filters: region ``X`` or one below it is ``" X."``;
   * ``traveller_list``: JSON ``[[front title, name, back title], …]`` in member order — the row's travellers;
   * ``destination_list``: JSON ``[[place, region name], …]`` in destination order — the row's destinations.

   They are *derived* data like the cache versions of ``situok/derived.py``: triggers on
   ``travel_tripmember``, ``travel_tripdestination``, ``staff_employee`` (names and titles) and
   ``situok_region`` (names) keep them exact on every write path — services, the admin, imports, raw SQL,
   the bench's generator. They are not model fields on purpose: the ORM never reads or writes them
   (``Trip.save()`` cannot overwrite them with a stale value); ``travel.selectors.trip_column`` names
   them in queries.

   On PostgreSQL, trigram indexes (``pg_trgm``, where the server offers it) keep a rare name or
   destination fast too (the planner then reads the few matching trips instead of walking the register).

   SQLite rebuilds a table for some schema changes and drops its triggers and unknown columns with it: a
   later migration that rebuilds ``travel_trip``, ``travel_tripmember``, ``travel_tripdestination``,
   ``staff_employee`` or ``situok_region`` there must run ``forwards`` again (the register tests fail
   loudly otherwise).

Not atomic on purpose: on a large register the backfill runs for a while, and PostgreSQL would otherwise
hold the table lock of ``ADD COLUMN`` (blocking every read of ``travel_trip``) until it ends. Every
statement is idempotent, so an interrupted run can simply be repeated.
"""

from django.db import DatabaseError, migrations, models, transaction

COLUMNS = ("traveller_names", "destination_regions", "traveller_list", "destination_list")

# --- PostgreSQL: statement-level triggers (one UPDATE per statement, however many rows it wrote) ----------
PG_REFRESH = """
CREATE OR REPLACE FUNCTION travel_trip_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
UPDATE travel_trip t
SET traveller_names = s.names, traveller_list = s.members,
    destination_regions = s.codes, destination_list = s.places
FROM (
    SELECT x.id,
           COALESCE(mm.names, '') AS names, COALESCE(mm.members, '') AS members,
           COALESCE(' ' || dd.codes || ' ', '') AS codes, COALESCE(dd.places, '') AS places
    FROM (SELECT DISTINCT unnest(ids) AS id) x
    LEFT JOIN LATERAL (
        SELECT string_agg(e.name, E'\\n' ORDER BY m."order", m.id) AS names,
               json_agg(json_build_array(e.front_title, e.name, e.back_title) ORDER BY m."order", m.id)::text
                   AS members
        FROM travel_tripmember m JOIN staff_employee e ON e.id = m.employee_id WHERE m.trip_id = x.id
    ) mm ON true
    LEFT JOIN LATERAL (
        SELECT string_agg(d.region_id || '.', ' ' ORDER BY d."order", d.id) AS codes,
               json_agg(json_build_array(d.place, r.name) ORDER BY d."order", d.id)::text AS places
        FROM travel_tripdestination d LEFT JOIN situok_region r ON r.code = d.region_id
        WHERE d.trip_id = x.id
    ) dd ON true
) s
WHERE t.id = s.id
  AND (t.traveller_names, t.traveller_list, t.destination_regions, t.destination_list)
      IS DISTINCT FROM (s.names, s.members, s.codes, s.places)
$$"""
PG_CHILD_FUNCTION = """
CREATE OR REPLACE FUNCTION travel_trip_child_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM travel_trip_refresh(ARRAY(SELECT trip_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM travel_trip_refresh(ARRAY(SELECT trip_id FROM old_rows));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM travel_trip_refresh(ARRAY(SELECT trip_id FROM new_rows UNION SELECT trip_id FROM old_rows));
    ELSIF TG_TABLE_NAME = 'travel_tripmember' THEN  -- TRUNCATE
        UPDATE travel_trip SET traveller_names = '', traveller_list = ''
        WHERE traveller_names <> '' OR traveller_list <> '';
    ELSE
        UPDATE travel_trip SET destination_regions = '', destination_list = ''
        WHERE destination_regions <> '' OR destination_list <> '';
    END IF;
    RETURN NULL;
END;
$$"""
# A renamed employee or region: the trips showing it (found through the indexes on the member's employee
# and the destination's region); updates that change no shown value find nothing to do.
PG_EMPLOYEE_FUNCTION = """
CREATE OR REPLACE FUNCTION travel_trip_employee_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM travel_trip_refresh(ARRAY(
        SELECT m.trip_id FROM travel_tripmember m WHERE m.employee_id IN (
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (o.name, o.front_title, o.back_title) IS DISTINCT FROM (n.name, n.front_title, n.back_title))));
    RETURN NULL;
END;
$$"""
PG_REGION_FUNCTION = """
CREATE OR REPLACE FUNCTION travel_trip_region_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM travel_trip_refresh(ARRAY(
        SELECT d.trip_id FROM travel_tripdestination d WHERE d.region_id IN (
            SELECT n.code FROM new_rows n JOIN old_rows o ON o.code = n.code WHERE o.name IS DISTINCT FROM n.name)));
    RETURN NULL;
END;
$$"""


def _pg_triggers(table: str, function: str, events: tuple[str, ...]) -> list[str]:
    referencing = {
        "insert": "REFERENCING NEW TABLE AS new_rows ",
        "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows ",
        "delete": "REFERENCING OLD TABLE AS old_rows ",
        "truncate": "",
    }
    statements = []
    for event in events:
        name = f"{table}_travel_search_{event}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} {referencing[event]}"
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        ]
    return statements


# The destination filters keep a small share of the register (a province outside Bali: ~2 %), so its walk
# passes ~50 trips per row shown — each a random heap page. This index carries the filter columns, so the
# register first finds the ids of its page in the index alone and then reads just those rows
# (travel.selectors.register_page, ``narrow``): a common province 1.5 → 0.7 ms, a rare one 15 → 2 ms.
PG_COVERING = (
    "CREATE INDEX IF NOT EXISTS trip_register_walk_idx ON travel_trip (depart_date, id) "
    "INCLUDE (destination_regions, traveller_names)"
)

CHILD_EVENTS = ("insert", "update", "delete", "truncate")
PG_FORWARDS = [
    # A constant default: no table rewrite, and the ORM's INSERTs (which do not name the columns) get ''.
    *(f"ALTER TABLE travel_trip ADD COLUMN IF NOT EXISTS {column} text NOT NULL DEFAULT ''" for column in COLUMNS),
    PG_REFRESH,
    PG_CHILD_FUNCTION,
    PG_EMPLOYEE_FUNCTION,
    PG_REGION_FUNCTION,
    *_pg_triggers("travel_tripmember", "travel_trip_child_changed", CHILD_EVENTS),
    *_pg_triggers("travel_tripdestination", "travel_trip_child_changed", CHILD_EVENTS),
    *_pg_triggers("staff_employee", "travel_trip_employee_changed", ("update",)),
    *_pg_triggers("situok_region", "travel_trip_region_changed", ("update",)),
    "SELECT travel_trip_refresh(ARRAY(SELECT id FROM travel_trip))",  # the backfill
    PG_COVERING,
]
# Trigram indexes, only where the server offers pg_trgm (a trusted extension since PostgreSQL 13: the
# database owner may create it). The name filter is ``traveller_names ILIKE pattern`` on the column itself
# (travel.filters), whose statistics ANALYZE always keeps: the planner tells a common name part (walk the
# register) from a rare one (read the index).
PG_TRGM = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS trip_traveller_names_trgm ON travel_trip USING gin (traveller_names gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS trip_destination_regions_trgm ON travel_trip "
    "USING gin (destination_regions gin_trgm_ops)",
]
PG_BACKWARDS = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_travel_search_{event} ON {table}"
        for table, events in (
            ("travel_tripmember", CHILD_EVENTS),
            ("travel_tripdestination", CHILD_EVENTS),
            ("staff_employee", ("update",)),
            ("situok_region", ("update",)),
        )
        for event in events
    ),
    "DROP FUNCTION IF EXISTS travel_trip_child_changed()",
    "DROP FUNCTION IF EXISTS travel_trip_employee_changed()",
    "DROP FUNCTION IF EXISTS travel_trip_region_changed()",
    "DROP FUNCTION IF EXISTS travel_trip_refresh(bigint[])",
    "DROP INDEX IF EXISTS trip_register_walk_idx",
    "DROP INDEX IF EXISTS trip_traveller_names_trgm",
    "DROP INDEX IF EXISTS trip_destination_regions_trgm",
    *(f"ALTER TABLE travel_trip DROP COLUMN IF EXISTS {column}" for column in COLUMNS),
]

# --- SQLite: row-level triggers ---------------------------------------------------------------------------
_SQLITE_MEMBERS = "FROM travel_tripmember m JOIN staff_employee e ON e.id = m.employee_id WHERE m.trip_id = travel_trip.id"
_SQLITE_PLACES = (
    "FROM travel_tripdestination d LEFT JOIN situok_region r ON r.code = d.region_id WHERE d.trip_id = travel_trip.id"
)
SQLITE_SET = (
    "UPDATE travel_trip SET "
    f"traveller_names = COALESCE((SELECT group_concat(e.name, char(10)) {_SQLITE_MEMBERS}), ''), "
    "traveller_list = (SELECT json_group_array(json_array(front_title, name, back_title)) FROM ("
    f'SELECT e.front_title, e.name, e.back_title {_SQLITE_MEMBERS} ORDER BY m."order", m.id)), '
    "destination_regions = COALESCE((SELECT ' ' || group_concat(d.region_id || '.', ' ') || ' ' "
    f"{_SQLITE_PLACES} AND d.region_id IS NOT NULL), ''), "
    "destination_list = (SELECT json_group_array(json_array(place, name)) FROM ("
    f'SELECT d.place, r.name {_SQLITE_PLACES} ORDER BY d."order", d.id)) '
)


def _sqlite_child_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_travel_search_insert AFTER INSERT ON {table} "
        f"BEGIN {SQLITE_SET} WHERE id = NEW.trip_id; END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_travel_search_delete AFTER DELETE ON {table} "
        f"BEGIN {SQLITE_SET} WHERE id = OLD.trip_id; END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_travel_search_update AFTER UPDATE ON {table} "
        f"BEGIN {SQLITE_SET} WHERE id IN (OLD.trip_id, NEW.trip_id); END",
    ]


SQLITE_FORWARDS = [
    *_sqlite_child_triggers("travel_tripmember"),
    *_sqlite_child_triggers("travel_tripdestination"),
    "CREATE TRIGGER IF NOT EXISTS staff_employee_travel_search_update "
    "AFTER UPDATE OF name, front_title, back_title ON staff_employee "
    f"BEGIN {SQLITE_SET} WHERE id IN (SELECT trip_id FROM travel_tripmember WHERE employee_id = NEW.id); END",
    "CREATE TRIGGER IF NOT EXISTS situok_region_travel_search_update AFTER UPDATE OF name ON situok_region "
    f"BEGIN {SQLITE_SET} WHERE id IN (SELECT trip_id FROM travel_tripdestination WHERE region_id = NEW.code); END",
    SQLITE_SET,  # the backfill
]
SQLITE_BACKWARDS = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_travel_search_{event}"
        for table in ("travel_tripmember", "travel_tripdestination")
        for event in ("insert", "update", "delete")
    ),
    "DROP TRIGGER IF EXISTS staff_employee_travel_search_update",
    "DROP TRIGGER IF EXISTS situok_region_travel_search_update",
    *(f"ALTER TABLE travel_trip DROP COLUMN {column}" for column in COLUMNS),
]


def _missing_columns(schema_editor) -> list[str]:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        present = {c.name for c in connection.introspection.get_table_description(cursor, "travel_trip")}
    return [column for column in COLUMNS if column not in present]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for statement in PG_FORWARDS:
            schema_editor.execute(statement)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
            trgm = cursor.fetchone() is not None
        if trgm:
            try:
                with transaction.atomic(using=connection.alias):  # a savepoint inside a transaction
                    for statement in PG_TRGM:
                        schema_editor.execute(statement)
            except DatabaseError:  # no right to create the extension: the register walk still works
                pass
        # The backfill left a dead row version of every trip: clear them now rather than have index walks
        # step over them until autovacuum comes; and give the planner the new columns' statistics.
        schema_editor.execute("ANALYZE travel_trip" if connection.in_atomic_block else "VACUUM (ANALYZE) travel_trip")
    elif connection.vendor == "sqlite":
        for column in _missing_columns(schema_editor):
            schema_editor.execute(f"ALTER TABLE travel_trip ADD COLUMN {column} text NOT NULL DEFAULT ''")
        for statement in SQLITE_FORWARDS:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"travel register columns: no triggers for {connection.vendor}")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": PG_BACKWARDS, "sqlite": SQLITE_BACKWARDS}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("travel", "0003_budgetline_cache_version"),
        ("staff", "0004_cache_version_triggers"),
        ("situok", "0007_cache_versions"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        # After the backfill and its VACUUM: the index is built on the compacted table.
        migrations.AddIndex(
            model_name="trip",
            index=models.Index(fields=["depart_date", "id"], name="trip_depart_id_idx"),
        ),
        migrations.RemoveIndex(model_name="trip", name="trip_depart_idx"),
    ]
