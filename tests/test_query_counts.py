"""Every public page runs a fixed number of SQL queries, however large the directory."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import Organization
from tests.factories import grow_directory_to

pytestmark = pytest.mark.django_db

PAGES = {
    "/": 4,
    "/about/": 0,
    "/about/icma/": 0,
    "/partners/": 6,
    "/partners/?q=association&region=europe": 6,
    # Searches: the country vocabulary, the count by rank (and, for a country the query
    # names, its partners counted apart), the page's rows, "Did you mean" candidates.
    "/partners/?q=kenya": 7,
    "/partners/?q=Tanzanie": 7,
    "/partners/?q=in": 7,
    "/partners/?q=municipal": 6,
    "/partners/?q=salgz": 5,
    "/partners/?country=in&type=bilateral&page=1": 6,
    "/partners/city-managers-association-of-karnataka/": 4,
    "/partners/city-managers-association-of-karnataka/correction/": 1,
    "/partners/city-managers-association-of-karnataka/correction/sent/": 1,
    "/countries/": 1,
    "/countries/india/": 4,
    "/print/partners/": 4,
    "/print/partners/?country=in&type=bilateral": 6,
    "/print/partners/?q=india": 5,
}


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(("url", "expected"), PAGES.items())
def test_query_count_at_37_partners(client, directory, django_assert_num_queries, url, expected):
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(("url", "expected"), PAGES.items())
def test_query_count_does_not_grow_with_1000_partners(client, directory, url, expected):
    grow_directory_to(1000)
    assert Organization.objects.count() == 1000
    assert queries_for(client, url) == expected


def test_a_deep_page_of_the_directory_costs_what_the_first_costs(client, directory):
    grow_directory_to(1000)
    first = queries_for(client, "/partners/")
    assert queries_for(client, "/partners/?page=15") == first
    assert queries_for(client, "/partners/?page=last") == first


def test_a_later_page_of_a_country_costs_no_more_than_the_first(client, directory):
    grow_directory_to(3000)  # India: more than a page of partners
    # The multinational partners serving the country are listed on the first page only.
    assert queries_for(client, "/countries/india/?page=2") == PAGES["/countries/india/"] - 1
