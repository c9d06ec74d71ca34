"""SITU OK settings: one file, driven by the environment, with safe development defaults.

Production sets at least SECRET_KEY, DEBUG=0, ALLOWED_HOSTS and DATABASE_URL; see README.md.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=True)
# The development key is only a default for DEBUG; production must provide its own (checked below).
SECRET_KEY = env.str(
    "SECRET_KEY", default="dev-insecure-situok-key-do-not-use-in-production" if DEBUG else ""
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "django_filters",
    "import_export",
    "axes",
    "csp",
    "situok",
    "staff",
    "travel",
    "assets",
    "bookings",
    "attendance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "situok.derived.DerivedCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "situok.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "situok.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "situok.urls"
WSGI_APPLICATION = "situok.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "situok.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default. IMMEDIATE transactions take the write lock up front, so two
# concurrent writers wait for each other (busy timeout) instead of failing with "database is locked".
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    # Persistent connections: without them PostgreSQL pages run several times slower.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# Only derived data is cached (permission sets, list counts, dropdown options), under keys carrying
# database-stored versions (situok/derived.py): a per-process memory cache is correct with any
# number of processes; CACHE_URL (e.g. redis://127.0.0.1:6379/1) lets processes share the work.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- Auth -----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # must be first: refuses locked-out attempts
    "staff.backends.UsernameOrNipBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
ANONYMOUS_USER_NAME = None  # guardian: no anonymous object permissions

# django-axes: throttle by username + IP (an office shares one NAT address), with a cool-off
# period instead of a permanent lockout.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# --- Sessions: idle timeout 30 min (sliding), absolute lifetime 12 h ---------------------
# The sliding window is renewed by SessionLifetimeMiddleware at most once a minute, not on every
# request (a session write per request costs a database UPDATE + COMMIT on every page).
SESSION_ENGINE = "situok.sessions"  # Django's database sessions, read by a fixed statement
SESSION_COOKIE_AGE = 30 * 60
SESSION_RENEW_SECONDS = 60
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"  # WITA
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Media is never served by a public URL: only permission-checked views stream files.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- E-mail ---------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SITU OK <situok@localhost>")

# --- Background work ------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 3
}  # an unreachable broker must not hang requests
SITUOK_BASE_URL = env.str("SITUOK_BASE_URL", default="http://127.0.0.1:8000")  # absolute links in e-mails
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=20_000)
JOB_RETENTION_DAYS = env.int("JOB_RETENTION_DAYS", default=7)
# Public QR verification page (/verifikasi/<token>/): requests per client IP per window (seconds).
SITUOK_VERIFICATION_RATE_LIMIT = env.int("SITUOK_VERIFICATION_RATE_LIMIT", default=30)
SITUOK_VERIFICATION_RATE_WINDOW = env.int("SITUOK_VERIFICATION_RATE_WINDOW", default=60)

# Official travel (domain.md §2): visum stop blocks on the SPPD back page (>= 3), the central 30 %
# no-hotel lodging rule (unverified for Bali: switchable), trip report due N working days after return.
TRAVEL_SPPD_STOP_BLOCKS = max(3, env.int("TRAVEL_SPPD_STOP_BLOCKS", default=3))
TRAVEL_NO_HOTEL_RULE = env.bool("TRAVEL_NO_HOTEL_RULE", default=True)
TRAVEL_REPORT_DUE_WORKING_DAYS = env.int("TRAVEL_REPORT_DUE_WORKING_DAYS", default=5)

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=True) else None
)
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies: Secure, path=/, no Domain — cannot be set by a sibling sub-domain.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Scripts only from our own origin: no inline scripts, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Institution (letterhead) ---------------------------------------------------------------
SITUOK_INSTITUTION = {
    "government": env.str("SITUOK_GOVERNMENT", default="PEMERINTAH PROVINSI BALI"),
    "office": env.str("SITUOK_OFFICE", default="SEKRETARIAT DAERAH"),
    "unit": env.str("SITUOK_UNIT", default="BIRO UMUM DAN PROTOKOL"),
    "address": env.str(
        "SITUOK_ADDRESS", default="Jl. Basuki Rahmat, Niti Mandala Renon, Denpasar, Bali 80235"
    ),
    "contact": env.str("SITUOK_CONTACT", default="Telp. (0361) 000000 · situok.baliprov.go.id"),
    "city": env.str("SITUOK_CITY", default="Denpasar"),
    "logo": env.str("SITUOK_LOGO", default=str(BASE_DIR / "static" / "img" / "logo.png")),
}

# Performance harness only: count queries per request in a response header.
SITUOK_BENCH = env.bool("SITUOK_BENCH", default=False)
if SITUOK_BENCH:
    MIDDLEWARE.insert(0, "situok.middleware.QueryCountHeaderMiddleware")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
