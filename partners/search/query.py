"""Search: what a query means, how partners rank for it, and "Did you mean" suggestions.

A query is folded into words (partners.text.words), so case, accents and punctuation do
not matter. A partner is found by its own names (`Organization.search_text`) and by its
country's, which are every name in the country vocabulary (vocabulary.py); a query that
names a region finds its countries' partners, and one that names a country finds the
multinational partners that serve it too. Words that only join ("de", "of") are left
out, and the field's words find each other across English, Spanish and French
("municipios" finds "Municipal Association"; search_vocabulary.json). Results rank best
first (ranks.py), then by name. A search's cost must not grow with the
directory: partners are found with LIKE on `search_text`, which a trigram index serves on
PostgreSQL, and a country the query names is read along its indexes (paginator.py).
"""

from functools import cached_property

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import get_language

from partners.countries import translated_names
from partners.models import is_default_language
from partners.places import in_country
from partners.search.ranks import (
    EXACT,
    INSIDE,
    NAMED,
    PATTERNS,
    PREFIX,
    SERVED,
    WORD,
    loosest_level,
    term_level,
)
from partners.search.similarity import (
    SUGGESTION_CANDIDATES,
    SUGGESTION_SIMILARITY,
    SUGGESTIONS,
    WordSimilar,
    near_words,
)
from partners.search.trigrams import SHORTEST_SUGGESTED_WORD, WORDS, similarity
from partners.search.vocabulary import (
    LONGEST_TERM,
    country_vocabulary,
    normalized,
    search_vocabulary,
)
from partners.text import words

# Quotes around a query ask for it as typed: no misspelling corrected.
QUOTES = "\"'“”«»„"


