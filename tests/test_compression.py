"""Pages are compressed on the wire (icma_site/pagecache/compression.py): Brotli or gzip as the
client accepts, the same page once unpacked, and `Vary: Accept-Encoding` on every form."""

import gzip

import brotli
import pytest

from icma_site.pagecache.compression import accepted_encoding

pytestmark = [pytest.mark.django_db, pytest.mark.database_independent]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("BR", "br"),
        ("identity", None),
        ("", None),
        (None, None),
        ("*", "br"),
        ("*;q=0", None),
        ("gzip;q=0, *;q=0.5", "br"),
        ("gzip;q=nonsense", None),
    ],
)
def test_the_best_accepted_encoding_is_chosen(header, expected):
    assert accepted_encoding(header) == expected


def unpack(response):
    encoding = response.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.content)
    if encoding == "gzip":
        return gzip.decompress(response.content)
    assert encoding is None
    return response.content


@pytest.mark.parametrize("url", ["/", "/partners/", "/countries/", "/about/"])
def test_every_form_of_a_page_unpacks_to_the_same_html(client, directory, url):
    plain = client.get(url)
    as_brotli = client.get(url, headers={"accept-encoding": "gzip, br"})
    as_gzip = client.get(url, headers={"accept-encoding": "gzip"})
    assert "Content-Encoding" not in plain
    assert as_brotli["Content-Encoding"] == "br"
    assert as_gzip["Content-Encoding"] == "gzip"
    assert unpack(as_brotli) == unpack(as_gzip) == plain.content
    assert len(as_brotli.content) < len(plain.content) / 2
    assert int(as_brotli["Content-Length"]) == len(as_brotli.content)
    for response in (plain, as_brotli, as_gzip):
        assert "accept-encoding" in response["Vary"].lower()


def test_a_compressed_page_still_answers_a_conditional_request(client, directory):
    first = client.get("/partners/", headers={"accept-encoding": "br"})
    # Each form has its own ETag (they are different bytes).
    assert first["ETag"] != client.get("/partners/")["ETag"]
    again = client.get(
        "/partners/", headers={"accept-encoding": "br", "if-none-match": first["ETag"]}
    )
    assert again.status_code == 304


def test_staff_pages_are_not_compressed(admin_client):
    # They carry CSRF tokens: compressing them would open them to BREACH.
    response = admin_client.get("/admin/", headers={"accept-encoding": "gzip, br"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response


def test_small_responses_are_left_alone(client, directory):
    response = client.get("/healthz", headers={"accept-encoding": "gzip, br"})
    assert "Content-Encoding" not in response
