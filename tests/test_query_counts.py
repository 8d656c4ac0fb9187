"""Every public page runs a fixed number of SQL queries, however large the directory."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import Organization
from tests.factories import grow_directory_to

pytestmark = pytest.mark.django_db

PAGES = {
    "/": 2,
    "/about/": 0,
    "/about/icma/": 0,
    "/partners/": 5,
    "/partners/?q=association&region=europe": 5,
    "/partners/?country=in&type=bilateral&page=1": 7,
    "/partners/city-managers-association-of-karnataka/": 3,
    "/countries/": 1,
    "/countries/india/": 2,
    "/print/partners/": 3,
    "/print/partners/?country=in&type=bilateral": 5,
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
