"""Data of the approval engine: versioned policies, requests with their chain snapshot, the current
assignments (who may act now), the history of actions, and delegations (delegasi / Plt. / Plh.).

The behaviour lives in :mod:`situok.approvals`; this module holds only the tables and the pure
validation of step conditions (so the admin and the services validate the same way).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .permissions import ROLES

# --- Step conditions ------------------------------------------------------------------------------
# A condition is a list of {"fact": "amount", "op": "gt", "value": 10000000}; all must hold.
CONDITION_OPS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "is_true", "is_false")
_UNARY_OPS = ("is_true", "is_false")


def validate_condition(condition: Any) -> None:
    """Raise ``ValidationError`` unless ``condition`` is a list of well-formed clauses."""
    if condition in (None, ""):
        return
    if not isinstance(condition, list):
        raise ValidationError(_("Syarat harus berupa daftar klausa."))
    for clause in condition:
        if not isinstance(clause, dict) or not isinstance(clause.get("fact"), str) or not clause["fact"]:
            raise ValidationError(_("Setiap klausa syarat memerlukan nama fakta (fact)."))
        op = clause.get("op")
        if op not in CONDITION_OPS:
            raise ValidationError(
                _("Operator syarat %(op)s tidak dikenal. Yang tersedia: %(ops)s."),
                params={"op": op, "ops": ", ".join(CONDITION_OPS)},
            )
        if op not in _UNARY_OPS and "value" not in clause:
            raise ValidationError(
                _("Klausa syarat untuk %(fact)s memerlukan nilai (value)."), params={"fact": clause["fact"]}
            )
        if op in ("in", "not_in") and not isinstance(clause["value"], list):
            raise ValidationError(_("Nilai untuk operator %(op)s harus berupa daftar."), params={"op": op})


def _normalise(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return None
    return None


def _equal(actual: Any, expected: Any) -> bool:
    a, b = _number(actual), _number(expected)
    if a is not None and b is not None:
        return a == b
    return _normalise(actual) == _normalise(expected)


def _order(actual: Any, expected: Any) -> tuple[Any, Any] | None:
    """Comparable pair (numbers as Decimal; strings such as ISO dates as strings) or ``None``."""
    a, b = _number(actual), _number(expected)
    if a is not None and b is not None:
        return a, b
    a, b = _normalise(actual), _normalise(expected)
    if isinstance(a, str) and isinstance(b, str):
        return a, b
    return None


def clause_holds(clause: dict, facts: dict[str, Any]) -> bool:
    op, actual, expected = clause["op"], facts.get(clause["fact"]), clause.get("value")
    if op == "is_true":
        return bool(actual)
    if op == "is_false":
        return not actual
    if op == "eq":
        return _equal(actual, expected)
    if op == "ne":
        return not _equal(actual, expected)
    if op == "in":
        return any(_equal(actual, v) for v in expected)
    if op == "not_in":
        return not any(_equal(actual, v) for v in expected)
    pair = _order(actual, expected)
    if pair is None:  # a missing or incomparable fact never satisfies an ordering
        return False
    a, b = pair
    return {"gt": a > b, "gte": a >= b, "lt": a < b, "lte": a <= b}[op]


def condition_holds(condition: list[dict] | None, facts: dict[str, Any]) -> bool:
    """True when every clause holds (an empty condition always holds)."""
    return all(clause_holds(clause, facts) for clause in condition or [])


# --- Policies -------------------------------------------------------------------------------------
class ApprovalPolicy(models.Model):
    """One version of the approval chain of a document type. Editing means publishing a new version;
    a request keeps the version it started with."""

    document_type = models.SlugField(_("jenis dokumen"), max_length=60)
    name = models.CharField(_("nama alur"), max_length=150)
    version = models.PositiveIntegerField(_("versi"), default=1)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        app_label = "situok"
        verbose_name = _("alur persetujuan")
        verbose_name_plural = _("alur persetujuan")
        ordering = ["document_type", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["document_type", "version"], name="approval_policy_version_uniq"),
            models.UniqueConstraint(
                fields=["document_type"], condition=Q(is_active=True), name="approval_policy_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class ApprovalStep(models.Model):
    class Rule(models.TextChoices):
        SUPERVISOR = "supervisor", _("Atasan langsung")
        UNIT_HEAD = "unit_head", _("Kepala unit")
        ROLE = "role", _("Peran")
        RESOURCE_APPROVER = "resource_approver", _("Penyetuju sumber daya")
        POSITION = "position", _("Jabatan tertentu")

    policy = models.ForeignKey(
        ApprovalPolicy, verbose_name=_("alur"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("urutan"))
    name = models.CharField(_("nama langkah"), max_length=120)
    rule = models.CharField(_("penyetuju"), max_length=20, choices=Rule.choices)
    levels_up = models.PositiveSmallIntegerField(
        _("naik berapa tingkat"),
        default=0,
        help_text=_(
            "Kepala unit: 0 = kepala unit pemohon, 1 = kepala unit induknya, dan seterusnya. "
            "Atasan langsung: 0 = atasan langsung, 1 = atasan dari atasan."
        ),
    )
    role = models.CharField(_("peran"), max_length=40, blank=True, choices=[(r.code, r.label) for r in ROLES])
    position = models.ForeignKey(
        "staff.Position",
        verbose_name=_("jabatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    condition = models.JSONField(
        _("syarat"),
        default=list,
        blank=True,
        help_text=_(
            'Daftar klausa yang semuanya harus terpenuhi, misalnya [{"fact": "amount", "op": "gt", '
            '"value": 10000000}]. Kosong = selalu berlaku.'
        ),
    )
    bulk_approvable = models.BooleanField(
        _("boleh disetujui massal"),
        default=True,
        help_text=_("Berlaku hanya bila jenis dokumennya mengizinkan persetujuan massal."),
    )

    class Meta:
        app_label = "situok"
        verbose_name = _("langkah persetujuan")
        verbose_name_plural = _("langkah persetujuan")
        ordering = ["policy", "order"]
        constraints = [models.UniqueConstraint(fields=["policy", "order"], name="approval_step_order_uniq")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        try:
            validate_condition(self.condition)
        except ValidationError as exc:
            errors["condition"] = exc.messages
        if self.rule == self.Rule.ROLE and not self.role:
            errors["role"] = [_("Pilih peran penyetuju.")]
        if self.rule == self.Rule.POSITION and not self.position_id:
            errors["position"] = [_("Pilih jabatan penyetuju.")]
        if errors:
            raise ValidationError(errors)

    def snapshot(self) -> dict[str, Any]:
        """The step as stored in a request's chain (later edits of the policy do not reach it)."""
        return {
            "step_id": self.pk,
            "order": self.order,
            "name": self.name,
            "rule": self.rule,
            "levels_up": self.levels_up,
            "role": self.role,
            "position_id": self.position_id,
            "bulk_approvable": self.bulk_approvable,
        }


