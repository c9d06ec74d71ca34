"""Django admin for approval policies (reference data for Administrators) and read-only views of
requests and delegations. Call :func:`register` with the admin site.

A policy is editable only until the first request uses it; after that it is read-only and the
"new version" action copies it into a fresh, editable version (which becomes the active one).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .approval_models import ApprovalAction, ApprovalPolicy, ApprovalRequest, ApprovalStep, Delegation
from .approvals import ApprovalError, policy_publish
from .audit import log_action


def _policy_used(policy: ApprovalPolicy | None) -> bool:
    return policy is not None and policy.pk is not None and policy.requests.exists()


class ApprovalStepInline(admin.TabularInline):
    model = ApprovalStep
    extra = 0
    min_num = 1
    fields = ("order", "name", "rule", "levels_up", "role", "position", "condition", "bulk_approvable")
    autocomplete_fields = ()
    raw_id_fields = ("position",)

    def has_add_permission(self, request, obj=None):
        return not _policy_used(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _policy_used(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _policy_used(obj) and super().has_delete_permission(request, obj)


class ApprovalPolicyAdmin(admin.ModelAdmin):
    list_display = ("document_type", "name", "version", "is_active", "created_at", "created_by")
    list_filter = ("document_type", "is_active")
    search_fields = ("document_type", "name")
    readonly_fields = ("version", "is_active", "created_at", "created_by")
    inlines = [ApprovalStepInline]
    actions = ["publish_new_version"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.pk is not None:
            # The document type of an existing version never changes; a used version not at all.
            fields = (*self.readonly_fields, "document_type")
            return (*fields, "name") if _policy_used(obj) else fields
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return not _policy_used(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _policy_used(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if not change:
                # Adding through the admin is publishing a new version: number it, retire the others.
                existing = ApprovalPolicy.objects.filter(document_type=obj.document_type)
                versions = list(existing.select_for_update().values_list("version", flat=True))
                obj.version = max(versions, default=0) + 1
                obj.created_by = request.user
                obj.is_active = True
                existing.filter(is_active=True).update(is_active=False)
            super().save_model(request, obj, form, change)
            log_action(
                obj,
                "situok.approval_policy.changed" if change else "situok.approval_policy.published",
                by=request.user,
                request=request,
                data={"document_type": obj.document_type, "version": obj.version},
            )

    @admin.action(description=_("Buat versi baru dari alur terpilih"))
    def publish_new_version(self, request, queryset):
        for policy in queryset.prefetch_related("steps"):
            steps = [
                {
                    "name": s.name,
                    "rule": s.rule,
                    "levels_up": s.levels_up,
                    "role": s.role,
                    "position": s.position_id,
                    "condition": s.condition,
                    "bulk_approvable": s.bulk_approvable,
                }
                for s in policy.steps.order_by("order")
            ]
            try:
                new = policy_publish(policy.document_type, name=policy.name, steps=steps, by=request.user)
            except ApprovalError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("Versi %(version)s dari %(name)s dibuat dan diaktifkan.")
                    % {"version": new.version, "name": new.name},
                    messages.SUCCESS,
                )


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ApprovalActionInline(admin.TabularInline):
    model = ApprovalAction
    extra = 0
    fields = ("created_at", "step_name", "decision", "actor", "on_behalf_of", "capacity", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ApprovalRequestAdmin(_ReadOnlyAdmin):
    list_display = ("title", "document_type", "status", "requester_employee", "submitted_at", "finished_at")
    list_filter = ("document_type", "status")
    search_fields = ("title",)
    list_select_related = ("requester_employee",)
    date_hierarchy = "submitted_at"
    inlines = [ApprovalActionInline]


class DelegationAdmin(_ReadOnlyAdmin):
    list_display = ("delegator", "delegate", "kind", "start", "end", "cancelled_at")
    list_filter = ("kind",)
    list_select_related = ("delegator", "delegate")
    search_fields = ("delegator__username", "delegate__username", "reason")


def register(site: admin.AdminSite) -> None:
    """Register the approval models with ``site`` (idempotent)."""
    for model, model_admin in (
        (ApprovalPolicy, ApprovalPolicyAdmin),
        (ApprovalRequest, ApprovalRequestAdmin),
        (Delegation, DelegationAdmin),
    ):
        if not site.is_registered(model):
            site.register(model, model_admin)
