"""What anonymous requests can put into the cache (icma_site/pagecache/,
partners/opendata/views.py): one entry per canonical page or export, whatever the Host's
port, the unused parameters or a bad parameter's value; the pages and exports that should
be kept still are."""

import json

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from icma_site.pagecache.canonical import is_canonical_host
from icma_site.pagecache.entries import local_pages

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.database_independent,
    pytest.mark.usefixtures("page_cache"),
]

REPEATS = 20


@pytest.fixture(autouse=True)
def no_process_copies():
    """This process's copies of pages (LocalPages) start empty, so that every hit
    below is one the shared cache answered."""
    local_pages.clear()


def entries():
    """The keys in the test cache (local memory, standing in for Redis)."""
    return len(cache._cache)


def content(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def warm(client, directory):
    """The cache's own keys (the directory version, the release's first sight) in place,
    so that counting entries counts pages and exports only."""
    assert client.get("/about/").status_code == 200
    return entries()


@pytest.mark.parametrize(
    ("url", "host", "status"),
    [
        ("/partners/", "localhost:{n}", 200),
        ("/partners/?q=association", "localhost:{n}", 200),
        ("/partners.json", "localhost:{n}", 200),
        ("/partners/?page={n}", "localhost", 200),
        ("/countries/india/?page={n}", "localhost", 404),
        ("/partners/?country=Q{n}", "localhost", 200),
        ("/partners/?type=nothing-{n}", "localhost", 200),
        ("/partners.csv?x={n}", "localhost", 200),
        ("/partners.json?x={n}", "localhost", 200),
        ("/partners.csv?country=Q{n}", "localhost", 200),
        ("/partners.json?region=nowhere-{n}", "localhost", 200),
    ],
)
def test_twenty_hostile_requests_add_at_most_one_entry(client, warm, url, host, status):
    for n in range(100_001, 100_001 + REPEATS):
        response = client.get(url.format(n=n), headers={"host": host.format(n=n % 60_000)})
        assert response.status_code == status
        content(response)
    assert entries() - warm <= 1


@pytest.mark.parametrize("host", ["LOCALHOST", "LocalHost", "localhost.", "localhost:1001"])
def test_other_forms_of_the_host_are_served_but_not_stored(client, warm, host):
    response = client.get("/partners/", headers={"host": host})
    assert response.status_code == 200
    assert "X-Cache" not in response  # Neither a hit nor a miss that was stored.
    assert entries() == warm
    assert "X-Cache" not in client.get("/partners/", headers={"host": host})


def test_a_page_rendered_for_another_port_is_never_served_to_the_host(client, warm):
    hostile = client.get("/partners/", headers={"host": "localhost:1001"})
    assert b"localhost:1001" in hostile.content
    plain = client.get("/partners/", headers={"host": "localhost"})
    assert plain["X-Cache"] == "miss"
    assert b"localhost:1001" not in plain.content
    assert client.get("/partners/", headers={"host": "localhost"})["X-Cache"] == "hit"


@pytest.mark.parametrize("host", ["localhost", "localhost:80", "testserver"])
def test_canonical_pages_are_stored_and_hit(client, warm, host):
    for url in ["/partners/", "/partners/?country=in", "/countries/india/", "/partners.csv"]:
        first = client.get(url, headers={"host": host})
        assert first.get("X-Cache", "miss") == "miss", url  # Exports say only "hit".
        body = content(first)  # An export is stored once it has been sent.
        again = client.get(url, headers={"host": host})
        assert again["X-Cache"] == "hit", url
        assert content(again) == body
    assert entries() - warm == 4


def test_a_page_reporting_a_bad_parameter_is_private_and_a_good_one_is_not(client, warm):
    bad = client.get("/partners/?country=Q1")
    assert bad.context["problems"]
    assert "private" in bad["Cache-Control"]
    good = client.get("/partners/?country=in")
    assert not good.context["problems"]
    assert good["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_exports_of_one_filter_however_spelled_share_one_entry(client, warm, extension):
    first = client.get(f"/partners.{extension}?country=in&region=asia")
    assert "X-Cache" not in first
    body = content(first)
    for query in [
        "country=IN&region=asia",
        "region=asia&country=%20In%20",
        "country=in&region=asia&utm=1",
    ]:
        again = client.get(f"/partners.{extension}?{query}")
        assert again["X-Cache"] == "hit", query
        assert content(again) == body
        assert again["Content-Disposition"] == first["Content-Disposition"]
    assert entries() - warm == 1


def test_the_country_code_in_either_case_gives_the_same_export(client, directory, settings):
    settings.PAGE_CACHE_ENABLED = False
    lower = content(client.get("/partners.json?country=in"))
    upper = content(client.get("/partners.json?country=IN"))
    assert lower == upper
    assert json.loads(lower)["filters"] == {"country": "IN"}


def test_an_export_reporting_a_problem_is_sent_but_not_stored(client, warm):
    response = client.get("/partners.json?country=Q1")
    assert json.loads(content(response))["problems"]
    assert entries() == warm
    assert "X-Cache" not in client.get("/partners.json?country=Q1")


def test_an_export_for_another_port_is_never_served_to_the_host(client, warm):
    hostile = content(client.get("/partners.json", headers={"host": "localhost:1001"}))
    assert b"localhost:1001" in hostile
    plain = client.get("/partners.json", headers={"host": "localhost"})
    assert "X-Cache" not in plain
    assert b"localhost:1001" not in content(plain)


@pytest.mark.parametrize(
    ("host", "port", "canonical"),
    [
        ("example.org", "443", True),
        ("example.org:443", "443", True),
        ("example.org:8000", "8000", True),
        ("example.org:8000", "443", False),
        ("example.org:0443", "443", False),
        ("Example.org", "443", False),
        ("example.org.", "443", False),
        ("[::1]:8000", "8000", True),
        ("[::1]:8001", "8000", False),
    ],
)
def test_the_canonical_host_is_the_name_alone_or_with_the_servers_port(
    settings, host, port, canonical
):
    settings.ALLOWED_HOSTS = ["example.org", "[::1]"]
    request = RequestFactory().get("/", HTTP_HOST=host, SERVER_PORT=port)
    assert is_canonical_host(request) is canonical
