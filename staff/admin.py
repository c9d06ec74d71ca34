from django.contrib import admin

from .models import Employee, OrgUnit
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
    list_display = ("name", "nip", "employee_type", "unit", "position_title")
    list_filter = ("employee_type", "unit")
    search_fields = ("name", "nip")
    list_select_related = ("unit",)
    raw_id_fields = ("user", "supervisor")
