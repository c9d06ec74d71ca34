"""Test settings: the real settings plus fast hashing, in-memory mail and a file-backed SQLite
test database (threads in race tests need a real file, not a shared-cache memory database)."""

import os
import tempfile

from .settings import *  # noqa: F403
from .settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
AXES_ENABLED = True
MEDIA_ROOT = tempfile.mkdtemp(prefix="situok-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"situok-test-{os.getpid()}.sqlite3")
    }
    # WAL in a throwaway test database is not needed and leaves side files behind.
    DATABASES["default"]["OPTIONS"].pop("init_command", None)
    # Race tests queue 20 writers on one file; on a loaded CI machine a writer may wait long.
    DATABASES["default"]["OPTIONS"]["timeout"] = 120
STATIC_ROOT = tempfile.mkdtemp(prefix="situok-test-static-")
WHITENOISE_USE_FINDERS = True  # serve static files from the source folders (browser tests)
WHITENOISE_AUTOREFRESH = True
