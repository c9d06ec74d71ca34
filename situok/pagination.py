"""Pagination of big lists.

- :func:`keyset_page` ("seek" pagination): an exact ``COUNT(*)`` over a million rows costs more than
  the page itself, so big lists page by the last seen key instead of by page number: one query per page
  (``LIMIT n+1`` tells whether a next page exists), constant cost at any depth.
- :func:`id_page`: numbered pages ("page x of y", "N records") with the count cached per version of
  the tables it reads, and the page's rows found by a narrow key query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

from . import derived


@dataclass
class KeysetPage:
    items: list[Any]
    next_cursor: int | None
    cursor: int | None
    per_page: int

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def keyset_page(qs: QuerySet, cursor: str | int | None, *, per_page: int = 50, key: str = "id") -> KeysetPage:
    """Newest first by ``key`` (a unique, indexed, increasing column); ``cursor`` is the last key
    already shown (items with a smaller key follow)."""
    try:
        cursor_value = int(cursor) if cursor not in (None, "") else None
    except (TypeError, ValueError):
        cursor_value = None
    if cursor_value is not None:
        qs = qs.filter(**{f"{key}__lt": cursor_value})
    items = list(qs.order_by(f"-{key}")[: per_page + 1])
    next_cursor = None
    if len(items) > per_page:
        items = items[:per_page]
        next_cursor = getattr(items[-1], key)
    return KeysetPage(items=items, next_cursor=next_cursor, cursor=cursor_value, per_page=per_page)


class CachedCountPaginator(Paginator):
    """A numbered paginator whose ``COUNT(*)`` is computed once per version of ``depends_on`` (the
    situok/derived.py groups of every table the list's query reads), not on every page view."""

    def __init__(self, object_list, per_page, *, depends_on: tuple[str, ...], **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.depends_on = depends_on

    @cached_property
    def count(self) -> int:
        return derived.cached_count(self.object_list, depends_on=self.depends_on)


class _CountedPaginator(Paginator):
    """A numbered paginator over a list whose size is already known (no ``COUNT`` of its own)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


# --- Rows as values ------------------------------------------------------------------------------------
class Row(tuple):
    """One row of :func:`id_page` values: a tuple whose fields are also attributes (``row.name``), the
    primary key also as ``row.pk``. Cheaper to build than a model instance; read-only."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{f}={v!r}' for f, v in zip(self._fields, self, strict=True))})"


# Columns whose database values are already the Python values (no ``from_db_value``, no backend
# converter on SQLite or PostgreSQL), so that a page's rows can be read by one plain statement.
_PLAIN_TYPES = frozenset(
    {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
     "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField", "CharField",
     "TextField", "SlugField", "EmailField", "URLField"}
)  # fmt: skip


@dataclass(frozen=True)
class _RowsSpec:
    row: type[Row]
    sql: str  # "SELECT <columns> FROM <table> WHERE <pk> IN " — the placeholders follow
    pk_index: int


_SPECS: dict[tuple[str, str, tuple[str, ...]], _RowsSpec] = {}


def _rows_spec(model, fields: tuple[str, ...], alias: str) -> _RowsSpec:
    """What :func:`id_page` needs to read ``fields`` of ``model`` by primary key; built once per
    process (per database alias, for its quoting)."""
    key = (alias, model._meta.label, fields)
    spec = _SPECS.get(key)
    if spec is not None:
        return spec
    pk = model._meta.pk
    if pk.attname not in fields:
        raise ValueError(f"the fields of {model._meta.label} rows must include {pk.attname!r}")
    quote = connections[alias].ops.quote_name
    columns = []
    for name in fields:
        field = model._meta.get_field(name)
        if field.attname != name or not field.concrete:
            raise ValueError(f"{name!r} is not a column attribute of {model._meta.label} (use 'unit_id')")
        target = field.target_field if field.is_relation else field
        if target.get_internal_type() not in _PLAIN_TYPES or hasattr(field, "from_db_value"):
            raise ValueError(f"{name!r}: its database value needs a conversion; read it with the ORM")
        columns.append(quote(field.column))
    namespace = {name: property(itemgetter(i), doc=name) for i, name in enumerate(fields)}
    namespace.update(__slots__=(), _fields=fields, pk=property(itemgetter(fields.index(pk.attname))))
    row = type(f"{model.__name__}Row", (Row,), namespace)
    sql = f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)} WHERE {quote(pk.column)} IN "  # noqa: S608 (identifiers from model meta)
    spec = _SPECS[key] = _RowsSpec(row, sql, fields.index(pk.attname))
    return spec


