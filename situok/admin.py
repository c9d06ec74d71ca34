from django.contrib import admin

from .approval_admin import register as register_approval_admin
from .audit import AuditEvent
from .calendar_admin import register as register_calendar_admin
from .numbering import DocumentCounter, IssuedNumber, NumberingScheme
from .regions import Region


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail has no edit or delete path."""

    list_display = ("created_at", "actor_label", "ip", "action", "target_label")
    list_filter = ("action",)
    search_fields = ("actor_label", "action", "target_label")
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NumberingScheme)
class NumberingSchemeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "classification_code", "pattern", "per_unit")
    search_fields = ("code", "name")


@admin.register(DocumentCounter)
class DocumentCounterAdmin(admin.ModelAdmin):
    """Counters are moved only by the numbering service."""

    list_display = ("scheme", "year", "unit_code", "last_number")
    list_filter = ("year",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IssuedNumber)
class IssuedNumberAdmin(DocumentCounterAdmin):
    list_display = ("number", "scheme", "year", "sequence", "issued_at")
    search_fields = ("number",)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level")
    list_filter = ("level",)
    search_fields = ("code", "name")


register_calendar_admin(admin.site)
register_approval_admin(admin.site)
