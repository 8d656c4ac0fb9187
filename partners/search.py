"""Search: what a query means, how partners rank for it, and "Did you mean" suggestions.

A query is folded into words (partners.text.words: case, accents and punctuation do not
matter). A partner is found by its own names (`Organization.search_text`: name, acronym,
other name) and by its country, which is known by every name in the country vocabulary:
its names in the database (name and other names, such as Swaziland), its names in
English, Spanish and French from django-countries, its ISO alpha-2 and alpha-3 codes and
the few common abbreviations in COUNTRY_ALIASES.

Results rank, best first, then by name:

0. NAMED: the whole query names the partner's country ("kenya", "KE", "USA", "Tanzanie");
1. EXACT: the whole query is the partner's name, acronym or other name ("salga");
2. WORD: the query's words are whole words of its names or of its country's names;
3. PREFIX: they begin words ("tanz", "karnat");
4. INSIDE: they are inside words.

Words of up to SHORT_WORD letters match whole words only: "in" finds India (its code)
and "of" in names, never "Argentina" or "Association of Cities of Vietnam".

The country vocabulary is one small query (the Country table), kept with the directory's
lookups (partners/lookups.py) until the directory changes; the partners are found
with LIKE on `search_text`, which a trigram index serves on PostgreSQL. A query that
names a country reads that country's partners along the (country, name) index, and
counts them from the `published_by_country` index (SearchPaginator).

A search that finds more than COUNT_CAP partners (besides those of a country it names)
is capped: it counts, ranks and lists only the first COUNT_CAP + 1 of them by name, best
first, so that its cost does not grow with the number of matches; the page says that
more match than it lists. Below the cap every match is counted and ranked.
"""

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, Count, F, IntegerField, Lookup, Q, Value, When
from django.utils import translation
from django_countries import countries as iso_countries

from .pagination import RowsPaginator
from .text import split_lines, words
from .trigrams import SHORTEST_SUGGESTED_WORD, WORDS, best_term_similarity, similarity

NAMED, EXACT, WORD, PREFIX, INSIDE = range(5)
RANKS = (NAMED, EXACT, WORD, PREFIX, INSIDE)

# Words of at most this many letters match whole words and acronyms only.
SHORT_WORD = 3

# The languages whose country names search knows (django-countries' translations).
COUNTRY_NAME_LANGUAGES = ("en", "es", "fr")

