from django.core.management.base import BaseCommand

from situok.services import roles_sync


class Command(BaseCommand):
    help = "Create/update one group per role from situok.permissions.ROLES (idempotent)."

    def handle(self, *args, **options):
        result = roles_sync()
        self.stdout.write(f"Roles synced: {len(result)} groups.")
