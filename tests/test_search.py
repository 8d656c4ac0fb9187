"""Search: relevance ranking, countries by code, short name and translated name, short
queries as whole words, and "Did you mean" suggestions. Run on SQLite and PostgreSQL
(DATABASE_URL): both must give the same results."""

from unittest import mock

import pytest

from partners.listing.filters import OrganizationFilter
from partners.models import Country, Organization
from partners.search.paginator import SearchPaginator
from partners.search.query import Search
from partners.search.ranks import EXACT, INSIDE, NAMED, PREFIX, WORD
from partners.search.trigrams import similarity, trigrams
from partners.text import searchable, words
from tests.factories import (
    CountryFactory,
    OrganizationFactory,
    RelationshipTypeFactory,
    grow_directory_to,
)

pytestmark = pytest.mark.django_db


def searched(text):
    return Search(text).apply(Organization.objects.published())


def found(text):
    return list(searched(text).values_list("name", flat=True))


def acronyms(text):
    return list(searched(text).values_list("acronym", flat=True))


def ranks(text):
    return dict(searched(text).values_list("name", "search_rank"))


def based_in(code):
    return set(
        Organization.objects.published().filter(country__code=code).values_list("name", flat=True)
    )


def add_partner(name, code, country_name, acronym=""):
    country = CountryFactory(code=code, name=country_name)
    return OrganizationFactory(
        name=name, acronym=acronym, country=country, relationship_type=RelationshipTypeFactory()
    )


# The text helpers.


def test_words_fold_case_accents_and_punctuation():
    assert words("City Managers' Association, Gujarat") == [
        "city",
        "managers",
        "association",
        "gujarat",
    ]
    assert words("STMOÚ") == ["stmou"]


def test_search_text_keeps_each_part_between_marks():
    assert searchable("South African Local Government Association", "SALGA", "") == (
        " | south african local government association | salga | "
    )


def test_trigrams_and_similarity_follow_pg_trgm():
    # SELECT show_trgm('Cat'), similarity('salga', 'salgz') on PostgreSQL.
    assert trigrams("Cat") == {"  c", " ca", "cat", "at "}
    assert similarity("salga", "salgz") == pytest.approx(4 / 8)
    assert similarity("word", "") == 0


# Ranking.


def test_an_exact_acronym_comes_first(directory):
    assert acronyms("salga")[0] == "SALGA"
    assert acronyms("SALGA") == acronyms("salga")


def test_exact_then_whole_word_then_prefix_then_inside(db):
    add_partner("Tower Association", "CZ", "Czechia")
    add_partner("Towerhouse Forum", "CZ", "Czechia")
    add_partner("Watchtower Union", "CZ", "Czechia")
    add_partner("Tower", "CZ", "Czechia", acronym="TWR")
    assert found("tower") == [
        "Tower",
        "Tower Association",
        "Towerhouse Forum",
        "Watchtower Union",
    ]
    assert ranks("tower") == {
        "Tower": EXACT,
        "Tower Association": WORD,
        "Towerhouse Forum": PREFIX,
        "Watchtower Union": INSIDE,
    }


def test_whole_words_come_before_the_start_of_longer_words(directory):
    results = found("municipal")
    whole = {name for name in results if "municipal" in words(name)}
    assert len(whole) == 5
    assert set(results[:5]) == whole
    assert "Municipalities Association of Panama" in results[5:]


def test_an_iso_code_finds_that_countrys_partners_first(directory):
    assert set(found("za")[:2]) == based_in("ZA") == set(found("ZAF")[:2])
    assert found("KE")[0] == "Association of County Governments of Kenya"
    assert set(found("ind")) >= based_in("IN")
    assert set(found("ind")[:4]) == based_in("IN")


def test_a_country_named_by_the_query_ranks_its_partners_first(directory):
    assert set(ranks("kenya").values()) == {NAMED}


