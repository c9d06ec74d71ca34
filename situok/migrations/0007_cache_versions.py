"""Versions of cached derived data, bumped by triggers on every write (see situok/derived.py)."""

from django.db import migrations, models

from situok.derived import GROUPS, PG_FUNCTION, PG_FUNCTION_DROP, TrackTables


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("situok", "0006_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="CacheVersion",
            fields=[
                ("name", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("version", models.BigIntegerField()),
            ],
            options={"db_table": "situok_cacheversion"},
        ),
        migrations.RunPython(create_function, drop_function),
        TrackTables("auth", GROUPS["auth"]),
        TrackTables("contenttypes", GROUPS["contenttypes"]),
    ]
