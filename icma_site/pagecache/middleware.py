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

- Only canonical addresses are kept (icma_site/pagecache/canonical.py): the pages redirect an
  address with empty, unknown, repeated or reordered parameters to the canonical one, and
  a page that answers such an address anyway is served but not stored. So varying the
  query string (`?utm_x=1`, `?utm_x=2`, …) cannot add entries. Nor can varying the Host:
  a page asked for with another port than the server's (`localhost:1001`), in capitals
  or with a trailing dot is served but not stored (canonical.is_canonical_host).
- A page that reports a bad parameter (`?page=100001`, `?country=Q1`) says
  `Cache-Control: private` (partners/views.py), so it is served but not stored: it is
  not a page of its own.
- A page is compressed once, when it is stored, with Brotli and gzip
  (icma_site/pagecache/compression.py), and only those two forms are kept. A hit is sent in the
  form the client accepts; a client that accepts neither gets the gzip form unpacked.
- Each worker process keeps its own small copy of the entries it served last
  (PAGE_CACHE_LOCAL_BYTES, least recently used out first), each ready to send: its
  headers and its bytes in every form. A hit then costs one Redis round trip, for the
  directory version, and no unpickling; none at all while Redis pushes version changes
  to the process (icma_site/pagecache/version_push.py). The copies are keyed like the shared entries
  (release, directory version, address), so a change retires them as it retires the
  shared ones; each is kept no longer than a shared entry of its size.
- The lifetime is size-aware: an entry of up to PAGE_CACHE_FULL_LIFETIME_BYTES lives
  PAGE_CACHE_SECONDS; a larger one proportionally less (at least a minute); one above
  PAGE_CACHE_MAX_BYTES is not kept. Searches are pages too, one per search text, so
  only Redis's `maxmemory` with `allkeys-lru` (see README) bounds the whole; every entry
  here can be made again, so any may be evicted.

If the cache itself fails (Redis away), pages are served uncached and a warning is logged.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import (
    add_never_cache_headers,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date

from icma_site.pagecache.canonical import is_canonical
from icma_site.pagecache.compression import is_compressible
from icma_site.pagecache.entries import PAGE_KEY, entry_size, freeze, local_pages
from icma_site.pagecache.policy import is_cacheable, is_private, lifetime, url_digest
from icma_site.pagecache.versions import current_version, release

logger = logging.getLogger("icma_site.pagecache")


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
