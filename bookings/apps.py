from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Peminjaman Gedung dan Kendaraan")

    def ready(self) -> None:
        from situok.notifications import register_category
        from situok.permissions import MenuItem, register_menu_item

        from . import approval

        approval.register()  # bookings and recurring series go through the approval engine
        register_category(
            "booking",
            _("Peminjaman gedung dan kendaraan"),
            _("Peminjaman Anda digeser, dibatalkan atau perlu ditindaklanjuti."),
        )

        items = (
            MenuItem(
                "bookings_calendar",
                _("Kalender Peminjaman"),
                "bookings:calendar",
                "calendar-week",
                description=_("Jadwal ruang rapat, gedung dan kendaraan dinas"),
            ),
            MenuItem(
                "bookings_request",
                _("Ajukan Peminjaman"),
                "bookings:request_create",
                "calendar-plus",
                description=_("Pinjam ruang, gedung atau kendaraan dinas"),
            ),
            MenuItem(
                "bookings_availability",
                _("Cari Ruang/Kendaraan Kosong"),
                "bookings:availability",
                "search",
                description=_("Ruang dengan kapasitas dan fasilitas tertentu atau kendaraan yang kosong"),
            ),
            MenuItem(
                "bookings_mine",
                _("Peminjaman Saya"),
                "bookings:my_bookings",
                "card-checklist",
                description=_("Status permohonan peminjaman Anda"),
            ),
            MenuItem(
                "bookings_reports",
                _("Laporan Peminjaman"),
                "bookings:reports",
                "file-earmark-bar-graph",
                perms=("bookings.view_booking",),
                description=_("Pemakaian ruang dan kendaraan, peminjaman per unit, ketidakhadiran"),
            ),
            MenuItem(
                "bookings_history",
                _("Riwayat Peminjaman"),
                "bookings:history_search",
                "clock-history",
                perms=("bookings.view_booking",),
                description=_("Siapa memakai ruang atau kendaraan pada waktu tertentu"),
            ),
        )
        # Only entries whose page exists: a menu link to a missing URL name would break every page.
        names = _url_names()
        for item in items:
            if item.url_name.split(":", 1)[1] in names:
                register_menu_item(item)


def _url_names() -> set[str]:
    from . import urls

    return {p.name for p in urls.urlpatterns if getattr(p, "name", None)}
