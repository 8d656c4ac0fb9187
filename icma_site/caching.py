"""The public pages' cache: anonymous visitors get pages from the cache, conditional
requests get 304, and any change to the directory shows at once.

How it stays right:

- The cache holds a *directory version*, replaced whenever an Organization, Country or
  RelationshipType is saved or deleted, or an organization's countries change (signal
  receivers in partners/signals.py, run when the transaction commits). The version is in
  every page's cache key, so a change retires every cached page at once: nothing waits
  for a timeout. `load_partners`, `loaddata` and the admin all save through the models,
  so they all trigger it; the one bulk update in the models (Country.save() refreshing
  its organizations' search text) happens inside a Country save, which triggers it too.
- The *release* (a hash of the code, templates and static files, or $RELEASE) is in the
  key too, so a deploy never serves pages rendered by the previous code, even while old
  and new app servers run side by side.
- Pages are cached only for requests without a session cookie (no signed-in user, no
  staff), only when the response is a plain 200 that sets no cookie (a page with a CSRF
  token sets one) and varies on nothing but Cookie and Accept-Encoding. The admin and
  /healthz are never cached, and staff responses say `no-store`.
- Responses carry an ETag (a hash of the content) and a Last-Modified (when the
  directory or the release last changed); ConditionalGetMiddleware, just outside this
  middleware, turns a matching If-None-Match / If-Modified-Since into a 304, for cached
  and fresh pages alike. `Cache-Control: no-cache` makes browsers ask every time.

Page caching is on with a shared cache (REDIS_URL) and off with per-process local memory,
where a change made in one process could not reach the others (settings.PAGE_CACHE_ENABLED).
Off, pages still get an ETag and 304s; Last-Modified needs the shared version, so it is
left out.

If the cache itself fails (Redis away), pages are served uncached and a warning is logged.
"""

import hashlib
import logging
import secrets
import time
from functools import lru_cache
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import (
    add_never_cache_headers,
    cc_delim_re,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import http_date

logger = logging.getLogger("icma_site.caching")

VERSION_KEY = "directory-version"
RELEASE_KEY = "page-release:{release}"
PAGE_KEY = "page:{release}:{version}:{url}"
RELEASE_KEY_SECONDS = 60 * 60 * 24 * 90
# Response headers not kept with a cached page.
UNCACHED_HEADERS = {"set-cookie", "x-cache"}
HARMLESS_VARY = {"cookie", "accept-encoding"}


def new_version():
    return {"token": f"{time.time_ns():x}.{secrets.token_hex(3)}", "changed_at": time.time()}


def bump_directory_version():
    """Retire every cached page: the directory changed."""
    try:
        cache.set(VERSION_KEY, new_version(), timeout=None)
    except Exception:
        logger.exception("Could not record a directory change in the cache")


def directory_changed(using=None):
    """Called by the signal receivers: bump the version once the change is committed (at
    once outside a transaction). Bumping before the commit would let a page rendered from
    the old data be cached under the new version."""
    transaction.on_commit(bump_directory_version, using=using)


def current_version():
    """(version token, last-modified timestamp) of the directory and the running release."""
    release_key = RELEASE_KEY.format(release=release())
    values = cache.get_many([VERSION_KEY, release_key])
    version = values.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, new_version(), timeout=None)
        version = cache.get(VERSION_KEY) or new_version()
    first_seen = values.get(release_key)
    if first_seen is None:
        cache.add(release_key, time.time(), timeout=RELEASE_KEY_SECONDS)
        first_seen = cache.get(release_key) or time.time()
    return version["token"], max(version["changed_at"], first_seen)


@lru_cache(maxsize=1)
def release():
    """settings.RELEASE, or a hash of what shapes the pages: the code, the templates, the
    static files (their hashed names appear in pages) and Django's version."""
    if settings.RELEASE:
        return settings.RELEASE
    base = Path(settings.BASE_DIR)
    folders = [
        base / "icma_site",
        base / "partners",
        *(Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])),
        *(Path(folder) for folder in settings.STATICFILES_DIRS),
    ]
    digest = hashlib.sha256(django.get_version().encode())
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


def is_excluded(request):
    return any(request.path.startswith(prefix) for prefix in settings.PAGE_CACHE_EXCLUDED_PATHS)


def is_private(request):
    """Staff pages, and anyone who may be signed in (has a session cookie)."""
    return (
        is_excluded(request)
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
    )


def vary_headers(response):
    return {value.strip().lower() for value in cc_delim_re.split(response.get("Vary", ""))} - {""}


def is_cacheable(response):
    cache_control = {
        value.split("=")[0].strip().lower()
        for value in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not cache_control & {"private", "no-store", "no-cache"}
        and vary_headers(response) <= HARMLESS_VARY
    )


def url_digest(request):
    """The page's full address (scheme, host, path, query), hashed. Reading the host
    validates it against ALLOWED_HOSTS, so a forged Host header cannot fill the cache."""
    return hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()


def freeze(response):
    headers = [
        (name, value) for name, value in response.items() if name.lower() not in UNCACHED_HEADERS
    ]
    return {"content": response.content, "headers": headers}


def thaw(entry):
    response = HttpResponse(entry["content"])
    for name, value in entry["headers"]:
        response[name] = value
    return response


class PublicPageCacheMiddleware:
    """See the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_private(request):
            response = self.get_response(request)
            add_never_cache_headers(response)
            return response
        if request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        if not settings.PAGE_CACHE_ENABLED:
            response = self.get_response(request)
            if is_cacheable(response):
                patch_cache_control(response, no_cache=True)
            return response

        url = url_digest(request)
        try:
            version, last_modified = current_version()
            key = PAGE_KEY.format(release=release(), version=version, url=url)
            entry = cache.get(key)
        except Exception as error:
            logger.warning("Page cache unavailable, serving uncached: %s", error)
            return self.get_response(request)
        if entry is not None:
            response = thaw(entry)
            response["X-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if not is_cacheable(response):
            return response
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(int(last_modified))
        patch_cache_control(response, no_cache=True)
        if request.method == "GET":
            try:
                cache.set(key, freeze(response), settings.PAGE_CACHE_SECONDS)
            except Exception as error:
                logger.warning("Page cache unavailable, page not stored: %s", error)
        response["X-Cache"] = "miss"
        return response
