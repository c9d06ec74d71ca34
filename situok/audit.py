"""Append-only audit trail.

Services call :func:`log_action` inside their transaction, so an event is written exactly when the
change it describes is committed. Nothing writes audit events from signals or ``save()``.

The table is append-only at every layer: the model refuses updates and deletes, the queryset refuses
bulk updates and deletes, the admin is read-only, and on PostgreSQL a trigger (migration 0002) makes
``UPDATE`` and ``DELETE`` fail even for raw SQL.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditImmutableError(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutableError("Audit events are append-only.")

    def delete(self):
        raise AuditImmutableError("Audit events are append-only.")

    def _raw_delete(self, using):  # used by cascading collectors
        raise AuditImmutableError("Audit events are append-only.")


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("waktu"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the trail outlives deleted accounts
        related_name="+",
    )
    actor_label = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    action = models.CharField(_("aksi"), max_length=100)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("jenis objek"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    target_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    target_label = models.CharField(_("objek"), max_length=255, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        app_label = "situok"
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-id"]
        default_permissions = ("view",)
        permissions = [("export_auditevent", "Can export audit events")]
        indexes = [
            models.Index(fields=["-created_at"], name="audit_created_idx"),
            models.Index(fields=["actor", "-id"], name="audit_actor_idx"),
            models.Index(fields=["action", "-id"], name="audit_action_idx"),
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AuditImmutableError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("Audit events are append-only.")


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values of ``obj`` (foreign keys by id) for a before/after comparison."""
    result = {}
    for name in fields:
        field = obj._meta.get_field(name)
        result[name] = _jsonable(getattr(obj, field.attname))
    return result


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields whose value changed."""
    keys = set(before) | set(after)
    return {
        k: [_jsonable(before.get(k)), _jsonable(after.get(k))]
        for k in sorted(keys)
        if _jsonable(before.get(k)) != _jsonable(after.get(k))
    }


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind the reverse proxy the real client is the first X-Forwarded-For hop (the proxy is trusted
    # by deployment; see README). Without a proxy REMOTE_ADDR is the client.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return ip or None


def log_action(
    obj: models.Model | None,
    action: str,
    *,
    by=None,
    request: HttpRequest | None = None,
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    label: str | None = None,
) -> AuditEvent:
    """Append one audit event.

    ``action`` is a dotted name, ``<app>.<entity>.<verb>`` (``travel.trip.approved``). ``by`` is the
    acting user (``None`` for the system); ``request`` supplies the IP address; ``changes`` maps
    field → [before, after] (see :func:`diff`).
    """
    if request is not None and by is None and getattr(request, "user", None) is not None:
        by = request.user if request.user.is_authenticated else None
    event = AuditEvent(
        action=action,
        actor=by if by is not None and getattr(by, "pk", None) else None,
        actor_label=(by.get_username() if by is not None and getattr(by, "pk", None) else "")[:150],
        ip=client_ip(request),
        changes=_jsonable(dict(changes or {})),
        data=_jsonable(dict(data or {})),
    )
    if obj is not None:
        event.target_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        event.target_id = str(obj.pk)
        event.target_label = (label or str(obj))[:255]
    elif label:
        event.target_label = label[:255]
    pending = _batch.get()
    if pending is not None:
        pending.append(event)
    else:
        event.save(force_insert=True)
    return event


_batch: contextvars.ContextVar[list[AuditEvent] | None] = contextvars.ContextVar(
    "situok_audit_batch", default=None
)


@contextlib.contextmanager
def audit_batch():
    """Write the events logged inside the block with one INSERT when it ends without an error (use it
    inside the service's transaction: on an error the events are dropped with the rolled-back writes).
    Inside a batch :func:`log_action` returns the event unsaved (no ``pk`` yet). Nested blocks join
    the outer one."""
    if _batch.get() is not None:
        yield
        return
    events: list[AuditEvent] = []
    token = _batch.set(events)
    try:
        yield
    finally:
        _batch.reset(token)
    if events:
        AuditEvent.objects.bulk_create(events)
