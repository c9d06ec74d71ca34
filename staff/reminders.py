"""Staff reminders for the Operator Kepegawaian (domain.md §1.5–§1.6): upcoming retirements, KGB,
promotions and contract ends.

One read, :func:`staff_reminders`, feeds both the reminders page and the ``staff-reminders`` export, so
the page and its download always agree. It starts from :func:`staff.selectors.employee_list_for_user`
(scoping) and computes the dates with :func:`staff.selectors.employee_derived` (the same values the
employee profile shows). Query parameters are parsed once by :func:`reminder_query` for both callers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from situok.formats import tanggal

from . import rules
from .models import Employee, OrgUnit
from .selectors import employee_derived, employee_list_for_user


class ReminderKind(models.TextChoices):
    RETIREMENT = "pensiun", _("Pensiun")
    KGB = "kgb", _("Kenaikan gaji berkala")
    PROMOTION = "kenaikan_pangkat", _("Kenaikan pangkat")
    CONTRACT = "kontrak", _("Akhir kontrak")


# How far ahead each kind is announced, in months (issue 3 item 4; domain.md §1.5: pension paperwork
# starts about a year ahead).
WINDOW_MONTHS: dict[str, int] = {
    ReminderKind.RETIREMENT: 12,
    ReminderKind.KGB: 3,
    ReminderKind.PROMOTION: 3,
    ReminderKind.CONTRACT: 3,
}

# The top of the PNS ladder: no regular promotion beyond it.
_TOP_GOLONGAN = rules.GOLONGAN_PNS[-1][0]
_NEXT_GOLONGAN = {
    code: rules.GOLONGAN_PNS[index + 1][0] for index, (code, _pangkat) in enumerate(rules.GOLONGAN_PNS[:-1])
}
_CONTRACT_TYPES = tuple(t for t in Employee.Type.values if t not in Employee.PNS_TYPES)


@dataclass(frozen=True)
class Reminder:
    """One thing the Operator Kepegawaian must prepare for one employee.

    ``overdue`` means ``due_date`` is before the reference day: an active employee past the retirement
    date or the contract end (the record needs processing), or a PNS who has been eligible for
    promotion since ``due_date``.
    """

    kind: str
    due_date: dt.date
    employee: Employee
    detail: str
    overdue: bool = False

    @property
    def kind_label(self) -> str:
        return str(ReminderKind(self.kind).label)

    @property
    def note(self) -> str:
        """``detail`` plus, when overdue, what that means for this kind."""
        if not self.overdue:
            return self.detail
        if self.kind == ReminderKind.PROMOTION:
            extra = gettext("Sudah memenuhi syarat sejak %(date)s") % {"date": tanggal(self.due_date)}
        else:
            extra = gettext("Sudah lewat tanggal jatuh tempo")
        return f"{self.detail}; {extra}" if self.detail else extra


@dataclass(frozen=True)
class ReminderQuery:
    """Parsed filters of the reminders page and export."""

    on: dt.date
    kinds: tuple[str, ...]
    unit: OrgUnit | None


def parse_date(value: Any) -> dt.date | None:
    """An ISO date (``2026-11-22``) or ``None`` when empty or malformed."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()) if value else None
    except ValueError:
        return None


def parse_kinds(value: Any) -> tuple[str, ...]:
    """Kinds from ``"pensiun,kgb"`` or a list of codes; unknown codes are dropped, none means all."""
    if not value:
        return tuple(ReminderKind.values)
    items = value.split(",") if isinstance(value, str) else list(value)
    wanted = {str(item).strip() for item in items}
    kinds = tuple(kind for kind in ReminderKind.values if kind in wanted)
    return kinds or tuple(ReminderKind.values)


def parse_unit(value: Any) -> OrgUnit | None:
    """The OrgUnit whose id is ``value``; ``None`` when empty, malformed or unknown."""
    if isinstance(value, OrgUnit):
        return value
    try:
        pk = int(str(value))
    except (TypeError, ValueError):
        return None
    return OrgUnit.objects.filter(pk=pk).first()


