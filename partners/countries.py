"""What the country libraries know about a country: its code, names and UN M49 region.

django-countries supplies ISO 3166-1 codes with official, common and former names;
CLDR (through ICU, PyICU) the names each language commonly uses; hdx-python-country (the
`fixtures` extra) supplies the UN M49 region. Only the fixture builder needs the region,
so the site runs without that library.

The name shown in English is the site's own (Country.name, django-countries' common
name). In the other languages it is CLDR's, which follows usage ("Tchéquie", "Chequia",
"Esuatini"), where django-countries translates ISO's official forms ("République
tchèque", "Suazilandia", "Estado de Palestina"): see common_name.
"""

import re
from functools import lru_cache

import icu
from django.conf import settings
from django.utils import translation
from django_countries import countries
from django_countries.data import COUNTRIES as ISO_NAMES

from partners.text import fold, words


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
def iso_names(language):
    """{ISO code: name} in `language` from django-countries' translations (ISO's official
    forms: "République tchèque"): read once per language and process, since
    django-countries translates a name again each time it is asked."""
    with translation.override(language):
        return {str(country.code): str(country.name) for country in countries}


def is_abbreviation(name):
    """Whether `name` abbreviates: a full stop ("R.-U.", "EE. UU.") or a word of two
    capitals or more ("RU", "RAE de Hong Kong (China)"). A bare code, which is what ICU
    answers for a region CLDR does not name, is one too."""
    return "." in name or any(len(word) > 1 and word.isupper() for word in re.findall(r"\w+", name))


# The CLDR locale of each language of the site: Spanish as Latin America writes it
# ("Costa de Marfil", "Rumania", "Arabia Saudita"; Spain's CLDR says "Côte d'Ivoire",
# "Rumanía", "Arabia Saudí"), since most Spanish-speaking partners are in the Americas.
CLDR_LOCALES = {"es": "es_419"}

# Names CLDR gives that the language's readers would not choose: French CLDR's
# "Congo-Kinshasa" and "Congo-Brazzaville" are colloquial, where French-speaking Africa
# writes the two republics' names.
SHOWN_NAMES = {
    "fr": {"CD": "République démocratique du Congo", "CG": "République du Congo"},
}


def cldr_variants(language):
    """{ISO code: name} of CLDR's other names in `language` for the few countries that
    have one, most often the former name ("République tchèque", "República Checa",
    "Suazilandia", "Costa de Marfil"). LocaleDisplayNames does not give them: they are
    read from ICU's region data, and are none where that data is not there."""
    variants = {}
    # A regional locale's table holds only what differs from its language's (es_419's
    # has two names; es's the rest): read the language's, then the region's over it.
    for locale in dict.fromkeys([language, CLDR_LOCALES.get(language, language)]):
        try:
            table = icu.ResourceBundle("ICUDATA-region", icu.Locale(locale)).get(
                "Countries%variant"
            )
        except icu.ICUError:  # pragma: no cover - depends on the ICU build
            continue
        variants.update(
            (table.get(i).getKey(), table.get(i).getString()) for i in range(table.getSize())
        )
    return variants


@lru_cache(maxsize=16)
def cldr_names(language):
    """{ISO code: (standard name, short name, other name or "")} in `language` from CLDR:
    "Territoires palestiniens", "Palestine", ""; "Royaume-Uni", "R.-U.", ""; "Tchéquie",
    "Tchéquie", "République tchèque"."""
    locale = icu.Locale(CLDR_LOCALES.get(language, language))
    short = icu.LocaleDisplayNames.createInstance(locale, [icu.UDisplayContext.LENGTH_SHORT])
    variants = cldr_variants(language)
    return {
        code: (
            icu.Locale("", code).getDisplayCountry(locale),
            short.regionDisplayName(code),
            variants.get(code, ""),
        )
        for code in iso_names(language)
    }


