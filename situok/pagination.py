"""Keyset ("seek") pagination for big lists.

An exact ``COUNT(*)`` over a million rows costs more than the page itself, so big lists page by the
last seen key instead of by page number: one query per page (``LIMIT n+1`` tells whether a next page
exists), constant cost at any depth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
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


def id_page(
    filtered: QuerySet, rows: QuerySet, *, per_page: int, number, depends_on: tuple[str, ...]
) -> Page:
    """One numbered page of ``filtered`` (which must be ordered, ending with a unique key).

    The page's keys are found by a narrow, index-backed query over primary keys only, and the page's
    full rows (``rows``: joins, ``only()``) loaded for those keys in the same query. Pages in the back
    half of the list are sought from the end with the ordering reversed, so the skipped prefix
    (``OFFSET``) is never longer than half the list: page 1,800 of 2,000 skips 5,000 rows, not 45,000.
    """
    paginator = CachedCountPaginator(filtered.values_list("pk", flat=True), per_page, depends_on=depends_on)
    page = paginator.get_page(number)
    count = paginator.count
    bottom = (page.number - 1) * per_page
    top = bottom + per_page
    if top + paginator.orphans >= count:  # as Paginator.page()
        top = count
    keys = paginator.object_list
    keys = keys.reverse()[count - top : count - bottom] if bottom > count // 2 else keys[bottom:top]
    ordering = filtered.query.order_by
    if count == 0:
        page.object_list = []
    elif ordering:
        page.object_list = list(rows.filter(pk__in=keys).order_by(*ordering))
    else:
        found = rows.filter(pk__in=list(keys)).order_by().in_bulk()
        page.object_list = [found[key] for key in keys if key in found]
    return page
