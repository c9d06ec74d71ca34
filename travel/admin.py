"""Reference data for Administrators (design.md §5): budget lines and the rate tables.

Trips are shown read-mostly for reference; their workflow belongs to the services and the UI.
"""

from django.contrib import admin

from situok.permissions import has_perm

from .models import (
    BudgetLine,
    CostTierRule,
    DailyAllowanceRate,
    LodgingCeiling,
    RepresentationRate,
    Sppd,
    Trip,
    TripDestination,
    TripMember,
)

RATE_FILTERS = ("berlaku_mulai", "berlaku_sampai")
RATE_PERMISSION = "travel.change_dailyallowancerate"  # one right for every rate table (situok.permissions)
BUDGET_PERMISSION = "travel.change_budgetline"


class PermissionAdmin(admin.ModelAdmin):
    """Editable exactly by holders of ``permission`` (declared in ``situok.permissions``), whatever the
    per-model Django permissions say, so one role right covers a family of tables."""

    permission = ""

    def _allowed(self, request) -> bool:
        return has_perm(request.user, self.permission)

    def has_module_permission(self, request) -> bool:
        return self._allowed(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._allowed(request)


class ReadOnlyAdmin(admin.ModelAdmin):
    """SPT and SPPD change only through the services (numbering, audit); the admin only shows them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BudgetLine)
class BudgetLineAdmin(PermissionAdmin):
    permission = BUDGET_PERMISSION
    list_display = ("year", "kode_rekening", "name", "sub_activity_code", "ceiling")
    list_filter = ("year",)
    search_fields = ("kode_rekening", "name", "sub_activity_code", "sub_activity_name")


class TripDestinationInline(admin.TabularInline):
    model = TripDestination
    extra = 0
    can_delete = False
    raw_id_fields = ("region",)


class TripMemberInline(admin.TabularInline):
    model = TripMember
    extra = 0
    can_delete = False
    raw_id_fields = ("employee",)


@admin.register(Trip)
class TripAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "travel_type", "depart_date", "return_date", "status", "unit")
    list_filter = ("status", "travel_type", "unit")
    search_fields = ("spt_number", "purpose")
    date_hierarchy = "depart_date"
    raw_id_fields = ("origin", "budget_line", "signer", "created_by", "unit")
    inlines = [TripDestinationInline, TripMemberInline]
    list_select_related = ("unit",)


@admin.register(Sppd)
class SppdAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "member", "cost_tier", "daily_rate", "total")
    list_filter = ("cost_tier",)
    search_fields = ("number", "member__employee__name")
    raw_id_fields = ("member",)
    list_select_related = ("member__employee",)


@admin.register(DailyAllowanceRate)
class DailyAllowanceRateAdmin(PermissionAdmin):
    permission = RATE_PERMISSION
    list_display = ("province", "travel_type", "amount", *RATE_FILTERS, "dasar_hukum")
    list_filter = ("travel_type", *RATE_FILTERS)
    search_fields = ("province__name", "province__code", "dasar_hukum")
    raw_id_fields = ("province",)
    list_select_related = ("province",)


@admin.register(LodgingCeiling)
class LodgingCeilingAdmin(PermissionAdmin):
    permission = RATE_PERMISSION
    list_display = ("province", "cost_tier", "amount", *RATE_FILTERS, "dasar_hukum")
    list_filter = ("cost_tier", *RATE_FILTERS)
    search_fields = ("province__name", "province__code", "dasar_hukum")
    raw_id_fields = ("province",)
    list_select_related = ("province",)


@admin.register(RepresentationRate)
class RepresentationRateAdmin(PermissionAdmin):
    permission = RATE_PERMISSION
    list_display = ("cost_tier", "travel_type", "amount", *RATE_FILTERS, "dasar_hukum")
    list_filter = ("cost_tier", "travel_type", *RATE_FILTERS)


@admin.register(CostTierRule)
class CostTierRuleAdmin(PermissionAdmin):
    permission = RATE_PERMISSION
    list_display = ("precedence", "criterion", "value", "cost_tier", *RATE_FILTERS, "dasar_hukum")
    list_filter = ("criterion", "cost_tier")
    ordering = ("precedence", "criterion", "value")
