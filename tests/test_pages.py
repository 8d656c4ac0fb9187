"""Country pages, partner pages and the country list."""

import pytest
from django.urls import reverse

from partners.models import Country, Organization

pytestmark = pytest.mark.django_db


def test_partner_page_shows_its_details(client, directory):
    salga = Organization.objects.get(acronym="SALGA")
    response = client.get(salga.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>South African Local Government Association</h1>" in html
    assert 'href="/countries/south-africa/"' in html
    assert "Africa" in html
    assert 'aria-label="Breadcrumb"' in html
    # The other partner in the same country:
    assert "Institute for Local Government Management of South Africa" in html


def test_partner_page_shows_optional_fields_when_present(client, directory):
    salga = Organization.objects.get(acronym="SALGA")
    salga.website = "https://www.salga.org.za/"
    salga.partner_since = 2004
    salga.description = "The voice of local government in South Africa."
    salga.save()
    html = client.get(salga.get_absolute_url()).content.decode()
    assert 'href="https://www.salga.org.za/"' in html
    assert "Partner since" in html and "2004" in html
    assert "The voice of local government" in html


def test_partner_page_hides_empty_optional_fields(client, directory):
    # CMAK: no source states a website (fixtures/source/partner_names.json).
    html = client.get(Organization.objects.get(acronym="CMAK").get_absolute_url()).content
    assert b"Partner since" not in html
    assert b"Website" not in html


def test_unknown_partner_is_a_404(client, directory):
    response = client.get("/partners/no-such-partner/")
    assert response.status_code == 404


def test_unpublished_partner_page_is_a_404(client, directory):
    salga = Organization.objects.get(acronym="SALGA")
    salga.is_published = False
    salga.save()
    assert client.get(salga.get_absolute_url()).status_code == 404


def test_country_list_groups_by_region_with_counts(client, directory):
    response = client.get(reverse("partners:country-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["countries"]) == 31
    india = next(c for c in response.context["countries"] if c.name == "India")
    assert india.partner_count == 4
    assert html.index('<h2 id="region-africa">Africa</h2>') < html.index(">Americas</h2>")
    assert 'href="/countries/india/"' in html


def test_country_without_published_partners_is_left_out(client, directory):
    Organization.objects.filter(country__code="IE").update(is_published=False)
    response = client.get(reverse("partners:country-list"))
    assert "Ireland" not in response.content.decode()
    assert client.get("/countries/ireland/").status_code == 404


def test_country_page_lists_its_partners(client, directory):
    response = client.get("/countries/india/")
    assert response.status_code == 200
    assert {p.acronym for p in response.context["national_partners"]} == {
        "CMAK",
        "CMAR",
        "CMAG",
        "",
    }


def test_country_page_labels_multinational_partners(client, directory):
    ecat = Organization.objects.get(acronym="ECAT")
    ecat.countries_served.add(Country.objects.get(code="PS"))
    response = client.get("/countries/palestine/")
    assert [p.acronym for p in response.context["multinational_partners"]] == ["ECAT"]
    assert "Multinational partners also working in Palestine" in response.content.decode()


def test_country_page_shows_the_multinational_partner_headquartered_there(client, directory):
    response = client.get("/countries/costa-rica/")
    assert [p.acronym for p in response.context["multinational_partners"]] == ["CAMCAYCA"]


def test_unknown_country_is_a_404(client, directory):
    assert client.get("/countries/atlantis/").status_code == 404


def test_country_served_only_by_a_multinational_is_listed_and_filterable(client, directory):
    from tests.factories import CountryFactory

    mexico = CountryFactory(code="MX", name="Mexico", region="americas")
    Organization.objects.get(acronym="FLACMA").countries_served.add(mexico)
    countries = client.get(reverse("partners:country-list")).context["countries"]
    assert next(c for c in countries if c.code == "MX").partner_count == 1
    directory_page = client.get(reverse("partners:directory"), {"country": "mx"})
    assert [p.acronym for p in directory_page.context["page_obj"].object_list] == ["FLACMA"]
    assert 'href="/countries/mexico/"' in client.get("/").content.decode()


def test_multinational_serving_its_own_headquarters_country_counts_once(client, directory):
    camcayca = Organization.objects.get(acronym="CAMCAYCA")
    camcayca.countries_served.add(camcayca.country)
    countries = client.get(reverse("partners:country-list")).context["countries"]
    assert next(c for c in countries if c.code == "CR").partner_count == 1


def test_other_names_keep_one_name_a_line_whatever_the_line_endings(directory):
    eswatini = Country.objects.get(code="SZ")
    eswatini.other_names = "Swaziland\r\nKingdom of Eswatini\r\n\r\n"
    eswatini.save()
    eswatini.refresh_from_db()
    assert eswatini.other_names == "Swaziland\nKingdom of Eswatini"
