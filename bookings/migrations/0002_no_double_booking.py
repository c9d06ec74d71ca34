"""No double booking on PostgreSQL: exclusion constraints on the booking ranges (btree_gist).

Created only on PostgreSQL (SQLite has no range types; there the services' overlap query, run inside
IMMEDIATE transactions, decides). Not in the model state: the constraints are expressions over
``tstzrange`` that Django's SQLite schema editor could not create, and no model code reads them.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

RESOURCE_CONSTRAINT = "bk_booking_no_resource_overlap"
DRIVER_CONSTRAINT = "bk_booking_no_driver_overlap"

CREATE_SQL = [
    f"""ALTER TABLE bookings_booking ADD CONSTRAINT {RESOURCE_CONSTRAINT}
        EXCLUDE USING gist (resource_id WITH =, tstzrange("start", block_end, '[)') WITH &&)
        WHERE (holds_slot)""",
    f"""ALTER TABLE bookings_booking ADD CONSTRAINT {DRIVER_CONSTRAINT}
        EXCLUDE USING gist (driver_id WITH =, tstzrange("start", "end", '[)') WITH &&)
        WHERE (holds_slot AND driver_id IS NOT NULL)""",
]
DROP_SQL = [
    f"ALTER TABLE bookings_booking DROP CONSTRAINT IF EXISTS {RESOURCE_CONSTRAINT}",
    f"ALTER TABLE bookings_booking DROP CONSTRAINT IF EXISTS {DRIVER_CONSTRAINT}",
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
    dependencies = [("bookings", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(create, drop),
    ]
