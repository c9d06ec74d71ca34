"""Models of the shared kernel live in their concern's module; importing them here registers them."""

from .approval_models import (
    ApprovalAction,
    ApprovalAssignment,
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalStep,
    Delegation,
)
from .audit import AuditEvent
from .calendar_models import CalendarDay, WorkSchedule
from .derived import CacheVersion
from .job_models import Job
from .notification_models import Notification, NotificationPreference
from .numbering import DocumentCounter, IssuedNumber, NumberingScheme
from .regions import Region
from .verification_models import DocumentSeal

__all__ = [
    "ApprovalAction",
    "ApprovalAssignment",
    "ApprovalPolicy",
    "ApprovalRequest",
    "ApprovalStep",
    "AuditEvent",
    "CacheVersion",
    "CalendarDay",
    "Delegation",
    "DocumentCounter",
    "DocumentSeal",
    "IssuedNumber",
    "Job",
    "Notification",
    "NotificationPreference",
    "NumberingScheme",
    "Region",
    "WorkSchedule",
]
