from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bookings.demo import seed_bookings
from situok.numbering import NumberingScheme
from situok.services import roles_sync
from staff.approval import ensure_correction_policy
from staff.demo import seed_people
from travel.demo import seed_travel

# Default numbering schemes (classification codes per Permendagri 83/2022, domain.md §2.7).
SCHEMES = [
    ("travel-spt", "Surat Perintah Tugas", "800.1.11.1", "{kode}/{nomor}/{unit}/{tahun}"),
    ("travel-sppd", "Surat Perintah Perjalanan Dinas", "000.1.2.3", "{kode}/{nomor}/{unit}/{tahun}"),
    ("bookings-vehicle", "Surat Peminjaman Kendaraan Dinas", "000.1.7.1", "{kode}/{nomor}/{unit}/{tahun}"),
    ("bookings-room", "Surat Penggunaan Fasilitas Kantor", "000.1.4", "{kode}/{nomor}/{unit}/{tahun}"),
    (
        "assets-bast",
        "Berita Acara Serah Terima Barang",
        "000.2.3",
        "{kode}/{nomor}/{unit}/{bulan_romawi}/{tahun}",
    ),
]


class Command(BaseCommand):
    help = "Build the deterministic demo bureau (idempotent). --scale N multiplies the employees."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1)
        parser.add_argument("--force", action="store_true", help="allow with DEBUG off (never in production)")

    def handle(self, *args, scale: int, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates demo logins with a published password; refusing with DEBUG off."
            )
        if scale < 1:
            raise CommandError("--scale must be at least 1")
        roles_sync()
        for code, name, kode, pattern in SCHEMES:
            NumberingScheme.objects.get_or_create(
                code=code, defaults={"name": name, "classification_code": kode, "pattern": pattern}
            )
        people = seed_people(scale)
        # Approval policies the demo needs (each is published only when none is active).
        ensure_correction_policy()
        trips = seed_travel(scale)
        bookings = seed_bookings(scale)
        self.stdout.write(
            f"Demo bureau ready: {len(people)} demo logins, {trips} SPT, {bookings} bookings, scale {scale}."
        )
