from django.core.management.base import BaseCommand

from situok.permissions import ROLES_BY_CODE
from staff.demo import DEMO_PASSWORD, PERSONAS


class Command(BaseCommand):
    help = "Print the demo logins per role."

    def handle(self, *args, **options):
        self.stdout.write(
            f"\nSITU OK demo — http://127.0.0.1:8000/  (password for every demo login: {DEMO_PASSWORD})\n"
        )
        self.stdout.write(f"{'login':<14} {'role':<30} name")
        for p in PERSONAS:
            self.stdout.write(f"{p.username:<14} {ROLES_BY_CODE[p.role].label!s:<30} {p.name}")
        self.stdout.write("Log in with the login name or with the NIP.\n")
