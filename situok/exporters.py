"""Exporters of the shared kernel."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .audit import AuditEvent
from .exports import Column, ListExporter, register
from .filters import AuditEventFilter


@register
class AuditEventExporter(ListExporter):
    identifier = "audit"
    verbose_name = _("Jejak audit")
    title = _("Jejak Audit")
    permission = "situok.export_auditevent"
    columns = (
        Column("created_at", _("Waktu (WITA)"), "datetime", 18),
        Column("actor_label", _("Pengguna"), "text", 18),
        Column("ip", _("Alamat IP"), "text", 15),
        Column("action", _("Aksi"), "text", 30),
        Column("target", _("Objek"), "text", 35),
        Column("changes", _("Perubahan"), "text", 40),
    )

    def queryset(self, form_data: dict[str, Any]):
        return AuditEventFilter(form_data, queryset=AuditEvent.objects.all()).qs.order_by("-id")

    def estimated_rows(self, form_data: dict[str, Any], user) -> int:
        """A bounded count: enough to tell whether the export should run in the background."""
        limit = settings.EXPORT_BACKGROUND_ROWS + 1
        return self.queryset(form_data)[:limit].count()

    def rows(self, form_data: dict[str, Any], *, user) -> Iterable[Sequence[Any]]:
        qs = self.queryset(form_data).values_list(
            "created_at", "actor_label", "ip", "action", "target_label", "changes"
        )
        for created_at, actor, ip, action, target, changes in qs.iterator(chunk_size=5000):
            text = "; ".join(f"{k}: {v[0]} → {v[1]}" for k, v in changes.items()) if changes else ""
            yield created_at, actor, ip or "", action, target, text
