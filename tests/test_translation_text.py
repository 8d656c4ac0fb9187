"""The translations' text (issue 25): places with their prepositions in the sentences
("partenaire bilatéral de l'ICMA au Kenya", "en las Américas"), counts that agree with
their words and a sentence of their own for none, colons with French's no-break space,
"Search" as a verb and as a noun, "l'ICMA" in French, Latin American Spanish, and a 404
page in the visitor's language without Django's developer text."""

import re
from html import unescape
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from partners import pages
from partners.places import in_region
from tests.test_languages import PageText, address, visit

pytestmark = pytest.mark.django_db

SALGA = "/partners/south-african-local-government-association/"
ACGOK = "/partners/association-of-county-governments-of-kenya/"
LCP = "/partners/league-of-cities-of-the-philippines/"
FLACMA = "/partners/federation-of-cities-municipalities-and-associations-of-latin-america/"
NBSP = "\u00a0"


def text_of(client, language, path, **query):
    response = client.get(address(language, path), query)
    assert response.status_code == 200, path
    return shown_text(response.content.decode())


def shown_text(html):
    """PageText's text, with its no-break spaces kept (PageText.of makes them spaces)
    and without the space it leaves between a link and the full stop after it."""
    parser = PageText()
    parser.feed(html)
    text = re.sub(r"[ \t\n\r\f\v]+", " ", " ".join(parser.parts)).strip()
    return re.sub(r" ([.,])", r"\1", text)


def catalogue(language):
    return polib.pofile(
        str(Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po")
    )


def translations(language):
    """(msgid, msgstr) of every translated string, each plural form apart."""
    for entry in catalogue(language):
        if entry.obsolete:
            continue
        for msgstr in [entry.msgstr, *entry.msgstr_plural.values()]:
            if msgstr:
                yield entry.msgid, msgstr


# Places --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "path", "sentence"),
    [
        ("fr", SALGA, "est l\u2019un des partenaires bilatéraux de l\u2019ICMA en Afrique du Sud."),
        ("fr", ACGOK, "est l\u2019un des partenaires bilatéraux de l\u2019ICMA au Kenya."),
        ("fr", LCP, "est l\u2019un des partenaires bilatéraux de l\u2019ICMA aux Philippines."),
        (
            "fr",
            FLACMA,
            "l\u2019un des partenaires multinationaux de l\u2019ICMA, "
            "dont le siège est en Équateur.",
        ),
        ("es", SALGA, "es uno de los socios bilaterales de ICMA en Sudáfrica."),
        ("en", SALGA, "is one of ICMA\u2019s bilateral partners in South Africa."),
        ("en", LCP, "is one of ICMA\u2019s bilateral partners in the Philippines."),
        ("fr", SALGA, "Autres partenaires en Afrique du Sud"),
        ("fr", ACGOK, "L\u2019ICMA n\u2019a pas d\u2019autre partenaire au Kenya."),
        ("fr", LCP, "Partenaires en Asie"),
        ("es", FLACMA, "Socios en las Américas"),
        ("fr", FLACMA, "Partenaires dans les Amériques"),
        (
            "fr",
            LCP,
            "L\u2019ICMA n\u2019a pas d\u2019autre partenaire aux Philippines. "
            "Voir les partenaires en Asie",
        ),
        ("fr", "/countries/kenya/", "Partenaires au Kenya"),
        ("fr", "/countries/philippines/", "Partenaires aux Philippines"),
        ("fr", "/countries/honduras/", "Tous les partenaires dans les Amériques"),
        ("es", "/countries/honduras/", "Todos los socios en las Américas"),
        ("es", "/countries/united-kingdom/", "Socios en el Reino Unido"),
        ("en", "/countries/united-kingdom/", "Partners in the United Kingdom"),
        ("fr", "/countries/", "Tous les partenaires en Afrique"),
        ("es", "/", "Todos los socios en las Américas"),
    ],
)
def test_places_take_their_preposition(client, directory, language, path, sentence):
    assert sentence in text_of(client, language, path)


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        ("es", ["en África", "en las Américas", "en Asia", "en Europa", "en Oceanía"]),
        ("fr", ["en Afrique", "dans les Amériques", "en Asie", "en Europe", "en Océanie"]),
    ],
)
def test_regions_take_their_preposition(language, phrases):
    with translation.override(language):
        assert [
            in_region(slug) for slug in ["africa", "americas", "asia", "europe", "oceania"]
        ] == (phrases)


