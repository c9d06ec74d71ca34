"""Reference data for Administrators (design.md §5): budget lines and the rate tables.

Trips are shown read-mostly for reference; their workflow belongs to the services and the UI.
"""

from django.contrib import admin

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


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ("year", "kode_rekening", "name", "sub_activity_code", "ceiling")
    list_filter = ("year",)
    search_fields = ("kode_rekening", "name", "sub_activity_code", "sub_activity_name")


class TripDestinationInline(admin.TabularInline):
    model = TripDestination
    extra = 0
    raw_id_fields = ("region",)


class TripMemberInline(admin.TabularInline):
    model = TripMember
    extra = 0
    raw_id_fields = ("employee",)


@admin.register(Trip)
class TripAdmin(admin.ModelAdmin):
    list_display = ("__str__", "travel_type", "depart_date", "return_date", "status", "unit")
    list_filter = ("status", "travel_type", "unit")
    search_fields = ("spt_number", "purpose")
    date_hierarchy = "depart_date"
    raw_id_fields = ("origin", "budget_line", "signer", "created_by", "unit")
    inlines = [TripDestinationInline, TripMemberInline]
    list_select_related = ("unit",)


@admin.register(Sppd)
class SppdAdmin(admin.ModelAdmin):
    list_display = ("__str__", "member", "cost_tier", "daily_rate", "total")
    list_filter = ("cost_tier",)
    search_fields = ("number", "member__employee__name")
    raw_id_fields = ("member",)
    list_select_related = ("member__employee",)


@admin.register(DailyAllowanceRate)
class DailyAllowanceRateAdmin(admin.ModelAdmin):
    list_display = ("province", "travel_type", "amount", *RATE_FILTERS, "dasar_hukum")
    list_filter = ("travel_type", *RATE_FILTERS)
    search_fields = ("province__name", "province__code", "dasar_hukum")
    raw_id_fields = ("province",)
    list_select_related = ("province",)


@admin.register(LodgingCeiling)
class LodgingCeilingAdmin(admin.ModelAdmin):
    list_display = ("province", "cost_tier", "amount", *RATE_FILTERS, "dasar_hukum")
    list_filter = ("cost_tier", *RATE_FILTERS)
    search_fields = ("province__name", "province__code", "dasar_hukum")
    raw_id_fields = ("province",)
    list_select_related = ("province",)


@admin.register(RepresentationRate)
class RepresentationRateAdmin(admin.ModelAdmin):
    list_display = ("cost_tier", "travel_type", "amount", *RATE_FILTERS, "dasar_hukum")
    list_filter = ("cost_tier", "travel_type", *RATE_FILTERS)


@admin.register(CostTierRule)
class CostTierRuleAdmin(admin.ModelAdmin):
    list_display = ("precedence", "criterion", "value", "cost_tier", *RATE_FILTERS, "dasar_hukum")
    list_filter = ("criterion", "cost_tier")
    ordering = ("precedence", "criterion", "value")
