"""On PostgreSQL, make the audit table append-only for every client, raw SQL included."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION situok_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'situok_auditevent is append-only (' || TG_OP || ' refused)',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER situok_auditevent_append_only
    BEFORE UPDATE OR DELETE ON situok_auditevent
    FOR EACH ROW EXECUTE FUNCTION situok_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS situok_auditevent_append_only ON situok_auditevent;
DROP FUNCTION IF EXISTS situok_audit_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("situok", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
