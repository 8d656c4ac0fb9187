"""Read ICMA's "International Organizational Relationships" document.

Pure functions, no database: the document goes in, a list of `PartnerEntry` comes out.
Under "Relationships by Country" each line is a bilateral relationship, under
"Multinational Relationships" a multinational one, each reading ``COUNTRY Name
(ACRONYM)``. Nothing is dropped silently: the file is checked before it is parsed, and a
line that cannot be read raises `DocumentError` with its number and text.
"""

import re
from dataclasses import dataclass

from partners.relationship_types import BILATERAL, MULTINATIONAL

# Section headings of the document, and the relationship type each one introduces.
SECTIONS = {
    "relationships by country": BILATERAL,
    "multinational relationships": MULTINATIONAL,
}

# No line of the document comes near this (its longest, prose, is under 800 characters).
LONGEST_LINE = 2000
# Characters that have no place in a text document: C0 and C1 controls (but tab and line
# feed), DEL, and the Unicode line and paragraph separators. A carriage return ends a line
# only before a line feed (check_document strips it first): a lone one would split the
# line for the parser, and every line after it would be misnumbered.
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")

_TRAILING_PARENTHESIS = re.compile(r"^(?P<rest>.*?)\s*\((?P<inner>[^()]+)\)\s*$")


class DocumentError(ValueError):
    """A line of the document that cannot be turned into a partner entry."""

    def __init__(self, line_number, line, reason):
        self.line_number = line_number  # None when the problem is the whole document's.
        self.line = line
        self.reason = reason
        if line_number is None:
            super().__init__(reason)
        elif not line:
            super().__init__(f"line {line_number}: {reason}")
        else:
            super().__init__(f"line {line_number}: {reason}: {line!r}")


