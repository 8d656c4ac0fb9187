""" "Did you mean": how similar a term must be to be offered, and the database side of
finding candidates (pg_trgm's word similarity on PostgreSQL, a registered function on
SQLite, so that both give the same suggestions)."""

from django.db.models import F, Lookup

from partners.search.trigrams import best_term_similarity

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


class WordSimilar(Lookup):
    """`search_text` has a term like the query. PostgreSQL: pg_trgm's `query <% text`
    (word_similarity at least pg_trgm.word_similarity_threshold, set per connection to
    WORD_SIMILARITY_THRESHOLD), which the trigram index serves. Elsewhere: the function
    best_term_similarity (partners/search/trigrams.py) that prepare_connection registers."""

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


# A word of at least this many letters, one edit (a letter added, dropped, changed or two
# swapped) from a word of the field's vocabulary and not the start of one, is taken as a
# misspelling of it ("asociation"): the search shows the corrected word's results.
SHORTEST_CORRECTED_WORD = 6


def one_edit_apart(typed, word):
    """Whether `word` is `typed` with one letter added, dropped, changed, or two
    neighbours swapped (Damerau's single edit)."""
    if typed == word or abs(len(typed) - len(word)) > 1:
        return False
    if len(typed) == len(word):
        diffs = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        if len(diffs) == 1:
            return True
        first, second = diffs[0], diffs[-1]
        return (
            len(diffs) == 2
            and second == first + 1
            and typed[first] == word[second]
            and typed[second] == word[first]
        )
    shorter, longer = sorted((typed, word), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def near_words(word, vocabulary_words):
    """The words of `vocabulary_words` that `word` may misspell, sorted: none when `word`
    is short, is itself a word of the vocabulary or the start of one (a word being
    typed); else those one edit from it."""
    if len(word) < SHORTEST_CORRECTED_WORD or word in vocabulary_words:
        return []
    if any(known.startswith(word) for known in vocabulary_words):
        return []
    return sorted(known for known in vocabulary_words if one_edit_apart(word, known))
