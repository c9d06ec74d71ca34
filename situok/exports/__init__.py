"""Export kit: the exporter contract and registry, plus XLSX/CSV/PDF writers (design.md §3.8–3.9)."""

from .base import (
    BaseExporter,
    Column,
    ExportResult,
    ListExporter,
    exporters,
    get_exporter,
    neutralise,
    register,
)

__all__ = [
    "BaseExporter",
    "Column",
    "ExportResult",
    "ListExporter",
    "exporters",
    "get_exporter",
    "neutralise",
    "register",
]