def _read_rows(spec: _RowsSpec, keys: list, alias: str) -> list[Row]:
    """The rows of ``keys`` in the order of ``keys``."""
    with connections[alias].cursor() as cursor:
        cursor.execute(spec.sql + f"({', '.join(['%s'] * len(keys))})", keys)
        found = {values[spec.pk_index]: values for values in cursor.fetchall()}
    make = spec.row
    return [make(found[key]) for key in keys if key in found]


# --- Numbered pages ------------------------------------------------------------------------------------
# Up to this many skipped rows (OFFSET), a page of values reads its rows directly; past it, a narrow key
# query (index-only) finds the page's keys first and a second statement reads their rows.
DIRECT_OFFSET = 250


def _compiled(qs: QuerySet, alias: str) -> tuple[str, tuple] | None:
    """SQL and parameters of ``qs`` (``None``: it matches nothing, e.g. ``.none()``)."""
    try:
        return qs.query.get_compiler(alias).as_sql()
    except EmptyResultSet:
        return None


def _sliced(qs: QuerySet, compiled, low: int, high: int, alias: str) -> tuple[str, tuple] | None:
    """SQL of ``qs[low:high]``: ``compiled`` (the SQL of ``qs``) with the limits appended when that is
    what Django would write, else compiled anew."""
    query = qs.query
    if compiled is not None and not (query.combinator or query.select_for_update or query.is_sliced):
        sql, params = compiled
        return f"{sql} {connections[alias].ops.limit_offset_sql(low, high)}", params
    return _compiled(qs[low:high], alias)


def _seek_keys(qs: QuerySet, fields: tuple[str, ...]) -> list[str] | None:
    """The ordering of ``qs`` as columns of ``fields`` when a row comparison can seek a page's first row
    (every key a non-null column of the model itself, all in one direction); else ``None``."""
    query = qs.query
    if (
        not query.order_by
        or query.extra_order_by
        or not query.standard_ordering
        or query.distinct
        or query.combinator
        or query.select_for_update
    ):
        return None
    columns, directions = [], set()
    for item in query.order_by:
        if not isinstance(item, str):
            return None
        name = item.removeprefix("-")
        try:
            field = qs.model._meta.pk if name == "pk" else qs.model._meta.get_field(name)
        except FieldDoesNotExist:  # a lookup through a relation, a random order, an annotation
            return None
        if not field.concrete or field.null or field.is_relation or field.attname not in fields:
            return None
        columns.append(field.attname)
        directions.add(item.startswith("-"))
    return columns if len(directions) == 1 else None


def _seek(
    reading, start, columns: list[str], descending: bool, size: int, alias: str, skip: int = 0
) -> tuple[str, tuple]:
    """A page of ``size`` rows of the list ``reading`` (SQL and parameters, ordered by ``columns``) from
    the row whose keys ``start`` gives (SQL and parameters: a subquery selecting them, or placeholders
    of their values) on, ``skip`` rows after it — a range condition the ordering's index serves."""
    (sql, params), (start_sql, start_params) = reading, start
    ops = connections[alias].ops
    page = ops.quote_name("page")
    keys = [f"{page}.{ops.quote_name(column)}" for column in columns]
    direction = "DESC" if descending else "ASC"
    # Quoted identifiers around SQL that Django compiled (values stay parameters).
    statement = (
        f"SELECT * FROM ({sql}) AS {page} WHERE ({', '.join(keys)}) {'<=' if descending else '>='} "  # noqa: S608
        f"({start_sql}) ORDER BY {', '.join(f'{key} {direction}' for key in keys)} "
        f"{ops.limit_offset_sql(skip, skip + size)}"
    )
    return statement, (*params, *start_params)


# --- Anchors: the keys of page boundaries -----------------------------------------------------------------
# At most this many anchors are kept per list and page size (a few tens of kilobytes in the cache): a
# longer list keeps the keys of every k-th page boundary, and a page skips (OFFSET) at most k - 1 pages
# after the nearest one — 100 index entries for 50,000 rows of 25 per page.
MAX_ANCHORS = 512


