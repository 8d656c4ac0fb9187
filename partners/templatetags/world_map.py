"""The `world_map` template tag library: `{% load world_map %}{% world_map countries %}`."""

from django import template

from partners.worldmap import render_world_map

register = template.Library()


@register.simple_tag(name="world_map")
def world_map(countries, title_id="world-map-title"):
    """The SVG world map with `countries` (Country objects annotated `partner_count`, from
    `Country.objects.with_partner_counts()`) highlighted and linked to their pages.

    Pass `title_id` to give the map's title another id when a page has two maps.
    """
    return render_world_map(countries, title_id=title_id)
