"""Template filters for Indonesian formatting: ``{% load situok_format %}``.

``{{ d|tanggal }}``, ``{{ d|tanggal_hari }}``, ``{{ amount|rupiah }}`` (``{{ amount|rupiah:"sen" }}`` keeps the
cents), ``{{ amount|terbilang }}`` (``{{ amount|terbilang:"rupiah" }}`` appends a suffix word),
``{{ nip|nip }}``, ``{{ nik|mask }}`` (``{{ nik|mask:6 }}`` shows six digits).

Like Django's own filters these never raise: ``None`` renders as an empty string and a value of the wrong
type is rendered unchanged, so a bad value degrades one cell instead of the whole page.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template

from situok import formats

register = template.Library()


def _money(value: Any) -> int | Decimal | str:
    # A FloatField value in a template should still render; str() goes through the shortest repr,
    # never through binary arithmetic.
    if isinstance(value, float):
        return str(value)
    return value


@register.filter
def tanggal(value: Any) -> Any:
    if value in (None, ""):
        return ""
    if not isinstance(value, dt.date):
        return value
    try:
        return formats.tanggal(value)
    except (TypeError, ValueError):
        return value


@register.filter
def tanggal_hari(value: Any) -> Any:
    if value in (None, ""):
        return ""
    if not isinstance(value, dt.date):
        return value
    try:
        return formats.tanggal_hari(value)
    except (TypeError, ValueError):
        return value


@register.filter
def rupiah(value: Any, arg: Any = None) -> Any:
    """``arg`` truthy (e.g. ``"sen"``) keeps two decimals: ``Rp1.250.000,00``."""
    if value in (None, ""):
        return ""
    try:
        return formats.rupiah(_money(value), cents=bool(arg))
    except (TypeError, ValueError):
        return value


@register.filter
def terbilang(value: Any, arg: Any = None) -> Any:
    """``arg`` is the suffix word, e.g. ``"rupiah"``."""
    if value in (None, ""):
        return ""
    try:
        return formats.terbilang(_money(value), suffix=str(arg) if arg else False)
    except (TypeError, ValueError):
        return value


@register.filter
def nip(value: Any) -> str:
    if value in (None, ""):
        return ""
    return formats.nip_display(str(value))


@register.filter
def mask(value: Any, arg: Any = 4) -> str:
    if value in (None, ""):
        return ""
    try:
        visible = int(arg)
    except (TypeError, ValueError):
        visible = 4
    return formats.mask_digits(str(value), visible=max(visible, 0))
