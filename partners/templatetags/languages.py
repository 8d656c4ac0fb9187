"""The `languages` template tag library: `{% load languages %}`.

`{% language_versions as versions %}` gives the page in each of the site's languages (for
the language switcher and the `hreflang` alternates); `countries|by_local_name` sorts
countries by the names the page shows, in its language's alphabetical order.
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import get_language

from icma_site.canonical import canonical_query, page_parameters
from icma_site.languages import path_in
from partners.collation import sort_key

register = template.Library()


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str  # in its own language: "Español"
    url: str  # the same path and query, in this language
    canonical_url: str  # absolute, with the page's canonical query
    is_current: bool


@register.simple_tag(takes_context=True)
def language_versions(context):
    """The page in every language ([] for a page rendered without a request: the 500
    and 503 pages). The 404 page (Django's page_not_found gives it `request_path`) offers
    each language's home page instead: the same address would be missing in every
    language, and the page never repeats the address it was asked for."""
    request = context.get("request")
    if request is None:
        return []
    if "request_path" in context:
        return [
            LanguageVersion(code, name, path_in(code, "/"), "", code == get_language())
            for code, name in settings.LANGUAGES
        ]
    current = get_language()
    query = request.META.get("QUERY_STRING", "")
    canonical = QueryDict(canonical_query(request.GET, page_parameters(request)), mutable=True)
    if canonical.get("page") == "1":
        del canonical["page"]
    canonical = canonical.urlencode()
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


@register.filter
def by_local_name(countries):
    """Countries in the alphabetical order of the page's language, by `local_name`."""
    return sorted(countries, key=lambda country: sort_key(country.local_name))
