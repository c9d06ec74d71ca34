"""Django admin for the work-calendar tables (reference data for Administrators).

Not registered on import: ``situok/admin.py`` calls :func:`register` so that importing this module
twice (tests, autoreload) never registers a model twice. Confirmation goes through the service
(:func:`situok.workcalendar.calendar_day_confirm`), which writes the audit event, so the confirmation
fields are read-only here.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .calendar_models import CalendarDay, WorkSchedule
from .workcalendar import calendar_day_confirm


class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "kind", "applies_to", "is_day_off", "source", "confirmed")
    list_filter = ("kind", "source", "confirmed", "applies_to", "is_day_off")
    search_fields = ("name", "dasar_hukum")
    date_hierarchy = "date"
    ordering = ("date", "kind", "name")
    readonly_fields = ("confirmed", "confirmed_by", "confirmed_at", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("date", "kind", "name", "applies_to", "is_day_off", "dasar_hukum", "source")}),
        (
            _("Konfirmasi"),
            {"fields": ("confirmed", "confirmed_by", "confirmed_at", "created_at", "updated_at")},
        ),
    )
    actions = ("confirm_selected",)

    @admin.action(description=_("Konfirmasi"), permissions=("change",))
    def confirm_selected(self, request: HttpRequest, queryset: QuerySet[CalendarDay]) -> None:
        """Confirm every selected, not yet confirmed day (one audit event each)."""
        done = 0
        for day in queryset.filter(confirmed=False).order_by("date", "pk"):
            try:
                calendar_day_confirm(day, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{day}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            gettext("%(count)s hari dikonfirmasi.") % {"count": done},
            messages.SUCCESS,
        )


class WorkScheduleAdmin(admin.ModelAdmin):
    list_display = ("name", "valid_from", "valid_to", "is_ramadan", "dasar_hukum")
    list_filter = ("is_ramadan",)
    search_fields = ("name", "dasar_hukum")
    date_hierarchy = "valid_from"
    fieldsets = (
        (None, {"fields": ("name", "valid_from", "valid_to", "is_ramadan", "dasar_hukum")}),
        (
            _("Senin–Kamis"),
            {"fields": ("mon_thu_start", "mon_thu_break_start", "mon_thu_break_end", "mon_thu_end")},
        ),
        (_("Jumat"), {"fields": ("fri_start", "fri_break_start", "fri_break_end", "fri_end")}),
    )


def register(site: admin.AdminSite = admin.site) -> None:
    """Register the calendar models on ``site`` unless they already are."""
    for model, model_admin in ((CalendarDay, CalendarDayAdmin), (WorkSchedule, WorkScheduleAdmin)):
        if not site.is_registered(model):
            site.register(model, model_admin)
