"""schema.org JSON-LD, canonical addresses, Open Graph and description meta tags
(partners/opendata/structured_data.py, partners/templatetags/metadata.py)."""

import json
import re
from html import unescape

import pytest

from partners.models import Country, Organization, RelationshipType
from partners.opendata import structured_data

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(response):
    assert response.status_code == 200
    return [json.loads(block) for block in JSON_LD.findall(response.content.decode())]


def meta(response, attribute, name):
    match = re.search(
        rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', response.content.decode()
    )
    return unescape(match.group(1)) if match else None


def canonical(response):
    match = re.search(r'<link rel="canonical" href="([^"]*)">', response.content.decode())
    return unescape(match.group(1)) if match else None


def test_every_partner_page_describes_its_organization(client, directory):
    partners = Organization.objects.published().select_related("country", "relationship_type")
    assert partners.count() == 37
    for partner in partners:
        url = f"http://testserver/partners/{partner.slug}/"
        [data] = json_ld(client.get(partner.get_absolute_url()))
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "Organization"
        assert data["name"] == partner.name
        assert data["mainEntityOfPage"] == url
        assert data["address"] == {
            "@type": "PostalAddress",
            "addressCountry": str(partner.country.code),
        }
        if partner.acronym:
            assert partner.acronym in (
                [data["alternateName"]]
                if isinstance(data["alternateName"], str)
                else data["alternateName"]
            )
        assert data["memberOf"]["@type"] == "ProgramMembership"
        assert data["memberOf"]["hostingOrganization"]["@id"] == "http://testserver/#icma"
        assert partner.relationship_type.name.lower() in data["memberOf"]["programName"]
        assert ("url" in data) == bool(partner.website)


def test_partner_json_ld_links_the_website_and_countries_served(client, directory):
    ecat = Organization.objects.get(slug="environmental-center-for-arab-towns")
    ecat.website = "https://ecat.example.org/"
    ecat.save()
    ecat.countries_served.set(Country.objects.filter(code__in=["AE", "PS"]))
    [data] = json_ld(client.get(ecat.get_absolute_url()))
    assert data["url"] == "https://ecat.example.org/"
    assert data["areaServed"] == [
        {"@type": "Country", "name": "Palestine", "identifier": "PS"},
        {"@type": "Country", "name": "United Arab Emirates", "identifier": "AE"},
    ]


def test_text_in_the_data_cannot_end_the_script_element(client, directory):
    hostile = '</script><script>alert("x")</script><!-- & '
    partner = Organization.objects.create(
        name=hostile,
        slug="hostile",
        country=Country.objects.get(code="CZ"),
        relationship_type=RelationshipType.objects.get(slug="bilateral"),
    )
    html = client.get(partner.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    # Every </script> closes a script the site wrote (the JSON-LD, the language offer's).
    assert html.count("</script>") == html.count("<script")
    [data] = json_ld(client.get(partner.get_absolute_url()))
    assert data["name"] == hostile


def test_embed_escapes_markup_and_line_separators():
    element = structured_data.embed({"a": "</script>&\u2028\u2029"})
    assert element == (
        '<script type="application/ld+json">'
        '{"a":"\\u003C/script\\u003E\\u0026\\u2028\\u2029"}</script>'
    )
    assert json.loads(JSON_LD.search(element).group(1)) == {"a": "</script>&\u2028\u2029"}


def test_embed_keeps_other_text_as_it_is_and_escapes_it_among_accents():
    data = {"name": "Asociación <Chile> & Perú\u2028", "ja": "日本"}
    element = structured_data.embed(data)
    assert '"Asociación \\u003CChile\\u003E \\u0026 Perú\\u2028"' in element
    assert '"ja":"日本"' in element
    assert json.loads(JSON_LD.search(element).group(1)) == data


def test_home_page_describes_icma_with_its_address_and_phone(client, directory):
    [data] = json_ld(client.get("/"))
    assert data["@type"] == "Organization"
    assert data["@id"] == "http://testserver/#icma"
    assert data["name"] == "ICMA International"
    assert data["telephone"] == "+1-202-962-3680"
    assert data["address"]["streetAddress"] == "777 North Capitol Street NE, Suite 500"
    assert data["address"]["postalCode"] == "20002-4201"
    assert data["address"]["addressCountry"] == "US"


def test_directory_carries_an_item_list_of_the_page_shown(client, directory):
    [data] = json_ld(client.get("/partners/?country=in"))
    assert data["@type"] == "ItemList"
    assert data["numberOfItems"] == 4
    urls = [item["url"] for item in data["itemListElement"]]
    assert [item["position"] for item in data["itemListElement"]] == [1, 2, 3, 4]
    assert urls[0] == "http://testserver/partners/city-managers-association-of-karnataka/"


def test_second_page_of_the_directory_numbers_on(client, directory):
    from tests.factories import grow_directory_to

    grow_directory_to(120)
    [data] = json_ld(client.get("/partners/?page=2"))
    assert data["numberOfItems"] == 120
    assert data["itemListElement"][0]["position"] == 51
    assert len(data["itemListElement"]) == 50


def test_country_page_carries_an_item_list_of_its_partners(client, directory):
    [data] = json_ld(client.get("/countries/india/"))
    assert data["@type"] == "ItemList"
    assert data["name"] == "ICMA partners in India"
    assert data["numberOfItems"] == 4


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", "http://testserver/"),
        ("/about/?utm_source=newsletter", "http://testserver/about/"),
        (
            "/partners/?page=1&type=bilateral&junk=1&country=",
            "http://testserver/partners/?type=bilateral",
        ),
        (
            "/partners/?region=asia&q=city&page=1",
            "http://testserver/partners/?q=city&region=asia",
        ),
        ("/countries/india/", "http://testserver/countries/india/"),
    ],
)
def test_pages_name_their_canonical_address(client, directory, url, expected):
    response = client.get(url, follow=True)  # Unused parameters redirect first.
    assert canonical(response) == expected
    assert meta(response, "property", "og:url") == expected


def test_partner_page_has_description_and_open_graph(client, directory):
    response = client.get("/partners/city-managers-association-of-karnataka/")
    description = meta(response, "name", "description")
    assert description == (
        "City Managers' Association of Karnataka (CMAK): bilateral partner of ICMA in India."
    )
    assert meta(response, "property", "og:description") == description
    assert meta(response, "property", "og:title") == "City Managers' Association of Karnataka"
    assert meta(response, "property", "og:type") == "website"
    assert meta(response, "property", "og:site_name")


def test_directory_head_links_the_feed(client, directory):
    html = client.get("/partners/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/partners/feed/"' in html


def test_an_error_page_names_no_canonical_address(client, directory):
    response = client.get("/no-such-page/?x=1")
    assert response.status_code == 404
    assert canonical(response) is None
    assert meta(response, "property", "og:url") is None
