"""/sitemap.xml: every public page, with `lastmod` from the data (django.contrib.sitemaps).

Each page is listed once per language, with its other languages as alternates.
/sitemap.xml is an index of three sections, so that it stays within the sitemap protocol's
50,000 addresses per file however many partners there are (Django splits a section into
pages of 50,000 by itself). Only published partners, and countries with a published
partner, are listed.
"""

from collections.abc import Sequence
from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q, QuerySet
from django.urls import reverse

from partners import pages
from partners.models import Country, Organization


class InEveryLanguage(Sequence):
    """The (item, language) pairs of `items` (a QuerySet or a list) in `languages`, as
    Django's i18n sitemaps list them, read a page at a time: its length is a COUNT and a
    slice reads only the items it covers (one LIMIT/OFFSET query). Django's own builds the
    whole list, every partner, before it cuts out one page of it."""

    def __init__(self, items, languages):
        self.items = items
        self.languages = list(languages)

    @cached_property
    def total(self):
        items = self.items
        return (items.count() if isinstance(items, QuerySet) else len(items)) * len(self.languages)

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, step = index.indices(len(self))
        per_item = len(self.languages)
        first, last = start // per_item, -(-stop // per_item)
        pairs = [(item, language) for item in self.items[first:last] for language in self.languages]
        return pairs[start - first * per_item : stop - first * per_item : step]


def latest_change():
    """When a published partner last changed: one aggregate query."""
    return Organization.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class LatestChangeMixin:
    """The index's `lastmod` for a section from one aggregate query, rather than Django's
    default of loading every item of the section. Every page is listed in each of the
    site's languages (English at the root, /es/…, /fr/…), each entry with its
    `hreflang` alternates and the English page as x-default."""

    i18n = True
    alternates = True
    x_default = True

    def get_latest_lastmod(self):
        return latest_change()

    def _items(self):
        # Django's Sitemap._items() makes the list of (item, language) pairs whole.
        return InEveryLanguage(self.items(), self._languages())


class PageSitemap(LatestChangeMixin, Sitemap):
    """The fixed pages partners/pages.py marks for the sitemap (home, about, directory,
    country list): they change when any partner does."""

    def items(self):
        return pages.in_sitemap()

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        if not hasattr(self, "_latest"):
            self._latest = latest_change()
        return self._latest


class PartnerSitemap(LatestChangeMixin, Sitemap):
    def items(self):
        return Organization.objects.published().order_by("slug").only("slug", "updated_at")

    def lastmod(self, organization):
        return organization.updated_at


class CountrySitemap(LatestChangeMixin, Sitemap):
    """Countries with a published partner based in them or (multinational) serving them;
    last modified when the latest of those partners was."""

    def items(self):
        published = Q(organizations__is_published=True)
        served = Q(multinational_organizations__is_published=True)
        return (
            Country.objects.with_published_partners()
            .annotate(
                based_latest=Max("organizations__updated_at", filter=published),
                served_latest=Max("multinational_organizations__updated_at", filter=served),
            )
            .order_by("slug")
        )

    def lastmod(self, country):
        return max(filter(None, [country.based_latest, country.served_latest]), default=None)


SITEMAPS = {"pages": PageSitemap, "partners": PartnerSitemap, "countries": CountrySitemap}
