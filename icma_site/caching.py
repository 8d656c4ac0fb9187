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

What it holds, and for how long:

- Only canonical addresses are kept (icma_site/canonical.py): the pages redirect an
  address with empty, unknown, repeated or reordered parameters to the canonical one, and
  a page that answers such an address anyway is served but not stored. So varying the
  query string (`?utm_x=1`, `?utm_x=2`, …) cannot add entries. Nor can varying the Host:
  a page asked for with another port than the server's (`localhost:1001`), in capitals
  or with a trailing dot is served but not stored (canonical.is_canonical_host).
- A page that reports a bad parameter (`?page=100001`, `?country=Q1`) says
  `Cache-Control: private` (partners/views.py), so it is served but not stored: it is
  not a page of its own.
- A page is compressed once, when it is stored, with Brotli and gzip
  (icma_site/compression.py), and only those two forms are kept. A hit is sent in the
  form the client accepts; a client that accepts neither gets the gzip form unpacked.
- Each worker process keeps its own small copy of the entries it served last
  (PAGE_CACHE_LOCAL_BYTES, least recently used out first), each ready to send: its
  headers and its bytes in every form. A hit then costs one Redis round trip, for the
  directory version, and no unpickling; none at all while Redis pushes version changes
  to the process (icma_site/version_push.py). The copies are keyed like the shared entries
  (release, directory version, address), so a change retires them as it retires the
  shared ones; each is kept no longer than a shared entry of its size.
- The lifetime is size-aware: an entry of up to PAGE_CACHE_FULL_LIFETIME_BYTES lives
  PAGE_CACHE_SECONDS; a larger one proportionally less (at least a minute); one above
  PAGE_CACHE_MAX_BYTES is not kept. Searches are pages too, one per search text, so
  only Redis's `maxmemory` with `allkeys-lru` (see README) bounds the whole; every entry
  here can be made again, so any may be evicted.

If the cache itself fails (Redis away), pages are served uncached and a warning is logged.
"""

import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import (
    add_never_cache_headers,
    cc_delim_re,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date

from .canonical import is_canonical, sorted_query
from .compression import (
    ENCODINGS,
    accepted_encoding,
    compress,
    decompress,
    is_compressible,
    mark_encoded,
)
from .version_push import VersionWatch, announce

logger = logging.getLogger("icma_site.caching")

VERSION_KEY = "directory-version"
RELEASE_KEY = "page-release:{release}"
PAGE_KEY = "page:{release}:{version}:{url}"
RELEASE_KEY_SECONDS = 60 * 60 * 24 * 90
# Response headers not kept with a cached page.
UNCACHED_HEADERS = {"set-cookie", "x-cache", "content-length"}
# The shortest lifetime a stored page is given, however large.
MIN_PAGE_SECONDS = 60
HARMLESS_VARY = {"cookie", "accept-encoding"}


# This process's copy of the version, kept while Redis pushes its changes
# (icma_site/version_push.py).
version_watch = VersionWatch(VERSION_KEY)
setting_changed.connect(version_watch.reset, dispatch_uid="icma-version-watch")


def new_version():
    return {"token": f"{time.time_ns():x}.{secrets.token_hex(3)}", "changed_at": time.time()}


def bump_directory_version():
    """Retire every cached page: the directory changed."""
    try:
        cache.set(VERSION_KEY, new_version(), timeout=None)
        version_watch.forget()
        announce(VERSION_KEY)
    except Exception:
        logger.exception("Could not record a directory change in the cache")


def directory_changed(using=None):
    """Called by the signal receivers: bump the version once the change is committed (at
    once outside a transaction). Bumping before the commit would let a page rendered from
    the old data be cached under the new version."""
    transaction.on_commit(bump_directory_version, using=using)


def _version():
    version, generation = version_watch.cached()
    if version is not None:
        return version
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, new_version(), timeout=None)
        version = cache.get(VERSION_KEY) or new_version()
    version_watch.remember(version, generation)
    return version


def directory_version():
    """The directory's version token: it changes whenever the directory does."""
    return _version()["token"]


def current_version():
    """(version token, last-modified timestamp) of the directory and the running release."""
    version = _version()
    return version["token"], max(version["changed_at"], release_first_seen(version["token"]))


_first_seen = {}


def release_first_seen(version):
    """When the running release first served a page (shared by every process: the first
    one records it). It never changes for a release, so each process reads it once per
    directory version rather than on every request."""
    key = (release(), version)
    if key not in _first_seen:
        release_key = RELEASE_KEY.format(release=release())
        first_seen = cache.get(release_key)
        if first_seen is None:
            cache.add(release_key, time.time(), timeout=RELEASE_KEY_SECONDS)
            first_seen = cache.get(release_key) or time.time()
        _first_seen.clear()
        _first_seen[key] = first_seen
    return _first_seen[key]


@lru_cache(maxsize=1)
def release():
    """settings.RELEASE, or a hash of what shapes the pages: the code, the templates, the
    static files (their hashed names appear in pages), the translations (their .po
    sources: the compiled .mo files follow from them) and Django's version."""
    if settings.RELEASE:
        return settings.RELEASE
    base = Path(settings.BASE_DIR)
    folders = [
        base / "icma_site",
        base / "partners",
        *(Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])),
        *(Path(folder) for folder in settings.STATICFILES_DIRS),
        *(Path(folder) for folder in settings.LOCALE_PATHS),
    ]
    digest = hashlib.sha256(django.get_version().encode())
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".mo":
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
    """The page's address (scheme, host, path, and the query with its parameters
    sorted), hashed. Reading the host validates it against ALLOWED_HOSTS, so a forged Host
    header cannot fill the cache."""
    address = f"{request.scheme}://{request.get_host()}{request.path}?{sorted_query(request.GET)}"
    return hashlib.sha256(address.encode()).hexdigest()


