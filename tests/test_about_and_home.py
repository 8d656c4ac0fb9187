"""The about pages and the home page."""

import pytest
from django.urls import reverse

from partners.models import Country, Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

ABOUT = reverse("partners:about")
ABOUT_ICMA = reverse("partners:about-icma")

# Listing-site navigation, fragments and typos in the source documents that an editor drops.
NOISE = [
    "Our global reach is enhanced by",
    "Company details",
    "View in map",
    "Find locations served",
    "Business Type",
    "Industry Type",
    "Meteorological",
    "Market Focus",
    "Image",
    "Internationsl",
    "city/County",
    "nearly 9,000",
    "membership of 9,000",
    "more than 60 countries",
    "All Rights Reserved",
]


@pytest.mark.parametrize(
    "heading",
    [
        "How we work",
        "Our approaches",
        "Capacity building",
        "Partnerships and peer exchange",
        "Knowledge sharing",
        "Making a difference",
        "Employment and volunteer opportunities",
        "Contact",
    ],
)
def test_about_international_has_each_section(client, heading):
    html = client.get(ABOUT).content.decode()
    assert f">{heading}</h" in html


def test_about_international_says_what_and_since_when(client):
    html = client.get(ABOUT).content.decode()
    assert "Since 1989" in html
    assert "CityLinks" in html
    assert "Knowledge Network (KN)" in html
    assert html.count("<li>") >= 3  # the three ways it acts


def test_contact_block_has_address_phones_and_fax(client):
    html = client.get(ABOUT).content.decode()
    assert "<address>" in html
    assert "777 North Capitol Street NE, Suite 500" in html
    assert "Washington, DC 20002-4201" in html
    assert 'href="tel:+18007458780"' in html
    assert 'href="tel:+12029623680"' in html
    assert 'Fax</dt><dd><span class="phone">+1 202-962-3500</span>' in html
    # In the international form, for visitors from thirty countries.
    assert '<a class="phone" href="tel:+12029623680">+1 202-962-3680</a>' in html


@pytest.mark.parametrize(
    "heading",
    [
        "Founded in 1914",
        "Mission and vision",
        "Our members",
        "A nonprofit organization",
        "Core activities",
        "Advocacy",
        "Annual conference",
        "Ethics education and training",
        "Research",
        "Publications",
        "Professional development",
        "Global programs",
    ],
)
def test_about_icma_has_each_section(client, heading):
    assert f">{heading}</h" in client.get(ABOUT_ICMA).content.decode()


def test_about_icma_uses_the_more_recent_figures(client):
    html = client.get(ABOUT_ICMA).content.decode()
    assert "more than 11,000" in html
    assert "501(c)(3)" in html
    assert "more than 500 projects in more than 70 countries" in html


@pytest.mark.parametrize("url", [ABOUT, ABOUT_ICMA])
@pytest.mark.parametrize("noise", NOISE)
def test_no_fragments_or_listing_noise(client, url, noise):
    assert noise not in client.get(url).content.decode()


@pytest.mark.parametrize("url", [ABOUT, ABOUT_ICMA])
def test_about_pages_link_to_the_directory_and_use_one_h1(client, url):
    html = client.get(url).content.decode()
    assert f'href="{reverse("partners:directory")}"' in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize("url", [ABOUT, ABOUT_ICMA])
def test_about_pages_run_no_queries(client, django_assert_num_queries, url):
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_home_shows_figures_from_the_database(client, directory):
    figures = client.get("/").context["figures"]
    assert figures == {
        "partners": 37,
        "countries": 31,
        "regions": 5,
        "bilateral": 34,
        "multinational": 3,
    }


def test_home_figures_follow_the_data(client, directory):
    kenya = Country.objects.get(code="KE")
    OrganizationFactory(name="A new association", country=kenya)
    Organization.objects.filter(acronym="LGPA NSW").update(is_published=False)
    figures = client.get("/").context["figures"]
    assert figures["partners"] == 37  # one added, one unpublished
    assert figures["countries"] == 30  # Australia has no published partner now
    assert figures["regions"] == 4


def test_home_has_search_map_regions_and_about_links(client, directory):
    html = client.get("/").content.decode()
    assert 'action="/partners/"' in html and 'name="q"' in html
    assert "<svg" in html
    assert "do not imply any position on the legal status" in html
    assert 'href="/partners/?region=africa"' in html
    assert f'href="{ABOUT}"' in html and f'href="{ABOUT_ICMA}"' in html


def test_home_query_count_is_constant(client, directory, django_assert_num_queries):
    with django_assert_num_queries(4):
        assert client.get("/").status_code == 200
