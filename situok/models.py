"""Models of the shared kernel live in their concern's module; importing them here registers them."""

from .audit import AuditEvent
from .calendar_models import CalendarDay, WorkSchedule
from .numbering import DocumentCounter, IssuedNumber, NumberingScheme
from .regions import Region

__all__ = [
    "AuditEvent",
    "CalendarDay",
    "DocumentCounter",
    "IssuedNumber",
    "NumberingScheme",
    "Region",
    "WorkSchedule",
]
