"""/partners/: filters, search, grouping, summary and pagination."""

import re

import pytest
from django.urls import reverse

from partners.models import Country, Organization
from tests.factories import CountryFactory, OrganizationFactory, RelationshipTypeFactory

pytestmark = pytest.mark.django_db
URL = reverse("partners:directory")


def names(response):
    return [partner.name for partner in response.context["page_obj"].object_list]


def acronyms(response):
    return {partner.acronym for partner in response.context["page_obj"].object_list}


def test_lists_every_published_partner(client, directory):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["total"] == 37
    assert "37 partners in 31 countries" in response.content.decode()


def test_groups_by_country_alphabetically_with_multinational_last(client, directory):
    response = client.get(URL)
    groups = response.context["country_groups"]
    assert [group.country.name for group in groups][:3] == ["Australia", "Bangladesh", "Canada"]
    assert [g.country.name for g in groups] == sorted(g.country.name for g in groups)
    assert [p.acronym for p in response.context["multinational_partners"]] == [
        "CAMCAYCA",
        "FLACMA",
        "ECAT",
    ]
    html = response.content.decode()
    assert html.index("Zambia") < html.index("Multinational partners")


def test_country_filter_accepts_any_case(client, directory):
    upper = client.get(URL, {"country": "IN"})
    lower = client.get(URL, {"country": "in"})
    assert acronyms(upper) == acronyms(lower) == {"CMAK", "CMAR", "CMAG", ""}
    assert "4 partners in 1 country" in upper.content.decode()


def test_region_filter(client, directory):
    response = client.get(URL, {"region": "oceania"})
    assert acronyms(response) == {"LGPA NSW"}


def test_type_filter(client, directory):
    response = client.get(URL, {"type": "multinational"})
    assert acronyms(response) == {"CAMCAYCA", "FLACMA", "ECAT"}


def test_filters_combine(client, directory):
    response = client.get(URL, {"region": "africa", "q": "local government"})
    # "local government" finds the local authorities' associations too (search_vocabulary.json).
    assert acronyms(response) == {"iLGM", "SALGA", "LGAZ", "ALAT", "LAMAS"}
    response = client.get(URL, {"region": "americas", "type": "multinational"})
    assert acronyms(response) == {"CAMCAYCA", "FLACMA"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stmou", {"STMOÚ"}),
        ("STMOÚ", {"STMOÚ"}),
        ("swaziland", {"LAMAS"}),
        ("czech republic", {"STMOÚ"}),
        ("viet nam", {"ACVN"}),
        ("SALGA", {"SALGA"}),
        ("salga", {"SALGA"}),
        ("kommundirektorsföreningen", {""}),
        ("Gujarat", {"CMAG"}),
        ("  city   managers  karnataka ", {"CMAK"}),
    ],
)
def test_search_forgives_case_accents_and_old_names(client, directory, query, expected):
    assert acronyms(client.get(URL, {"q": query})) == expected


def test_search_by_country_name_finds_its_partners(client, directory):
    assert acronyms(client.get(URL, {"q": "south africa"})) == {"iLGM", "SALGA"}


def test_multinational_partner_appears_under_the_countries_it_serves(client, directory):
    flacma = Organization.objects.get(acronym="FLACMA")
    flacma.countries_served.add(Country.objects.get(code="HN"))
    response = client.get(URL, {"country": "HN"})
    assert acronyms(response) == {"AMHON", "FLACMA"}


def test_unpublished_partners_are_hidden(client, directory):
    Organization.objects.filter(acronym="SALGA").update(is_published=False)
    response = client.get(URL, {"q": "south africa"})
    assert acronyms(response) == {"iLGM"}
    html = client.get(URL).content.decode()
    assert "/partners/south-african-local-government-association/" not in html


def test_active_filters_each_have_a_remove_link(client, directory):
    response = client.get(URL, {"q": "association", "region": "europe"})
    html = response.content.decode()
    assert "Search: association" in html
    assert "Region: Europe" in html
    assert 'href="?q=association"' in html  # removes the region
    assert 'href="?region=europe"' in html  # removes the search
    assert "Clear all filters" in html


def test_empty_result_explains_itself(client, directory):
    response = client.get(URL, {"q": "atlantis"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No partner matches “atlantis”" in html
    assert "See all partners" in html


def test_no_pagination_for_a_short_list(client, directory):
    assert 'aria-label="Pages of results"' not in client.get(URL).content.decode()


@pytest.fixture
def long_directory(empty_directory):
    bilateral = RelationshipTypeFactory()
    country = CountryFactory()
    Organization.objects.bulk_create(
        Organization(
            name=f"Municipal Association {n:03}",
            slug=f"municipal-association-{n:03}",
            country=country,
            relationship_type=bilateral,
            search_text=f"municipal association {n:03} | czechia",
        )
        for n in range(120)
    )


def test_pagination_links_keep_the_filters(client, long_directory):
    response = client.get(URL, {"q": "municipal", "region": "europe", "page": 2})
    html = response.content.decode()
    assert response.context["page_obj"].number == 2
    links = set(re.findall(r'href="(\?[^"]*page=\d+[^"]*)"', html))
    assert links, "expected page links"
    for link in links:
        assert "q=municipal" in link and "region=europe" in link, link


def test_second_page_shows_the_next_partners(client, long_directory):
    response = client.get(URL, {"page": 2})
    assert names(response)[0] == "Municipal Association 050"


def test_unknown_relationship_type_added_by_staff_is_browsable(client, directory):
    memorandum = RelationshipTypeFactory(name="Memorandum of understanding")
    OrganizationFactory(name="Some Association", relationship_type=memorandum)
    response = client.get(URL, {"type": "memorandum-of-understanding"})
    assert [p.name for p in response.context["page_obj"].object_list] == ["Some Association"]


def test_the_chosen_country_is_selected_whatever_its_case(client, directory):
    html = client.get(URL, {"country": "in"}).content.decode()
    assert '<option value="IN" selected>India</option>' in html


def test_the_filter_options_are_escaped_as_django_escapes_them(client, directory):
    RelationshipTypeFactory(name='Staff\'s <b>pick</b> & "more"', slug="pick")
    html = client.get(URL, {"type": "pick"}).content.decode()
    assert (
        '<option value="pick" selected>Staff&#x27;s &lt;b&gt;pick&lt;/b&gt; &amp; '
        "&quot;more&quot;</option>"
    ) in html


@pytest.mark.parametrize("query", ["", "?q=bold", "?country=ZZ"])
def test_the_jinja2_cards_escape_what_staff_typed(client, directory, query):
    # The cards and country groups are Jinja2 templates (templates/jinja2/): they must
    # escape as Django's templates do.
    country = CountryFactory(code="ZZ", name="Z<land> & Co", slug="zland", region="europe")
    OrganizationFactory(
        name="<b>Bold</b> & Co",
        acronym="<i>",
        other_name='"Quoted"',
        slug="bold",
        country=country,
        relationship_type=Organization.objects.first().relationship_type,
    )
    html = client.get(URL + query).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in html
    assert 'title="&lt;b&gt;Bold&lt;/b&gt; &amp; Co"' in html
    assert "&lt;i&gt;</abbr>" in html
    assert "&#34;Quoted&#34;" in html or "&quot;Quoted&quot;" in html
    assert "Z&lt;land&gt; &amp; Co" in html
    assert "<b>Bold" not in html and "<i></abbr>" not in html and "<land>" not in html
