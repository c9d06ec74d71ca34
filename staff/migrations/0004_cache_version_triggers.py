"""Writes to employees, units and positions bump the "staff" cache version (situok/derived.py)."""

from django.db import migrations

from situok.derived import GROUPS, TrackTables


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0003_correction_returned_status"),
        ("situok", "0007_cache_versions"),
    ]

    operations = [TrackTables("staff", GROUPS["staff"])]
