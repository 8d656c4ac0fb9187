"""Reading what a spreadsheet saves (partners/editorial/spreadsheet.py) and the CSV
columns' cells (partners/editorial/resources.py's widgets), without the database."""

import codecs
import datetime

import pytest

from partners.editorial.resources import Day, EntryNumber, Year, YesNo, heading_key
from partners.editorial.spreadsheet import UnreadableFile, decode, read_rows, ungarbled

TEXT = "Name,Acronym\r\nAssociation of City Managers of the Czech Republic,STMOÚ\r\n"


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-8"),
        TEXT.encode("cp1252"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    ],
    ids=["utf-8 with the mark", "utf-8", "windows-1252", "utf-16"],
)
def test_every_encoding_a_spreadsheet_saves_reads_the_same(data):
    assert decode(data) == TEXT


def test_bytes_that_are_no_text_are_refused():
    with pytest.raises(UnreadableFile, match="neither UTF-8 nor Windows-1252"):
        decode(b"Name\r\n\x81\x8d\x8f\x90\x9d\r\n")
    with pytest.raises(UnreadableFile):
        read_rows(b"Name\r\nA\x00B\r\n")


@pytest.mark.parametrize(
    "garbled, original",
    [
        ("STMOÃš", "STMOÚ"),
        ("Ã‰cole des maires", "École des maires"),
        ("Federación Ã¡ngel", None),  # partly garbled, partly not: not UTF-8 either way
        ("SÃ£o Paulo", "São Paulo"),
        ("São Paulo", None),
        ("Zürich", None),
        ("Côte d\u2019Ivoire", None),
        ("Łódź", None),
        ("Plain ASCII", None),
    ],
)
def test_text_garbled_by_a_wrong_encoding_is_recognised(garbled, original):
    assert ungarbled(garbled) == original


def test_rows_keep_their_spreadsheet_numbers():
    data = (
        b"Name;Description;\r\n"  # semicolons, and an empty column at the right
        b'First;"Two lines,\r\nin one cell";\r\n'
        b";;\r\n"  # a row left empty
        b"Third\r\n"  # a short row
    )
    headings, rows = read_rows(data)
    assert headings == ["Name", "Description"]
    assert rows == [(2, ["First", "Two lines,\r\nin one cell"]), (4, ["Third", ""])]


def test_a_row_longer_than_the_headings_is_named():
    with pytest.raises(UnreadableFile, match="Row 3 has more cells"):
        read_rows(b"Name,Acronym\r\nA,B\r\nC,D,E\r\n")


def test_headings_compare_without_case_spaces_or_underscores():
    assert heading_key("Relationship type") == heading_key("relationship_type")
    assert heading_key("  PARTNER   since ") == heading_key("partner_since")


@pytest.mark.parametrize(
    "text, day",
    [
        ("2026-03-12", datetime.date(2026, 3, 12)),
        ("2026-03-12 00:00:00", datetime.date(2026, 3, 12)),
        ("2026/3/12", datetime.date(2026, 3, 12)),
        ("25/03/2026", datetime.date(2026, 3, 25)),
        ("3/25/2026", datetime.date(2026, 3, 25)),
        ("4/4/2026", datetime.date(2026, 4, 4)),
        ("12 March 2026", datetime.date(2026, 3, 12)),
        ("Mar 12, 2026", datetime.date(2026, 3, 12)),
        ("", None),
    ],
)
def test_dates_as_spreadsheets_write_them(text, day):
    assert Day().clean(text) == day


@pytest.mark.parametrize(
    "text, message",
    [
        ("03/04/2026", "Could be 3 April or 4 March 2026"),
        ("2026-02-30", "Not a date"),
        ("12 Brumaire 2026", "Not a date"),
        ("soon", "Not a date"),
    ],
)
def test_dates_that_say_no_one_day_are_refused(text, message):
    with pytest.raises(ValueError, match=message):
        Day().clean(text)


def test_numbers_are_written_plainly_and_read_with_or_without_separators():
    assert Year().render(2021) == "2021"
    assert EntryNumber().render(12345) == "12345"
    assert [Year().clean(text) for text in ("2021", "2,021", "2021.0", "")] == [
        2021,
        2021,
        2021,
        None,
    ]
    assert [EntryNumber().clean(text) for text in ("12345", "12,345", "12 345", "")] == [
        12345,
        12345,
        12345,
        None,
    ]
    for widget, text in ((Year(), "21"), (Year(), "MMXXI"), (EntryNumber(), "1.5")):
        with pytest.raises(ValueError):
            widget.clean(text)


def test_published_is_yes_or_no():
    assert [YesNo().clean(text) for text in ("yes", "No", "1", "0", "TRUE", "")] == [
        True,
        False,
        True,
        False,
        True,
        False,
    ]
    assert (YesNo().render(True), YesNo().render(False)) == ("yes", "no")
    with pytest.raises(ValueError, match="Write yes or no"):
        YesNo().clean("perhaps")
