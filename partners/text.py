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


def searchable(*parts):
    """One folded string holding every non-empty part, for substring search."""
    return fold(" | ".join(part for part in parts if part))
