"""WSGI entry point (gunicorn situok.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "situok.settings")
application = get_wsgi_application()