def common_name(code, language):
    """The country's common short name in `language` (not English): CLDR's short name
    ("Palestine", "Palestina") unless it abbreviates ("R.-U.", "EE. UU."), else CLDR's
    standard name ("Tchéquie", "Esuatini") unless it abbreviates too, else
    django-countries' translation ("Islas Ultramarinas de Estados Unidos", where CLDR
    has "Islas menores alejadas de EE. UU.")."""
    if code in SHOWN_NAMES.get(language, {}):
        return SHOWN_NAMES[language][code]
    standard, short, _ = cldr_names(language).get(code, ("", "", ""))
    for name in (short, standard):
        if name and not is_abbreviation(name):
            return name
    return iso_names(language).get(code, "")


@lru_cache(maxsize=16)
def translated_names(language):
    """{ISO code: the name shown} in `language`: django-countries' common names in
    English, common_name in the others. Made once per language and process: pages that
    name many countries ask for it on every request."""
    if language == settings.LANGUAGE_CODE:
        return iso_names(language)
    return {code: common_name(code, language) for code in iso_names(language)}


def local_names(code, language):
    """The country's names in `language`, the one shown first: in English django-countries'
    common name alone; in the others also CLDR's standard name (when the short one is
    shown), CLDR's other name ("República Checa") and django-countries' translation of
    ISO's name ("Estado de Palestina"), those that do not abbreviate. Each once, whatever
    its case, accents or punctuation (django-countries' "Côte d'Ivoire" is CLDR's with a
    typographic apostrophe)."""
    shown = translated_names(language).get(code, "")
    if language == settings.LANGUAGE_CODE:
        return distinct([shown])
    official = iso_names(language).get(code, "")
    return distinct([shown, *cldr_other_names(code, language), *unabbreviated([official])])


def cldr_other_names(code, language):
    """CLDR's names of the country in `language` besides its short one: the standard
    name ("Territoires palestiniens") and the other, most often former, name ("République
    tchèque"). These, not ISO's official forms ("Palestine, État de"), are what a page
    lists as the country's other names."""
    standard, _, variant = cldr_names(language).get(code, ("", "", ""))
    return unabbreviated([standard, variant])


def unabbreviated(names):
    return [name for name in names if name and not is_abbreviation(name)]


@lru_cache(maxsize=1024)
def english_names(code):
    """The country's names in English that the libraries know, as words
    (partners.text.words): django-countries' common, ISO and former names and CLDR's
    standard, short and other names. (django-countries' ISO and former names translate
    themselves into the active language when read: they are read in English.)"""
    with translation.override("en"):
        names = [iso_names("en").get(code, ""), str(ISO_NAMES.get(code, ""))]
        names += map(str, countries.OLD_NAMES.get(code, []))
    names += cldr_names("en").get(code, ())
    return frozenset(" ".join(words(name)) for name in names if name)


def other_names_in(code, language, stored):
    """The other names a page in `language` gives the country, `stored` being those staff
    keep (Country.other_names, one a line, in English): in English, `stored` as it is; in
    the other languages, CLDR's other names in that language (cldr_other_names:
    "République tchèque" on /fr/, "Territorios Palestinos" on /es/), then the stored
    names, but none that the libraries know as an English name of
    the country: "Czech Republic" and "Swaziland" are not shown on /es/ or /fr/ (nor
    French's "Swaziland", which reads as the English one); a local name such as "Bharat"
    is."""
    if language == settings.LANGUAGE_CODE:
        return list(stored)
    english = english_names(code)
    shown = translated_names(language).get(code, "")
    names = [*cldr_other_names(code, language), *stored]
    names = [name for name in names if " ".join(words(name)) not in english]
    return distinct(names, besides=[shown])


def distinct(names, besides=()):
    """`names` without blanks, repeats and the names `besides`, a name being the same as
    another when it has the same words (partners.text.words), whatever its case, accents
    or punctuation."""
    kept, seen = [], {" ".join(words(name)) for name in besides}
    for name in names:
        key = " ".join(words(name))
        if key and key not in seen:
            seen.add(key)
            kept.append(name)
    return kept


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
