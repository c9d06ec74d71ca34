from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TravelConfig(AppConfig):
    name = "travel"
    verbose_name = _("Perjalanan Dinas")

    def ready(self) -> None:
        from . import approval, documents_setup, posttrip_setup

        approval.register()  # SPT document type on the shared approval engine, menu and counters
        documents_setup.register()  # official PDFs and their QR seals
        posttrip_setup.register()  # visum, costs, trip reports: counters, reminders, notification kinds
