"""The `languages` template tag library: `{% load languages %}`.

`countries|by_local_name` sorts countries by the names the page shows, in its language's
alphabetical order. (The page in each of the site's languages, for the language switcher
and the `hreflang` alternates, is icma_site.languages.versions_of, in the frame.)
"""

from django import template

from partners.collation import sort_key

register = template.Library()


@register.filter
def by_local_name(countries):
    """Countries in the alphabetical order of the page's language, by `local_name`."""
    return sorted(countries, key=lambda country: sort_key(country.local_name))
