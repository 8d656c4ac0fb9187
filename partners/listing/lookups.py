"""The directory's small lookups, read once per directory version rather than per request.

Every directory page needs the same few facts: the partner countries and relationship
types for the filter's <select>s, which relationship types are multinational, the order
of the countries, and how many published partners each (country, type) has; the home
page its figures and the partner countries with their counts. They change
only when the directory changes, and each change replaces the *directory version* in the
shared cache (icma_site/pagecache/). So each process keeps them, keyed by that version:
a request reads the version (one cache round trip) instead of running their queries, and
a change anywhere shows in every process at once.

Only with a cache that every process shares (settings.DIRECTORY_LOOKUPS_CACHED, on with
Redis): with per-process memory, a change made elsewhere (`load_partners`, another
worker) would not reach this process. Off, each lookup is read once per request.
"""

import logging
import threading

from django.conf import settings
from django.utils.functional import cached_property
from django.utils.translation import get_language

from icma_site.pagecache.versions import directory_version
from partners.listing.pagination import ListingPaginator, country_positions
from partners.models import Country, Organization, RelationshipType
from partners.relationship_types import MULTINATIONAL
from partners.search.vocabulary import country_vocabulary

logger = logging.getLogger(__name__)

_kept = {"version": None, "values": {}}
_lock = threading.Lock()


def lookup(method):
    """A DirectoryLookups attribute worked out once per version (or per request)."""
    name = method.__name__

    def get(self):
        values = self.values
        if name not in values:
            values[name] = method(self)
        return values[name]

    get.__doc__ = method.__doc__
    return property(get)


class DirectoryLookups:
    """The lookups for one request: the process's copy for the current directory
    version, or, when they are not kept (or the cache cannot be read), this request's
    own."""

    def __init__(self):
        self.values = {}
        self.kept = False  # Whether these lookups outlive the request.
        if not settings.DIRECTORY_LOOKUPS_CACHED:
            return
        try:
            version = directory_version()
        except Exception as error:
            logger.warning("Cache unavailable, directory lookups read afresh: %s", error)
            return
        with _lock:
            if _kept["version"] != version:
                _kept.update(version=version, values={})
            self.values = _kept["values"]
        self.kept = True

    @lookup
    def partner_countries(self):
        """The countries with published partners, as a QuerySet to filter or clone, never
        evaluated itself: building it (two EXISTS subqueries) costs more than cloning."""
        return Country.objects.with_published_partners()

    @lookup
    def partner_countries_by_code(self):
        """{code: Country} of the countries with published partners, by name."""
        return {country.code: country for country in self.partner_countries}

    @lookup
    def country_choices(self):
        """[(code, name)] of the countries with published partners, by name."""
        return [(code, country.name) for code, country in self.partner_countries_by_code.items()]

    @lookup
    def relationship_types_by_slug(self):
        """{slug: RelationshipType}, by name."""
        return {kind.slug: kind for kind in RelationshipType.objects.all()}

    @lookup
    def relationship_type_choices(self):
        """[(slug, name)] of the relationship types, by name."""
        return [(slug, kind.name) for slug, kind in self.relationship_types_by_slug.items()]

    @lookup
    def country_vocabulary(self):
        """Every country's names and codes, as a search matches them
        (search.country_vocabulary): the same list for every query, so no search
        reads the countries again until the directory changes."""
        return country_vocabulary()

    @lookup
    def multinational_types(self):
        return frozenset(
            RelationshipType.objects.filter(slug=MULTINATIONAL).values_list("pk", flat=True)
        )

    def in_language(self, name, compute):
        """compute() in the active language, kept as the other lookups are, for each
        language: what differs only by the page's language (names, their order)."""
        key = (name, get_language())
        values = self.values
        if key not in values:
            values[key] = compute()
        return values[key]

    @property
    def country_positions(self):
        """{country pk: its place in the listing}, in the active language (as
        pagination.country_positions has it), kept per language."""
        return self.in_language(
            "country_positions", lambda: country_positions(Country.objects.all())
        )

    @lookup
    def country_regions(self):
        """{country pk: its region}."""
        return dict(Country.objects.values_list("pk", "region"))

    @lookup
    def published_counts(self):
        """[(country pk, relationship type pk, published partners)]."""
        return Organization.objects.published().count_by_country_and_type()

    @lookup
    def figures(self):
        """The home page's figures (OrganizationQuerySet.figures)."""
        return Organization.objects.published().figures()

    @lookup
    def partner_countries_with_counts(self):
        """[Country] with published partners, each with its `partner_count`, by name."""
        return list(Country.objects.with_partner_counts())

    # What a listing reads of each partner: what its cards, the print list and the
    # JSON-LD show, not the long texts, which only the partner's own page shows.
    LISTED = (
        "name",
        "acronym",
        "other_name",
        "native_name",
        "native_name_language",
        "slug",
        "country",
        "relationship_type",
    )

    def listed(self, organizations):
        """The QuerySet `organizations` as a listing reads it: only the LISTED columns."""
        return organizations.only(*self.LISTED)

    def read_listed(self, organizations):
        """The rows of `organizations` (a QuerySet from `listed`), read with their
        country and relationship type (the listing's select_related)."""
        return list(organizations)

    def counts_for(self, region=None, relationship_type=None):
        """published_counts, of the partners based in `region` (a Region value) and of
        `relationship_type` only (either None: any)."""
        regions = self.country_regions if region is not None else {}
        return [
            (country, kind, partners)
            for country, kind, partners in self.published_counts
            if (region is None or regions[country] == region)
            and (relationship_type is None or kind == relationship_type.pk)
        ]


class DirectoryPaginator(ListingPaginator):
    """The ListingPaginator, its multinational types and country order taken from the
    directory's lookups, and its counts too when the caller has them (`counts`, as
    DirectoryLookups.counts_for gives them): a page then costs the one query that reads
    its rows, of the columns a listing shows (DirectoryLookups.listed)."""

    def __init__(self, object_list, per_page, *, lookups, counts=None, **kwargs):
        super().__init__(lookups.listed(object_list), per_page, **kwargs)
        self.lookups = lookups
        self.counts = counts

    @cached_property
    def multinational_types(self):
        return self.lookups.multinational_types

    def counts_by_country_and_type(self):
        if self.counts is None:
            return super().counts_by_country_and_type()
        return self.counts

    def country_positions(self, countries):
        return self.lookups.country_positions