def read_units(query_words, vocabulary):
    """The query's words as units, each searched on its own: ("region", name), a region's
    name ("america latina"); ("field", (phrase, terms)), a field word or phrase
    ("gobiernos locales") and every term it finds; ("word", word), any other word. Words that only
    join are left out. The longest name or phrase is read first."""
    units, start = [], 0
    while start < len(query_words):
        for length in range(min(LONGEST_TERM, len(query_words) - start), 0, -1):
            phrase = " ".join(query_words[start : start + length])
            if phrase in vocabulary.regions:
                units.append(("region", phrase))
                break
            if phrase in vocabulary.field_terms:
                units.append(("field", (phrase, vocabulary.field_terms[phrase])))
                break
        else:
            length, word = 1, query_words[start]
            if word not in vocabulary.joining:
                units.append(("word", word))
        start += length
    return units


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
        self.vocabulary = search_vocabulary()
        self.units = read_units(self.words, self.vocabulary)

    def __bool__(self):
        return bool(self.words)

    @cached_property
    def as_typed(self):
        """Whether the query is in quotes ("asociation"): searched as typed, uncorrected."""
        text = self.text.strip()
        return len(text) > 1 and text[0] in QUOTES and text[-1] in QUOTES

    @cached_property
    def corrected_text(self):
        """The query with its one obvious misspelling of a field word corrected
        ("asociation de municipios" -> "association de municipios"), or None. Worked out
        from the vocabulary alone, so that it costs no query."""
        if self.as_typed or self.named_codes:
            return None
        known = {term for term in self.vocabulary.field_terms if " " not in term}
        corrected, changes = [], 0
        for word in self.words:
            near = [] if word in self.vocabulary.joining else near_words(word, known)
            better = self.vocabulary.one_meaning(near)
            corrected.append(better or word)
            changes += better is not None
        return " ".join(corrected) if changes == 1 else None

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
        besides = Search(
            self.text, [country for country in self.countries if country.pk not in named]
        )
        besides.served = self.served
        return besides

    def region_countries(self, name):
        """The pks of the directory's countries in the region called `name`."""
        codes = self.vocabulary.regions[name]
        return [country.pk for country in self.countries if country.code in codes]

    @cached_property
    def named_countries(self):
        """The pks of the countries the whole query names (by name, code or alias), or
        of the region it names."""
        if not self.words:
            return []
        if self.phrase in self.vocabulary.regions:
            return self.region_countries(self.phrase)
        return self.countries_at(self.phrase, EXACT)

    @cached_property
    def named_codes(self):
        """The ISO codes of the countries the whole query names, partner countries or
        not ("México"), or of the region it names."""
        if self.phrase in self.vocabulary.regions:
            return set(self.vocabulary.regions[self.phrase])
        named = set(self.named_countries)
        codes = {country.code for country in self.countries if country.pk in named}
        if code := self.vocabulary.iso_names.get(self.phrase):
            codes.add(code)
        return codes

    @cached_property
    def names_a_place(self):
        """Whether the query names a country or region, or one of its words a country."""
        if self.named_codes:
            return True
        return any(kind == "word" and self.countries_at(value, EXACT) for kind, value in self.units)

    @cached_property
    def country_without_partner(self):
        """The ISO code of the country the whole query names when no partner is based
        there ("Corée du Sud"), else None."""
        code = self.vocabulary.iso_names.get(self.phrase)
        if code is None or any(country.code == code for country in self.countries):
            return None
        return code

    @cached_property
    def country_without_partner_name(self):
        """That country's name in the page's language ("Corea del Sur"), or ""."""
        code = self.country_without_partner
        return translated_names(get_language() or "en").get(code, "") if code else ""

    @cached_property
    def country_without_partner_place(self):
        """ "in <that country>" in the page's language ("en Corea del Sur", "au
        Mexique"), or "" (partners/places.py)."""
        name = self.country_without_partner_name
        return in_country(self.country_without_partner, name) if name else ""

    @cached_property
    def served(self):
        """The slugs of the multinational partners that serve a country the query names."""
        return self.vocabulary.serving(self.named_codes)

    def found(self, phrase, level):
        """Q: partners whose names, or whose country's names, hold `phrase` at `level`."""
        condition = Q(search_text__contains=PATTERNS[level].format(phrase))
        if countries := self.countries_at(phrase, level):
            condition |= Q(country__in=countries)
        return condition

    def found_unit(self, unit, level):
        """Q: partners that `unit` (read_units) finds at `level` or better."""
        kind, value = unit
        if kind == "field":
            # The word as typed ranks as any word does; the others of its group find
            # partners too, but as the start of words at best ("municipal" ranks the
            # Municipal Associations before the Federations of Municipalities).
            typed, terms = value
            condition = self.found(typed, min(level, loosest_level(typed)))
            for term in sorted(terms) if level >= PREFIX else ():
                pattern = PATTERNS[min(level, term_level(term))].format(term)
                condition |= Q(search_text__contains=pattern)
            return condition
        if kind == "region":
            return Q(search_text__contains=PATTERNS[min(level, WORD)].format(value)) | Q(
                country__in=self.region_countries(value)
            )
        return self.found(value, min(level, loosest_level(value)))

    def found_word_by_word(self, level):
        condition = Q()
        for unit in self.units:
            condition &= self.found_unit(unit, level)
        return condition

    def matches(self):
        """Q: the partners this query finds: every word in their names or their
        country's names (short words whole), the country or region the query names, or
        a multinational that serves it."""
        condition = self.found_word_by_word(INSIDE) if self.units else Q(pk__in=[])
        if self.named_countries:
            condition |= Q(country__in=self.named_countries)
        if self.served:
            condition |= Q(slug__in=self.served)
        return condition

    def rank(self):
        """The rank of each partner found (NAMED … INSIDE), as an SQL expression."""
        whens = []
        if self.named_countries:
            whens.append(When(Q(country__in=self.named_countries), then=Value(NAMED)))
        if self.served:
            whens.append(When(Q(slug__in=self.served), then=Value(SERVED)))
        whens.append(
            When(Q(search_text__contains=PATTERNS[EXACT].format(self.phrase)), then=Value(EXACT))
        )
        for level in (WORD, PREFIX):
            condition = self.found(self.phrase, level)
            if self.units and self.units != [("word", self.phrase)]:
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
        if not shown or not self.units or self.names_a_place:
            # Nothing to offer for words that only join, nor for a query that names a
            # country or region ("South Korea" is not a misspelling of South Africa; "UK
            # local government" means the UK's partners, not Zambia's).
            return []
        terms = {}  # {normalized: as written}
        # A country is found by any of its names, and offered by its name in the page's
        # language ("Tanzanie" on /fr/ is not offered "Tanzania"), even where a partner's
        # name holds it in English.
        # (In English, the name the site shows: its first name in the vocabulary.)
        local_names = {} if is_default_language() else translated_names(get_language())
        for country in self.countries:
            shown = local_names.get(country.code) or next(iter(country.names.values()))
            for key in country.names:
                terms.setdefault(key, shown)
        for parts in rows:
            for part in filter(None, parts):
                terms.setdefault(normalized(part), part)
                for word in WORDS.findall(part):
                    if len(normalized(word)) >= SHORTEST_SUGGESTED_WORD:
                        terms.setdefault(normalized(word), word)
        scored = sorted(
            (-similarity(self.phrase, key), key) for key in terms if key and key != self.phrase
        )
        offered = []
        for score, key in scored:
            term = terms[key]
            if -score < SUGGESTION_SIMILARITY or len(offered) == SUGGESTIONS:
                break
            if term not in offered and normalized(term) != self.phrase:
                offered.append(term)
        return offered
