"""Settings for the test suite: fast hashing, plain static storage, in-memory cache."""

from icma_site.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the app and project folders (no collectstatic).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Tests never share a cache with anything else: local memory, whatever REDIS_URL says.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test"}
}
# The page cache is off here: tests that write with bulk_create()/update() (no signals)
# and the query-count tests must see freshly rendered pages. The page cache's own tests
# (tests/test_production_caching.py) switch it on.
PAGE_CACHE_ENABLED = False
RELEASE = "test"

# django-axes logs every sign-in at INFO; the tests sign in hundreds of times.
LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {**LOGGING["loggers"], "axes": {"level": "WARNING"}},  # noqa: F405
}