def reminder_query(data: Mapping[str, Any]) -> ReminderQuery:
    """Read ``on`` (ISO date, default today in WITA), ``kind`` (comma-separated codes, default all) and
    ``unit`` (OrgUnit id, includes sub-units) from a query dict. Invalid values fall back to defaults."""
    return ReminderQuery(
        on=parse_date(data.get("on")) or timezone.localdate(),
        kinds=parse_kinds(data.get("kind")),
        unit=parse_unit(data.get("unit")),
    )


def staff_reminders(
    user,
    *,
    on: dt.date,
    kinds: Iterable[str] | None = None,
    unit: OrgUnit | int | None = None,
) -> list[Reminder]:
    """Reminders for active employees ``user`` may list, sorted by due date, kind and name.

    - ``pensiun``: ASN whose TMT pensiun (from the post's BUP) falls within 12 months of ``on`` — or has
      passed while the record is still active;
    - ``kgb``: ASN whose next KGB falls within 3 months;
    - ``kenaikan_pangkat``: PNS (not CPNS) below IV/e whose 4 years in rank are complete, or will be within
      3 months (time in rank only; performance is not modelled);
    - ``kontrak``: PPPK and non-ASN whose contract ends within 3 months — or has ended while still active.

    One query, iterated in chunks; the dates come from :func:`employee_derived`.
    """
    wanted = set(parse_kinds(list(kinds) if kinds is not None else None))
    if unit is not None and not isinstance(unit, OrgUnit):
        unit = parse_unit(unit)
    qs = employee_list_for_user(user).filter(status=Employee.Status.AKTIF)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    horizon = {kind: rules.add_months(on, months) for kind, months in WINDOW_MONTHS.items()}
    type_labels = {value: str(label) for value, label in Employee.Type.choices}

    found: list[Reminder] = []
    for employee in qs.order_by().iterator(chunk_size=2000):
        derived = employee_derived(employee, on)
        if ReminderKind.RETIREMENT in wanted and derived.retirement_date:
            due = derived.retirement_date
            if due <= horizon[ReminderKind.RETIREMENT]:
                detail = gettext("BUP %(years)s tahun") % {"years": employee.position.bup}
                found.append(Reminder(ReminderKind.RETIREMENT, due, employee, detail, due < on))
        if ReminderKind.KGB in wanted and derived.next_kgb and derived.next_kgb <= horizon[ReminderKind.KGB]:
            reference = employee.tmt_kgb or employee.tmt_cpns
            detail = gettext("Acuan TMT %(date)s") % {"date": tanggal(reference)}
            found.append(Reminder(ReminderKind.KGB, derived.next_kgb, employee, detail))
        if (
            ReminderKind.PROMOTION in wanted
            and derived.promotion_eligible_on
            and employee.golongan
            and employee.golongan != _TOP_GOLONGAN
            and derived.promotion_eligible_on <= horizon[ReminderKind.PROMOTION]
        ):
            due = derived.promotion_eligible_on
            detail = gettext("%(current)s ke %(next)s") % {
                "current": employee.golongan,
                "next": _NEXT_GOLONGAN.get(employee.golongan, ""),
            }
            found.append(Reminder(ReminderKind.PROMOTION, due, employee, detail, due < on))
        if (
            ReminderKind.CONTRACT in wanted
            and employee.employee_type in _CONTRACT_TYPES
            and employee.contract_end
            and employee.contract_end <= horizon[ReminderKind.CONTRACT]
        ):
            due = employee.contract_end
            detail = type_labels.get(employee.employee_type, employee.employee_type)
            found.append(Reminder(ReminderKind.CONTRACT, due, employee, detail, due < on))

    order = {kind: index for index, kind in enumerate(ReminderKind.values)}
    found.sort(key=lambda r: (r.due_date, order[r.kind], r.employee.name, r.employee.pk))
    return found
