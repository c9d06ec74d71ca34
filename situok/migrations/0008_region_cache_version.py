"""Writes to the region table bump the "regions" cache version (situok/derived.py): cached region
dropdowns (the SPT register's destination filters)."""

from django.db import migrations

from situok.derived import GROUPS, TrackTables


class Migration(migrations.Migration):
    dependencies = [("situok", "0007_cache_versions")]

    operations = [TrackTables("regions", GROUPS["regions"])]
