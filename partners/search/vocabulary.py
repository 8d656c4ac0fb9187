"""The country vocabulary: every name a country is known by (its names in the database,
its names in English, Spanish and French from CLDR and django-countries, former names, ISO
codes and a few common abbreviations), so that a search can name a country; and the search
vocabulary (fixtures/source/search_vocabulary.json, kept as data): words that only join,
the field's words in three languages, the UN M49 regions by name, and the regions each
multinational partner serves."""

import json
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django_countries import countries as iso_countries

from partners.countries import local_names
from partners.search.ranks import EXACT, best_level
from partners.text import split_lines, words

# The languages whose country names search knows (partners/countries.py local_names).
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
    """{normalized: shown} names of the country `code` that CLDR, django-countries and
    COUNTRY_ALIASES give: English, Spanish and French (the names shown, "Tchéquie" and
    "Chequia", and ISO's official forms, "République tchèque"), former names, aliases."""
    names = {}
    shown = []
    for language in COUNTRY_NAME_LANGUAGES:
        shown += local_names(code, language)
    shown += [str(name) for name in iso_countries.OLD_NAMES.get(code, [])]
    shown += COUNTRY_ALIASES.get(code, [])
    for name in shown:
        if name and normalized(name):
            names.setdefault(normalized(name), name)
    return names


@dataclass(frozen=True)
class CountryEntry:
    """One country of the vocabulary: {normalized name: name as shown}, its codes, and
    its ISO code as written (CZ)."""

    pk: int
    names: dict
    codes: frozenset
    code: str = ""

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
        return cls(pk, names, frozenset(codes), code)

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


VOCABULARY_FILE = settings.BASE_DIR / "fixtures" / "source" / "search_vocabulary.json"
# A field word or region name of at most this many words is read as one (the longest,
# "latin america and the caribbean", has five).
LONGEST_TERM = 6


@dataclass(frozen=True)
class SearchVocabulary:
    """What search_vocabulary.json says, normalized: `joining` words; `field_terms`
    {term: every term it finds}; `regions` {name: ISO codes}; `served` {multinational
    partner's slug: ISO codes of the countries it serves}; `iso_names` {name: ISO code}
    of every country in the world, partner or not, by its names (not its codes); and
    `regions_named` {multinational partner's slug: ({language: name} of each region it
    serves)}."""

    joining: frozenset
    field_terms: dict
    regions: dict
    served: dict
    iso_names: dict
    written: dict  # {field term: {language: the term as written in it}}
    regions_named: dict

    @classmethod
    def from_data(cls, data):
        joining = frozenset(
            normalized(word) for language in data["joining_words"].values() for word in language
        )
        groups, written = {}, {}
        for group in data["field_words"]:
            terms = set()
            for language in COUNTRY_NAME_LANGUAGES:
                for term in group[language]:
                    terms.add(normalized(term))
                    written.setdefault(normalized(term), {})[language] = term
            groups[group["group"]] = (terms, group.get("also", []))
        field_terms = {}
        for terms, also in groups.values():
            found = set(terms).union(*(groups[other][0] for other in also))
            for term in terms:
                field_terms[term] = frozenset(found)
        regions, codes_of = {}, {}
        for region in data["regions"]:
            codes = frozenset(region["countries"])
            codes_of[region["m49"]] = codes
            for key in ("en", "es", "fr", "short"):
                for name in region[key]:
                    regions[normalized(name)] = codes
        served = {
            slug: frozenset().union(*(codes_of[m49] for m49 in entry["serves"]))
            for slug, entry in data["multinationals"].items()
        }
        # Each region by the first of its names in each language ("Caribe", "Caraïbes").
        names_of = {
            region["m49"]: {language: region[language][0] for language in COUNTRY_NAME_LANGUAGES}
            for region in data["regions"]
        }
        regions_named = {
            slug: tuple(names_of[m49] for m49 in entry["serves"])
            for slug, entry in data["multinationals"].items()
        }
        iso_names = {}
        for code in iso_countries.countries:
            # Names only: two letters are too often a word ("de", "la").
            for key in library_names(code):
                iso_names.setdefault(key, code)
        return cls(joining, field_terms, regions, served, iso_names, written, regions_named)

    def one_meaning(self, terms):
        """The term, among field `terms` that all mean the same (one group), as written in
        the page's language when one of them is in it ("asociación" on /es/, "association"
        elsewhere); None when there are none or they mean different things."""
        if not terms or len({self.field_terms[term] for term in terms}) > 1:
            return None
        language = translation.get_language() or settings.LANGUAGE_CODE
        for preferred in (language, settings.LANGUAGE_CODE):
            for term in terms:
                if preferred in self.written[term]:
                    return self.written[term][preferred]
        return next(iter(self.written[terms[0]].values()))

    def regions_served(self, slug):
        """The names, in the page's language, of the regions the multinational partner
        `slug` serves ("Centroamérica", "Caribe" on /es/ for CAMCAYCA); [] for others."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        return [
            names.get(language) or names[settings.LANGUAGE_CODE]
            for names in self.regions_named.get(slug, ())
        ]

    def serving(self, codes):
        """The slugs of the multinational partners that serve any of the countries `codes`."""
        return sorted(slug for slug, served in self.served.items() if served & set(codes))


@lru_cache(maxsize=1)
def search_vocabulary():
    """The search vocabulary, read once per process."""
    with open(VOCABULARY_FILE, encoding="utf-8") as file:
        return SearchVocabulary.from_data(json.load(file))