@pytest.mark.parametrize(
    ("language", "description"),
    [
        (
            "fr",
            f"Association of County Governments of Kenya (ACGOK){NBSP}: "
            "partenaire bilatéral de l\u2019ICMA au Kenya.",
        ),
        (
            "es",
            "Association of County Governments of Kenya (ACGOK): socio bilateral de ICMA en Kenia.",
        ),
        (
            "en",
            "Association of County Governments of Kenya (ACGOK): "
            "bilateral partner of ICMA in Kenya.",
        ),
    ],
)
def test_the_meta_description_says_where(client, directory, language, description):
    html = client.get(address(language, ACGOK)).content.decode()
    assert f'<meta name="description" content="{description}">' in unescape(html)


@pytest.mark.parametrize(
    ("language", "query", "note"),
    [
        ("fr", "Mexique", "L\u2019ICMA n\u2019a aucune association partenaire au Mexique."),
        (
            "fr",
            "Corée du Sud",
            "L\u2019ICMA n\u2019a aucune association partenaire en Corée du Sud.",
        ),
        ("es", "México", "ICMA no tiene ninguna asociación socia en México."),
        ("en", "Mexico", "ICMA has no partner association in Mexico."),
    ],
)
def test_the_no_partner_note_names_the_country_with_its_preposition(
    client, directory, language, query, note
):
    assert note in text_of(client, language, "/partners/", q=query)


# Counts --------------------------------------------------------------------------------

SUMMARIES = {
    # (language, partners found): the sentence.
    ("en", 0): "No partner matches your filters",
    ("en", 1): "1 partner in 1 country matches your filters",
    ("en", 4): "4 partners in 1 country match your filters",
    ("es", 0): "Ningún socio coincide con sus filtros",
    ("es", 1): "1 socio en 1 país coincide con sus filtros",
    ("es", 4): "4 socios en 1 país coinciden con sus filtros",
    ("fr", 0): "Aucun partenaire ne correspond à vos filtres",
    ("fr", 1): "1 partenaire dans 1 pays correspond à vos filtres",
    ("fr", 4): "4 partenaires dans 1 pays correspondent à vos filtres",
}
# Nothing, SALGA alone, and India's four partners.
QUERIES = {0: {"q": "qwxzvk"}, 1: {"q": "SALGA"}, 4: {"country": "in"}}


@pytest.mark.parametrize(("language", "found"), SUMMARIES)
def test_the_summary_agrees_with_the_count(client, directory, language, found):
    response = client.get(address(language, "/partners/"), QUERIES[found])
    assert response.context["total"] == found
    text = shown_text(response.content.decode())
    assert SUMMARIES[language, found] in text
    assert " 0 " not in text.replace("10 000", "")


@pytest.mark.parametrize(
    ("language", "one", "several"),
    [
        ("en", "(1 partner, on one page)", "(all 4 on one page)"),
        ("es", "(1 socio, en una sola página)", "(los 4 en una sola página)"),
        ("fr", "(1 partenaire, sur une seule page)", "(les 4 sur une seule page)"),
    ],
)
def test_the_print_link_agrees_with_the_count(client, directory, language, one, several):
    assert one in text_of(client, language, "/partners/", **QUERIES[1])
    assert several in text_of(client, language, "/partners/", **QUERIES[4])


@pytest.mark.parametrize(
    ("language", "none", "one"),
    [
        (
            "en",
            "No partner matches these filters:",
            "1 partner in 1 country matches these filters:",
        ),
        (
            "es",
            "Ningún socio coincide con estos filtros:",
            "1 socio en 1 país coincide con estos filtros:",
        ),
        (
            "fr",
            f"Aucun partenaire ne correspond à ces filtres{NBSP}:",
            f"1 partenaire dans 1 pays correspond à ces filtres{NBSP}:",
        ),
    ],
)
def test_the_print_page_agrees_with_the_count(client, directory, language, none, one):
    assert none in text_of(client, language, "/print/partners/", **QUERIES[0])
    assert one in text_of(client, language, "/print/partners/", **QUERIES[1])


# Colons and "Search" -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "chip", "button"),
    [
        ("en", "Search: salga", "Search"),
        ("es", "Búsqueda: salga", "Buscar"),
        ("fr", f"Recherche{NBSP}: salga", "Rechercher"),
    ],
)
def test_search_is_a_noun_on_the_chip_and_a_verb_on_the_button(
    client, directory, language, chip, button
):
    assert chip in text_of(client, language, "/partners/", q="salga")
    html = client.get(address(language, "/")).content.decode()
    assert f'<button type="submit" class="button">{button}</button>' in html


