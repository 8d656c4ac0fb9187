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


# Bidirectional controls: they reorder what follows them, so "gpj.exe" can be made to read
# "exe.jpg". Names never need them (a right-to-left name shows right without them).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
LINE_BREAKS = frozenset("\t\n\r")


def is_control(char):
    """C0 and C1 control characters and DEL."""
    code = ord(char)
    return code < 32 or 127 <= code < 160


def unwanted_characters(text, allow_line_breaks=False):
    """The control and bidirectional-control characters in `text`, each once, in order
    of code point. Tab, newline and carriage return pass where `allow_line_breaks`."""
    return sorted(
        {
            char
            for char in text or ""
            if (is_control(char) and not (allow_line_breaks and char in LINE_BREAKS))
            or char in BIDI_CONTROLS
        }
    )


def describe_characters(chars):
    """ "U+0007, U+202E": how a message names characters that cannot be shown."""
    return ", ".join(f"U+{ord(char):04X}" for char in chars)


def neutralized(text):
    """`text` with each control or bidirectional-control character shown as its code
    point ("[U+202E]"), line breaks kept: for staff to read what a visitor sent exactly
    as sent, without being fooled by it."""
    return "".join(
        f"[{describe_characters(char)}]" if char in unwanted_characters(char, True) else char
        for char in text or ""
    )


def printable(text):
    """`text` without control characters (line breaks kept), for outputs such as XML
    that cannot carry them, whatever old data holds."""
    return "".join(char for char in text or "" if not is_control(char) or char in LINE_BREAKS)
