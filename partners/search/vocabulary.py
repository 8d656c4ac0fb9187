"""The country vocabulary: every name a country is known by (its names in the database,
its names in English, Spanish and French from django-countries, former names, ISO codes
and a few common abbreviations), so that a search can name a country."""

from dataclasses import dataclass
from functools import lru_cache

from django.utils import translation
from django_countries import countries as iso_countries

from partners.search.ranks import EXACT, best_level
from partners.text import split_lines, words

# The languages whose country names search knows (django-countries' translations).
COUNTRY_NAME_LANGUAGES = ("en", "es", "fr")

# Common abbreviations and short names of countries that neither django-countries nor
# the ISO codes give. Keep it small: only what people really type.
COUNTRY_ALIASES = {
    "AE": ["UAE", "EAU", "Emirates"],
    "CD": ["DRC", "DR Congo", "RDC", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville"],
    "GB": ["UK", "Great Britain", "Britain"],
    "KP": ["North Korea"],
    "KR": ["South Korea"],
    "NL": ["Holland"],
    "US": ["USA", "United States", "EEUU", "EE UU"],
}


def normalized(text):
    return " ".join(words(text))


@lru_cache(maxsize=1024)
def library_names(code):
    """{normalized: shown} names of the country `code` that django-countries and
    COUNTRY_ALIASES give: English, Spanish, French, former names, aliases."""
    names = {}
    shown = []
    for language in COUNTRY_NAME_LANGUAGES:
        with translation.override(language):
            shown.append(str(iso_countries.name(code)))
    shown += [str(name) for name in iso_countries.OLD_NAMES.get(code, [])]
    shown += COUNTRY_ALIASES.get(code, [])
    for name in shown:
        if name and normalized(name):
            names.setdefault(normalized(name), name)
    return names


@dataclass(frozen=True)
class CountryEntry:
    """One country of the vocabulary: {normalized name: name as shown}, and its codes."""

    pk: int
    names: dict
    codes: frozenset

    @classmethod
    def from_row(cls, pk, code, name, other_names):
        code = str(code)
        names = {normalized(name): name}
        for other in split_lines(other_names):
            names.setdefault(normalized(other), other)
        for key, shown in library_names(code).items():
            names.setdefault(key, shown)
        names.pop("", None)
        codes = {code.lower()}
        if alpha3 := iso_countries.alpha3(code):
            codes.add(alpha3.lower())
        return cls(pk, names, frozenset(codes))

    def level(self, phrase):
        """How `phrase` (normalized) matches this country's names: EXACT, WORD, PREFIX,
        INSIDE or None."""
        if phrase in self.codes or phrase in self.names:
            return EXACT
        return best_level(phrase, self.names)


def country_vocabulary():
    """Every country of the directory as a CountryEntry: one query."""
    from partners.models import Country

    return [
        CountryEntry.from_row(*row)
        for row in Country.objects.order_by().values_list("pk", "code", "name", "other_names")
    ]
