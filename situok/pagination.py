"""Keyset ("seek") pagination for big lists.

An exact ``COUNT(*)`` over a million rows costs more than the page itself, so big lists page by the
last seen key instead of by page number: one query per page (``LIMIT n+1`` tells whether a next page
exists), constant cost at any depth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


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
