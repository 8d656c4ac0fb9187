"""One address per page (icma_site/pagecache/canonical.py): empty, unknown and repeated parameters
redirect to the page's canonical address."""

import pytest
from django.http import QueryDict

from icma_site.pagecache.canonical import canonical_query, needs_redirect, sorted_query

pytestmark = pytest.mark.django_db
KARNATAKA = "/partners/city-managers-association-of-karnataka/"


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("/partners/?q=&country=&region=&type=", "/partners/"),
        ("/partners/?q=salga&country=&region=&type=", "/partners/?q=salga"),
        ("/partners/?q=%20%20&region=africa", "/partners/?region=africa"),
        ("/partners/?region=africa&utm_source=newsletter", "/partners/?region=africa"),
        ("/partners/?q=a&q=b", "/partners/?q=b"),
        ("/partners/?page=", "/partners/"),
        ("/?utm_source=x", "/"),
        ("/?q=", "/"),
        ("/about/?fbclid=123", "/about/"),
        ("/about/icma/?x", "/about/icma/"),
        ("/countries/?sort=name", "/countries/"),
        ("/countries/india/?page=", "/countries/india/"),
        ("/countries/india/?q=x&page=1", "/countries/india/?page=1"),
        (f"{KARNATAKA}?ref=mail", KARNATAKA),
    ],
)
def test_a_non_canonical_address_redirects_to_the_canonical_one(client, directory, url, location):
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == location
    assert client.get(location).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/partners/?q=salga",
        "/partners/?region=africa&q=local",  # Order is not a reason to redirect.
        "/partners/?page=1",
        "/partners/?country=zz",  # Explained on the page, not redirected.
        "/countries/india/?page=1",
        "/",
    ],
)
def test_a_canonical_address_is_served(client, directory, url):
    assert client.get(url).status_code == 200


def test_canonical_query_keeps_the_pages_parameters_in_order():
    query = QueryDict("utm=1&type=bilateral&q=&q=city&page=2")
    assert canonical_query(query, ("q", "country", "type", "page")) == (
        "q=city&type=bilateral&page=2"
    )
    assert needs_redirect(query, ("q", "country", "type", "page"))
    assert not needs_redirect(QueryDict("type=x&q=y"), ("q", "type"))


def test_sorted_query_is_the_same_whatever_the_order():
    assert sorted_query(QueryDict("b=2&a=1")) == sorted_query(QueryDict("a=1&b=2")) == "a=1&b=2"


def test_admin_parameters_are_left_alone(admin_client):
    response = admin_client.get("/admin/partners/organization/?q=&o=1")
    assert response.status_code == 200
