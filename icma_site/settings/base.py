"""Settings shared by every environment, read from the environment where they differ."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from icma_site.logs import log_level
from icma_site.settings.environment import (
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_seconds,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "icma_site.apps.StaffAdminConfig",  # django.contrib.admin with the staff sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_countries",
    "django_filters",
    "csp",
    "simple_history",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "partners",
]

# The database deadline comes first: nothing after it waits for the database longer than
# DATABASE_REQUEST_TIMEOUT. The header middleware comes next, so that it wraps WhiteNoise:
# static files, redirects, error pages and /healthz get the same security headers as
# pages. WhiteNoise stays right after SecurityMiddleware. The health check answers before
# anything reads the Host header (load balancers probe by IP address). The database-outage
# middleware turns a lost database into a 503 page (in the page's language: the language
# middleware comes just before it); the page cache sits inside
# ConditionalGetMiddleware so that a cached page still answers a conditional request with
# 304. Compression sits between them: it compresses what the page cache did not (the
# cache keeps pages compressed).
MIDDLEWARE = [
    "icma_site.middleware.DatabaseDeadlineMiddleware",
    # The CSV import and export have a longer deadline (BULK_EDIT_REQUEST_TIMEOUT).
    "icma_site.staff.BulkEditDeadlineMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "icma_site.middleware.RequestSizeLimitMiddleware",
    "icma_site.health.HealthCheckMiddleware",
    "icma_site.languages.URLLanguageMiddleware",
    "icma_site.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "icma_site.pagecache.compression.CompressionMiddleware",
    "icma_site.pagecache.middleware.PublicPageCacheMiddleware",
    "icma_site.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change (django-simple-history), for changes made outside the
    # admin's own forms too.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: answers locked-out sign-ins with the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes checks every sign-in first and counts the failures.
AUTHENTICATION_BACKENDS = [
    "icma_site.staff.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "icma_site.urls"
WSGI_APPLICATION = "icma_site.wsgi.application"

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
            ],
        },
    },
]

# SQLite in the project when DATABASE_URL is unset; PostgreSQL (psycopg 3) when it
# points at one.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0, minimum=0),
        conn_health_checks=True,
    )
}
# The most seconds a web request waits for the database, in all, before it answers 503
# (icma_site/postgresql/base.py). 0 turns the bound off.
DATABASE_REQUEST_TIMEOUT = env_seconds("DATABASE_REQUEST_TIMEOUT", 4)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with the request deadline.
    DATABASES["default"]["ENGINE"] = "icma_site.postgresql"
    # A database that goes away, or goes silent, must not hang requests. libpq's own
    # settings (a value given in DATABASE_URL, e.g. `?connect_timeout=10`, wins):
    # - connect_timeout: give up on a server that does not complete the connection;
    # - TCP keep-alives: probe an idle connection, and drop it when the peer is gone;
    # - tcp_user_timeout: drop a connection whose data the peer has not acknowledged;
    # - statement_timeout (sent to the server): stop a statement that runs too long.
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": int(env_seconds("DATABASE_CONNECT_TIMEOUT", 5)),
        "keepalives": 1,
        "keepalives_idle": int(env_seconds("DATABASE_KEEPALIVE_IDLE", 30)),
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "tcp_user_timeout": int(env_seconds("DATABASE_TCP_USER_TIMEOUT", 10) * 1000),
        "options": "-c statement_timeout={}".format(
            int(env_seconds("DATABASE_STATEMENT_TIMEOUT", 30) * 1000)
        ),
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff.
# Where the admin lives, such as "staff-7q2x/" (moving it off admin/ keeps casual guessers
# away; it is not a secret).
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip().strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("ADMIN_URL must not be empty; the default is admin/.")
# Where a sign-in lands when its `next=` is missing or refused (not on another site).
LOGIN_REDIRECT_URL = "admin:index"
# The largest request body accepted (icma_site/middleware.py): forms are a few kilobytes;
# only the CSV import's upload (and its confirm step) takes more.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 64 * 1024, minimum=1024)
MAX_UPLOAD_REQUEST_BYTES = env_int("MAX_UPLOAD_REQUEST_BYTES", 8 * 1024 * 1024, minimum=1024)
UPLOAD_PATHS = [
    f"/{ADMIN_URL}partners/organization/import/",
    f"/{ADMIN_URL}partners/organization/process_import/",
]
# The CSV import (its preview and its confirm step) and export read and write thousands
# of entries: they wait for the database this many seconds in all, not
# DATABASE_REQUEST_TIMEOUT's (icma_site/staff.py). Below gunicorn's timeout (30 s), so
# that a database that stops answering still gets the 503 page.
BULK_EDIT_REQUEST_TIMEOUT = env_seconds("BULK_EDIT_REQUEST_TIMEOUT", 25)
BULK_EDIT_PATHS = [*UPLOAD_PATHS, f"/{ADMIN_URL}partners/organization/export/"]
# Sessions (only staff have one) end after a working day without a request.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
# Sign-in lockout (django-axes; icma_site/lockouts.py): after AXES_FAILURE_LIMIT failed
# sign-ins as one user name from one address, that user name is locked out from that
# address for AXES_COOLOFF_TIME hours; after AXES_ADDRESS_FAILURE_LIMIT from one address,
# whatever the user names, the address is. A refused attempt while locked out is not
# counted, so it does not extend the lockout.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 50, minimum=1)
AXES_COOLOFF_TIME = env_seconds("AXES_COOLOFF_HOURS", 0.5, unit="hours")
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "icma_site.lockouts.StaffLockoutHandler"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "icma_site.staff.locked_out"
AXES_ENABLE_ADMIN = False  # icma_site/lockouts.py has the admin page
AXES_CLIENT_IP_CALLABLE = "icma_site.clients.client_address"
# How many proxies in front of the site append the address they were reached from to
# X-Forwarded-For. The client's address is then the entry that many places from the
# right; with 0 (no proxy) it is the connection's own address, and X-Forwarded-For is not
# read at all (icma_site/clients.py). Sign-in lockouts and the corrections form's limit
# count per client address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# A second factor (TOTP, django-otp): staff who have added an authenticator app enter
# its code when they sign in. With OTP_REQUIRED_FOR_SUPERUSERS, superusers without a
# verified code cannot use the admin.
OTP_REQUIRED_FOR_SUPERUSERS = env_bool("OTP_REQUIRED_FOR_SUPERUSERS", default=False)
OTP_TOTP_ISSUER = "ICMA partner directory"
# History (django-simple-history): the admin's History page can restore any version.
SIMPLE_HISTORY_REVERT_DISABLED = False
# Bulk edits (django-import-export): every import runs in one transaction, so a file
# with a bad row changes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Importing changes entries, so it takes the change permission; exporting, the view one.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# An uploaded file waits for the confirm step under a random name, for an hour at most
# (partners/editorial/admin.py, ImportUploadStorage): in the cache when every worker shares it
# (Redis), otherwise in a folder of this server that only the site's user can open.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "partners.editorial.admin.ImportUploadStorage"
IMPORT_UPLOAD_SECONDS = 60 * 60
IMPORT_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
# Not IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT: it only drops a leading "=" (and writes
# empty cells as "None"). The staff export neutralises formulas as the public CSV does
# (partners/opendata/exports.py, neutralise_formula), in OrganizationResource.
# The corrections form: at most this many suggestions per client address per hour.
CORRECTIONS_PER_HOUR = env_int("CORRECTIONS_PER_HOUR", 5, minimum=0)

# English at the root, Spanish under /es/ and French under /fr/ (icma_site/languages.py):
# the address alone says which, so that every page stays in the shared page cache.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
]
# django-countries 9 names Nauru by its Nauruan name in English ("Naoero"), which an
# English reader would not know ("ICMA has no partner in Naoero").
COUNTRIES_OVERRIDE = {"NR": "Nauru"}
TIME_ZONE = "UTC"
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers in each language's way (Django's localization): "1,234" and
# "29 November 2026" in English, "1.234" and "29 de noviembre de 2026" in Spanish,
# "1 234" and "29 novembre 2026" in French. The English formats are the site's own
# (icma_site/formats/en/formats.py).
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["icma_site.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
PARTNERS_FIXTURE = BASE_DIR / "fixtures" / "partners.json"
PARTNERS_SOURCE_DIR = BASE_DIR / "fixtures" / "source"

# The cache: Redis (Django's own backend, reusing its Redis clients) when REDIS_URL is
# set, shared by every process and server; otherwise each process's local memory.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "icma_site.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "icma"),
            "TIMEOUT": 300,
            # Give up quickly when Redis is away: pages are then served uncached.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "icma",
        }
    }

# Anonymous public pages are kept in the cache (icma_site/pagecache/) until the directory
# changes. Only worth it, and only right, with a cache that every process shares: a change
# made in one process (the admin, `load_partners`) must reach the others. So on by default
# with Redis, off with local memory; PAGE_CACHE=true/false overrides.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", default=bool(REDIS_URL))
# The directory's small lookups (filter options, counts; partners/listing/lookups.py) are kept
# per process until the directory changes: right only with a shared cache, for the same
# reason.
DIRECTORY_LOOKUPS_CACHED = bool(REDIS_URL)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600, minimum=0)
# Size-aware lifetimes: a page whose compressed forms take up to this many bytes lives
# PAGE_CACHE_SECONDS, a larger one proportionally less, and one above the maximum is not
# kept at all.
PAGE_CACHE_FULL_LIFETIME_BYTES = env_int("PAGE_CACHE_FULL_LIFETIME_BYTES", 32768, minimum=1)
PAGE_CACHE_MAX_BYTES = env_int("PAGE_CACHE_MAX_BYTES", 524288, minimum=0)
# Each process keeps its own copy of the pages it served last, ready to send, up to this
# many bytes (every form of each page counted); 0 keeps none.
PAGE_CACHE_LOCAL_BYTES = env_int("PAGE_CACHE_LOCAL_BYTES", 4 * 1024 * 1024, minimum=0)
# Exports (/partners.csv, /partners.json) are cached like pages when no larger than this;
# larger ones are streamed every time.
EXPORT_CACHE_MAX_BYTES = env_int("EXPORT_CACHE_MAX_BYTES", 4 * 1024 * 1024, minimum=0)
# Paths that are never cached (staff pages, the health check).
PAGE_CACHE_EXCLUDED_PATHS = [f"/{ADMIN_URL}", "/healthz"]
# Identifies the running code in the page cache's keys, so that a deploy never serves a
# page rendered by the previous release. Unset: a hash of the code, templates and static
# files, computed at start-up.
RELEASE = os.environ.get("RELEASE", "").strip()

# Security headers, in every environment. SecurityMiddleware sends X-Content-Type-Options,
# Referrer-Policy and Cross-Origin-Opener-Policy (and, in production, HSTS);
# XFrameOptionsMiddleware X-Frame-Options; django-csp the Content-Security-Policy;
# django-permissions-policy the Permissions-Policy.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline scripts or styles anywhere (templates and the admin alike): nothing is
# 'unsafe-inline' or 'unsafe-eval'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features the site never uses, switched off for it and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

# /healthz says which of the database and the cache failed only to clients at these
# addresses or networks (monitoring on the same host, by default); everyone else gets the
# status code and {"status": …} alone.
HEALTH_DETAIL_FROM = env_networks("HEALTH_DETAIL_FROM", ["127.0.0.0/8", "::1/128"])

# When the database cannot be reached, pages answer 503 with this Retry-After (seconds).
SERVICE_UNAVAILABLE_RETRY_AFTER = 30

# LOG_LEVEL in any case ("warning", as gunicorn spells it, or "WARNING").
LOG_LEVEL = log_level(os.environ.get("LOG_LEVEL") or "info")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "rejected_host": {"()": "icma_site.logs.RejectedHostFilter"},
        "refused_request": {"()": "icma_site.logs.RefusedRequestFilter"},
    },
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["refused_request"],
        },
    },
    "loggers": {
        # One short warning per forged Host header, not an ERROR and a traceback.
        "django.security.DisallowedHost": {"filters": ["rejected_host"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}


def require_secret_key(secret_key):
    if not secret_key:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    return secret_key
