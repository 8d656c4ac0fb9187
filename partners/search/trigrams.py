"""Trigram similarity computed the way PostgreSQL's pg_trgm computes it, for "Did you
mean" suggestions: the same figures in Python, on SQLite and on PostgreSQL.

pg_trgm splits a text into words (runs of letters and digits), lower-cases each, pads it
with two spaces in front and one behind ("  word ") and takes every three consecutive
characters; the similarity of two texts is the number of trigrams they share divided by
the number of distinct trigrams in either (https://www.postgresql.org/docs/current/pgtrgm.html).
"""

import re

# A word: a run of letters and digits.
WORDS = re.compile(r"[^\W_]+")

# Words shorter than this are too common ("of", "the") to be worth suggesting alone.
SHORTEST_SUGGESTED_WORD = 4


def trigrams(text):
    """pg_trgm's show_trgm(text), as a set: trigrams("Cat") == {"  c", " ca", "cat", "at "}."""
    found = set()
    for word in WORDS.findall((text or "").lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def similarity(first, second):
    """pg_trgm's similarity(first, second): shared trigrams / distinct trigrams, 0 to 1."""
    a, b = trigrams(first), trigrams(second)
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def terms_of(search_text):
    """The terms of an organization's search_text (partners.text.searchable) that
    suggestions are made of: each part (name, acronym, other name) and each word of at
    least SHORTEST_SUGGESTED_WORD letters."""
    terms = []
    for part in (search_text or "").split("|"):
        part = part.strip()
        if part:
            terms.append(part)
            terms += [word for word in part.split() if len(word) >= SHORTEST_SUGGESTED_WORD]
    return terms


def best_term_similarity(query, search_text):
    """The highest similarity of `query` to any term of `search_text`. Registered on
    SQLite connections (partners.search.query.prepare_connection) for the suggestion query."""
    return max((similarity(query, term) for term in terms_of(search_text)), default=0.0)
