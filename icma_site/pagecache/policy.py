"""What the page cache may keep, and for how long: only anonymous requests, only plain
200s that set no cookie and vary on nothing but Cookie and Accept-Encoding, and the
larger an entry the shorter its life. Every search text is a page of its own, so only
Redis's `maxmemory` with `allkeys-lru` bounds the whole (README.md); every entry can be
made again, so any may be evicted."""

import hashlib

from django.conf import settings
from django.utils.cache import cc_delim_re

from icma_site.pagecache.canonical import sorted_query

# The shortest lifetime a stored page is given, however large.
MIN_PAGE_SECONDS = 60
HARMLESS_VARY = {"cookie", "accept-encoding"}


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


def lifetime(size):
    """Seconds to keep an entry of `size` bytes, or None not to keep it."""
    if size > settings.PAGE_CACHE_MAX_BYTES:
        return None
    full = settings.PAGE_CACHE_FULL_LIFETIME_BYTES
    if size <= full:
        return settings.PAGE_CACHE_SECONDS
    return max(MIN_PAGE_SECONDS, settings.PAGE_CACHE_SECONDS * full // size)
