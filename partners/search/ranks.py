"""How well a phrase matches a text, best first: the ranks of search results, and the
patterns that find each rank in `Organization.search_text` (partners.text.searchable)."""

# NAMED: the whole query names the partner's country ("kenya", "KE", "USA", "Tanzanie")
# or region ("Europa", "Caribe"); SERVED: the partner is a multinational that serves a
# country the query names ("Honduras" finds AMHON, then the federations that serve it);
# EXACT: it is the partner's name, acronym or other name ("salga"); WORD: its words are
# whole words of the partner's or its country's names; PREFIX: they begin words
# ("karnat"); INSIDE: they are inside words.
NAMED, SERVED, EXACT, WORD, PREFIX, INSIDE = range(6)
RANKS = (NAMED, SERVED, EXACT, WORD, PREFIX, INSIDE)

# Words of at most this many letters match whole words and acronyms only: "in" finds
# India (its code) and "of" in names, never "Argentina".
SHORT_WORD = 3


def loosest_level(phrase):
    return WORD if len(phrase) <= SHORT_WORD else INSIDE


def term_level(term):
    """The loosest level at which a field word ("municipal") finds a name: the start of
    a word ("municipalities"), or whole words for a short one."""
    return WORD if len(term) <= SHORT_WORD else PREFIX


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
