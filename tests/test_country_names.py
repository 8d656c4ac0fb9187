"""Country names in Spanish and French (issue #25, "Names"): the common short name each
language uses (CLDR's: Tchéquie, Chequia, Esuatini, Palestina), never ISO's official
forms nor an abbreviation; the other names on a country's page in the page's language;
lists sorted by the name shown; search by those names and "Did you mean" in them."""

import re
from html import unescape

import pytest
from django.utils import translation

from partners.collation import sort_key
from partners.countries import other_names_in, translated_names
from partners.models import Country, Organization
from partners.places import in_country
from partners.search.query import Search

# CLDR writes Côte d'Ivoire with a typographic apostrophe (U+2019).
COTE_D_IVOIRE = "C\u00f4te d\u2019Ivoire"
COMMON_NAMES = {
    "CZ": ("Tchéquie", "Chequia"),
    "SZ": ("Eswatini", "Esuatini"),
    "PS": ("Palestine", "Palestina"),
    "VN": ("Viêt Nam", "Vietnam"),
    "TR": ("Turquie", "Turquía"),
    "KR": ("Corée du Sud", "Corea del Sur"),
    # Spanish as Latin America writes it (CLDR's es_419), where Spain's CLDR keeps the
    # French name.
    "CI": (COTE_D_IVOIRE, "Costa de Marfil"),
    "RO": ("Roumanie", "Rumania"),
    "SA": ("Arabie saoudite", "Arabia Saudita"),
    "CD": ("République démocratique du Congo", "República Democrática del Congo"),
    "GB": ("Royaume-Uni", "Reino Unido"),
    "US": ("États-Unis", "Estados Unidos"),
    "AE": ("Émirats arabes unis", "Emiratos Árabes Unidos"),
}
# ISO's official forms, as django-countries translates them: other names now.
OFFICIAL_FORMS = [
    "République tchèque",
    "Eswatini (République d')",
    "Palestine, État de",
    "États-Unis d'Amérique",
    "Suazilandia",
    "Estado de Palestina",
]
# Written independently of partners/countries.py: a full stop, or a word in capitals.
ABBREVIATION = re.compile(r"\.|\b[A-ZÉ]{2,}\b")
CZECH_PARTNER = "STMOÚ"


def address(language, path):
    return path if language == "en" else f"/{language}{path}"


def listed(client, language, query):
    response = client.get(address(language, "/partners/"), {"q": query})
    assert response.status_code == 200
    return [partner.acronym or partner.name for partner in response.context["page_obj"]]


def suggested(language, query):
    with translation.override(language):
        return Search(query).suggestions(Organization.objects.published())


def lede(html):
    """The country page's line under its heading (region, "also known as" …)."""
    return unescape(re.search(r'<p class="lede">(.*?)</p>', html, re.S).group(1))


def country_options(html):
    """The country filter's option labels, in the page's order."""
    select = html.split('<select name="country"')[1].split("</select>")[0]
    return [
        unescape(name)
        for name in re.findall(r'<option value="[A-Z]{2}"[^>]*>([^<]+)</option>', select)
    ]


# The name shown.


@pytest.mark.parametrize("code", COMMON_NAMES)
@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_name_shown_is_the_common_short_name(language, code):
    french, spanish = COMMON_NAMES[code]
    assert translated_names(language)[code] == {"fr": french, "es": spanish}[language]


@pytest.mark.parametrize("language", ["fr", "es"])
def test_no_iso_official_form_is_shown(language):
    assert not set(OFFICIAL_FORMS) & set(translated_names(language).values())


@pytest.mark.parametrize("language", ["fr", "es"])
def test_no_country_is_shown_by_an_abbreviation(language):
    names = translated_names(language)
    assert [name for name in names.values() if ABBREVIATION.search(name)] == []
    assert (names["GB"], names["US"]) != ("R.-U.", "É.-U.")
    assert "" not in names.values()


def test_english_keeps_the_sites_own_names(directory):
    assert translated_names("en")["CZ"] == "Czechia"
    assert translated_names("en")["TR"] == "Türkiye"
    with translation.override("en"):
        assert Country.objects.get(code="PS").local_name == "Palestine"


def test_a_country_page_is_titled_by_the_common_name(client, directory):
    assert "<h1>Tchéquie</h1>" in client.get("/fr/countries/czechia/").content.decode()
    assert "<h1>Esuatini</h1>" in client.get("/es/countries/eswatini/").content.decode()


# Other names.


