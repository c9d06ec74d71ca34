from django.core.management.base import BaseCommand

from situok.regions import regions_load


class Command(BaseCommand):
    help = "Load the Kemendagri region codes shipped in situok/data (idempotent)."

    def handle(self, *args, **options):
        created, updated = regions_load()
        self.stdout.write(f"Regions: {created} added, {updated} renamed.")
