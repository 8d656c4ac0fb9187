"""The directory's lookups (partners/listing/lookups.py): kept per directory version when the
cache is shared, retired the moment the directory changes, and giving the same pages."""

from unittest import mock

import pytest
from django.db import connection
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from django.test.utils import CaptureQueriesContext

from partners.listing.lookups import DirectoryLookups, DirectoryPaginator
from partners.listing.pagination import ListingPaginator
from partners.models import Country, Organization, Region, RelationshipType
from tests.factories import CountryFactory, OrganizationFactory, grow_directory_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/partners/", 1),  # the page's rows
        ("/partners/?region=africa&type=bilateral", 1),
        ("/partners/?type=multinational&page=last", 1),
        ("/partners/?country=in", 2),  # + the count: multinational partners serve India too
        # A search's own: the count by rank, the rows and the "Did you mean" candidates
        # (partners/search/query.py); the country vocabulary is kept.
        ("/partners/?q=association", 3),
        ("/", 0),  # the figures and the countries with their counts
        ("/countries/india/", 4),  # the country, its partners' count and page, the others
    ],
)
def test_kept_lookups_leave_only_the_pages_own_queries(
    client, directory, kept_lookups, url, queries
):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert page.status_code == 200
    assert len(captured) == queries
    assert b"India" in page.content


def test_a_new_partner_country_shows_in_the_filter_at_once(client, directory, kept_lookups, commit):
    assert b"Iceland" not in client.get("/partners/").content
    assert b"Iceland" not in client.get("/").content
    with commit():
        OrganizationFactory(country=CountryFactory(code="IS", name="Iceland"))
    page = client.get("/partners/")
    assert b'<option value="IS">Iceland</option>' in page.content
    assert b"Association of Local Authorities" in page.content
    home = client.get("/").content
    assert b">Iceland</a>" in home  # the countries by region
    assert b'aria-label="Iceland: 1 partner"' in home  # and the map (kept per version)


def test_a_countrys_new_name_reaches_the_search_at_once(client, directory, kept_lookups, commit):
    assert b"Association of Karnataka" not in client.get("/partners/?q=bharat").content
    india = Country.objects.get(code="IN")
    india.other_names = "Bharat"
    with commit():
        india.save()
    page = client.get("/partners/?q=bharat")
    assert b"Association of Karnataka" in page.content


def test_without_a_shared_cache_each_request_reads_the_lookups(client, directory, settings):
    settings.DIRECTORY_LOOKUPS_CACHED = False
    client.get("/partners/")
    Country.objects.filter(code="IN").update(name="Bharat")  # no signal, no new version
    assert b'<option value="IN">Bharat</option>' in client.get("/partners/").content


def test_lookups_are_read_afresh_when_the_cache_is_down(client, directory, settings):
    settings.DIRECTORY_LOOKUPS_CACHED = True
    settings.CACHES = {
        "default": {
            "BACKEND": "icma_site.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    assert DirectoryLookups().values == {}
    assert client.get("/partners/").status_code == 200


@pytest.mark.parametrize(
    ("filters", "region", "kind"),
    [
        ({}, None, None),
        ({"country__region": Region.EUROPE}, Region.EUROPE, None),
        ({"relationship_type__slug": "bilateral"}, None, "bilateral"),
        (
            {"country__region": Region.ASIA, "relationship_type__slug": "multinational"},
            Region.ASIA,
            "multinational",
        ),
    ],
)
def test_the_directory_paginator_gives_the_listing_paginators_pages(
    directory, kept_lookups, filters, region, kind
):
    grow_directory_to(180)
    multinational = RelationshipType.objects.get(slug="multinational")
    Organization.objects.filter(pk__in=Organization.objects.order_by("pk")[:3]).update(
        relationship_type=multinational
    )
    listing = Organization.objects.published().filter(**filters).for_listing()
    plain = ListingPaginator(listing, 25)
    lookups = DirectoryLookups()
    kind = RelationshipType.objects.get(slug=kind) if kind else None
    with_lookups = DirectoryPaginator(
        listing, 25, lookups=lookups, counts=lookups.counts_for(region, kind)
    )
    assert with_lookups.count == plain.count
    for number in plain.page_range:
        assert list(with_lookups.page(number)) == list(plain.page(number))


@pytest.mark.parametrize("kept", [True, False], ids=["lookups kept", "lookups read"])
def test_a_listing_never_reads_a_column_it_left_unread(client, directory, settings, kept):
    """Listings read only DirectoryLookups.LISTED, and their rows' countries and types
    with them: a card or print line that showed another column, or a row that read its
    own country, would read it row by row, one query each."""
    from django.core.cache import cache

    grow_directory_to(150)
    settings.DIRECTORY_LOOKUPS_CACHED = kept
    cache.clear()
    unread = AssertionError("a listed row read a column or a relation by itself")
    with (
        mock.patch.object(Organization, "refresh_from_db", side_effect=unread),
        mock.patch.object(ForwardManyToOneDescriptor, "get_object", side_effect=unread),
    ):
        for address in (
            "/partners/",
            "/partners/?page=2",  # Groups whole and in part: a UNION.
            "/partners/?page=last",
            "/partners/?region=africa&type=bilateral",
            "/partners/?q=association",
            "/partners/?q=municipal&page=2",
            "/es/partners/?q=Tanzanie",
            "/print/partners/?region=asia",
        ):
            assert client.get(address).status_code == 200, address
    cache.clear()
