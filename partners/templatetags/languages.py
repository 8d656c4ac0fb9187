"""The `languages` template tag library: `{% load languages %}`.

`{% language_versions as versions %}` gives the page in each of the site's languages (for
the frame's language switcher and `hreflang` alternates); `countries|by_local_name` sorts
countries by the names the page shows, in its language's alphabetical order.
"""

from django import template

from icma_site.languages import versions_of
from partners.collation import sort_key

register = template.Library()


@register.simple_tag(takes_context=True)
def language_versions(context):
    """icma_site.languages.versions_of this page; Django's page_not_found gives the 404
    page `request_path`."""
    return versions_of(context.get("request"), not_found=bool(context.get("request_path")))


@register.filter
def by_local_name(countries):
    """Countries in the alphabetical order of the page's language, by `local_name`."""
    return sorted(countries, key=lambda country: sort_key(country.local_name))
