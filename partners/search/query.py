"""Search: what a query means, how partners rank for it, and "Did you mean" suggestions.

A query is folded into words (partners.text.words), so case, accents and punctuation do
not matter. A partner is found by its own names (`Organization.search_text`) and by its
country's, which are every name in the country vocabulary (vocabulary.py); results
rank best first (ranks.py), then by name. A search's cost must not grow with the
directory: partners are found with LIKE on `search_text`, which a trigram index serves on
PostgreSQL, and a country the query names is read along its indexes (paginator.py).
"""

from functools import cached_property

from django.db.models import Case, IntegerField, Q, Value, When

from partners.search.ranks import EXACT, INSIDE, NAMED, PATTERNS, PREFIX, WORD, loosest_level
from partners.search.similarity import (
    SUGGESTION_CANDIDATES,
    SUGGESTION_SIMILARITY,
    SUGGESTIONS,
    WordSimilar,
)
from partners.search.trigrams import SHORTEST_SUGGESTED_WORD, WORDS, similarity
from partners.search.vocabulary import country_vocabulary, normalized
from partners.text import words


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
        but its terms are not scored, which is the costly part and would not be
        shown."""
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
