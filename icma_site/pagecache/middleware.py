"""The public pages' cache: anonymous visitors get pages from the cache, conditional
requests get 304, and any change to the directory shows at once.

Every key holds the directory version and the release (versions.py), so a change or a
deploy retires every page at once instead of waiting for a timeout. Only anonymous
requests for canonical addresses (canonical.py) are stored, and only plain 200s
(policy.py), so no visitor can add an entry per request or see a page made for
someone else. It is on only with a shared cache (settings.PAGE_CACHE_ENABLED): a
per-process cache could not hear of a change made in another process. If Redis fails,
pages are served uncached and a warning is logged.
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
            # Still an ETag and 304s (ConditionalGetMiddleware); no Last-Modified, which
            # needs the shared directory version.
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
        # ConditionalGetMiddleware, just outside, answers a matching If-None-Match or
        # If-Modified-Since with a 304; no-cache makes browsers ask every time.
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(int(last_modified))
        patch_cache_control(response, no_cache=True)
        # Any other address of the page (unused, empty or repeated parameters, another
        # form of the Host) is served but not stored, so varying it cannot add entries.
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
