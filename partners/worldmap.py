"""The home page's world map: the built asset (partners/data/world_map.json, made by
`manage.py build_world_map` from partners/sources/worldmap.py) drawn as SVG, with the
countries that have partners highlighted and linked. Read once per process."""

import json
from functools import cache
from pathlib import Path

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy, ngettext

ASSET = Path(__file__).resolve().parent / "data" / "world_map.json"
MARKER_RADIUS = 4
TITLE = gettext_lazy("World map of ICMA's partner countries")


@cache
def load_asset(path=ASSET):
    """The built map asset, read once per process."""
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def partner_label(name, count):
    """The accessible name of a highlighted country: "Kenya: 1 partner"."""
    return ngettext("%(name)s: %(count)s partner", "%(name)s: %(count)s partners", count) % {
        "name": name,
        "count": number_format(count),
    }


def render_world_map(countries, asset=None, title_id="world-map-title"):
    """The SVG map with each of `countries` highlighted and linked to its country page.

    `countries` are Country objects annotated `partner_count`, as
    `Country.objects.with_partner_counts()` gives them; pass an evaluated list: this
    runs no query of its own. The links come in the order of `countries` (which is also
    the order of the Tab key), except that those of the small countries (the ones with a
    focus ring) come last, so that they are drawn over their larger neighbours. Countries
    neither in the asset's shapes nor its markers are left out. The markup has no style
    attributes (the site's Content-Security-Policy forbids them): style it by its classes.

    Keyboard focus shows on every country: a large one changes colour, a small one also
    gets a two-tone ring around it (two circles, hidden until the link has the focus;
    static/css/site.css draws them and, while a country has the focus, fades the other
    small countries so that nothing is drawn over its ring).
    """
    asset = load_asset() if asset is None else asset
    shapes = {shape["code"]: shape for shape in asset["countries"] if shape["code"]}
    highlighted = {}
    for country in countries:
        code = str(country.code)
        if country.partner_count and code in shapes:
            highlighted.setdefault(code, country)
    partners, markers = [], []
    for code, country in highlighted.items():
        shape = shapes[code]
        label = partner_label(country.local_name, country.partner_count)
        parts = [format_html("<title>{}</title>", label)]
        if shape["d"]:
            parts.append(format_html('<path d="{}"/>', shape["d"]))
        if shape.get("marker"):
            x, y = shape["marker"]
            parts.append(
                format_html(
                    '<circle class="world-map__marker" cx="{}" cy="{}" r="{}"/>',
                    x,
                    y,
                    MARKER_RADIUS,
                )
            )
        if shape.get("ring"):
            x, y, radius = shape["ring"]
            for tone in ("outer", "inner"):
                parts.append(
                    format_html(
                        '<circle class="world-map__ring world-map__ring--{}" cx="{}" cy="{}" '
                        'r="{}"/>',
                        tone,
                        x,
                        y,
                        radius,
                    )
                )
        link = format_html(
            '<a class="world-map__partner{}" href="{}" aria-label="{}">{}</a>',
            " world-map__partner--small" if shape.get("ring") else "",
            country.get_absolute_url(),
            label,
            format_html_join("", "{}", ((part,) for part in parts)),
        )
        # In the order given, but the small ones last: drawn over their neighbours.
        (markers if shape.get("ring") or shape.get("marker") else partners).append(link)
    plain = [
        shape["d"]
        for shape in asset["countries"]
        if shape["d"] and (not shape["code"] or shape["code"] not in highlighted)
    ]
    land = (
        format_html(
            '<path class="world-map__land" aria-hidden="true" fill="#d9dde3" stroke="#fff" '
            'stroke-width=".5" d="{}"/>',
            "".join(plain),
        )
        if plain
        else ""
    )
    return format_html(
        '<svg class="world-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'role="group" aria-labelledby="{}" fill-rule="evenodd">'
        '<title id="{}">{}</title>{}<g class="world-map__partners" fill="#1d5fa8">{}</g></svg>',
        asset["width"],
        asset["height"],
        title_id,
        title_id,
        TITLE,
        land,
        format_html_join("", "{}", ((link,) for link in partners + markers)),
    )
