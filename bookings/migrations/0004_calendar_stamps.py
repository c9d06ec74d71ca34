"""Per-resource stamps of the calendar's data, kept by database triggers.

``bookings_resourcestamp`` holds one version per resource, bumped (in the writing transaction) by every
write to its bookings or blackouts — services, the admin, ``queryset.update()``, raw SQL. The calendar
keys the markup it keeps on the stamps of the resources it shows (``bookings/views_calendar.py``): a
write makes the old markup unreachable, as ``situok/derived.py`` does per table group, but per resource,
so writers to different rooms never wait on each other (they only queue on their own resource's stamp,
as they already do on its row and its per-day counts). Versions come from a sequence (PostgreSQL) or
``random()`` (SQLite); a resource without a row simply has no stamp yet. Not in the model state.

Also the cache group ``bookings_approvers`` (the approvers of each resource): who may open a booking
depends on it.
"""

from django.db import migrations

from situok.derived import TrackTables

TABLES = ("bookings_booking", "bookings_blackout")
APPROVERS_GROUP = ("bookings_approvers", ("bookings_resource_approvers",))


def _bump(rows: str) -> str:
    # One new version per resource written, taken in resource order (concurrent bulk writes lock the
    # rows in the same order).
    return f"""
        INSERT INTO bookings_resourcestamp AS s (resource_id, version)
        SELECT r, nextval('bookings_resourcestamp_seq') FROM (SELECT DISTINCT resource_id AS r FROM ({rows}) w) x
        ORDER BY r
        ON CONFLICT (resource_id) DO UPDATE SET version = EXCLUDED.version;"""  # noqa: S608 (constants only)


PG_CREATE = [
    "CREATE SEQUENCE IF NOT EXISTS bookings_resourcestamp_seq",
    "CREATE TABLE IF NOT EXISTS bookings_resourcestamp (resource_id bigint PRIMARY KEY, version bigint NOT NULL)",
    f"""CREATE OR REPLACE FUNCTION bookings_resourcestamp_bump() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {_bump("SELECT resource_id FROM new_rows")}
        ELSIF TG_OP = 'DELETE' THEN
            {_bump("SELECT resource_id FROM old_rows")}
        ELSIF TG_OP = 'UPDATE' THEN
            {_bump("SELECT resource_id FROM old_rows UNION SELECT resource_id FROM new_rows")}
        ELSE
            UPDATE bookings_resourcestamp SET version = nextval('bookings_resourcestamp_seq');
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql""",  # noqa: S608 (constants only)
]
for _table in TABLES:
    PG_CREATE += [
        f"""CREATE TRIGGER {_table}_stamp_insert AFTER INSERT ON {_table}
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bookings_resourcestamp_bump()""",
        f"""CREATE TRIGGER {_table}_stamp_update AFTER UPDATE ON {_table}
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION bookings_resourcestamp_bump()""",
        f"""CREATE TRIGGER {_table}_stamp_delete AFTER DELETE ON {_table}
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bookings_resourcestamp_bump()""",
        f"""CREATE TRIGGER {_table}_stamp_truncate AFTER TRUNCATE ON {_table}
            FOR EACH STATEMENT EXECUTE FUNCTION bookings_resourcestamp_bump()""",
    ]
PG_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_stamp_{event} ON {table}"
        for table in TABLES
        for event in ("insert", "update", "delete", "truncate")
    ),
    "DROP FUNCTION IF EXISTS bookings_resourcestamp_bump()",
    "DROP TABLE IF EXISTS bookings_resourcestamp",
    "DROP SEQUENCE IF EXISTS bookings_resourcestamp_seq",
]

_SQLITE_SET = (
    "INSERT INTO bookings_resourcestamp (resource_id, version) VALUES ({}.resource_id, random()) "
    "ON CONFLICT (resource_id) DO UPDATE SET version = excluded.version;"
)
SQLITE_CREATE = [
    "CREATE TABLE IF NOT EXISTS bookings_resourcestamp (resource_id integer PRIMARY KEY, version integer NOT NULL)"
]
for _table in TABLES:
    SQLITE_CREATE += [
        f"CREATE TRIGGER IF NOT EXISTS {_table}_stamp_insert AFTER INSERT ON {_table} "
        f"BEGIN {_SQLITE_SET.format('NEW')} END",
        f"CREATE TRIGGER IF NOT EXISTS {_table}_stamp_update AFTER UPDATE ON {_table} "
        f"BEGIN {_SQLITE_SET.format('OLD')} {_SQLITE_SET.format('NEW')} END",
        f"CREATE TRIGGER IF NOT EXISTS {_table}_stamp_delete AFTER DELETE ON {_table} "
        f"BEGIN {_SQLITE_SET.format('OLD')} END",
    ]
SQLITE_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_stamp_{event}"
        for table in TABLES
        for event in ("insert", "update", "delete")
    ),
    "DROP TABLE IF EXISTS bookings_resourcestamp",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG_CREATE, "sqlite": SQLITE_CREATE}.get(vendor, []):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0003_calendar_day_counts")]

    operations = [migrations.RunPython(create, drop), TrackTables(*APPROVERS_GROUP)]
