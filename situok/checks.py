"""System checks: refuse to start production with an unsafe configuration."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_production_settings(app_configs, **kwargs):
    errors = []
    if not settings.DEBUG and not settings.SECRET_KEY:
        errors.append(
            Error("SECRET_KEY is empty.", hint="Set the SECRET_KEY environment variable.", id="situok.E001")
        )
    if not settings.DEBUG and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        errors.append(
            Error(
                "Production runs on PostgreSQL.",
                hint="Set DATABASE_URL=postgres://… (SQLite is for development and demos).",
                id="situok.E002",
            )
        )
    return errors
