"""Pages of a search's results, best first, counted by rank with one query."""

from functools import cached_property
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, F

from partners.paging import RowsPaginator
from partners.search.ranks import NAMED, RANKS

# A search counts at most this many of the partners it finds (besides those of a country
# it names): the first ones by name, along the `published_by_name` index on PostgreSQL.
# Past it the list is capped (SearchPaginator.capped), so that a search's cost does not
# grow with its matches: counting every match by rank reads every one of them.
COUNT_CAP = 10_000
# A capped list's rows at least this far into their rank are read among the partners
# named no later than the last one counted: PostgreSQL, which cannot tell how many
# partners have a rank, otherwise sorts every match for a deep page. Nearer the start of
# a rank the name index serves the page better unbounded.
DEEP_IN_RANK = 150


def count_first(first):
    """(partners of each rank in RANKS…, countries, last name) among `first`: a sliced
    QuerySet of values search_rank, found_country and found_name. One query, written
    around the ORM's own SQL for `first`: Django's aggregate() over a sliced, annotated
    QuerySet copies and rewrites the rank's expression once per aggregate, which costs
    more in Python than the query costs the database."""
    try:
        inner, params = first.query.get_compiler(using=first.db).as_sql()
    except EmptyResultSet:  # The query can match nothing (a query of no words).
        return (0,) * len(RANKS) + (0, None)
    ranks = ", ".join(f"COUNT(CASE WHEN search_rank = {rank:d} THEN 1 END)" for rank in RANKS)
    outer = "COUNT(DISTINCT found_country), MAX(found_name)"
    with connections[first.db].cursor() as cursor:
        cursor.execute(f"SELECT {ranks}, {outer} FROM ({inner}) first_found", params)
        return cursor.fetchone()


class Tally(NamedTuple):
    """What a search's count found (SearchPaginator.tally)."""

    by_rank: dict  # {rank: partners}
    countries: int  # how many countries they are in
    last_name: str | None  # the last name counted (by name order)


class SearchPaginator(RowsPaginator):
    """Pages of a search's results, best first (Search.apply's order), counted by rank
    with one count, and read only from the ranks a page spans. The partners of a country
    the query names are counted from the `published_by_country` index and read along the
    (country, name) index, never ranked one by one.

    The other matches are counted among the first COUNT_CAP + 1 of them by name only (a
    LIMITed subquery, which PostgreSQL reads along the `published_by_name` index until
    it has them), so a search that matches most of the directory counts about as many
    rows with 100,000 organizations as with 10,001. When more match (`capped`),
    the list is those first ones, best first: `count` is COUNT_CAP (the pages that
    exist), and `country_count` counts only their countries."""

    def __init__(self, search, organizations, per_page, *, lookups=None, **kwargs):
        """With the directory's `lookups` (partners/listing/lookups.py), the rows are read as
        the listing reads them (DirectoryLookups.listed)."""
        if lookups is not None:
            organizations = lookups.listed(organizations)
        self.lookups = lookups
        self.search = search
        self.unsearched = organizations
        super().__init__(search.apply(organizations), per_page, **kwargs)

    @cached_property
    def tally(self):
        """A Tally of the partners found; those outside a named country counted up to
        the cap."""
        named = self.search.named_countries
        by_rank, countries = {}, 0
        others, search = self.unsearched.order_by(), self.search
        if named:
            named_counts = (
                others.filter(country__in=named)
                .values_list("country")
                .annotate(partners=Count("*"))
            )
            for _, partners in named_counts:
                by_rank[NAMED] = by_rank.get(NAMED, 0) + partners
                countries += 1
            others, search = others.exclude(country__in=named), search.besides_named_countries()
        first = (
            others.filter(search.matches())
            .order_by("name", "pk")
            .values(search_rank=search.rank(), found_country=F("country"), found_name=F("name"))[
                : COUNT_CAP + 1
            ]
        )
        *ranked, found_countries, last_name = count_first(first)
        for rank, partners in zip(RANKS, ranked, strict=True):
            if partners:
                by_rank[rank] = by_rank.get(rank, 0) + partners
        return Tally(by_rank, countries + found_countries, last_name)

    @cached_property
    def by_rank(self):
        """[(rank, partners)], best rank first."""
        return sorted(self.tally.by_rank.items())

    @cached_property
    def found(self):
        """How many partners were counted: every match, or more than COUNT_CAP."""
        return sum(partners for _, partners in self.by_rank)

    @cached_property
    def capped(self):
        """Whether more partners match than the list holds (COUNT_CAP)."""
        return self.found > COUNT_CAP

    @cached_property
    def count(self):
        return min(self.found, COUNT_CAP)

    @cached_property
    def country_count(self):
        """How many countries the partners counted are in (when capped, only those)."""
        return self.tally.countries

    def rows(self, bottom, top):
        spans, start = [], 0  # [(rank, first, last)]: each rank's partners on the page.
        for rank, partners in self.by_rank:
            end = start + partners
            if end > bottom and start < top:
                spans.append((rank, max(bottom, start) - start, min(top, end) - start))
            start = end
        if not spans:
            return []
        if self.capped and len(spans) > 1:
            return self.read_spans(spans)
        spanned, skip = [rank for rank, _, _ in spans], spans[0][1]
        if spanned == [NAMED]:
            rows = self.named_rows()
        elif len(spanned) == 1:
            rows = self.ranked_rows(spanned[0], skip)
        else:
            rows = self.object_list.filter(search_rank__in=spanned)
        return self.fetch(rows[skip : skip + top - bottom])

    def ranked_rows(self, rank, skip=0):
        """The partners of `rank` (not NAMED) by name, to be read from the `skip`th on.
        In a capped list, a read deep into the rank is bounded by the last name counted
        (DEEP_IN_RANK): exactly the counted partners' order up to the count, since those
        are the first ones by name (and by primary key within a name)."""
        rows = self.object_list.filter(search_rank=rank)
        if self.capped and skip >= DEEP_IN_RANK:
            rows = rows.filter(name__lte=self.tally.last_name)
        return rows

    def named_rows(self):
        """The partners of the countries the query names, by name."""
        return self.unsearched.filter(country__in=self.search.named_countries).order_by(
            "name", "pk"
        )

    def read_spans(self, spans):
        """A page of a capped list that spans several ranks, each rank's part read with
        its own LIMIT and OFFSET: the partners of a rank past the first ones by name were
        not counted, and one LIMIT over several ranks would show them. One query: the
        parts (found by primary key: SQLite takes no LIMIT inside UNION) joined with
        UNION ALL, best rank first."""
        parts = []
        for rank, first, last in spans:
            part = self.named_rows() if rank == NAMED else self.ranked_rows(rank, first)
            parts.append(self.object_list.filter(pk__in=part.values("pk")[first:last]).order_by())
        return self.fetch(
            parts[0].union(*parts[1:], all=True).order_by("search_rank", "name", "pk")
        )

    def fetch(self, rows):
        """The QuerySet `rows`, read (as the listing reads them, with the lookups)."""
        return self.lookups.read_listed(rows) if self.lookups is not None else list(rows)