def freeze(response):
    """The cache entry for a response: its headers, and its content compressed both ways
    (or as it is, when it is not worth compressing)."""
    headers = [
        (name, value) for name, value in response.items() if name.lower() not in UNCACHED_HEADERS
    ]
    if is_compressible(response):
        encoded = {encoding: compress(encoding, response.content) for encoding in ENCODINGS}
        return {"encoded": encoded, "headers": headers}
    return {"content": response.content, "headers": headers}


def entry_size(entry):
    if "encoded" in entry:
        return sum(len(content) for content in entry["encoded"].values())
    return len(entry["content"])


def lifetime(size):
    """Seconds to keep an entry of `size` bytes, or None not to keep it."""
    if size > settings.PAGE_CACHE_MAX_BYTES:
        return None
    full = settings.PAGE_CACHE_FULL_LIFETIME_BYTES
    if size <= full:
        return settings.PAGE_CACHE_SECONDS
    return max(MIN_PAGE_SECONDS, settings.PAGE_CACHE_SECONDS * full // size)


def thaw(entry, accept_encoding):
    """The response for a cache entry, in the form the client accepts."""
    if "encoded" not in entry:
        response = HttpResponse(entry["content"])
        encoding = None
    else:
        encoding = accepted_encoding(accept_encoding)
        if encoding is None:
            response = HttpResponse(decompress("gzip", entry["encoded"]["gzip"]))
        else:
            response = HttpResponse(entry["encoded"][encoding])
    for name, value in entry["headers"]:
        response[name] = value
    if encoding:
        mark_encoded(response, encoding)
    else:
        response["Content-Length"] = str(len(response.content))
    return response


class ReadyPage:
    """A cache entry made ready to send: for each form a client may ask for (an encoding,
    or None for none), its bytes and its complete headers. Sending one builds a response
    around them without parsing, decompressing or validating anything again."""

    __slots__ = ("expires", "forms", "size")

    def __init__(self, entry, seconds):
        forms = {}
        for encoding in (*ENCODINGS, None) if "encoded" in entry else (None,):
            response = thaw(entry, encoding)
            forms[encoding] = (response.content, dict(response.items()))
        self.forms = forms
        self.size = sum(len(content) for content, _ in forms.values())
        self.expires = time.monotonic() + seconds

    def response(self, accept_encoding, cache_status="hit"):
        encoding = accepted_encoding(accept_encoding) if len(self.forms) > 1 else None
        content, headers = self.forms[encoding]
        response = HttpResponse(content, headers=headers)
        response["X-Cache"] = cache_status
        return response


class LocalPages:
    """This process's copy of the pages it served last (see the module's docstring): at
    most `settings.PAGE_CACHE_LOCAL_BYTES` in all, least recently used out first."""

    def __init__(self):
        self.pages = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            page = self.pages.get(key)
            if page is None:
                return None
            if page.expires < time.monotonic():
                self.discard(key)
                return None
            self.pages.move_to_end(key)
            return page

    def keep(self, key, entry, seconds):
        """Keep `entry` (for at most `seconds`) and return it ready to send."""
        page = ReadyPage(entry, seconds)
        limit = settings.PAGE_CACHE_LOCAL_BYTES
        if page.size > limit:
            return page
        with self.lock:
            self.discard(key)
            self.pages[key] = page
            self.size += page.size
            while self.size > limit:
                self.discard(next(iter(self.pages)))
        return page

    def discard(self, key):
        page = self.pages.pop(key, None)
        if page is not None:
            self.size -= page.size

    def clear(self):
        with self.lock:
            self.pages.clear()
            self.size = 0


local_pages = LocalPages()


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
        accept_encoding = request.headers.get("Accept-Encoding")
        try:
            version, last_modified = current_version()
            key = PAGE_KEY.format(release=release(), version=version, url=url)
            page = local_pages.get(key)
            if page is not None:
                return page.response(accept_encoding)
            entry = cache.get(key)
        except Exception as error:
            logger.warning("Page cache unavailable, serving uncached: %s", error)
            return self.get_response(request)
        if entry is not None:
            return local_pages.keep(key, entry, lifetime(entry_size(entry)) or 0).response(
                accept_encoding
            )

        response = self.get_response(request)
        if not is_cacheable(response):
            return response
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(int(last_modified))
        patch_cache_control(response, no_cache=True)
        if request.method != "GET" or not is_canonical(request):
            return response
        if is_compressible(response):
            patch_vary_headers(response, ("Accept-Encoding",))
        entry = freeze(response)
        seconds = lifetime(entry_size(entry))
        if seconds is None:
            return response
        try:
            cache.set(key, entry, seconds)
        except Exception as error:
            logger.warning("Page cache unavailable, page not stored: %s", error)
            return response
        # Served as a hit would be: the forms just compressed, not compressed again.
        return local_pages.keep(key, entry, seconds).response(accept_encoding, "miss")
