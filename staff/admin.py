from django.contrib import admin

from .models import CorrectionRequest, Employee, OrgUnit, Position, StaffDocument
from .services import unit_save


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "abbreviation", "kind", "parent")
    search_fields = ("code", "name")
    readonly_fields = ("path",)

    def save_model(self, request, obj, form, change):
        unit_save(obj)


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ("name", "nip", "employee_type", "unit", "position", "status")
    list_filter = ("employee_type", "status")
    search_fields = ("name", "nip")
    list_select_related = ("unit", "position")
    raw_id_fields = ("user", "supervisor", "position")


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "functional_level", "eselon", "unit", "bup")
    list_filter = ("kind", "eselon")
    search_fields = ("name",)
    list_select_related = ("unit",)


admin.site.register(StaffDocument)
admin.site.register(CorrectionRequest)
