""" "In Kenya", "au Kenya", "en las Américas": where something is, in the page's language.

A sentence that names a place takes the phrase whole ("Partners %(in_country)s"), since
the preposition and the article depend on the place: French says "au Kenya", "en Inde",
"aux Philippines", "à Cuba", "dans les Amériques"; Spanish "en el Reino Unido"; English
"in the Philippines". Each language's rule reads the name shown in that language, with
its exceptions kept as data below; it answers for any ISO country, whatever its name
(django-countries' or CLDR's), since the directory's "no partner" message can name any.
The regions' phrases are in the translations (a region is one of five).
"""

import re

from django.utils.translation import get_language, pgettext, pgettext_lazy

from partners.text import fold as text_fold

# The regions (partners.models.Region's values): whole phrases, translated.
REGION_PHRASES = {
    "africa": pgettext_lazy("in a region", "in Africa"),
    "americas": pgettext_lazy("in a region", "in the Americas"),
    "asia": pgettext_lazy("in a region", "in Asia"),
    "europe": pgettext_lazy("in a region", "in Europe"),
    "oceania": pgettext_lazy("in a region", "in Oceania"),
}


def fold(text):
    """partners.text.fold, typographic apostrophes made plain: "Émirats" -> "emirats",
    "Côte d\u2019Ivoire" -> "cote d'ivoire"."""
    return text_fold(text.replace("\u2019", "'"))


def core(name):
    """The name without a closing bracket or what follows a comma: "Micronésie (États
    fédérés de)" -> "Micronésie", "Bonaire, Saint-Eustache et Saba" -> "Bonaire"; but
    "Cocos (Keeling) Islands" stays whole."""
    name = re.sub(r"\s*\([^()]*\)\s*$", "", name)
    return name.split(",")[0].strip() or name


def head(name):
    """The first word of the name, hyphenated words split: "Guinée-Bissau" -> "guinee"."""
    words = re.split(r"[\s\-]+", fold(core(name)))
    return words[0] if words else ""


# English --------------------------------------------------------------------------------

# Names said with "the" (folded, without what follows a bracket or comma); besides these,
# any name starting with "United" or ending with "Islands", "Republic" or "Territories",
# or holding "Republic of".
ENGLISH_WITH_THE = {
    "bahamas",
    "british indian ocean territory",
    "comoros",
    "czech republic",
    "gambia",
    "holy see",
    "isle of man",
    "maldives",
    "netherlands",
    "philippines",
    "seychelles",
    "state of palestine",
}


def english(name):
    words = fold(core(name))
    the = (
        words in ENGLISH_WITH_THE
        or words.startswith(("united ", "the "))
        or words.endswith((" islands", " republic", " territories"))
        or "republic of" in words
        or re.search(r"[(,]\s*the\s*\)?$", fold(name)) is not None
    )
    if words.startswith("the "):
        return f"in {name}"
    if the:
        # "Bahamas (The)", "Gambia, The": the article where English puts it.
        name = re.sub(r"\s*(\(the\)|,\s*the)\s*$", "", name, flags=re.IGNORECASE)
        return f"in the {name}"
    return f"in {name}"


# Spanish --------------------------------------------------------------------------------

# The article a Spanish name takes after "en", by the whole (folded) name or its first
# word; others take none ("en Kenia", "en Estados Unidos", "en Filipinas").
SPANISH_ARTICLES = {
    "reino unido": "el",
    "paises bajos": "los",
    "emiratos arabes unidos": "los",
    "territorios palestinos": "los",
    "santa sede": "la",
    "bahamas": "las",
    "caribe neerlandes": "el",
    "estados unidos": "",
}
SPANISH_FIRST_WORDS = {
    "republica": "la",
    "islas": "las",
    "isla": "la",
    "principado": "el",
    "estado": "el",
    "estados": "los",
    "territorio": "el",
    "territorios": "los",
    "tierras": "las",
    "ciudad": "la",
    "rae": "la",
}


def spanish(name):
    words = fold(core(name))
    article = SPANISH_ARTICLES.get(words)
    if article is None:
        article = SPANISH_FIRST_WORDS.get(head(name), "")
    return f"en {article} {name}" if article else f"en {name}"


# French ---------------------------------------------------------------------------------

