"""Helpers the staff exporters share: labels, names with titles, golongan, the report date, the
personal-data switch and writing to a temporary file."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Mapping
from typing import Any, BinaryIO

from django.utils import timezone
from django.utils.translation import gettext

from situok.exports.pdf import institution
from situok.permissions import has_perm

from .. import rules
from ..models import Employee, OrgUnit
from ..reminders import parse_date

CHUNK = 2000
TRUE_VALUES = ("1", "true", "ya", "on", "yes")

_TYPE_LABELS = Employee.Type.choices
_STATUS_LABELS = Employee.Status.choices
_EDUCATION_LABELS = Employee.Education.choices


def _labels(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Choice labels resolved once per export (in the active language)."""
    return {value: str(label) for value, label in choices}


def name_with_titles(front: str, name: str, back: str) -> str:
    """``Employee.name_with_titles`` from plain values (exports read tuples, not model instances)."""
    full = f"{front} {name}".strip() if front else name
    return f"{full}, {back}" if back else full


def golongan_label(golongan: str, pppk_golongan: str = "") -> str:
    """``Penata Muda Tingkat I (III/b)`` for PNS, ``Golongan IX`` for PPPK, ``""`` otherwise."""
    if golongan:
        try:
            return rules.golongan_display(golongan)
        except ValueError:
            return golongan
    if pppk_golongan:
        return gettext("Golongan %(golongan)s") % {"golongan": pppk_golongan}
    return ""


def report_date(form_data: Mapping[str, Any]) -> dt.date:
    """The ``on`` parameter (ISO date) or today in WITA."""
    return parse_date(form_data.get("on")) or timezone.localdate()


def wants_personal(user, form_data: Mapping[str, Any]) -> bool:
    """Full personal data only for users with FULL access to every record who explicitly ask (item 8)."""
    asked = str(form_data.get("pribadi", "")).strip().lower() in TRUE_VALUES
    return asked and has_perm(user, "staff.view_personal_data")


def _scope_name(unit: OrgUnit | None) -> str:
    return unit.name if unit is not None else (institution()["unit"] or gettext("Semua unit"))


def _to_file(write) -> BinaryIO:
    """Call ``write(fileobj)`` on a temporary file and return it positioned at 0."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    try:
        write(output)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output
