"""What the page cache keeps (icma_site/pagecache/): pages compressed once and served in
the form each client accepts, only canonical addresses, and lifetimes by size."""

import gzip

import brotli
import pytest
from django.core.cache import cache
from django.test import RequestFactory

from icma_site.pagecache import entries, policy, versions

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.database_independent,
    pytest.mark.usefixtures("page_cache"),
]


@pytest.fixture(autouse=True)
def no_process_copies():
    """This process's copies of pages (see entries.LocalPages) start empty."""
    entries.local_pages.clear()


def stored_entry(path):
    request = RequestFactory().get(path)
    key = entries.PAGE_KEY.format(
        release=versions.release(),
        version=versions.current_version()[0],
        url=policy.url_digest(request),
    )
    return cache.get(key)


def page_entries():
    return sum(1 for key in cache._cache if ":page:" in key)


def test_a_cached_page_is_kept_compressed_and_served_in_every_form(client, directory):
    first = client.get("/partners/", headers={"accept-encoding": "br"})
    assert first["X-Cache"] == "miss"
    entry = stored_entry("/partners/")
    assert set(entry["encoded"]) == {"br", "gzip"}
    assert "content" not in entry

    plain = client.get("/partners/")
    as_gzip = client.get("/partners/", headers={"accept-encoding": "gzip, deflate"})
    as_brotli = client.get("/partners/", headers={"accept-encoding": "gzip, br"})
    for response in (plain, as_gzip, as_brotli):
        assert response["X-Cache"] == "hit"
        assert "accept-encoding" in response["Vary"].lower()
        assert int(response["Content-Length"]) == len(response.content)
    assert "Content-Encoding" not in plain
    assert as_gzip["Content-Encoding"] == "gzip"
    assert as_brotli["Content-Encoding"] == "br"
    assert gzip.decompress(as_gzip.content) == plain.content
    assert brotli.decompress(as_brotli.content) == plain.content
    assert brotli.decompress(first.content) == plain.content
    assert b"<h1>Partner directory</h1>" in plain.content


def test_a_hit_is_not_compressed_again(client, directory, monkeypatch):
    client.get("/partners/", headers={"accept-encoding": "br"})

    def fail(*args):
        raise AssertionError("compressed on a hit")

    monkeypatch.setattr(entries, "compress", fail)
    monkeypatch.setattr("icma_site.pagecache.compression.compress", fail)
    assert client.get("/partners/", headers={"accept-encoding": "br"})["X-Cache"] == "hit"


def test_a_compressed_hit_answers_a_conditional_request(client, directory):
    first = client.get("/partners/", headers={"accept-encoding": "br"})
    hit = client.get("/partners/", headers={"accept-encoding": "br"})
    assert hit["ETag"] == first["ETag"]
    headers = {"accept-encoding": "br", "if-none-match": hit["ETag"]}
    again = client.get("/partners/", headers=headers)
    assert again.status_code == 304


def test_unknown_parameters_create_no_cache_entries(client, directory):
    client.get("/partners/")
    before = page_entries()
    for n in range(50):
        response = client.get(f"/partners/?utm_x={n}")
        assert response.status_code == 301
    assert page_entries() == before


def test_empty_parameters_create_no_cache_entries(client, directory):
    client.get("/partners/")
    before = page_entries()
    assert client.get("/partners/?q=&country=&region=&type=").status_code == 301
    assert page_entries() == before


def test_parameters_in_another_order_are_the_same_entry(client, directory):
    client.get("/partners/?q=local&region=africa")
    before = page_entries()
    response = client.get("/partners/?region=africa&q=local")
    assert response["X-Cache"] == "hit"
    assert page_entries() == before


def test_a_page_too_large_for_the_cache_is_served_but_not_kept(client, directory, settings):
    settings.PAGE_CACHE_MAX_BYTES = 1000
    first = client.get("/partners/")
    assert first.status_code == 200
    assert "X-Cache" not in first
    assert stored_entry("/partners/") is None


@pytest.mark.parametrize(
    ("size", "seconds"),
    [(1_000, 3600), (32_768, 3600), (65_536, 1800), (327_680, 360), (524_288, 225)],
)
def test_larger_pages_live_less_long(settings, size, seconds):
    settings.PAGE_CACHE_SECONDS = 3600
    settings.PAGE_CACHE_FULL_LIFETIME_BYTES = 32_768
    settings.PAGE_CACHE_MAX_BYTES = 524_288
    assert policy.lifetime(size) == seconds


def test_no_page_lives_less_than_a_minute_or_is_kept_above_the_maximum(settings):
    settings.PAGE_CACHE_SECONDS = 3600
    settings.PAGE_CACHE_FULL_LIFETIME_BYTES = 1_000
    settings.PAGE_CACHE_MAX_BYTES = 10_000_000
    assert policy.lifetime(9_000_000) == policy.MIN_PAGE_SECONDS
    assert policy.lifetime(10_000_001) is None


def test_a_hit_is_served_from_the_process_copy_in_every_form(client, directory):
    client.get("/partners/")  # stored, and copied in this process
    cache.delete_many([key for key in cache._cache if ":page:" in key])
    for encoding in ("br", "gzip", "identity"):
        hit = client.get("/partners/", headers={"accept-encoding": encoding})
        assert hit["X-Cache"] == "hit"
        assert hit.get("Content-Encoding", "identity") == encoding
        assert hit["Content-Length"] == str(len(hit.content))
        assert "Accept-Encoding" in hit["Vary"]


def test_the_process_copy_keeps_at_most_its_budget(client, directory, settings):
    client.get("/countries/")
    one_page = entries.local_pages.size
    assert one_page > 0
    settings.PAGE_CACHE_LOCAL_BYTES = one_page
    client.get("/partners/?q=association")
    assert entries.local_pages.size <= one_page


def test_without_a_process_copy_hits_come_from_the_shared_cache(client, directory, settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 0
    client.get("/countries/")
    assert entries.local_pages.size == 0
    assert client.get("/countries/")["X-Cache"] == "hit"
    assert page_entries() == 1
