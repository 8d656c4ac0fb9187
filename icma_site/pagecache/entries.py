"""A cached page as stored (its headers, its content compressed with Brotli and gzip),
and each process's own copy of the entries it served last, ready to send."""

import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.http import HttpResponse

from icma_site.pagecache.compression import (
    ENCODINGS,
    accepted_encoding,
    compress,
    decompress,
    is_compressible,
    mark_encoded,
)

PAGE_KEY = "page:{release}:{version}:{url}"
# Response headers not kept with a cached page.
UNCACHED_HEADERS = {"set-cookie", "x-cache", "content-length"}


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
    """This process's copy of the pages it served last, at most
    `settings.PAGE_CACHE_LOCAL_BYTES` in all, least recently used out first: a hit on
    one needs no unpickling and no round trip but the directory version's (none while
    version_push.py hears from Redis). Keyed like the shared entries, and kept no longer
    than they are, so a change retires both alike."""

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