# The French rule: a name starting with a vowel, or feminine (its first word ending in
# -e), takes "en" ("en Inde", "en Iran", "en Afrique du Sud", "en Guinée-Bissau"); other
# names "au" ("au Kenya", "au Honduras", "au Costa Rica"). The exceptions, by the whole
# (folded) name, then by its first word: what comes before the name.
FRENCH_EXCEPTIONS = {
    # Plural names: "aux".
    "philippines": "aux",
    "etats": "aux",  # États-Unis (d'Amérique), États fédérés de Micronésie
    "emirats": "aux",
    "pays-bas": "aux",
    "pays": "aux",  # Pays-Bas caribéens
    "comores": "aux",
    "maldives": "aux",
    "seychelles": "aux",
    "bahamas": "aux",
    "bermudes": "aux",
    "fidji": "aux",
    "tuvalu": "aux",
    "kiribati": "aux",
    "samoa": "aux",
    "tonga": "aux",
    "palaos": "aux",
    "salomon": "aux",
    "tokelau": "aux",
    "iles": "aux",
    "terres": "dans les",
    "territoires": "dans les",
    "territoire": "dans le",
    # Masculine names ending in -e: "au".
    "mexique": "au",
    "cambodge": "au",
    "mozambique": "au",
    "zimbabwe": "au",
    "belize": "au",
    "suriname": "au",
    "royaume-uni": "au",
    "saint-siege": "au",
    # Feminine names not ending in -e, and a silent h: "en".
    "sierra leone": "en",
    "haiti": "en",
    # Islands and city-states named without an article: "à".
    "cuba": "à",
    "madagascar": "à",
    "malte": "à",
    "chypre": "à",
    "singapour": "à",
    "maurice": "à",
    "bahrein": "à",
    "monaco": "à",
    "oman": "à",
    "djibouti": "à",
    "taiwan": "à",
    "hong kong": "à",
    "macao": "à",
    "nauru": "à",
    "niue": "à",
    "aruba": "à",
    "anguilla": "à",
    "curacao": "à",
    "bonaire": "à",
    "guam": "à",
    "gibraltar": "à",
    "jersey": "à",
    "guernesey": "à",
    "montserrat": "à",
    "mayotte": "à",
    "porto rico": "à",
    "sao": "à",  # Sao Tomé-et-Principe
    "antigua": "à",
    "trinite": "à",
    "trinidad": "à",
    "wallis": "à",
    "saint": "à",  # Saint-Marin, Saint-Christophe-et-Niévès, Saint-Martin…
    "sainte": "à",  # Sainte-Lucie, Sainte-Hélène
    # Islands named with the article: "à la".
    "grenade": "à la",
    "barbade": "à la",
    "dominique": "à la",
    # Names starting with a noun that keeps its article.
    "ile": "sur l\u2019",
    "etat": "dans l\u2019",  # État de la Cité du Vatican
    "r.a.s.": "dans la",  # R.A.S. chinoise de Hong Kong
}
# Names that start with their own article: "La Réunion" -> "à La Réunion".
FRENCH_ARTICLES = {"la": "à", "le": "au", "les": "aux", "l'": "à"}
VOWELS = set("aeiou")


def french_preposition(name):
    """What comes before `name` in French to say "in <name>"."""
    whole, first = fold(core(name)), head(name)
    for key in (whole, first):
        if key in FRENCH_EXCEPTIONS:
            return FRENCH_EXCEPTIONS[key]
    article = re.match(r"(la |le |les |l')", fold(name))
    if article:
        return FRENCH_ARTICLES[article.group(1).strip()]
    if first[:1] in VOWELS or first.endswith("e"):
        return "en"
    return "au"


def french(name):
    # "Réunion, La" (django-countries' name) is "La Réunion" in a sentence.
    inverted = re.match(r"(.+), (La|Le|Les|L\u2019|L')$", name)
    if inverted:
        article = inverted.group(2)
        name = (
            f"{article}{inverted.group(1)}"
            if article.endswith(("\u2019", "'"))
            else f"{article} {inverted.group(1)}"
        )
    preposition = french_preposition(name)
    if preposition in {"au", "aux"} and re.match(r"(?i)les? ", name):
        name = name.split(" ", 1)[1]  # "Le Caire" -> "au Caire"
    if re.match(r"[ÎI]les? ", name):
        name = name[0].lower() + name[1:]  # "aux îles Cook", "sur l'île de Man"
    if preposition.endswith("\u2019"):
        return f"{preposition}{name}"
    return f"{preposition} {name}"


RULES = {"en": english, "es": spanish, "fr": french}


def in_country(code, name, language=None):
    """ "in <country>" in `language` (by default the active one), for the country with
    ISO code `code` shown as `name` in that language (Country.local_name). The rules read
    the name, which is what the sentence shows; the code names the country in errors."""
    language = (language or get_language() or "en").split("-")[0]
    name = " ".join(str(name or code).split())
    return RULES.get(language, english)(name)


def in_region(slug):
    """ "in <region>" in the active language, for a Region value ("americas")."""
    phrase = REGION_PHRASES.get(str(slug))
    if phrase is None:
        return pgettext("in a place", "in %(place)s") % {"place": slug}
    return str(phrase)