@pytest.mark.parametrize(
    ("language", "slug", "other_names", "english"),
    [
        ("fr", "czechia", ["République tchèque"], "Czech Republic"),
        ("es", "czechia", ["República Checa"], "Czech Republic"),
        # ISO's official forms ("Eswatini (République d')", "Estado de Palestina") are
        # for search, not for the page: CLDR's names only.
        ("fr", "eswatini", [], "Swaziland"),
        ("es", "eswatini", ["Suazilandia"], "Swaziland"),
        ("es", "palestine", ["Territorios Palestinos"], "State of"),
    ],
)
def test_a_country_page_gives_its_other_names_in_the_pages_language(
    client, directory, language, slug, other_names, english
):
    response = client.get(f"/{language}/countries/{slug}/")
    with translation.override(language):
        assert response.context["country"].other_name_list == other_names
    line = lede(response.content.decode())
    assert all(name in line for name in other_names)
    assert english not in line


def test_an_english_country_page_keeps_the_stored_other_names(client, directory):
    response = client.get("/countries/czechia/")
    assert response.context["country"].other_name_list == ["Czech Republic"]
    assert "Czech Republic" in lede(response.content.decode())


def test_a_stored_name_that_is_not_english_is_kept_in_every_language():
    assert other_names_in("IN", "fr", ["Bharat"]) == ["Bharat"]
    assert other_names_in("SZ", "es", ["Swaziland", "Kangwane"]) == ["Suazilandia", "Kangwane"]
    assert other_names_in("SZ", "en", ["Swaziland"]) == ["Swaziland"]


def test_no_other_name_repeats_the_name_shown():
    # django-countries' "Côte d'Ivoire", with a plain apostrophe, is the name shown.
    assert other_names_in("CI", "fr", []) == [f"République de {COTE_D_IVOIRE}"]
    assert other_names_in("VN", "es", ["Viet Nam"]) == []


# Sorted by the name shown.


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_country_filter_is_in_the_languages_order_of_the_names_shown(
    client, directory, language
):
    options = country_options(client.get(f"/{language}/partners/").content.decode())
    assert options == sorted(options, key=lambda name: sort_key(name, language))
    czechia, eswatini = COMMON_NAMES["CZ"], COMMON_NAMES["SZ"]
    index = ["fr", "es"].index(language)
    assert {czechia[index], eswatini[index], COMMON_NAMES["PS"][index]} <= set(options)
    assert not set(OFFICIAL_FORMS) & set(options)


def test_the_spanish_country_list_sorts_palestina_after_india(client, directory):
    html = client.get("/es/countries/").content.decode()
    assert html.index(">India</a>") < html.index(">Palestina</a>")
    assert html.index(">Chequia</a>") < html.index(">Eslovaquia</a>")


# Search.


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("fr", "Tchéquie"),
        ("es", "Chequia"),
        ("fr", "République tchèque"),
        ("es", "República Checa"),
        ("en", "Czech Republic"),
        ("en", "Czechia"),
    ],
)
def test_the_czech_partner_is_found_by_czechias_names(client, directory, language, query):
    assert listed(client, language, query)[0] == CZECH_PARTNER


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("es", "Esuatini"),
        ("es", "Suazilandia"),
        ("fr", "Eswatini"),
        ("en", "Swaziland"),
        ("es", "Palestina"),
        ("es", "Estado de Palestina"),
        ("fr", "Territoires palestiniens"),
        ("fr", "Viêt Nam"),
    ],
)
def test_a_country_is_found_by_its_common_and_official_names(client, directory, language, query):
    with translation.override(language):
        assert Search(query).named_countries


@pytest.mark.parametrize(
    ("language", "query", "code"),
    [
        ("fr", "Corée du Sud", "KR"),
        ("es", "Corea del Sur", "KR"),
        ("en", "Türkiye", "TR"),
        ("fr", "Turquie", "TR"),
        ("fr", "Côte d'Ivoire", "CI"),
        ("es", COTE_D_IVOIRE, "CI"),
        ("es", "Costa de Marfil", "CI"),
    ],
)
def test_a_country_without_partner_is_known_by_its_names(directory, language, query, code):
    with translation.override(language):
        assert Search(query).country_without_partner == code


def test_a_country_without_partner_is_named_by_its_common_name(directory):
    with translation.override("es"):
        assert Search(COTE_D_IVOIRE).country_without_partner_name == "Costa de Marfil"
    with translation.override("fr"):
        assert Search("Turkey").country_without_partner_name == "Turquie"


@pytest.mark.parametrize(
    ("language", "typo", "meant"),
    [
        ("es", "Eswatni", "Esuatini"),
        ("es", "Chequai", "Chequia"),
        ("fr", "Tcheqie", "Tchéquie"),
        ("es", "Palestna", "Palestina"),
    ],
)
def test_did_you_mean_offers_the_common_name_in_the_pages_language(
    directory, language, typo, meant
):
    offered = suggested(language, typo)
    assert offered[0] == meant
    assert not set(OFFICIAL_FORMS) & set(offered)


def test_english_names_nauru_as_english_readers_do():
    """django-countries 9 has "Naoero"; settings.COUNTRIES_OVERRIDE restores "Nauru"."""
    assert translated_names("en")["NR"] == "Nauru"
    assert in_country("NR", translated_names("en")["NR"], "en") == "in Nauru"
