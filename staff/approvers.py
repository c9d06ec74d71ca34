"""Who an approval step means, answered from the organisation (staff owns it).

The approval engine (:mod:`situok.approvals`) asks these resolvers through its registry;
:func:`register` plugs them in and is called from ``StaffConfig.ready``. Each resolver returns the
*users* a step means at the level asked for — ``[]`` when the post is vacant or its holder has no active
account, ``None`` when the level does not exist (above the top of the organisation). Excluding the
requester and escalating is the engine's job, not theirs.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import Employee, OrgUnit
from .selectors import employee_supervisor

_MAX_DEPTH = 20  # guards against a cycle of explicit supervisors


def _users_of(employees) -> list:
    return [
        e.user
        for e in employees
        if e is not None and e.status == Employee.Status.AKTIF and e.user_id and e.user.is_active
    ]


def unit_at(employee: Employee, levels_up: int) -> OrgUnit | None:
    """The employee's unit ``levels_up`` levels up (0 = own unit); ``None`` above the top."""
    unit: OrgUnit | None = employee.unit
    for _ in range(levels_up):
        if unit is None:
            break
        unit = unit.parent
    return unit


def supervisor_at(employee: Employee, levels_up: int) -> Employee | None:
    """The supervisor ``levels_up`` steps up the supervision line (0 = direct supervisor)."""
    current: Employee | None = employee
    seen = {employee.pk}
    for _ in range(min(levels_up, _MAX_DEPTH) + 1):
        current = employee_supervisor(current) if current is not None else None
        if current is None or current.pk in seen:
            return None
        seen.add(current.pk)
    return current


def resolve_unit_head(ctx) -> list | None:
    unit = unit_at(ctx.requester, ctx.levels_up)
    if unit is None:
        return None
    return _users_of([unit.head])


def resolve_supervisor(ctx) -> list | None:
    supervisor = supervisor_at(ctx.requester, ctx.levels_up)
    if supervisor is None:
        return None
    return _users_of([supervisor])


def resolve_role(ctx) -> list:
    """Every active account in the role's group (e.g. all PPK)."""
    return list(
        get_user_model()
        .objects.filter(groups__name=ctx.step.get("role"), is_active=True)
        .distinct()
        .order_by("username")
    )


def resolve_position(ctx) -> list:
    """Holders of the position, and an acting (Plt./Plh.) head of a unit headed by that position."""
    position_id = ctx.step.get("position_id")
    if not position_id:
        return []
    holders = (
        Employee.objects.filter(Q(position_id=position_id) | Q(headed_units__head_position_id=position_id))
        .filter(status=Employee.Status.AKTIF, user__isnull=False)
        .select_related("user")
        .distinct()
        .order_by("name", "id")
    )
    return _users_of(holders)


def register() -> None:
    """Plug the organisation's resolvers into the approval engine (idempotent)."""
    from situok.approvals import register_resolver

    register_resolver("supervisor", resolve_supervisor, upward=True)
    register_resolver("unit_head", resolve_unit_head, upward=True)
    register_resolver("role", resolve_role)
    register_resolver("position", resolve_position)
