"""Models of the shared kernel live in their concern's module; importing them here registers them."""

from .audit import AuditEvent
from .numbering import DocumentCounter, IssuedNumber, NumberingScheme
from .regions import Region

__all__ = ["AuditEvent", "DocumentCounter", "IssuedNumber", "NumberingScheme", "Region"]