def decode_document(data):
    """The document's text from its bytes (UTF-8, with or without a byte-order mark).
    Raises DocumentError naming the line and column of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line_number = data.count(b"\n", 0, error.start) + 1
        column = error.start - data.rfind(b"\n", 0, error.start)
        raise DocumentError(
            line_number,
            "",
            f"byte 0x{data[error.start]:02x} at column {column} is not UTF-8; "
            "save the document as UTF-8 text",
        ) from error


def check_document(text):
    """Check the document's structure before it is parsed: every line free of control
    characters and of a sane length, and both section headings present, once each, each
    followed by entries. A truncated copy, or another document, fails here. Raises
    DocumentError."""
    headings = {}  # normalized heading -> line number
    entries = {}  # normalized heading -> number of entries under it
    section = None
    for line_number, raw_line in enumerate(text.split("\n"), start=1):
        line = raw_line.removesuffix("\r")
        if control := _CONTROL_CHARACTER.search(line):
            raise DocumentError(
                line_number,
                shorten(line),
                f"control character {control.group()!r} at column {control.start() + 1}",
            )
        if len(line) > LONGEST_LINE:
            raise DocumentError(
                line_number,
                shorten(line),
                f"the line is {len(line):,} characters long (at most {LONGEST_LINE:,})",
            )
        heading = normalize_heading(line)
        if heading in SECTIONS:
            if heading in headings:
                raise DocumentError(
                    line_number,
                    line,
                    f"the heading is repeated (first on line {headings[heading]})",
                )
            headings[heading] = line_number
            entries[heading] = 0
            section = heading
        elif section is not None and line.strip():
            entries[section] += 1
    missing = [heading for heading in SECTIONS if heading not in headings]
    if missing:
        raise DocumentError(
            None,
            "",
            f"the section heading(s) {', '.join(repr(h.capitalize()) for h in missing)} are "
            "missing: the document is truncated, or not the relationships document",
        )
    for heading, count in entries.items():
        if count == 0:
            raise DocumentError(
                headings[heading],
                heading.capitalize(),
                "no entries under this heading: the document is truncated",
            )


def shorten(line, limit=80):
    return line if len(line) <= limit else f"{line[:limit]}…"


@dataclass(frozen=True)
class PartnerEntry:
    """One relationship as the document states it."""

    line_number: int
    country_name: str  # as written in the document, e.g. "CZECH REPUBLIC"
    country_code: str  # ISO 3166-1 alpha-2, e.g. "CZ"
    name: str
    acronym: str
    other_name: str
    relationship_type: str  # BILATERAL or MULTINATIONAL


def looks_like_acronym(text):
    """True for "CAMA", "LGPA NSW", "STMOÚ", "MuAN" or "iLGM"; false for "Eswatini".

    An acronym is one to three words with no spaces inside a word, most of whose letters
    are capitals, and at least two capitals in all.
    """
    words = text.split()
    if not 1 <= len(words) <= 3:
        return False
    letters = [char for char in text if char.isalpha()]
    if not letters or any(not (char.isalnum() or char in "&.-") for char in "".join(words)):
        return False
    capitals = sum(1 for char in letters if char.isupper())
    return capitals >= 2 and capitals * 2 > len(letters)


def split_name(text, is_country_name):
    """Split "Name (ACRONYM)" into (name, acronym, other_name).

    Only the last parenthesis is considered. It is the acronym when it reads like one;
    otherwise it gives the name in another language, unless it names a country, in which
    case it stays part of the name ("… of Swaziland (Eswatini)").
    """
    text = " ".join(text.split())
    match = _TRAILING_PARENTHESIS.match(text)
    if not match or not match["rest"]:
        return text, "", ""
    rest, inner = match["rest"].strip(), match["inner"].strip()
    if looks_like_acronym(inner):
        return rest, inner, ""
    if is_country_name(inner):
        return text, "", ""
    return rest, "", inner


def split_country(text, country_code_for):
    """Split "SOUTH AFRICA Institute for …" into ("SOUTH AFRICA", "ZA", "Institute for …").

    The country is the longest run of leading words in capitals that names a country.
    Returns None for the country code when the capitals name no country.
    """
    words = text.split()
    capitals = 0
    while capitals < len(words) - 1 and is_capitalized_word(words[capitals]):
        capitals += 1
    for length in range(capitals, 0, -1):
        country_name = " ".join(words[:length])
        code = country_code_for(country_name)
        if code:
            return country_name, code, " ".join(words[length:])
    return " ".join(words[:capitals]), None, " ".join(words[capitals:])


def is_capitalized_word(word):
    letters = [char for char in word if char.isalpha()]
    return bool(letters) and all(char.isupper() for char in letters)


def normalize_heading(line):
    return " ".join(line.split()).casefold()


def parse_relationships(text, country_code_for):
    """Parse the whole document into a list of PartnerEntry, in document order.

    `country_code_for(name)` maps a country name to its ISO alpha-2 code, or returns ""
    when it knows no such country.
    """
    entries = []
    section = None
    for line_number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line:
            continue
        heading = normalize_heading(line)
        if heading in SECTIONS:
            section = SECTIONS[heading]
            continue
        if section is None:
            continue  # The introduction before the first section is prose.
        entries.append(parse_line(line_number, line, section, country_code_for))
    if not entries:
        raise DocumentError(None, "", "no relationships found under the expected headings")
    return entries


def parse_line(line_number, line, relationship_type, country_code_for):
    country_name, country_code, rest = split_country(line, country_code_for)
    if not country_name:
        raise DocumentError(
            line_number, line, "expected the country in capitals at the start of the line"
        )
    if not country_code:
        raise DocumentError(line_number, line, f"unknown country {country_name!r}")
    if not rest:
        raise DocumentError(line_number, line, "no organization name after the country")
    name, acronym, other_name = split_name(
        rest, lambda candidate: bool(country_code_for(candidate))
    )
    return PartnerEntry(
        line_number=line_number,
        country_name=country_name,
        country_code=country_code,
        name=name,
        acronym=acronym,
        other_name=other_name,
        relationship_type=relationship_type,
    )
