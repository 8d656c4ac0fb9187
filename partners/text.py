"""Small text helpers shared by the parser, the models and search."""

import unicodedata


def fold(text):
    """The case- and accent-insensitive form of `text`: "STMOÚ" -> "stmou".

    Search compares folded text with folded text, so that it behaves the same on every
    database backend.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def split_lines(text):
    """The non-blank lines of `text`, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def words(text):
    """The folded words of `text`, punctuation dropped:
    "City Managers' Association, Gujarat" -> ["city", "managers", "association", "gujarat"]."""
    return "".join(char if char.isalnum() else " " for char in fold(text)).split()


def searchable(*parts):
    """One string holding the words of each non-empty part, each part between " | "
    marks: " | city managers association gujarat | cmag | ". Search finds in it a whole
    part (" | cmag | "), a whole word (" gujarat "), the start of a word (" guj") or any
    text, with LIKE on every database."""
    kept = [" ".join(words(part)) for part in parts if part]
    kept = [part for part in kept if part]
    return f" | {' | '.join(kept)} | " if kept else ""