def test_common_short_names_find_the_country(directory):
    add_partner("National League of Cities", "US", "United States")
    add_partner("Association des Villes et Communes du Congo", "CD", "Congo (DR)")
    assert found("USA") == ["National League of Cities"]
    assert found("U.S.A.") == ["National League of Cities"]
    assert found("U.K.") == found("uk")
    assert found("DRC") == ["Association des Villes et Communes du Congo"]
    assert found("uk") == ["Society of Local Authority Chief Executives & Senior Managers"]
    assert found("UAE") == ["Environmental Center for Arab Towns"]


def test_country_names_in_spanish_and_french(directory):
    assert set(found("Sudáfrica")) == based_in("ZA")
    assert set(found("sudafrica")) == based_in("ZA")
    assert set(found("Afrique du Sud")[:2]) == based_in("ZA")
    assert found("Tanzanie") == ["Association of Local Authorities of Tanzania"]
    assert found("Royaume-Uni") == found("Reino Unido") == found("United Kingdom")


def test_former_names_still_find_the_country(directory):
    assert found("swaziland") == ["Local Authorities Managers Association of Swaziland (Eswatini)"]
    assert found("Czech Republic")[0] == "Association of City Managers of the Czech Republic"


def test_a_two_letter_query_matches_whole_words_not_the_inside_of_words(directory):
    results = found("in")
    # India by its code first, then the names with the word "in".
    assert set(results[:4]) == based_in("IN")
    assert "Federation of Local Authorities in Israel" in results[4:]
    # Not "Ukrainian", "Confederation", "Latin", "Philippines", "Panama"…
    assert "Association of Ukrainian Cities" not in results
    assert "League of Cities of the Philippines" not in results
    assert all(" in " in f" {' '.join(words(name))} " for name in results[4:])


def test_a_three_letter_query_matches_whole_words_and_acronyms(directory):
    assert found("lcp") == ["League of Cities of the Philippines"]
    assert "Association of Local Authorities of Tanzania" not in found("tan")


def test_longer_queries_still_find_the_inside_of_words(directory):
    assert found("stmou") == ["Association of City Managers of the Czech Republic"]
    assert "Association of Ukrainian Cities" in found("krain")


def test_every_word_must_match_names_or_country(directory):
    assert found("association kenya") == ["Association of County Governments of Kenya"]
    assert found("managers india") == [
        "City Managers' Association of Karnataka",
        "City Managers' Association of Rajasthan",
        "City Managers' Association, Gujarat",
    ]
    assert found("salga kenya") == []


def test_nothing_but_punctuation_finds_nothing(directory):
    assert found("!!!") == []


def test_unpublished_partners_are_never_found(directory):
    Organization.objects.filter(acronym="SALGA").update(is_published=False)
    assert "SALGA" not in acronyms("salga")
    assert "SALGA" not in Search("salgz").suggestions(Organization.objects.published())


@pytest.mark.parametrize(
    "params",
    [
        {"q": "association"},
        {"q": "india"},  # a country: its partners read along the (country, name) index
        {"q": "in"},
        {"q": "municipal", "region": "asia"},
        {"q": "kenya", "type": "bilateral"},
        {"q": "nothing matches this"},
    ],
)
@pytest.mark.parametrize("per_page", [7, 50])
def test_every_page_of_a_search_holds_the_rows_slicing_would_give(directory, params, per_page):
    grow_directory_to(400)
    filterset = OrganizationFilter(params, queryset=Organization.objects.published().for_listing())
    ranked = filterset.qs
    expected = list(ranked.values_list("pk", flat=True))
    paginator = SearchPaginator(filterset.search, filterset.unsearched, per_page)
    assert paginator.count == len(expected)
    assert paginator.country_count == ranked.values("country").distinct().count()
    rows = []
    for number in paginator.page_range:
        page = paginator.page(number)
        rows += [partner.pk for partner in page.object_list]
    assert rows == expected


# The directory page.


