"""Table rows of list pages rendered in Python.

A list page shows 25–100 rows of 5–8 cells; through the template language each cell costs variable
lookups, filters, ``{% url %}`` reversals and ``gettext`` calls — most of a list page's time. Here a
page declares its columns once (plain functions of a row) and the rows are joined as strings; the
table head, the empty message and everything translatable stay in the template.

Escaping: a cell function returns either a plain value (escaped here) or a ``SafeString`` it built
itself with :func:`~django.utils.html.escape` / ``format_html`` for every value it interpolates.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

EM_DASH = "—"


def esc(value: Any) -> str:
    """``conditional_escape(value)`` as a plain ``str``, without the lazy-argument wrapper around
    ``escape`` (called a few times per cell, that wrapper cost more than the escaping itself)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(value if isinstance(value, str) else str(value))


# --- Markup built once, filled per request --------------------------------------------------------------
# A page's fixed markup (labels, URLs) is built once per language and URL prefix with ``slot(name)``
# markers where per-request values go, split by ``frame``; ``fill`` joins it with the values.


def slot(name: str) -> str:
    """A placeholder for ``name`` in markup that :func:`frame` splits (NUL never occurs in HTML)."""
    return f"\x00{name}\x00"


def frame(markup: str) -> tuple[str, ...]:
    """``markup`` split around its slots: fixed text at even positions, slot names at odd ones."""
    return tuple(markup.split("\x00"))


def fill(parts: tuple[str, ...], values: dict[str, str]) -> SafeString:
    """The frame with its slots filled from ``values`` (already escaped by the caller)."""
    return mark_safe("".join(values[part] if i % 2 else part for i, part in enumerate(parts)))


class Kept(dict):
    """Markup kept in this process, at most ``size`` entries (emptied when full: entries of old keys —
    old versions, other languages — age out with it). Shared between threads; values are read-only."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def keep(self, key, value, *, adding: int = 1):
        """``self[key] = value``, emptying the dictionary first when ``adding`` more would overflow it."""
        if len(self) + adding > self.size:
            self.clear()
        self[key] = value
        return value


def markup_context(groups: Sequence[str] = ()) -> tuple | None:
    """What fixed markup depends on besides its own values: the language, the URL prefix and URLconf,
    and the versions of the derived-data ``groups`` its labels read (situok/derived.py); ``None`` when
    one of them has no version (then nothing may be kept)."""
    from . import derived

    versions = derived.versions() if groups else {}
    data = tuple(versions.get(group) for group in groups)
    if None in data:
        return None
    return (get_language(), get_script_prefix(), get_urlconf(), data)


@dataclass(frozen=True)
class Column:
    cell: Callable[[Any], Any]
    css: str = ""  # class of the <td> (responsive visibility, nowrap…)


def render_rows(rows: Iterable[Any], columns: Sequence[Column], *, indent: str = "    ") -> SafeString:
    """``<tr>`` elements, one per row, cells in column order."""
    opens = [f'<td class="{escape(c.css)}">' if c.css else "<td>" for c in columns]
    # One format string per table: "<tr>", then "<td …>{}</td>" per column, then "</tr>".
    pieces = [
        f"{indent}<tr>\n",
        *(f"{indent}  {open_tag}\0</td>\n" for open_tag in opens),
        f"{indent}</tr>\n",
    ]
    row_format = "".join(pieces).replace("{", "{{").replace("}", "}}").replace("\0", "{}").format
    cells = [c.cell for c in columns]
    return mark_safe("".join([row_format(*[esc(cell(row)) for cell in cells]) for row in rows]))  # all esc()


_URL_SEGMENTS: dict[tuple, tuple[str, ...]] = {}


def url_maker(viewname: str, *, args_count: int = 1) -> Callable[..., str]:
    """``reverse(viewname, args=…)`` for integer arguments, reversed once per process (and script
    prefix and URLconf) instead of once per row: the URL is reversed with sentinel numbers that are
    then substituted."""
    key = (viewname, args_count, get_script_prefix(), get_urlconf())
    segments = _URL_SEGMENTS.get(key)
    if segments is None:
        sentinels = [987654320 + i for i in range(args_count)]
        parts = [reverse(viewname, args=sentinels)]
        for sentinel in sentinels:
            head, found, tail = parts.pop().partition(str(sentinel))
            if not found or str(sentinel) in tail:
                raise ValueError(f"cannot build URLs of {viewname!r} by substitution")
            parts += [head, tail]
        segments = _URL_SEGMENTS[key] = tuple(parts)
    if args_count == 1:
        head, tail = segments

        def make_one(arg: int) -> str:
            return f"{head}{int(arg)}{tail}"

        return make_one

    def make(*args: int) -> str:
        parts = [segments[0]]
        for arg, segment in zip(args, segments[1:], strict=True):
            parts.append(str(int(arg)))
            parts.append(segment)
        return "".join(parts)

    return make


def or_dash(value: Any) -> Any:
    """The template idiom ``value|default:"—"``."""
    return value if value else EM_DASH


def text(value: Any) -> SafeString:
    """``value`` exactly as ``{{ value }}`` renders it: local time, localized numbers, escaped."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def lookup(value: Any, index: int) -> Any:
    """The template lookup ``value.<index>`` (dictionary key, attribute, then list index; ``""`` when
    none applies, as the template language's invalid variables)."""
    for attempt in (lambda: value[str(index)], lambda: getattr(value, str(index)), lambda: value[index]):
        try:
            return attempt()
        except (TypeError, AttributeError, KeyError, ValueError, IndexError):
            continue
    return ""