# --- Requests -------------------------------------------------------------------------------------
class ApprovalRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu persetujuan")
        APPROVED = "approved", _("Disetujui")
        REJECTED = "rejected", _("Ditolak")
        RETURNED = "returned", _("Dikembalikan untuk perbaikan")
        CANCELLED = "cancelled", _("Dibatalkan")
        WITHDRAWN = "withdrawn", _("Ditarik kembali")

    OPEN = (Status.PENDING, Status.RETURNED)

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    document_type = models.SlugField(_("jenis dokumen"), max_length=60)
    policy = models.ForeignKey(
        ApprovalPolicy, verbose_name=_("alur"), on_delete=models.PROTECT, related_name="requests"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diajukan oleh"), on_delete=models.PROTECT, related_name="+"
    )
    requester_employee = models.ForeignKey(
        "staff.Employee", verbose_name=_("pemohon"), on_delete=models.PROTECT, related_name="+"
    )
    # Snapshots so the inbox lists rows without touching every target model.
    title = models.CharField(_("judul"), max_length=255)
    url = models.CharField(_("tautan"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    chain = models.JSONField(_("rangkaian langkah"), default=list)
    current_index = models.PositiveSmallIntegerField(_("langkah saat ini"), default=0)
    version = models.PositiveIntegerField(default=0)  # optimistic lock; +1 on every transition
    submitted_at = models.DateTimeField(_("diajukan"), default=timezone.now)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        app_label = "situok"
        verbose_name = _("permohonan persetujuan")
        verbose_name_plural = _("permohonan persetujuan")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="approval_req_target_idx"),
            models.Index(fields=["requester", "status"], name="approval_req_requester_idx"),
            models.Index(fields=["document_type", "status"], name="approval_req_type_idx"),
        ]
        constraints = [
            # One open (pending or returned) request per document: a second submit cannot slip in.
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(status__in=["pending", "returned"]),
                name="approval_req_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def current_step(self) -> dict[str, Any] | None:
        if 0 <= self.current_index < len(self.chain):
            return self.chain[self.current_index]
        return None


class ApprovalAssignment(models.Model):
    """Who may act on a request at its current step. Rows of earlier steps stay with
    ``is_current=False`` (they let a late click get "already processed" instead of "not found")."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    step_index = models.PositiveSmallIntegerField()
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    delegation = models.ForeignKey(
        "situok.Delegation", null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "situok"
        verbose_name = _("penugasan persetujuan")
        verbose_name_plural = _("penugasan persetujuan")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["user", "request"], condition=Q(is_current=True), name="approval_assign_inbox_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "user"], condition=Q(is_current=True), name="approval_assign_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.user_id}"


class ApprovalAction(models.Model):
    class Decision(models.TextChoices):
        SUBMITTED = "submitted", _("Diajukan")
        APPROVED = "approved", _("Disetujui")
        REJECTED = "rejected", _("Ditolak")
        RETURNED = "returned", _("Dikembalikan untuk perbaikan")
        RESUBMITTED = "resubmitted", _("Diajukan kembali")
        CANCELLED = "cancelled", _("Dibatalkan")
        WITHDRAWN = "withdrawn", _("Ditarik kembali")
        ESCALATED = "escalated", _("Dialihkan ke atas")

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="actions")
    step_index = models.PositiveSmallIntegerField(null=True, blank=True)
    step_name = models.CharField(_("langkah"), max_length=120, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("atas nama"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    capacity = models.CharField(_("kapasitas"), max_length=10, blank=True)  # delegation kind, if any
    decision = models.CharField(_("keputusan"), max_length=12, choices=Decision.choices)
    note = models.TextField(_("catatan"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        app_label = "situok"
        verbose_name = _("riwayat persetujuan")
        verbose_name_plural = _("riwayat persetujuan")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.decision}"


# --- Delegation -----------------------------------------------------------------------------------
class Delegation(models.Model):
    class Kind(models.TextChoices):
        DELEGASI = "delegasi", _("Delegasi")
        PLT = "plt", _("Plt. (pelaksana tugas)")
        PLH = "plh", _("Plh. (pelaksana harian)")

    PREFIX = {Kind.DELEGASI: "", Kind.PLT: "Plt.", Kind.PLH: "Plh."}

    delegator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pemberi delegasi"),
        on_delete=models.PROTECT,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerima delegasi"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
    )
    start = models.DateField(_("mulai"))
    end = models.DateField(_("sampai"))
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.DELEGASI)
    reason = models.CharField(_("alasan"), max_length=255)
    document_types = models.JSONField(
        _("jenis dokumen"), default=list, blank=True, help_text=_("Kosong = semua jenis dokumen.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        app_label = "situok"
        verbose_name = _("delegasi persetujuan")
        verbose_name_plural = _("delegasi persetujuan")
        ordering = ["-start", "-id"]
        indexes = [
            models.Index(fields=["delegator", "end"], name="delegation_delegator_idx"),
            models.Index(fields=["delegate", "end"], name="delegation_delegate_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="delegation_end_after_start"),
            models.CheckConstraint(condition=~Q(delegate=F("delegator")), name="delegation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.delegator_id} → {self.delegate_id} ({self.start}–{self.end})"

    @property
    def prefix(self) -> str:
        return self.PREFIX.get(self.kind, "")

    def is_active_on(self, day: dt.date) -> bool:
        return self.cancelled_at is None and self.start <= day <= self.end

    def covers(self, document_type: str) -> bool:
        return not self.document_types or document_type in self.document_types
