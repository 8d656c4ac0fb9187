"""The open-data addresses run a fixed number of SQL queries, however large the
directory (the pages' own counts are in test_query_counts.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import grow_directory_to

pytestmark = pytest.mark.django_db

URLS = {
    "/partners.csv": 2,
    "/partners.json": 3,
    "/partners.csv?country=in&type=bilateral&q=city": 5,
    "/partners.json?country=in&region=asia&type=bilateral&q=city": 6,
    "/partners/city-managers-association-of-karnataka.json": 2,
    "/countries/india.json": 3,
    "/api/openapi.json": 0,
    "/robots.txt": 0,
    "/sitemap.xml": 5,
    "/sitemap-pages.xml": 1,
    # A count, then the page's slice of the items (each listed in three languages).
    "/sitemap-partners.xml": 2,
    "/sitemap-countries.xml": 2,
    "/partners/feed/": 1,
}


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize(("url", "expected"), URLS.items())
def test_query_count_at_37_partners(client, directory, url, expected):
    assert queries_for(client, url) == expected


@pytest.mark.parametrize(("url", "expected"), URLS.items())
def test_query_count_does_not_grow_with_1000_partners(client, directory, url, expected):
    grow_directory_to(1000)
    assert queries_for(client, url) == expected
