"""Personal data (UU 27/2022): who sees it in full, how it is masked for everyone else, and the audit
of every look at someone else's personal data."""

from __future__ import annotations

from django.http import HttpRequest

from situok.audit import log_action
from situok.formats import mask_digits

from .models import Employee
from .selectors import Access, employee_access, employee_for_user

MASKED_TEXT = "••••••"


def mask_value(field: str, value) -> str:
    """The masked form of a personal field: digits keep their last four (``************1234``)."""
    if value in (None, ""):
        return ""
    if field in ("nik", "npwp", "bank_account", "phone"):
        return mask_digits(str(value), visible=4)
    return MASKED_TEXT


def personal_fields(user, employee: Employee) -> dict[str, object]:
    """The personal fields as this user may see them: full values with FULL access, masked otherwise."""
    full = employee_access(user, employee) >= Access.FULL
    return {
        f: getattr(employee, f) if full else mask_value(f, getattr(employee, f))
        for f in Employee.PERSONAL_FIELDS
    }


def personal_view_log(request: HttpRequest, employee: Employee) -> None:
    """Audit an authorised look at someone else's personal data (looking at one's own is not logged)."""
    me = employee_for_user(request.user)
    if me is not None and me.pk == employee.pk:
        return
    log_action(
        employee,
        "staff.employee.viewed_personal",
        request=request,
        data={"fields": list(Employee.PERSONAL_FIELDS)},
    )
