"""Pages compressed on the wire: Brotli for clients that accept it, gzip for the others.

The page cache compresses a page once, when it stores it; CompressionMiddleware
compresses the rest per request. Only public pages: pages with a secret in them (the
admin's CSRF tokens) stay uncompressed, so that compression cannot leak them (BREACH).
"""

import gzip
import re
from functools import lru_cache

import brotli
from django.utils.cache import patch_vary_headers

from icma_site.pagecache.policy import is_private

# Below this, compression saves too little to be worth a header.
MIN_SIZE = 512
# A stored page is compressed once and sent many times, so it is worth compressing
# harder; a page compressed per request pays for its level on every request, and the
# light levels already give most of the saving.
STORED = {"br": 6, "gzip": 6}
PER_REQUEST = {"br": 4, "gzip": 1}
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/xml", "image/svg+xml")
ENCODINGS = ("br", "gzip")

_accept_re = re.compile(r"\s*([^\s;,]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*(?:,|$)")


def compress(encoding, content, levels=STORED):
    """`content` compressed in `encoding` ("br" or "gzip") at `levels[encoding]`. gzip's
    timestamp is left out, so the same page always gives the same bytes."""
    if encoding == "br":
        return brotli.compress(content, quality=levels["br"])
    return gzip.compress(content, compresslevel=levels["gzip"], mtime=0)


def decompress(encoding, content):
    return brotli.decompress(content) if encoding == "br" else gzip.decompress(content)


@lru_cache(maxsize=64)  # Browsers send a handful of different headers.
def accepted_encoding(accept_encoding):
    """ "br", "gzip" or None: the best form a client with this Accept-Encoding header
    takes. Brotli first (smaller); an encoding with q=0 is refused; `*` stands for any
    encoding not named."""
    weights = {}
    for match in _accept_re.finditer((accept_encoding or "").lower()):
        name, weight = match.group(1), match.group(2)
        try:
            weights[name] = float(weight) if weight is not None else 1.0
        except ValueError:
            weights[name] = 0.0
    for encoding in ENCODINGS:
        if weights.get(encoding, weights.get("*", 0.0)) > 0:
            return encoding
    return None


def is_compressible(response):
    content_type = response.get("Content-Type", "").lower()
    return (
        not response.streaming
        and not response.has_header("Content-Encoding")
        and content_type.startswith(COMPRESSIBLE_TYPES)
        and len(response.content) >= MIN_SIZE
    )


def mark_encoded(response, encoding):
    """Headers for a response whose content is now in `encoding`. The ETag turns weak:
    the bytes differ from the plain page's, but the page is the same, so a conditional
    request with either ETag still gets its 304."""
    response["Content-Encoding"] = encoding
    response["Content-Length"] = str(len(response.content))
    etag = response.get("ETag")
    if etag and not etag.startswith("W/"):
        response["ETag"] = f"W/{etag}"


class CompressionMiddleware:
    """Compresses public pages that reach it uncompressed. See the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_private(request) or not is_compressible(response):
            return response
        # Whichever form it is sent in, so that shared caches keep the forms apart.
        patch_vary_headers(response, ("Accept-Encoding",))
        encoding = accepted_encoding(request.headers.get("Accept-Encoding"))
        if encoding is None:
            return response
        content = compress(encoding, response.content, PER_REQUEST)
        if len(content) >= len(response.content):
            return response
        response.content = content
        mark_encoded(response, encoding)
        return response
