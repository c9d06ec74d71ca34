"""Writes to budget lines bump the "travel_budget" cache version (situok/derived.py): the cached budget
line dropdown of the SPT register."""

from django.db import migrations

from situok.derived import GROUPS, TrackTables


class Migration(migrations.Migration):
    dependencies = [
        ("travel", "0002_workflow"),
        ("situok", "0007_cache_versions"),
    ]

    operations = [TrackTables("travel_budget", GROUPS["travel_budget"])]
