"""Cached *derived* data — counts, permission sets, dropdown options — that is never stale.

Every cached value depends on named groups of tables (``"staff"``: employees, units, positions;
``"auth"``: users, groups, permissions; ``"contenttypes"``). Each group has a version in the table
``situok_cacheversion``, bumped by **database triggers** on every INSERT/UPDATE/DELETE/TRUNCATE of its
tables — so every write path is covered: services, the admin, bulk imports, ``queryset.update()``,
raw SQL, the bench's data generator. The cache key of a value carries the versions it depends on, so
a write makes the old entries unreachable; nothing is ever deleted or "invalidated by hand".

Why this is safe:

* the bump happens inside the writing transaction, so other connections see the new version exactly
  when they can see the new rows (a value computed from old rows is only ever stored under the old
  version);
* new versions come from a sequence (PostgreSQL) or a 64-bit random number (SQLite), never reused:
  after a rolled-back write the version goes back to a value whose entries describe exactly the rows
  that are back;
* a group whose version row is missing (a flushed SQLite database) is never cached.

Costs: one small query per request (:func:`versions`, read once and kept for the request by
:class:`DerivedCacheMiddleware`); writers to one group queue on its version row until they commit
(bureau-scale write rates; a long import holds it until it commits).

Values are kept in a small in-process dictionary (no pickling: treat them as read-only) and in
Django's cache (shared between processes when ``CACHE_URL`` points to Redis).
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection, migrations, models

T = TypeVar("T")

# Group name → tables whose writes bump it. Apps declare their groups in their own migrations with
# :class:`TrackTables`; this dictionary is the documentation of what exists.
GROUPS = {
    "auth": (
        "auth_user",
        "auth_group",
        "auth_permission",
        "auth_user_groups",
        "auth_group_permissions",
        "auth_user_user_permissions",
    ),
    "contenttypes": ("django_content_type",),
    "staff": ("staff_employee", "staff_orgunit", "staff_position"),
    "regions": ("situok_region",),
    "travel_budget": ("travel_budgetline",),
    "workcalendar": ("situok_calendarday",),  # holidays, cuti bersama, special working days
    "bookings_resources": ("bookings_resource", "bookings_building"),  # created by bookings/0003
    "bookings_approvers": ("bookings_resource_approvers",),  # created by bookings/0004
}
# On auth_user only rows coming and going count (a login updates ``last_login`` on every sign-in);
# the flags that matter (is_active, is_superuser) are read from the fresh user row on every request.
INSERT_DELETE_ONLY = {"auth_user"}

TIMEOUT = 24 * 60 * 60
_LOCAL_MAX = 512


class CacheVersion(models.Model):
    name = models.CharField(max_length=40, primary_key=True)
    version = models.BigIntegerField()

    class Meta:
        db_table = "situok_cacheversion"
        app_label = "situok"

    def __str__(self) -> str:
        return f"{self.name}@{self.version}"


# --- Versions, read once per request ----------------------------------------------------------------
_request_versions: contextvars.ContextVar[dict[str, int] | None] = contextvars.ContextVar(
    "situok_derived_versions", default=None
)


def _read_versions() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, version FROM situok_cacheversion")
        return dict(cursor.fetchall())


def versions() -> dict[str, int]:
    """All group versions: one query per request (inside :class:`DerivedCacheMiddleware`), one per
    call elsewhere (shell, tasks, tests calling functions directly) — always fresh there."""
    memo = _request_versions.get()
    if memo is None:
        return _read_versions()
    if not memo:
        memo.update(_read_versions())
        memo.setdefault("", 0)  # marks "read" even when the table is empty
    return memo


class DerivedCacheMiddleware:
    """Scopes :func:`versions` to one request: read lazily at most once, forgotten afterwards."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_versions.set({})
        try:
            return self.get_response(request)
        finally:
            _request_versions.reset(token)


# --- The cache ----------------------------------------------------------------------------------------
_local: dict[str, Any] = {}
_MISSING = object()


def versioned_key(key: str, depends_on: Iterable[str]) -> str | None:
    """``key`` plus the versions of its groups; ``None`` when a group has no version (do not cache)."""
    current = versions()
    parts = []
    for group in depends_on:
        version = current.get(group)
        if version is None:
            return None
        parts.append(f"{group}{version}")
    digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    return f"situok:{digest}:{':'.join(parts)}"


