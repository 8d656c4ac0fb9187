"""/sitemap.xml and /robots.txt (partners/opendata/sitemaps.py)."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest

from partners import pages
from partners.models import Country, Organization

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
W3C_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z))?$")


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def check_entry(element, child_tags):
    """A <url> or <sitemap>: an absolute <loc>, an optional W3C-date <lastmod>, and
    nothing the protocol does not define (but the language alternates, <xhtml:link>)."""
    tags = [child.tag for child in element if child.tag != f"{XHTML}link"]
    assert tags[0] == f"{NS}loc"
    assert set(tags) <= {f"{NS}{tag}" for tag in child_tags}
    assert len(tags) == len(set(tags))
    loc = element.find(f"{NS}loc").text
    assert loc.startswith("http://testserver/")
    assert len(loc) < 2048
    lastmod = element.find(f"{NS}lastmod")
    if lastmod is not None:
        assert W3C_DATE.match(lastmod.text), lastmod.text
    return loc


def sitemap_urls(client):
    """Every address in the sitemap, following the index, each entry checked against the
    sitemap protocol's shape."""
    index = parse(client.get("/sitemap.xml"))
    assert index.tag == f"{NS}sitemapindex"
    urls = {}
    for entry in index:
        assert entry.tag == f"{NS}sitemap"
        section = check_entry(entry, ["loc", "lastmod"])
        urlset = parse(client.get(section.removeprefix("http://testserver")))
        assert urlset.tag == f"{NS}urlset"
        assert len(urlset) <= 50000
        for url in urlset:
            assert url.tag == f"{NS}url"
            loc = check_entry(url, ["loc", "lastmod", "changefreq", "priority"])
            assert loc not in urls
            lastmod = url.find(f"{NS}lastmod")
            urls[loc] = lastmod.text if lastmod is not None else None
    return urls


def in_every_language(path):
    """The absolute addresses of the English page at `path` and its es and fr versions."""
    return {f"http://testserver{prefix}{path}" for prefix in ("", "/es", "/fr")}


def test_sitemap_lists_every_published_page_and_nothing_else(client, directory):
    urls = sitemap_urls(client)
    fixed = [page.path() for page in pages.PAGES.values() if page.in_sitemap]
    english = [*fixed, *(o.get_absolute_url() for o in Organization.objects.all())]
    english += [c.get_absolute_url() for c in Country.objects.with_published_partners()]
    expected = set().union(*(in_every_language(path) for path in english))
    assert set(urls) == expected
    assert len(urls) == 3 * (len(fixed) + 37 + Country.objects.with_published_partners().count())
    for url in urls:
        assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_the_fixed_pages_listed_are_the_public_pages_without_arguments():
    """Every page people read (partners/pages.py) whose address names no partner or
    country is in the sitemap, but the printable list (the directory's list again); the
    pages with arguments are in the partners' and countries' sections instead."""
    listed = {name for name, page in pages.PAGES.items() if page.in_sitemap}
    assert listed == {
        name for name, page in pages.PAGES.items() if page.html and not page.kwargs
    } - {"print"}
    assert {"home", "directory", "country-list"} <= listed


def test_each_page_lists_its_languages_as_alternates(client, directory):
    urlset = parse(client.get("/sitemap-partners.xml"))
    page = "/partners/city-managers-association-of-karnataka/"
    for entry in urlset:
        if entry.find(f"{NS}loc").text in in_every_language(page):
            alternates = {
                link.get("hreflang"): link.get("href") for link in entry.iter(f"{XHTML}link")
            }
            assert alternates == {
                "en": f"http://testserver{page}",
                "es": f"http://testserver/es{page}",
                "fr": f"http://testserver/fr{page}",
                "x-default": f"http://testserver{page}",
            }


def test_lastmod_comes_from_the_data(client, directory):
    partner = Organization.objects.get(slug="city-managers-association-of-karnataka")
    Organization.objects.filter(pk=partner.pk).update(
        updated_at=datetime(2024, 3, 5, 12, 0, tzinfo=UTC)
    )
    others = Organization.objects.exclude(pk=partner.pk)
    others.filter(country__code="IN").update(updated_at=datetime(2024, 2, 1, 12, 0, tzinfo=UTC))
    urls = sitemap_urls(client)
    assert urls[f"http://testserver{partner.get_absolute_url()}"] == "2024-03-05"
    assert urls["http://testserver/countries/india/"] == "2024-03-05"
    newest = max(Organization.objects.values_list("updated_at", flat=True)).date()
    assert urls["http://testserver/partners/"] == newest.isoformat()
    assert date.fromisoformat(urls["http://testserver/"]) == newest


def test_unpublished_partners_and_their_empty_countries_are_left_out(client, directory):
    hidden = Organization.objects.get(slug="city-managers-association-of-karnataka")
    hidden.is_published = False
    hidden.save()
    alone = Organization.objects.filter(country__code="NP").get()
    alone.is_published = False
    alone.save()
    urls = sitemap_urls(client)
    assert f"http://testserver{hidden.get_absolute_url()}" not in urls
    assert f"http://testserver{alone.get_absolute_url()}" not in urls
    assert "http://testserver/countries/nepal/" not in urls
    assert "http://testserver/countries/india/" in urls


def test_sitemap_queries_do_not_grow_with_the_directory(client, directory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import grow_directory_to

    def queries():
        with CaptureQueriesContext(connection) as captured:
            for url in ("/sitemap.xml", "/sitemap-partners.xml", "/sitemap-countries.xml"):
                assert client.get(url).status_code == 200
        return len(captured)

    small = queries()
    grow_directory_to(1000)
    assert queries() == small


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out(client, directory):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /partners.csv?" in lines
    assert "Disallow: /partners.json?" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert not any(line in {"Disallow: /", "Disallow: /partners/"} for line in lines)


def test_a_sitemap_page_reads_only_its_slice_and_the_pages_list_every_address_once(
    client, directory, monkeypatch
):
    """With pages of 10 addresses (3 languages each) the partners' section has many pages;
    each reads a count and the few partners it lists (a LIMIT), never every partner, and
    together they list every partner in every language once, pages splitting a partner's
    languages included."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partners.opendata.sitemaps import PartnerSitemap

    monkeypatch.setattr(PartnerSitemap, "limit", 10)
    partners = Organization.objects.filter(is_published=True).count()
    pages = -(-partners * 3 // 10)
    listed = []
    for number in range(1, pages + 1):
        with CaptureQueriesContext(connection) as captured:
            urlset = parse(client.get(f"/sitemap-partners.xml?p={number}"))
        assert len(captured) == 2
        assert "LIMIT" in captured[-1]["sql"].upper()
        assert len(urlset) == (10 if number < pages else partners * 3 - 10 * (pages - 1))
        listed += [url.find(f"{NS}loc").text for url in urlset]
    assert len(listed) == len(set(listed)) == partners * 3
    expected = set()
    for organization in Organization.objects.filter(is_published=True):
        expected |= in_every_language(organization.get_absolute_url())
    assert set(listed) == expected
    assert client.get(f"/sitemap-partners.xml?p={pages + 1}").status_code == 404
