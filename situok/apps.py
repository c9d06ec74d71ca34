from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SituokConfig(AppConfig):
    name = "situok"
    verbose_name = _("Inti SITU OK")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import checks  # noqa: F401  (registers system checks)
        from .approvals import inbox_count
        from .permissions import MenuItem, PendingCounter, register_menu_item, register_pending_counter

        # Each app's exporters.py registers its exporters with situok.exports.
        autodiscover_modules("exporters")
        register_pending_counter(
            PendingCounter("approvals", _("Menunggu persetujuan Anda"), "inbox", inbox_count)
        )
        register_menu_item(
            MenuItem(
                "inbox",
                _("Persetujuan"),
                "inbox",
                "check2-square",
                description=_("Permohonan yang menunggu keputusan Anda dan delegasi"),
            )
        )
