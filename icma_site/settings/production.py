"""Settings for production: gunicorn behind a TLS-terminating proxy, PostgreSQL, Redis.

Everything comes from the environment (see README, "Running in production"). Refuses to
start without SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from icma_site.settings.base import *  # noqa: F403
from icma_site.settings.base import DATABASES, LOGGING, require_secret_key
from icma_site.settings.environment import env_bool, env_int, env_list

DEBUG = False  # Never in production, whatever DEBUG says.

# Behind the TLS-terminating proxy, the client's address is the one the proxy appends to
# X-Forwarded-For (sign-in lockouts and the corrections rate limit are per address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1, minimum=0)

SECRET_KEY = require_secret_key(os.environ.get("SECRET_KEY", "").strip())

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Set the ALLOWED_HOSTS environment variable to the "
        "comma-separated host names the site answers to (for example: "
        "partners.icma.org,www.partners.icma.org)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# PostgreSQL through psycopg 3: one persistent connection per gunicorn worker, checked
# before reuse, so that the site reconnects by itself after the database comes back.
if not os.environ.get("DATABASE_URL", "").strip():
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Set it to the PostgreSQL database, for example "
        "postgres://icma:password@db.internal:5432/icma."
    )
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 600, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Behind a proxy that terminates TLS and says so in X-Forwarded-Proto. The proxy must
# set (not pass on) that header, and the app servers must be reachable only through it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe app servers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

# Static files: collected, compressed (gzip and Brotli) and named by their hash, served by
# WhiteNoise with far-future `Cache-Control: immutable` headers.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Logs go to standard output, for the process manager to collect.
LOGGING = {
    **LOGGING,
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["refused_request"],
            "stream": "ext://sys.stdout",
        },
    },
}
