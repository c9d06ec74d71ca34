"""A trigram index for the staff list's name search (PostgreSQL with ``pg_trgm`` only).

The search is ``name__icontains`` — ``UPPER(name::text) LIKE UPPER('%term%')`` on PostgreSQL — which no
B-tree can serve: without this index the count of a search reads the whole table (50,000 employees:
~25 ms) and a rare name walks the whole name index to fill a page. The GIN index over exactly that
expression finds the matching rows directly (the count of a common name part: ~4 ms; a rare name:
well under a millisecond); ``staff.filters.EmployeeFilter`` decides when the page reads the matches
through it rather than walking the name order (a name part common in one region of the alphabet, such
as "Wayan" among the "I …" and "Ni …" names, otherwise walks half the list first).

Only where the server offers ``pg_trgm`` (a trusted extension since PostgreSQL 13: the database owner
may create it); without it the search still works, by scanning. Not in the model state: an index over
an operator class of an extension, which SQLite cannot create and no model code names.
"""

from django.db import DatabaseError, migrations, transaction

INDEX = "employee_name_trgm_idx"
CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON staff_employee USING gin ((UPPER(name::text)) gin_trgm_ops)",
]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
    try:
        with transaction.atomic(using=connection.alias):  # a savepoint: a refusal leaves the rest intact
            for statement in CREATE:
                schema_editor.execute(statement)
    except DatabaseError:  # no right to create the extension: the search scans, as before
        return
    schema_editor.execute("ANALYZE staff_employee")  # statistics of the indexed expression


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("staff", "0004_cache_version_triggers")]

    operations = [migrations.RunPython(forwards, backwards)]