def page(client, query, **params):
    response = client.get("/partners/", {"q": query, **params})
    assert response.status_code == 200
    return response


def card_names(response):
    return [partner.name for partner in response.context["page_obj"].object_list]


def test_the_directory_lists_search_results_best_first(client, directory):
    response = page(client, "tanzania")
    assert card_names(response)[0] == "Association of Local Authorities of Tanzania"
    assert b"Best matches first" in response.content
    response = page(client, "municipal")
    assert card_names(response) == found("municipal")


def test_search_results_are_paged_in_rank_order(client, directory):
    country = Country.objects.get(code="KE")
    kind = RelationshipTypeFactory()
    for n in range(60):
        OrganizationFactory(
            name=f"Kenyan Towns Forum {n:02}", country=country, relationship_type=kind
        )
    add_partner("Kenya Friends Abroad", "SE", "Sweden")
    everything = found("kenya")
    assert len(everything) == 62
    assert everything[-1] == "Kenya Friends Abroad"  # not in Kenya: after Kenya's partners
    first = card_names(page(client, "kenya"))
    second = card_names(page(client, "kenya", page=2))
    assert first + second == everything


def test_a_search_page_applies_the_search_once(client, directory):
    """In its paginator: the directory's filters leave it out of their QuerySet."""
    apply = Search.apply
    with mock.patch.object(Search, "apply", autospec=True, side_effect=apply) as applied:
        assert card_names(page(client, "kenya"))
    assert applied.call_count == 1


def test_a_misspelt_search_suggests_the_nearest_names(client, directory):
    response = page(client, "salgz")
    assert response.context["suggestions"][0] == "SALGA"
    assert 'Did you mean: <a href="?q=SALGA">SALGA</a>' in response.content.decode()


def test_a_search_that_finds_plenty_suggests_nothing(client, directory):
    with mock.patch("partners.search.query.similarity") as similarity:
        response = page(client, "association")
    assert response.context["suggestions"] == []
    assert b"Did you mean" not in response.content
    similarity.assert_not_called()  # Nothing to show: nothing scored.


def test_suggestions_not_shown_are_read_but_not_scored(directory, django_assert_num_queries):
    """The query runs whatever the search finds (the same queries for every search
    page); only the scoring is left out."""
    with (
        mock.patch("partners.search.query.similarity") as similarity,
        django_assert_num_queries(1),
    ):
        assert Search("salgz").suggestions(Organization.objects.published(), shown=False) == []
    similarity.assert_not_called()


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("salgz", "SALGA"),
        ("fedomo", "FEDOMU"),
        ("tanzanai", "Tanzania"),
        ("karnatka", "Karnataka"),
        ("Sudafrca", "South Africa"),  # a country by its name in the page's language
        ("bangladesch", "Bangladesh"),  # (its Spanish name is nearer than the English)
        ("south afrika", "South Africa"),
    ],
)
def test_suggestions_for_misspellings(directory, typo, meant):
    suggestions = Search(typo).suggestions(Organization.objects.published())
    assert suggestions[0] == meant


# Each list as both databases give it: SQLite through best_term_similarity, PostgreSQL
# through pg_trgm's <% and the trigram index (run this file with DATABASE_URL too).
SUGGESTIONS = {
    "salgz": ["SALGA"],
    "tanzanai": ["Tanzania"],
    "bangladesch": ["Bangladesh"],
    "south afrika": ["South Africa", "South"],
    "managrs": ["Managers"],
    "philipines": ["Philippines"],
    "asociation": ["Association", "Associations", "Association OTG"],
    "camcayka": ["CAMCAYCA"],
    "Vietnamm": ["Vietnam"],
    "xyzzy": [],
}


@pytest.mark.parametrize(("typo", "expected"), SUGGESTIONS.items())
def test_suggestions_are_the_same_on_every_database(directory, typo, expected):
    assert Search(typo).suggestions(Organization.objects.published()) == expected
