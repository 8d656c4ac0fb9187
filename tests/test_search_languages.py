"""Search in the words people type in English, Spanish and French (issue #25): regions by
name, the multinational partners that serve a country, the field's words across the
three languages, words that only join, a country plus other words, countries with no
partner, and "Did you mean" in the page's language. Each query is typed on the page of
its language."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from partners.models import Organization
from partners.search.query import Search
from partners.search.ranks import NAMED, SERVED
from partners.search.vocabulary import VOCABULARY_FILE, search_vocabulary

pytestmark = pytest.mark.django_db

CAMCAYCA, FLACMA = "CAMCAYCA", "FLACMA"
AFRICA = {"ACGOK", "ALAT", "iLGM", "LAMAS", "LGAZ", "SALGA"}
LATIN_AMERICA = {"AMHON", "AMUPA", "FEDOMU", CAMCAYCA, FLACMA}


def listed(client, language, query):
    """The partners the directory page in `language` lists for `query`, in order, by
    acronym (or name)."""
    with translation.override(language):
        url = reverse("partners:directory")
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return [partner.acronym or partner.name for partner in response.context["page_obj"]]


def suggested(language, query):
    with translation.override(language):
        return Search(query).suggestions(Organization.objects.published())


def based_in_region(region):
    return {
        partner.acronym or partner.name
        for partner in Organization.objects.published().filter(country__region=region)
    }


# Regions.


@pytest.mark.parametrize(
    ("language", "query", "region"),
    [
        ("en", "europe", "europe"),
        ("es", "Europa", "europe"),
        ("en", "asia", "asia"),
        ("fr", "Asie", "asia"),
        ("en", "Africa", "africa"),
        ("es", "África", "africa"),
        ("fr", "Océanie", "oceania"),
    ],
)
def test_a_region_by_name_finds_every_partner_of_the_region(
    client, directory, language, query, region
):
    assert set(listed(client, language, query)) == based_in_region(region)


def test_africa_finds_the_six_african_partners(client, directory):
    assert set(listed(client, "en", "Africa")) == AFRICA


@pytest.mark.parametrize(
    ("language", "query"),
    [
        ("fr", "Amérique latine"),
        ("es", "América Latina"),
        ("es", "Latinoamérica"),
        ("en", "Latin America"),
    ],
)
def test_latin_america_by_its_names(client, directory, language, query):
    assert set(listed(client, language, query)) == LATIN_AMERICA


def test_central_america_finds_its_partners_then_the_latin_american_federation(client, directory):
    # Costa Rica (CAMCAYCA's seat), Honduras, Panama; then FLACMA, which serves them.
    assert listed(client, "es", "Centroamérica") == [CAMCAYCA, "AMHON", "AMUPA", FLACMA]


def test_the_caribbean_finds_the_dominican_republic_then_the_federations(client, directory):
    assert listed(client, "es", "Caribe") == ["FEDOMU", CAMCAYCA, FLACMA]


# Multinational partners, for the countries they serve.


def test_a_country_finds_its_partners_then_the_multinationals_that_serve_it(client, directory):
    assert listed(client, "en", "Honduras") == ["AMHON", CAMCAYCA, FLACMA]


def test_multinationals_rank_right_after_the_countrys_own_partners(directory):
    ranks = dict(
        Search("Honduras")
        .apply(Organization.objects.published())
        .values_list("acronym", "search_rank")
    )
    assert ranks == {"AMHON": NAMED, CAMCAYCA: SERVED, FLACMA: SERVED}


def test_each_multinational_served_is_a_published_partner_with_a_source(directory):
    data = json.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
    multinational = set(
        Organization.objects.filter(relationship_type__slug="multinational").values_list(
            "slug", flat=True
        )
    )
    assert set(data["multinationals"]) <= multinational
    assert all(entry["source"] for entry in data["multinationals"].values())


def test_a_south_american_country_is_served_by_the_latin_american_federation_only(directory):
    assert search_vocabulary().serving(["EC"]) == [
        "federation-of-cities-municipalities-and-associations-of-latin-america"
    ]


# The field's words in three languages, and words that only join.


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("es", "asociación de municipios", {"AMHON", "MAB", "MuAN", "AMUPA", "CAMA"}),
        ("fr", "association des maires", {"MAB", "AMHON", "AMUPA", "ACVN", "AUC"}),
        ("es", "ciudades", {"ACVN", "AUC", "LCP", "CMAK", "SCMA", FLACMA}),
        ("fr", "villes", {"ACVN", "AUC", "LCP", "CMAK", "SCMA", FLACMA}),
        ("es", "municipios", {"MAB", "MuAN", "AMHON", "AMUPA", "FEDOMU", CAMCAYCA}),
        ("fr", "maires", {"MAB", "ACVN", "FEDOMU", "LCP"}),
        ("es", "gobiernos locales", {"SALGA", "LGAZ", "iLGM", "ALAT", "APLA", "SOLACE"}),
        ("fr", "collectivités locales", {"SALGA", "LGAZ", "iLGM", "ALAT", "APLA", "SOLACE"}),
        ("es", "liga de ciudades", {"LCP"}),
        ("fr", "gestionnaires", {"CMAK", "CAMA", "SOLACE"}),
        ("es", "condados", {"ACGOK", "CCMA"}),
    ],
)
def test_the_fields_words_in_spanish_and_french(client, directory, language, query, expected):
    found = set(listed(client, language, query))
    assert expected <= found, expected - found


@pytest.mark.parametrize(
    ("language", "query"), [("fr", "de"), ("es", "la"), ("fr", "des"), ("en", "of"), ("en", "the")]
)
def test_words_that_only_join_find_nothing_on_their_own(client, directory, language, query):
    assert listed(client, language, query) == []


def test_the_words_as_typed_rank_before_their_translations(directory):
    found = list(
        Search("municipal").apply(Organization.objects.published()).values_list("name", flat=True)
    )
    assert found[0].startswith("Municipal") or " Municipal " in found[0]
    assert found.index("Dominican Federation of Municipalities") > found.index(
        "Municipal Association of Nepal"
    )


# A country plus other words.


def test_a_country_plus_other_words_finds_that_countrys_partners(client, directory):
    assert listed(client, "en", "UK local government") == ["SOLACE"]
    assert suggested("en", "UK local government") == []


def test_a_country_plus_a_field_word_in_spanish(client, directory):
    assert listed(client, "es", "municipios Honduras") == ["AMHON"]


# Countries with no partner.


@pytest.mark.parametrize(
    ("language", "query", "code", "served_by"),
    [
        ("es", "México", "MX", [CAMCAYCA, FLACMA]),
        ("fr", "Corée du Sud", "KR", []),
        ("en", "Türkiye", "TR", []),
        ("fr", "Côte d'Ivoire", "CI", []),
        ("en", "South Korea", "KR", []),
    ],
)
def test_a_country_with_no_partner_finds_the_multinationals_that_serve_it(
    client, directory, language, query, code, served_by
):
    assert Search(query).country_without_partner == code
    assert listed(client, language, query) == served_by


@pytest.mark.parametrize(
    ("language", "query", "name"),
    [
        ("es", "México", "México"),
        ("fr", "South Korea", "Corée du Sud"),
        ("en", "Turquía", "Türkiye"),
    ],
)
def test_a_country_without_partner_is_named_in_the_pages_language(directory, language, query, name):
    with translation.override(language):
        assert Search(query).country_without_partner_name == name


def test_a_country_with_partners_is_not_a_country_without_one(directory):
    assert Search("Honduras").country_without_partner is None
    assert Search("de").country_without_partner is None  # a joining word, not Germany's code


def test_south_korea_does_not_suggest_south_africa(directory):
    assert suggested("en", "South Korea") == []


# "Did you mean", in the page's language.


def test_a_country_named_in_the_pages_language_suggests_nothing_else(directory):
    assert suggested("fr", "Tanzanie") == []
    assert suggested("es", "Eswatini") == []


@pytest.mark.parametrize(
    ("language", "typo", "meant"),
    [
        ("fr", "Tanzanei", "Tanzanie"),
        ("es", "Tanzanai", "Tanzania"),
        ("en", "Tanzanei", "Tanzania"),
        ("es", "Sudafrca", "Sudáfrica"),
        ("fr", "Afrique du Sdu", "Afrique du Sud"),
    ],
)
def test_a_misspelt_country_is_suggested_by_its_name_in_the_pages_language(
    directory, language, typo, meant
):
    assert suggested(language, typo)[0] == meant


def test_the_french_iso_name_is_never_suggested_on_a_spanish_page(directory):
    assert "Eswatini (République d')" not in suggested("es", "Eswatin")


# One obvious misspelling of a field word.


@pytest.mark.parametrize(
    ("language", "typo", "corrected"),
    [
        ("en", "asociation", "association"),
        ("es", "asociation", "asociación"),
        ("fr", "associaton", "association"),
        ("es", "asociation de municipios", "asociación de municipios"),
        ("en", "asociation UK", "association uk"),
    ],
)
def test_one_obvious_misspelling_is_corrected(directory, language, typo, corrected):
    with translation.override(language):
        assert Search(typo).corrected_text == corrected


@pytest.mark.parametrize(
    "query", ['"asociation"', "municipa", "karnatka", "salgz", "Tanzanai", "Honduras"]
)
def test_no_correction_when_quoted_being_typed_or_not_a_field_word(directory, query):
    assert Search(query).corrected_text is None


def test_a_misspelling_shows_the_corrected_results(client, directory):
    response = client.get(reverse("partners:directory"), {"q": "asociation"})
    assert response.context["filter"].corrected_from == "asociation"
    assert response.context["filter"].as_typed_query() == '"asociation"'
    partners = {partner.acronym for partner in response.context["page_obj"]}
    assert {"SALGA", "MAB", "AMHON"} <= partners


def test_a_quoted_query_is_searched_as_typed(client, directory):
    assert listed(client, "en", '"asociation"') == []


# What the directory page says.


@pytest.mark.parametrize(
    ("language", "query", "says"),
    [
        ("es", "México", "ICMA no tiene ninguna asociación socia en México."),
        (
            "fr",
            "Corée du Sud",
            "L\u2019ICMA n\u2019a aucune association partenaire en Corée du Sud.",
        ),
        ("en", "Türkiye", "ICMA has no partner association in Türkiye."),
    ],
)
def test_the_page_says_icma_has_no_partner_there_and_links_to_the_contact(
    client, directory, language, query, says
):
    with translation.override(language):
        url, contact = reverse("partners:directory"), reverse("partners:about") + "#contact"
    html = client.get(url, {"q": query}).content.decode()
    assert says in html.replace("&#x27;", "'")
    assert f'href="{contact}"' in html


def test_the_page_names_the_multinationals_that_serve_a_country_without_partner(client, directory):
    with translation.override("es"):
        url = reverse("partners:directory")
    html = client.get(url, {"q": "México"}).content.decode()
    assert "Los socios multinacionales de esta lista trabajan en ese país." in html
    assert "CAMCAYCA" in html and "FLACMA" in html


def test_corrected_results_link_to_the_text_as_typed(client, directory):
    html = client.get(reverse("partners:directory"), {"q": "asociation"}).content.decode()
    assert "Partners for “association”." in html
    assert 'href="?q=%22asociation%22"' in html