def cached(key: str, *, depends_on: Iterable[str], compute: Callable[[], T], timeout: int = TIMEOUT) -> T:
    """The value of ``compute()`` for ``key`` at the current versions of ``depends_on``.

    ``key`` must describe everything else the value depends on (the SQL and its parameters, the user,
    the language of labels…). The value is shared between requests and threads: never mutate it.
    """
    full_key = versioned_key(key, depends_on)
    if full_key is None:
        return compute()
    value = _local.get(full_key, _MISSING)
    if value is not _MISSING:
        return value
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full_key, value, timeout)
    if len(_local) >= _LOCAL_MAX:
        with contextlib.suppress(KeyError, RuntimeError, StopIteration):  # another thread evicted meanwhile
            _local.pop(next(iter(_local)))  # oldest first; entries of old versions age out
    _local[full_key] = value
    return value


def queryset_key(queryset) -> str:
    """A cache key describing a queryset exactly: its SQL with the parameters, and the database."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. .none() or pk__in=[]: matches nothing, whatever the data
        sql, params = "EMPTY", ()
    return f"{queryset.db}|{queryset.model._meta.label}|{sql}|{params!r}"


def cached_count(queryset, *, depends_on: Iterable[str]) -> int:
    """``queryset.count()``, computed once per version of the tables it reads."""
    return cached("count|" + queryset_key(queryset), depends_on=depends_on, compute=queryset.count)


# --- Triggers -------------------------------------------------------------------------------------------
PG_FUNCTION = """
CREATE SEQUENCE IF NOT EXISTS situok_cacheversion_seq;
CREATE OR REPLACE FUNCTION situok_cacheversion_bump() RETURNS trigger AS $$
BEGIN
    INSERT INTO situok_cacheversion (name, version)
        VALUES (TG_ARGV[0], nextval('situok_cacheversion_seq'))
        ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
PG_FUNCTION_DROP = """
DROP FUNCTION IF EXISTS situok_cacheversion_bump() CASCADE;
DROP SEQUENCE IF EXISTS situok_cacheversion_seq;
"""


def _trigger_name(table: str) -> str:
    return f"situok_cv_{table}"


def _identifier(name: str) -> str:
    # Table and group names come from code (GROUPS, migrations), never from users; DDL cannot take
    # parameters, so they are checked to be plain identifiers before being written into SQL.
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"not a plain identifier: {name!r}")
    return name


def trigger_sql(vendor: str, table: str, group: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements of the version triggers of one table."""
    table, group = _identifier(table), _identifier(group)
    name = _trigger_name(table)
    events = ("INSERT", "DELETE") if table in INSERT_DELETE_ONLY else ("INSERT", "UPDATE", "DELETE")
    if vendor == "postgresql":
        create = [
            f"CREATE TRIGGER {name} AFTER {' OR '.join(events)} ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION situok_cacheversion_bump('{group}')",
            f"CREATE TRIGGER {name}_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION situok_cacheversion_bump('{group}')",
        ]
        drop = [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"DROP TRIGGER IF EXISTS {name}_truncate ON {table}",
        ]
        return create, drop
    if vendor == "sqlite":
        # An UPDATE, not an upsert: SQLite applies the outer statement's conflict policy to the
        # statements of a trigger, so INSERT OR IGNORE (m2m add) would silently skip an upsert.
        create = [
            f"CREATE TRIGGER {name}_{event.lower()} AFTER {event} ON {table} BEGIN "  # noqa: S608 (identifiers)
            f"UPDATE situok_cacheversion SET version = random() WHERE name = '{group}'; END"
            for event in events
        ]
        drop = [f"DROP TRIGGER IF EXISTS {name}_{event.lower()}" for event in events]
        return create, drop
    return [], []  # other databases: no versions → nothing is cached


_SEED_SQL = {
    "postgresql": "INSERT INTO situok_cacheversion (name, version) "
    "VALUES (%s, nextval('situok_cacheversion_seq')) ON CONFLICT (name) DO NOTHING",
    "sqlite": "INSERT INTO situok_cacheversion (name, version) VALUES (%s, random()) ON CONFLICT (name) DO NOTHING",
}


class TrackTables(migrations.operations.base.Operation):
    """Migration operation: bump ``group``'s version on every write to ``tables``."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, group: str, tables: tuple[str, ...]):
        self.group = group
        self.tables = tuple(tables)

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        for table in self.tables:
            for statement in trigger_sql(vendor, table, self.group)[0]:
                schema_editor.execute(statement)
        if vendor in _SEED_SQL:
            schema_editor.execute(_SEED_SQL[vendor], [self.group])

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for table in self.tables:
            for statement in trigger_sql(schema_editor.connection.vendor, table, self.group)[1]:
                schema_editor.execute(statement)

    def describe(self):
        return f"Bump cache version {self.group!r} on writes to {', '.join(self.tables)}"

    def deconstruct(self):
        return self.__class__.__qualname__, [], {"group": self.group, "tables": self.tables}