# Common abbreviations and short names of countries that neither django-countries nor
# the ISO codes give. Keep it small: only what people really type.
COUNTRY_ALIASES = {
    "AE": ["UAE", "EAU", "Emirates"],
    "CD": ["DRC", "DR Congo", "RDC", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville"],
    "GB": ["UK", "Great Britain", "Britain"],
    "KP": ["North Korea"],
    "KR": ["South Korea"],
    "NL": ["Holland"],
    "US": ["USA", "United States", "EEUU", "EE UU"],
}

# "Did you mean": terms at least this similar to the query (pg_trgm's similarity), the
# best SUGGESTIONS of them, offered when a search finds fewer than SUGGEST_BELOW partners.
SUGGESTION_SIMILARITY = 0.4
SUGGESTIONS = 5
SUGGEST_BELOW = 5
# On PostgreSQL the candidates come from the trigram index through pg_trgm's `<%`
# (word_similarity), whose threshold is set a little below SUGGESTION_SIMILARITY so that
# every partner with a term that similar is among them.
WORD_SIMILARITY_THRESHOLD = 0.3
# At most this many partners are read for suggestions.
SUGGESTION_CANDIDATES = 50

# A search counts at most this many of the partners it finds (besides those of a country
# it names): the first ones by name, along the `published_by_name` index on PostgreSQL.
# Past it the list is capped (SearchPaginator.capped): counting every match by rank
# scanned every organization (40 ms at 100,000 organizations for `municipal`).
COUNT_CAP = 10_000
# A capped list's rows at least this far into their rank are read among the partners
# named no later than the last one counted: PostgreSQL, which cannot tell how many
# partners have a rank, otherwise sorts every match for a deep page (130 to 290 ms at
# 100,000 organizations from page 5 of `association` on, against 22 to 38 ms bounded;
# the first pages are quicker unbounded, along the name index: 5 ms against 30).
DEEP_IN_RANK = 150


def normalized(text):
    return " ".join(words(text))


@lru_cache(maxsize=1024)
def library_names(code):
    """{normalized: shown} names of the country `code` that django-countries and
    COUNTRY_ALIASES give: English, Spanish, French, former names, aliases."""
    names = {}
    shown = []
    for language in COUNTRY_NAME_LANGUAGES:
        with translation.override(language):
            shown.append(str(iso_countries.name(code)))
    shown += [str(name) for name in iso_countries.OLD_NAMES.get(code, [])]
    shown += COUNTRY_ALIASES.get(code, [])
    for name in shown:
        if name and normalized(name):
            names.setdefault(normalized(name), name)
    return names


@dataclass(frozen=True)
class CountryEntry:
    """One country of the vocabulary: {normalized name: name as shown}, and its codes."""

    pk: int
    names: dict
    codes: frozenset

    @classmethod
    def from_row(cls, pk, code, name, other_names):
        code = str(code)
        names = {normalized(name): name}
        for other in split_lines(other_names):
            names.setdefault(normalized(other), other)
        for key, shown in library_names(code).items():
            names.setdefault(key, shown)
        names.pop("", None)
        codes = {code.lower()}
        if alpha3 := iso_countries.alpha3(code):
            codes.add(alpha3.lower())
        return cls(pk, names, frozenset(codes))

    def level(self, phrase):
        """How `phrase` (normalized) matches this country's names: EXACT, WORD, PREFIX,
        INSIDE or None."""
        if phrase in self.codes or phrase in self.names:
            return EXACT
        return best_level(phrase, self.names)


def loosest_level(phrase):
    return WORD if len(phrase) <= SHORT_WORD else INSIDE


def best_level(phrase, texts):
    """The best level at which `phrase` occurs in any of `texts` (normalized), or None;
    never looser than loosest_level(phrase)."""
    best = None
    for text in texts:
        padded = f" {text} "
        if text == phrase:
            return EXACT
        if f" {phrase} " in padded:
            level = WORD
        elif f" {phrase}" in padded:
            level = PREFIX
        elif phrase in text:
            level = INSIDE
        else:
            continue
        best = level if best is None else min(best, level)
    if best is not None and best > loosest_level(phrase):
        return None
    return best


# What `search_text` (partners.text.searchable) contains when a phrase matches at a level.
PATTERNS = {EXACT: " | {} | ", WORD: " {} ", PREFIX: " {}", INSIDE: "{}"}


def country_vocabulary():
    """Every country of the directory as a CountryEntry: one query."""
    from .models import Country

    return [
        CountryEntry.from_row(*row)
        for row in Country.objects.order_by().values_list("pk", "code", "name", "other_names")
    ]


class Search:
    """One query: which partners it finds (`matches()`), how they rank (`rank()`), and
    what it might have meant (`suggestions()`)."""

    def __init__(self, text, countries=None):
        self.text = text
        self.words = words(text)
        if len(self.words) > 1 and all(len(word) == 1 for word in self.words):
            self.words = ["".join(self.words)]  # An initialism: "U.S.A." is "usa".
        self.phrase = " ".join(self.words)
        self._countries = countries

    def __bool__(self):
        return bool(self.words)

    @cached_property
    def countries(self):
        return country_vocabulary() if self._countries is None else self._countries

    def countries_at(self, phrase, level):
        """The pks of the countries whose names match `phrase` at `level` or better."""
        found = []
        for country in self.countries:
            matched = country.level(phrase)
            if matched is not None and matched <= level:
                found.append(country.pk)
        return found

    def besides_named_countries(self):
        """This search among the countries it does not name: it finds and ranks every
        partner outside them as this one does, with no condition on the named ones (so
        that the database need not read their partners to leave them out)."""
        named = set(self.named_countries)
        return Search(self.text, [country for country in self.countries if country.pk not in named])

    @cached_property
    def named_countries(self):
        """The pks of the countries the whole query names (by name, code or alias)."""
        return self.countries_at(self.phrase, EXACT) if self.words else []

    def found(self, phrase, level):
        """Q: partners whose names, or whose country's names, hold `phrase` at `level`."""
        condition = Q(search_text__contains=PATTERNS[level].format(phrase))
        if countries := self.countries_at(phrase, level):
            condition |= Q(country__in=countries)
        return condition

    def found_word_by_word(self, level):
        condition = Q()
        for word in self.words:
            condition &= self.found(word, min(level, loosest_level(word)))
        return condition

    def matches(self):
        """Q: the partners this query finds: every word in their names or their
        country's names (short words whole), or the country the query names."""
        if not self.words:
            return Q(pk__in=[])
        condition = self.found_word_by_word(INSIDE)
        if self.named_countries:
            condition |= Q(country__in=self.named_countries)
        return condition

    def rank(self):
        """The rank of each partner found (NAMED … INSIDE), as an SQL expression."""
        whens = []
        if self.named_countries:
            whens.append(When(Q(country__in=self.named_countries), then=Value(NAMED)))
        whens.append(
            When(Q(search_text__contains=PATTERNS[EXACT].format(self.phrase)), then=Value(EXACT))
        )
        for level in (WORD, PREFIX):
            condition = self.found(self.phrase, level)
            if len(self.words) > 1:
                condition |= self.found_word_by_word(level)
            whens.append(When(condition, then=Value(level)))
        return Case(*whens, default=Value(INSIDE), output_field=IntegerField())

    def apply(self, organizations):
        """`organizations` this query finds, best first, then by name."""
        return (
            organizations.filter(self.matches())
            .annotate(search_rank=self.rank())
            .order_by("search_rank", "name", "pk")
        )

    def suggestions(self, organizations, *, shown=True):
        """Up to SUGGESTIONS names, acronyms, words of names and country names close to
        the query (pg_trgm similarity at least SUGGESTION_SIMILARITY), closest first, as
        they are written. One query: partners among `organizations` with a similar term,
        through the trigram index on PostgreSQL (see WordSimilar).

        When the page will not show them (`shown` false: the search found plenty), the
        query still runs, so that a search page runs the same queries whatever it finds,
        but its terms are not scored: scoring them took a tenth of a broad search's
        time."""
        if not self.words:
            return []
        candidates = organizations.filter(WordSimilar("search_text", self.phrase)).order_by()
        rows = list(candidates.values_list("name", "acronym", "other_name")[:SUGGESTION_CANDIDATES])
        if not shown:
            return []
        terms = {}  # {normalized: as written}
        for parts in rows:
            for part in filter(None, parts):
                terms.setdefault(normalized(part), part)
                for word in WORDS.findall(part):
                    if len(normalized(word)) >= SHORTEST_SUGGESTED_WORD:
                        terms.setdefault(normalized(word), word)
        for country in self.countries:
            for key, written in country.names.items():
                terms.setdefault(key, written)
        scored = sorted(
            (-similarity(self.phrase, key), key) for key in terms if key and key != self.phrase
        )
        return [
            terms[key] for score, key in scored[:SUGGESTIONS] if -score >= SUGGESTION_SIMILARITY
        ]


class WordSimilar(Lookup):
    """`search_text` has a term like the query. PostgreSQL: pg_trgm's `query <% text`
    (word_similarity at least pg_trgm.word_similarity_threshold, set per connection to
    WORD_SIMILARITY_THRESHOLD), which the trigram index serves. Elsewhere: the function
    best_term_similarity (partners/trigrams.py) that prepare_connection registers."""

    lookup_name = "word_similar"
    prepare_rhs = False

    def __init__(self, field, query):
        super().__init__(F(field), query)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return (
            f"best_term_similarity({rhs}, {lhs}) >= %s",
            (*rhs_params, *lhs_params, SUGGESTION_SIMILARITY),
        )

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{rhs} <%% {lhs}", (*rhs_params, *lhs_params)


def prepare_connection(sender, connection, **kwargs):
    """connection_created: SQLite gets best_term_similarity; PostgreSQL the word
    similarity threshold the suggestion query's `<%` uses."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "best_term_similarity", 2, best_term_similarity, deterministic=True
        )
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                [str(WORD_SIMILARITY_THRESHOLD)],
            )


def count_first(first):
    """(partners of each rank in RANKS…, countries, last name) among `first`: a sliced
    QuerySet of values search_rank, found_country and found_name. One query, written
    around the ORM's own SQL for `first`: Django's aggregate() over a sliced, annotated
    QuerySet copies and rewrites the rank's expression once per aggregate, 7 ms of
    Python per search for a query the database answers in a fraction of that."""
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
        """With the directory's `lookups` (partners/lookups.py), the rows are read as
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
