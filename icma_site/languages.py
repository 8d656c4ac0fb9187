"""The site's languages: the address says which one a page is in, and nothing else does.

English pages are at the root, Spanish and French ones under `/es/` and `/fr/`
(icma_site/urls.py); the open data, the feed, the sitemaps, /healthz and the admin stay
at the root. Django's LocaleMiddleware is not used: it would read a cookie, the session
and Accept-Language for an address without a prefix and add `Vary: Accept-Language`, so
the shared page cache, which keys pages on their address alone, could not keep them.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language

from icma_site.pagecache.canonical import canonical_query_of


def language_of(path):
    """The language code the path `path` is in: its prefix's, or the default."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def path_without_language(path):
    """`/es/partners/` -> `/partners/`; a path without a prefix is returned as it is."""
    prefix = translation.get_language_from_path(path)
    if prefix and prefix != settings.LANGUAGE_CODE:
        return path[len(prefix) + 1 :] or "/"
    return path


def path_in(language, path):
    """The same page in `language`: `/partners/` in "es" is `/es/partners/`."""
    path = path_without_language(path)
    if language == settings.LANGUAGE_CODE:
        return path
    return f"/{language}{path}"


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str  # in its own language: "Español"
    url: str  # the same path and query, in this language
    canonical_url: str  # absolute, with the page's canonical query
    is_current: bool


def versions_of(request, not_found=False):
    """The page `request` asked for in every language ([] without a request: the 500 and
    503 pages). A page that was `not_found` (Django's page_not_found gives the 404 page
    `request_path`) offers each language's home page instead: the same address would be
    missing in every language, and the page never repeats the address it was asked for."""
    if not request:
        return []
    if not_found:
        return [
            LanguageVersion(code, name, path_in(code, "/"), "", code == get_language())
            for code, name in settings.LANGUAGES
        ]
    current = get_language()
    query = request.META.get("QUERY_STRING", "")
    canonical = canonical_query_of(request)
    versions = []
    for code, name in settings.LANGUAGES:
        path = path_in(code, request.path)
        address = request.build_absolute_uri(path)
        versions.append(
            LanguageVersion(
                code=code,
                name=name,
                url=f"{path}?{query}" if query else path,
                canonical_url=f"{address}?{canonical}" if canonical else address,
                is_current=code == current,
            )
        )
    return versions


class URLLanguageMiddleware:
    """Activates the language of the request's path for the rest of the request (and
    says it in Content-Language). Reads nothing but the path and sets no header that
    would make the page vary. Comes before anything that may render a page (the 503
    page included), and inside the health check, which needs no language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_of(request.path_info)
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