@dataclass(frozen=True)
class _Anchors:
    every: int  # rows between two anchors (a multiple of the page size)
    keys: tuple[tuple, ...]  # the ordering's keys of rows 0, every, 2 * every, … of the list


def _anchors(filtered: QuerySet, seek: list[str], descending: bool, every: int, alias: str) -> _Anchors:
    """The keys ``seek`` of every ``every``-th row of ``filtered`` (in its order): one statement
    numbering the rows of the list's keys (an index-only scan of the ordering where one serves it)."""
    reading = _compiled(filtered.values_list(*seek), alias)
    if reading is None:
        return _Anchors(every, ())
    sql, params = reading
    quote = connections[alias].ops.quote_name
    listed, numbered, n = quote("listed"), quote("numbered"), quote("n")
    inner = ", ".join(f"{listed}.{quote(column)}" for column in seek)
    order = ", ".join(f"{listed}.{quote(column)} {'DESC' if descending else 'ASC'}" for column in seek)
    outer = ", ".join(f"{numbered}.{quote(column)}" for column in seek)
    # Identifiers quoted from model meta around SQL that Django compiled; values are parameters.
    statement = (
        f"SELECT {outer} FROM (SELECT {inner}, ROW_NUMBER() OVER (ORDER BY {order}) AS {n} "  # noqa: S608
        f"FROM ({sql}) AS {listed}) AS {numbered} WHERE ({numbered}.{n} - 1) %% %s = 0 "
        f"ORDER BY {numbered}.{n}"
    )
    return _Anchors(every, tuple(tuple(keys) for keys in _fetch(alias, (statement, (*params, every)))))


