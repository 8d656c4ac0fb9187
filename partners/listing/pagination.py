"""Pages of the directory listing that cost the same whatever the page and however large
the directory.

Sliced as it is, the listing (grouped by country: OrganizationQuerySet.for_listing)
would make the database join and sort every match for every page. Instead one grouped
count per (country, relationship type), which the `published_by_country` index answers,
says which countries a page spans, and only their partners are read: the rows of
`object_list[bottom:top]`, and no more.
"""

from typing import NamedTuple

from django.db.models import Case, F, Q, QuerySet, When
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from partners.collation import sort_key
from partners.countries import translated_names
from partners.models import Country, RelationshipType, is_default_language
from partners.paging import RowsPaginator
from partners.relationship_types import MULTINATIONAL


class GroupSlice(NamedTuple):
    rows: QuerySet
    backwards: bool  # Read by name from the group's end, so in reverse order.


class ListingPaginator(RowsPaginator):
    """A Paginator over a QuerySet in OrganizationQuerySet.for_listing() order."""

    @cached_property
    def groups(self):
        """[((multinational?, country pk), partners)] in the listing's order."""
        counts = self.counts_by_country_and_type()
        if not counts:
            return []
        multinational = self.multinational_types
        totals = {}
        for country, kind, partners in counts:
            group = (kind in multinational, country)
            totals[group] = totals.get(group, 0) + partners
        position = self.country_positions({country for country, _, _ in counts})
        return sorted(totals.items(), key=lambda item: (item[0][0], position[item[0][1]]))

    def counts_by_country_and_type(self):
        """[(country pk, relationship type pk, partners)] of the listing."""
        return self.object_list.count_by_country_and_type()

    def country_positions(self, countries):
        """{country pk: its place in the listing}, for at least the pks `countries`."""
        return country_positions(Country.objects.filter(pk__in=countries))

    @cached_property
    def group_positions(self):
        """{(multinational?, country pk): the group's place in the listing}."""
        return {group: place for place, (group, _) in enumerate(self.groups)}

    @cached_property
    def multinational_types(self):
        return set(RelationshipType.objects.filter(slug=MULTINATIONAL).values_list("pk", flat=True))

    @cached_property
    def count(self):
        return sum(partners for _, partners in self.groups)

    @cached_property
    def country_count(self):
        """How many countries the matching partners are based in."""
        return len({country for (_, country), _ in self.groups})

    def rows(self, bottom, top):
        """The listing's rows bottom..top-1, read from the groups they fall in.

        A page holds some groups whole and at most two in part: the group it starts in
        and the one it ends in. Within a group the listing is ordered by name alone, so
        a group in part is read along its (country, name) index with its own LIMIT and
        OFFSET, from whichever end of the group is nearer; no group is ever sorted
        whole, and the last page of a large country reads no more than its own rows.
        The groups held whole are read together (all their rows are on the page). It
        is one query however many groups a page spans: these reads joined with UNION
        ALL, in the listing's order."""
        whole, slices, start = [], [], 0
        for group, partners in self.groups:
            end = start + partners
            if end > bottom and start < top:
                first, last = max(bottom, start) - start, min(top, end) - start
                if first == 0 and last == partners:
                    whole.append(group)
                else:
                    slices.append(self.group_slice(group, partners, first, last))
            start = end
        if not whole and len(slices) == 1 and not slices[0].backwards:
            return self.fetch(slices[0].rows)
        return self.in_group_order(self.read(whole, slices))

    def in_group_order(self, rows):
        """`rows` with their groups in the listing's order, each group's rows kept in the
        order read (by name). The database orders countries by their (English) names;
        in another language the groups follow that language's names and alphabet."""
        if is_default_language():
            return rows
        multinational, place = self.multinational_types, self.group_positions
        return sorted(
            rows,
            key=lambda row: place[(row.relationship_type_id in multinational, row.country_id)],
        )

    def read(self, whole, slices):
        """The rows of the groups held `whole` and of the group `slices`, in the
        database's listing order, in one query."""
        # Not every database takes a LIMIT inside UNION (SQLite doesn't), but all take
        # one inside IN: a group in part is found by its slice's primary keys.
        reads = [self.object_list.filter(pk__in=part.rows.values("pk")) for part in slices]
        if len(whole) == len(self.groups):
            reads.append(self.object_list.all())  # The page holds the whole listing.
        elif whole:
            reads.append(self.object_list.filter(self.in_groups(whole)))
        if len(reads) <= 1:
            return self.fetch(reads[0]) if reads else []  # In the listing's own order.
        # A UNION is ordered by the columns it selects: the listing's order as columns.
        in_order = [
            read.annotate(
                listing_place=Case(
                    When(relationship_type__in=self.multinational_types, then=1), default=0
                ),
                country_name=F("country__name"),
            ).order_by()
            for read in reads
        ]
        return self.fetch(
            in_order[0]
            .union(*in_order[1:], all=True)
            .order_by("listing_place", "country_name", "name")
        )

    def fetch(self, rows):
        """The QuerySet `rows`, read."""
        return list(rows)

    def in_groups(self, groups):
        """Q: the partners of these groups."""
        of_kind = Q(relationship_type__in=self.multinational_types)
        national = [country for is_multinational, country in groups if not is_multinational]
        multinational = [country for is_multinational, country in groups if is_multinational]
        return (Q(country__in=national) & ~of_kind) | (Q(country__in=multinational) & of_kind)

    def group_slice(self, group, partners, first, last):
        """A GroupSlice: the group's partners first..last-1 by name (of its `partners`),
        read from the nearer end of the group: by name, or backwards from its last."""
        rows = self.object_list.filter(self.in_groups([group]))
        if first <= partners - last:
            return GroupSlice(rows.order_by("name")[first:last], backwards=False)
        return GroupSlice(
            rows.order_by("-name")[partners - last : partners - first], backwards=True
        )


def country_positions(countries):
    """{country pk: its place in the listing} for the Country QuerySet `countries`. In
    English, the database's order by name, as the listing's own ORDER BY has it; in the
    other languages, by the country's name in that language and that language's
    alphabet (partners/collation.py)."""
    rows = list(countries.order_by("name").values_list("pk", "code", "name"))
    if not is_default_language():
        language = get_language()
        names = translated_names(language)
        rows.sort(key=lambda row: sort_key(names.get(row[1]) or row[2], language))
    return {pk: place for place, (pk, _, _) in enumerate(rows)}


def page_or_first(paginator, number):
    """(page, problem): the page `number` asks for, or the first page and a sentence
    saying why when `number` is not one of the paginator's pages. No number (or "") means
    the first page; "last" means the last, as with Django's own pagination."""
    if number in (None, ""):
        return paginator.page(1), None
    if number == "last":
        return paginator.page(paginator.num_pages), None
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        shown = Truncator(str(number)).chars(20)
        return paginator.page(1), _("“%(shown)s” is not a page number, so page 1 is shown.") % {
            "shown": shown
        }
    if not 1 <= wanted <= paginator.num_pages:
        return paginator.page(1), ngettext(
            "There is no page %(wanted)s of these results (they fill %(pages)s page), so page "
            "1 is shown.",
            "There is no page %(wanted)s of these results (they fill %(pages)s pages), so page "
            "1 is shown.",
            paginator.num_pages,
        ) % {"wanted": wanted, "pages": paginator.num_pages}
    return paginator.page(wanted), None
