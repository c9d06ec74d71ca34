"""Reads of the organisation that other apps reuse (approvers, scoping)."""

from __future__ import annotations

from django.db.models import QuerySet

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
