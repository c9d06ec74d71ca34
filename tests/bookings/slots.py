"""Shared by the booking tests (imported as ``from slots import at``, like the permission matrices)."""

from __future__ import annotations

import datetime as dt

from situok.formats import WITA


def at(day: dt.date, hhmm: str) -> dt.datetime:
    """``hhmm`` (``"09:30"``) on ``day``, WITA."""
    h, m = (int(x) for x in hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(h, m), tzinfo=WITA)
