"""What the country libraries know about a country: its code, names and UN M49 region.

django-countries supplies ISO 3166-1 codes with official, common and former names;
hdx-python-country (the `fixtures` extra) supplies the UN M49 region. Only the fixture
builder needs the region, so the site runs without that library.
"""

from functools import lru_cache

from django.utils import translation
from django_countries import countries
from django_countries.data import COUNTRIES as ISO_NAMES

from partners.text import fold


def code_for(name):
    """The ISO alpha-2 code of the country called `name` (any case; official, common or
    former name), or "" when there is none."""
    name = " ".join((name or "").split())
    if not name:
        return ""
    return countries.by_name(name) or ""


def display_name(code):
    """The short name the site shows: "Czechia", "Vietnam", "Palestine"."""
    return str(countries.name(code))


@lru_cache(maxsize=16)
def translated_names(language):
    """{ISO code: name} in `language`, from django-countries' translations: read once per
    language and process, since django-countries translates a name again each time it is
    asked and a page names many countries."""
    with translation.override(language):
        return {str(country.code): str(country.name) for country in countries}


def other_names(code, *spellings):
    """Other names people use for the country: the ISO name when the site shows a
    shorter one, former names (Swaziland, Czech Republic), and the given spellings."""
    shown = display_name(code)
    candidates = [str(ISO_NAMES.get(code, "")), *map(str, countries.OLD_NAMES.get(code, []))]
    candidates += [spelling.title() for spelling in spellings]
    names, seen = [], {fold(shown)}
    for candidate in candidates:
        candidate = " ".join(candidate.split())
        if candidate and fold(candidate) not in seen:
            seen.add(fold(candidate))
            names.append(candidate)
    return names


def region_name(code):
    """The UN M49 region of the country ("Europe"), from hdx-python-country."""
    try:
        from hdx.location.country import Country as HDXCountry
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "The UN M49 regions come from hdx-python-country: "
            'pip install -e ".[fixtures]" to rebuild the fixtures.'
        ) from error
    HDXCountry.set_use_live_default(False)  # Never fetch: use the data it ships with.
    info = HDXCountry.get_country_info_from_iso2(code) or {}
    return info.get("Region Name") or ""
