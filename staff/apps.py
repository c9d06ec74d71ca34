from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Kepegawaian")

    def ready(self) -> None:
        from situok.permissions import MenuItem, register_menu_item

        from . import approval, approvers

        approvers.register()  # who approves: supervisor, unit head, role, position
        approval.register()  # data corrections go through the approval engine

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
        register_menu_item(
            MenuItem(
                "staff_import",
                _("Impor Pegawai"),
                "staff:import_upload",
                "file-earmark-arrow-up",
                perms=("staff.add_employee", "staff.change_employee"),
                description=_("Impor data pegawai dari Excel"),
            )
        )
        register_menu_item(
            MenuItem(
                "staff_reports",
                _("Laporan Kepegawaian"),
                "staff:reports",
                "file-earmark-bar-graph",
                perms=("staff.view_employee",),
                description=_("DUK, daftar pegawai, rekapitulasi dan pengingat"),
            )
        )
        register_menu_item(
            MenuItem(
                "staff_reminders",
                _("Pengingat Kepegawaian"),
                "staff:reminders",
                "alarm",
                perms=("staff.view_employee",),
                description=_("Pensiun, KGB, kenaikan pangkat dan akhir kontrak yang mendekat"),
            )
        )
