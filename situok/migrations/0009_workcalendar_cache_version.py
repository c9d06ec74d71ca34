"""Writes to the work calendar bump the "workcalendar" cache version (situok/derived.py): the booking
calendar caches which days of a window are working days instead of reading them on every page."""

from django.db import migrations

from situok.derived import GROUPS, TrackTables


class Migration(migrations.Migration):
    dependencies = [("situok", "0008_region_cache_version")]

    operations = [TrackTables("workcalendar", GROUPS["workcalendar"])]
