"""build_fixtures checks the document before trusting it, and refuses a rebuild that would
drop organizations unless --allow-removals is given. A refused build writes nothing."""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command


@pytest.fixture
def document(source_document):
    return source_document.encode("utf-8")


@pytest.fixture
def output(tmp_path, fixture_path):
    """A copy of the committed fixture: what a rebuild is compared with."""
    path = tmp_path / "partners.json"
    path.write_bytes(fixture_path.read_bytes())
    return path


def build(tmp_path, output, data, *arguments):
    source = tmp_path / "relationships.txt"
    source.write_bytes(data)
    out = StringIO()
    call_command("build_fixtures", "--source", source, "--output", output, *arguments, stdout=out)
    return out.getvalue()


def refused(tmp_path, output, data, message, *arguments):
    before = output.read_bytes()
    with pytest.raises(CommandError) as error:
        build(tmp_path, output, data, *arguments)
    assert message in str(error.value)
    assert output.read_bytes() == before
    return str(error.value)


def line_number_of(document, text):
    return document[: document.index(text.encode())].count(b"\n") + 1


def test_the_document_rebuilds_the_committed_fixture(tmp_path, output, document):
    before = output.read_bytes()
    build(tmp_path, output, document)
    assert output.read_bytes() == before


def test_a_truncated_document_is_refused(tmp_path, output, document):
    truncated = document[: document.index(b"INDIA Urban")]  # Before "Multinational …".
    refused(
        tmp_path,
        output,
        truncated,
        "the section heading(s) 'Multinational relationships' are missing: the document is "
        "truncated",
    )


def test_a_document_cut_after_the_headings_would_remove_organizations(tmp_path, output, document):
    start = document.index(b"INDIA City Managers' Association of Rajasthan")
    end = document.index(b"Multinational Relationships")
    cut = document[:start] + document[end:]
    message = refused(tmp_path, output, cut, "The rebuild would remove 24 organization(s)")
    assert "  city-managers-association-of-rajasthan (City Managers' Association of Rajasthan)" in (
        message
    )
    assert "--allow-removals" in message


def names_without(tmp_path, slug):
    """A copy of partner_names.json without the facts about `slug`."""
    data = json.loads((settings.PARTNERS_SOURCE_DIR / "partner_names.json").read_text("utf-8"))
    del data["partners"][slug]
    path = tmp_path / "names.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_allow_removals_writes_and_says_what_went(tmp_path, output, document):
    line = b"INDIA Urban Management Centre\n"
    names = names_without(tmp_path, "urban-management-centre")
    printed = build(
        tmp_path, output, document.replace(line, b""), "--allow-removals", "--names", names
    )
    assert "Removing 1 organization(s):\n  urban-management-centre (Urban Management Centre)" in (
        printed
    )
    slugs = [r["fields"].get("slug") for r in json.loads(output.read_text(encoding="utf-8"))]
    assert "urban-management-centre" not in slugs


def test_allow_removals_still_refuses_to_lose_a_removed_partner_s_facts(tmp_path, output, document):
    """A partner renamed in the document is a removal and an addition: its own-language
    name and website, under the old slug, must move with it, not vanish."""
    line = b"INDIA Urban Management Centre\n"
    refused(
        tmp_path,
        output,
        document.replace(line, b""),
        "gives facts about partner(s) the document does not have: urban-management-centre",
        "--allow-removals",
    )


def test_a_last_line_cut_in_the_middle_is_a_removal(tmp_path, output, document):
    cut = document.rstrip()[:-12]
    refused(tmp_path, output, cut, "The rebuild would remove 1 organization(s)")


def test_a_document_that_is_not_utf8_names_the_line(tmp_path, output, document):
    latin1 = document.replace("STMOÚ".encode(), "STMOÚ".encode("latin-1"))
    line = line_number_of(document, "CZECH REPUBLIC")
    refused(tmp_path, output, latin1, f"line {line}: byte 0xda at column ")


def test_a_byte_order_mark_is_fine(tmp_path, output, document):
    before = output.read_bytes()
    build(tmp_path, output, b"\xef\xbb\xbf" + document)
    assert output.read_bytes() == before


def test_windows_line_endings_are_fine(tmp_path, output, document):
    before = output.read_bytes()
    build(tmp_path, output, document.replace(b"\n", b"\r\n"))
    assert output.read_bytes() == before


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x0c", "\r", "\u2028", "\x85"])
def test_a_control_character_names_the_line(tmp_path, output, document, character):
    line = line_number_of(document, "BANGLADESH")
    bad = document.replace(b"Municipal Association", f"Municipal{character}Association".encode())
    refused(tmp_path, output, bad, f"line {line}: control character {character!r} at column")


def test_an_absurdly_long_line_is_refused(tmp_path, output, document):
    line = line_number_of(document, "BANGLADESH")
    bad = document.replace(b"(MAB)", b"x" * 100_000 + b" (MAB)")
    refused(tmp_path, output, bad, f"line {line}: the line is 100,0")


def test_a_name_too_long_for_the_database_is_refused(tmp_path, output, document):
    line = line_number_of(document, "BANGLADESH")
    bad = document.replace(b"Municipal Association", b"Municipal " * 30 + b"Association")
    refused(tmp_path, output, bad, f"line {line}: the name is 3")


def test_a_repeated_heading_is_refused(tmp_path, output, document):
    bad = document + b"\nRelationships by Country\nINDIA Urban Centre\n"
    refused(tmp_path, output, bad, "the heading is repeated (first on line")


def test_a_heading_without_entries_is_refused(tmp_path, output, document):
    end = document.index(b"Multinational Relationships")
    bad = document[:end] + b"Multinational Relationships\n\n"
    refused(tmp_path, output, bad, "no entries under this heading")


def test_an_unreadable_current_fixture_needs_allow_removals(tmp_path, output, document):
    output.write_text("{broken", encoding="utf-8")
    refused(tmp_path, output, document, "the current fixture cannot be read")
    build(tmp_path, output, document, "--allow-removals")
    assert json.loads(output.read_text(encoding="utf-8"))
