"""The `places` template tag library: `{% load places %}`.

`{{ country|in_place }}` says "in <country>" in the page's language ("au Kenya", "en el
Reino Unido"), for a Country; `{{ country.region|in_region }}` the same for a region
("dans les Amériques"). partners/places.py has the rules.
"""

from django import template

from partners import places

register = template.Library()


@register.filter
def in_place(country):
    """ "in <country>" in the active language, with the name the page shows."""
    if not country:
        return ""
    return places.in_country(country.code, country.local_name)


@register.filter
def in_region(region):
    """ "in <region>" in the active language, for a Region value ("africa")."""
    return places.in_region(region) if region else ""
