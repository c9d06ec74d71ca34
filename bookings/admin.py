"""Admin for reference data (facilities, buildings, rooms/vehicles, drivers, blackouts). Bookings are
read-only here: every state change goes through bookings.services (locks, conflict checks, history)."""

from django.contrib import admin

from .models import Blackout, Booking, BookingEvent, Building, Driver, Facility, Resource, ResourcePhoto


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ("name", "address", "managing_unit")
    search_fields = ("name",)


class ResourcePhotoInline(admin.TabularInline):
    model = ResourcePhoto
    extra = 0


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "building", "capacity", "plate", "seats", "vehicle_status", "is_active")
    list_filter = ("kind", "is_active", "vehicle_status", "building")
    search_fields = ("name", "plate")
    filter_horizontal = ("facilities", "approvers")
    inlines = [ResourcePhotoInline]


@admin.register(Driver)
class DriverAdmin(admin.ModelAdmin):
    list_display = ("employee", "licence_number", "licence_expiry", "is_active")
    autocomplete_fields = ("employee",)
    search_fields = ("employee__name", "licence_number")


@admin.register(Blackout)
class BlackoutAdmin(admin.ModelAdmin):
    list_display = ("resource", "start", "end", "reason")
    list_filter = ("resource",)


class BookingEventInline(admin.TabularInline):
    model = BookingEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "at", "by", "note", "data")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("resource", "start", "end", "requester", "unit", "status")
    list_filter = ("status", "resource__kind", "resource")
    search_fields = ("purpose", "requester__name", "resource__name", "resource__plate")
    date_hierarchy = "start"
    inlines = [BookingEventInline]
    list_select_related = ("resource", "requester", "unit")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
