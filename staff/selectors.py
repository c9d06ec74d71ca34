"""Reads of the organisation and of employees that other apps and views reuse (approvers, scoping,
privacy). Every list of employees starts from :func:`employee_list_for_user`."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from situok.permissions import get_for_user, has_perm

from . import rules
from .models import Employee, OrgUnit


def employee_for_user(user) -> Employee | None:
    """The employee record linked to a login account, or ``None``."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.employee
    except Employee.DoesNotExist:
        return None


def unit_subtree(unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The unit itself and all its sub-units (one indexed prefix query)."""
    return OrgUnit.objects.filter(path__startswith=unit.path)


def unit_members(unit: OrgUnit, *, include_subunits: bool = True) -> QuerySet[Employee]:
    qs = Employee.objects.filter(status=Employee.Status.AKTIF)
    if include_subunits:
        return qs.filter(unit__path__startswith=unit.path)
    return qs.filter(unit=unit)


def employee_supervisor(employee: Employee) -> Employee | None:
    """The direct supervisor: the explicit override, else the head of the employee's unit, else the
    head of the nearest parent unit with a head (a unit head reports to the parent unit's head)."""
    if employee.supervisor_id:
        return employee.supervisor
    unit = employee.unit
    while unit is not None:
        if unit.head_id and unit.head_id != employee.pk:
            return unit.head
        unit = unit.parent
    return None


def units_headed_by(user) -> QuerySet[OrgUnit]:
    me = employee_for_user(user)
    if me is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(head=me)


# --- Access levels ---------------------------------------------------------------------------------
class Access(enum.IntEnum):
    """How much of an employee record a user may see."""

    NONE = 0
    PUBLIC = 1  # name, titles, position, unit, photo — every colleague
    RECORD = 2  # + official record: NIP, rank, type, TMTs, histories (supervisors, leaders, operators)
    FULL = (
        3  # + personal data: NIK, birth date, address, phone, NPWP, bank (self, Operator Kepegawaian, Admin)
    )


def supervised_unit_paths(user) -> list[str]:
    """Paths of the units ``user`` heads (cached on the user object for the request)."""
    return _supervised_paths(user)


def _supervised_paths(user) -> list[str]:
    cached = getattr(user, "_situok_supervised_paths", None)
    if cached is None:
        cached = list(units_headed_by(user).values_list("path", flat=True))
        user._situok_supervised_paths = cached
    return cached


def employee_access(user, employee: Employee) -> Access:
    if not getattr(user, "is_authenticated", False):
        return Access.NONE
    if has_perm(user, "staff.view_personal_data"):
        return Access.FULL
    me = employee_for_user(user)
    if me is not None and me.pk == employee.pk:
        return Access.FULL
    if has_perm(user, "staff.view_employee"):
        return Access.RECORD
    if any(employee.unit.path.startswith(p) for p in _supervised_paths(user)):
        return Access.RECORD
    if me is not None or user.is_superuser:
        return Access.PUBLIC
    return Access.NONE


def employee_list_for_user(user, queryset: QuerySet[Employee] | None = None) -> QuerySet[Employee]:
    """Employees the user may find in lists. Operators and leaders see every record (any status);
    supervisors additionally their units' members; colleagues see active employees (public fields).

    ``queryset``: the employees to narrow (e.g. a list's ``values_list``); by default instances with
    their unit and position."""
    qs = Employee.objects.select_related("unit", "position") if queryset is None else queryset
    if has_perm(user, "staff.view_employee") or has_perm(user, "staff.view_personal_data"):
        return qs
    if employee_for_user(user) is None and not user.is_superuser:
        return qs.none()
    condition = Q(status=Employee.Status.AKTIF)
    for path in _supervised_paths(user):
        condition |= Q(unit__path__startswith=path)
    return qs.filter(condition)


def employee_get_for_user(user, pk, *, write: bool = False) -> Employee:
    """404 when invisible; 403 when ``write`` and the user may not change staff records."""
    return get_for_user(
        user,
        Employee.objects.select_related("unit", "position", "user", "supervisor"),
        pk,
        visible=lambda u, qs: qs.filter(pk__in=employee_list_for_user(u).values("pk")),
        can_change=lambda u, obj: has_perm(u, "staff.change_employee"),
        write=write,
    )


# --- Derived values ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Derived:
    age: int | None
    masa_kerja: tuple[int, int] | None
    masa_kerja_golongan: tuple[int, int] | None
    retirement_date: dt.date | None
    next_kgb: dt.date | None
    promotion_eligible_on: dt.date | None
    contract_end: dt.date | None


def employee_derived(employee: Employee, on: dt.date | None = None) -> Derived:
    on = on or timezone.localdate()
    age = rules.age(employee.birth_date, on) if employee.birth_date and employee.birth_date <= on else None
    start = employee.tmt_cpns or employee.contract_start
    masa_kerja = rules.masa_kerja(start, on) if start and start <= on else None
    mkg = (
        rules.masa_kerja(employee.tmt_golongan, on)
        if employee.tmt_golongan and employee.tmt_golongan <= on
        else None
    )
    retirement = None
    if employee.is_asn and employee.birth_date and employee.position_id:
        retirement = rules.retirement_date(employee.birth_date, employee.position.bup)
    kgb_ref = employee.tmt_kgb or employee.tmt_cpns
    next_kgb = rules.next_kgb_date(kgb_ref, on) if employee.is_asn and kgb_ref else None
    promotion = (
        rules.promotion_eligible_on(employee.tmt_golongan)
        if employee.employee_type == Employee.Type.PNS and employee.tmt_golongan
        else None
    )
    contract_end = employee.contract_end if employee.employee_type in Employee.PPPK_TYPES else None
    return Derived(age, masa_kerja, mkg, retirement, next_kgb, promotion, contract_end)
