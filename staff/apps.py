from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Kepegawaian")

    def ready(self) -> None:
        from situok.permissions import MenuItem, PendingCounter, register_menu_item, register_pending_counter

        from .models import CorrectionRequest

        register_menu_item(
            MenuItem(
                "staff",
                _("Pegawai"),
                "staff:employee_list",
                "people",
                description=_("Cari pegawai dan unit kerja"),
            )
        )
        register_menu_item(
            MenuItem(
                "my_profile",
                _("Profil Saya"),
                "staff:my_profile",
                "person-badge",
                description=_("Data kepegawaian Anda dan permohonan perbaikan"),
            )
        )
        register_menu_item(
            MenuItem(
                "corrections",
                _("Perbaikan Data"),
                "staff:correction_list",
                "pencil-square",
                perms=("staff.change_employee",),
                description=_("Periksa permohonan perbaikan data pegawai"),
            )
        )
        register_pending_counter(
            PendingCounter(
                "staff_corrections",
                _("Permohonan perbaikan data"),
                "staff:correction_list",
                lambda user: CorrectionRequest.objects.filter(
                    status=CorrectionRequest.Status.PENDING
                ).count(),
                perms=("staff.change_employee",),
            )
        )
