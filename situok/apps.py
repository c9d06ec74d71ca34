from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SituokConfig(AppConfig):
    name = "situok"
    verbose_name = _("Inti SITU OK")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import checks  # noqa: F401  (registers system checks)

        # Each app's exporters.py registers its exporters with situok.exports.
        autodiscover_modules("exporters")