def _anchored(filtered, compiled, seek, *, count, bottom, size, per_page, key, depends_on, alias):
    """The statement of a page from the nearest anchor at or before its first row (``bottom``): one
    keyset query, at any depth. ``None``: no anchor covers it (the list changed under the count)."""
    descending = filtered.query.order_by[0].startswith("-")
    pages_between = max(1, -(-count // (per_page * MAX_ANCHORS)))  # at most MAX_ANCHORS anchors
    every = per_page * pages_between
    anchors = derived.cached(
        f"anchors|{every}|{key}",
        depends_on=depends_on,
        compute=lambda: _anchors(filtered, seek, descending, every, alias),
    )
    index, skip = divmod(bottom, anchors.every)
    if index >= len(anchors.keys):
        return None
    start = anchors.keys[index]
    placeholders = ", ".join(["%s"] * len(start))
    return _seek(compiled, (placeholders, start), seek, descending, size, alias, skip)


def _fetch(alias: str, statement) -> list[tuple]:
    with connections[alias].cursor() as cursor:
        cursor.execute(*statement)
        return cursor.fetchall()


def id_page(
    filtered: QuerySet,
    rows: QuerySet | None = None,
    *,
    per_page: int,
    number,
    depends_on: tuple[str, ...],
    fields: Sequence[str] | None = None,
    covered: bool = False,
) -> Page:
    """One numbered page of ``filtered`` (which must be ordered, ending with a unique key).

    The rows are either ``fields`` (attribute names of plain columns, e.g. ``("id", "name",
    "unit_id")``) as :class:`Row` tuples — or, without ``fields``, the model instances of ``rows``
    (joins, ``only()``). ``filtered`` may already be ``values_list(*fields)`` (built once, cloned per
    request: no field lookups per request).

    Pages in the back half of the list are sought from the end with the ordering reversed, so the
    skipped prefix (``OFFSET``) is never longer than half the list: page 1,800 of 2,000 skips 5,000
    rows, not 45,000. Near either end (at most :data:`DIRECT_OFFSET` rows skipped) a page of ``fields``
    is one query; deeper, a narrow, index-backed query over primary keys finds the page's keys and a
    second one reads their rows. The count is cached per version of ``depends_on`` (situok/derived.py),
    keyed by the SQL of the list, which is compiled once and is also the page query of the first pages.

    ``covered``: an index holds the ordering and every column of ``fields`` and of the filters (an
    index-only scan reads a page without the table): pages of ``fields`` are then one query at any
    depth — deep ones find their first row by a narrow scan of the ordering's keys and are read from
    there (when the ordering is columns of ``fields`` in one direction), else by ``OFFSET``.

    Anchors: deep pages of ``fields`` ordered by columns of ``fields`` (non-null, one direction, ending
    with a unique key) are one keyset query at any depth, covered or not, once the count is cached: the
    ordering's keys of every page boundary (at most :data:`MAX_ANCHORS` of them) are read by one
    statement and kept per version of ``depends_on`` as the count is, and a page is read from its
    anchor on (``>=`` / ``<=`` the anchor's keys, ``LIMIT`` the page size). Until then (the first deep
    view after a write), and for tables without versions, deep pages are found as above.
    """
    alias = filtered.db
    spec = _rows_spec(filtered.model, tuple(fields), alias) if fields is not None else None
    keys = None if spec is not None else filtered.values_list("pk", flat=True)  # built when needed
    listed = keys
    if spec is not None:
        query = filtered.query  # already the values of ``fields`` (in that order): read as it is
        plain = (
            query.values_select == spec.row._fields and not query.annotation_select and not query.extra_select
        )
        listed = filtered if plain else filtered.values_list(*fields)
    compiled = _compiled(listed, alias)
    counted = []  # the count computed by this call: not cached yet, or its tables have no version
    if compiled is None:
        count = 0
    else:
        sql, params = compiled  # the count key as derived.cached_count writes it
        key = f"count|{alias}|{filtered.model._meta.label}|{sql}|{params!r}"

        def compute_count() -> int:
            counted.append(True)
            return filtered.count()

        count = derived.cached(key, depends_on=depends_on, compute=compute_count)
    paginator = _CountedPaginator(filtered, per_page, count=count)
    try:
        page_number = paginator.validate_number(number)
    except PageNotAnInteger:
        page_number = 1
    except EmptyPage:
        page_number = paginator.num_pages
    bottom = (page_number - 1) * per_page
    top = bottom + per_page
    if top + paginator.orphans >= count:  # as Paginator.page()
        top = count
    page = Page([], page_number, paginator)
    if count == 0 or bottom >= top:
        return page
    backwards = bottom > count // 2
    low, high = (count - top, count - bottom) if backwards else (bottom, top)
    seek = _seek_keys(filtered, spec.row._fields) if spec is not None and low > DIRECT_OFFSET else None
    if seek is not None and not counted:
        # The count came from the cache, so its tables have versions: the anchors are kept as well.
        statement = _anchored(
            filtered, compiled, seek, count=count, bottom=bottom, size=top - bottom, per_page=per_page,
            key=key, depends_on=depends_on, alias=alias,
        )  # fmt: skip
        if statement is not None:
            page.object_list = [spec.row(values) for values in _fetch(alias, statement)]
            return page
    if spec is not None and (covered or low <= DIRECT_OFFSET):
        if seek is not None:  # covered: the page's first row from the nearer end, then the page read forward
            start = (
                filtered.reverse().values_list(*seek)[count - 1 - bottom : count - bottom]
                if backwards
                else filtered.values_list(*seek)[bottom : bottom + 1]
            )
            descending = filtered.query.order_by[0].startswith("-")
            start_sql = _compiled(start, alias)
            statement = (
                _seek(compiled, start_sql, seek, descending, top - bottom, alias) if start_sql else None
            )
            backwards = False
        elif backwards:
            statement = _compiled(listed.reverse()[low:high], alias)
        else:
            statement = _sliced(listed, compiled, low, high, alias)
        found = [spec.row(values) for values in _fetch(alias, statement)] if statement else []
        page.object_list = found[::-1] if backwards else found
        return page
    if keys is None:
        keys = filtered.values_list("pk", flat=True)
    if backwards:
        statement = _compiled(keys.reverse()[low:high], alias)
    else:
        statement = _sliced(keys, compiled if spec is None else None, low, high, alias)
    page_keys = [values[0] for values in _fetch(alias, statement)] if statement else []
    if backwards:
        page_keys.reverse()
    if not page_keys:
        return page
    if spec is not None:
        page.object_list = _read_rows(spec, page_keys, alias)
    else:
        found = rows.filter(pk__in=page_keys).order_by().in_bulk()
        page.object_list = [found[key] for key in page_keys if key in found]
    return page
