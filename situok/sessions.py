"""The two rows every signed-in request reads — its session and its user — without the ORM's
per-query work.

Compiling ``Session.objects.get(...)`` and ``User.objects.get(pk=...)`` costs twice as much Python as
the database takes to answer them, on every page. Both are fixed statements: they are built once per
process and database, run with parameters, and the row is turned into an instance with the same
database converters the ORM applies (so SQLite and PostgreSQL give identical objects). Writes (saving,
creating, deleting sessions) stay Django's.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

from django.contrib.sessions.backends import db
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import timezone


@functools.cache
def _session_sql(alias: str, table: str) -> str:
    quote = connections[alias].ops.quote_name
    return (
        f"SELECT {quote('session_data')} FROM {quote(table)} "  # noqa: S608 (quoted identifiers from the model)
        f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s"
    )


class SessionStore(db.SessionStore):
    """Django's database sessions (``SESSION_ENGINE = "situok.sessions"``), read with one fixed statement."""

    def _get_session_from_db(self):
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_session_sql(alias, model._meta.db_table), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return SimpleNamespace(session_data=row[0])


@functools.cache
def _row_statement(model, alias: str) -> tuple[str, list[str], list[tuple[int, list, object]]]:
    """``SELECT <every concrete column> FROM <table> WHERE <pk> = %s``, the field names for
    ``Model.from_db`` and, per column that needs them, the database converters of the ORM."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    opts = model._meta
    fields = list(opts.concrete_fields)
    sql = (
        f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(opts.db_table)} "  # noqa: S608 (identifiers)
        f"WHERE {quote(opts.pk.column)} = %s"
    )
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(opts.db_table)
        found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if found:
            converters.append((index, found, column))
    return sql, [f.attname for f in fields], converters


def instance_by_pk(model, pk):
    """``model._default_manager.get(pk=pk)`` or ``None`` — one fixed statement, no query compilation."""
    try:
        value = model._meta.pk.to_python(pk)
    except (ValidationError, TypeError, ValueError):  # a malformed id: no such row
        return None
    alias = router.db_for_read(model)
    connection = connections[alias]
    sql, names, converters = _row_statement(model, alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    if row is None:
        return None
    if converters:
        row = list(row)
        for index, functions, column in converters:
            for convert in functions:
                row[index] = convert(row[index], column, connection)
    return model.from_db(alias, names, row)