def test_french_filter_chips_and_print_filters_have_the_no_break_space(client, directory):
    assert f"Pays{NBSP}: Kenya" in text_of(client, "fr", "/partners/", country="ke")
    html = client.get(address("fr", "/print/partners/"), {"country": "ke"}).content.decode()
    assert f"Pays{NBSP}: <strong>Kenya</strong>" in html


# Colon used as punctuation, not in an address ("https://") or a time ("10:30").
PUNCTUATION_COLON = re.compile(r"(?<![\u00a0\u202f])(?<!\d):(?!//)(?!\d)")


def test_no_french_colon_lacks_its_no_break_space():
    bad = [
        msgstr
        for _, msgstr in translations("fr")
        if PUNCTUATION_COLON.search(re.sub(r"<[^>]*>", "", msgstr))
    ]
    assert bad == []


def test_french_says_l_icma():
    bad = [
        msgstr
        for _, msgstr in translations("fr")
        if re.search(r"\b[dD]['\u2019]ICMA|\bà ICMA|^ICMA (?!:|\u00a0:)", msgstr)
    ]
    assert bad == []


def test_one_term_for_managers():
    """Spanish says "gerentes", French "administrateurs" (ICMA's own usage); French keeps
    "dirigeants" for "leaders"."""
    spanish = " ".join(msgstr for _, msgstr in translations("es"))
    assert "administradores" not in spanish and "gerentes" in spanish
    french = [
        msgstr
        for msgid, msgstr in translations("fr")
        if "managers" in msgid and "leaders" not in msgid and "executives" not in msgid
    ]
    assert [msgstr for msgstr in french if re.search("dirigeants|gestionnaires", msgstr)] == []
    assert all("administrateurs" in msgstr for msgstr in french)


@pytest.mark.parametrize(
    "word",
    [
        "ordenador",
        "móvil",
        "vosotros",
        "coger",
        "Contacte",
        "Introduzca",
        "No hemos encontrado",
        "grifo",
    ],
)
def test_spanish_is_latin_american(word):
    assert [
        msgstr for _, msgstr in translations("es") if word.casefold() in msgstr.casefold()
    ] == []


# Django's own English -----------------------------------------------------------------

# Django's English messages a visitor could meet on a public page.
DJANGO_ENGLISH = [
    "This field is required",
    "Enter a valid",
    "Select a valid choice",
    "matching the query",
    "Ensure this value",
    "Page not found",
    "Not Found",
]


@pytest.mark.parametrize("language", ["es", "fr"])
@pytest.mark.parametrize("name", pages.examples(html=True))
def test_no_django_default_english_on_a_translated_page(client, directory, name, language):
    text = PageText.of(visit(client, name, language).content.decode())
    assert [phrase for phrase in DJANGO_ENGLISH if phrase in text] == []


# Not found -----------------------------------------------------------------------------

NOT_FOUND = [
    "/partners/no-such-partner/",
    "/countries/atlantis/",
    "/no-such-page/",
    "/partners/no-such-partner/correction/",
    "/countries/india/?page=99",
]
# Django's own words for a missing object, and the models' English names.
DEVELOPER_TEXT = re.compile(
    r"organization|country|matching the query|No se encontró|ningún|Aucun objet"
    r"|ne correspond à la requête",
    re.IGNORECASE,
)


@pytest.mark.parametrize("language", ["es", "fr"])
@pytest.mark.parametrize("path", NOT_FOUND)
def test_the_404_page_is_in_the_language_without_developer_text(client, directory, language, path):
    response = client.get(address(language, path))
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert {"es": "Página no encontrada", "fr": "Page introuvable"}[language] in html
    main = PageText.of(html.split("<main", 1)[1].split("</main>", 1)[0])
    assert not DEVELOPER_TEXT.search(main.replace("ningún socio", "")), main


def test_a_missing_country_page_explains_itself_in_the_language(client, directory):
    html = client.get(address("fr", "/countries/india/"), {"page": "99"}).content.decode()
    assert "La liste des partenaires en Inde n\u2019a pas de page de ce numéro." in html


def test_the_open_data_404_stays_json(client, directory):
    response = client.get("/partners/no-such-partner.json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": "There is no published partner with that address."}
