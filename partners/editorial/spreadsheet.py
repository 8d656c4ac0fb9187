"""The CSV files staff edit in a spreadsheet, read the way Excel writes them.

Excel's "CSV UTF-8" starts with a byte-order mark; its plain "CSV" is Windows-1252 (in
Western languages); its "Unicode text" is UTF-16 with tabs; where the decimal separator
is a comma it separates cells with semicolons. All of these are read here, one record
for each spreadsheet row, each numbered as the spreadsheet numbers it (the headings are
row 1). Text that a wrong encoding garbled on the way ("STMOÃš" for "STMOÚ", as when a
UTF-8 file is opened as Windows-1252 and saved again) is recognised, so that the import
can refuse it rather than write it.
"""

import codecs
import csv
import io
import unicodedata

import tablib
from import_export.formats.base_formats import CSV

DELIMITERS = [",", ";", "\t"]

NOT_TEXT = (
    "This file is not a CSV file a spreadsheet saved (it is neither UTF-8 nor "
    "Windows-1252 text). In Excel, save it with Save As and the type “CSV UTF-8 (Comma "
    "delimited)”, then import that file."
)


class UnreadableFile(ValueError):
    """A file that cannot be read as a spreadsheet's CSV; the message says why and what to
    do, for the import form to show as it is."""


def decode(data):
    """The text of a file: UTF-16 when it starts with UTF-16's byte-order mark, else
    UTF-8 (with or without its mark), else Windows-1252."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile(NOT_TEXT) from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(NOT_TEXT)


def delimiter_of(text):
    """The character that separates the headings on the first line: a comma, or the
    semicolon or tab some spreadsheets use."""
    first_line = text.split("\n", 1)[0]
    return max(DELIMITERS, key=first_line.count) if first_line else ","


def read_rows(data):
    """(headings, [(row number, cells), …]) of a CSV file given as bytes or text. Rows
    left empty are skipped, keeping the others' numbers; a short row is padded with empty
    cells."""
    text = decode(data)
    if "\x00" in text:
        raise UnreadableFile(NOT_TEXT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    try:
        records = list(reader)
    except csv.Error as error:
        raise UnreadableFile(
            f"Row {reader.line_num} of this file cannot be read as CSV ({error}). "
            "Save the file from the spreadsheet as CSV again."
        ) from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise UnreadableFile(
            "The file's first row must hold the column headings, such as Name and Country."
        )
    headings = [heading.strip() for heading in records[0]]
    while headings and not headings[-1]:
        headings.pop()  # Empty columns a spreadsheet left at the right.
    rows = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        extra = cells[len(headings) :]
        if any(cell.strip() for cell in extra):
            raise UnreadableFile(
                f"Row {number} has more cells than the first row has headings. Give every "
                "column a heading in row 1, or remove what is to the right of the table."
            )
        cells = cells[: len(headings)]
        rows.append((number, cells + [""] * (len(headings) - len(cells))))
    return headings, rows


def read_dataset(data):
    """A tablib Dataset of the file's rows, as django-import-export takes it, with the
    spreadsheet's number of each row in `spreadsheet_rows`."""
    headings, rows = read_rows(data)
    dataset = tablib.Dataset(headers=headings)
    for _, cells in rows:
        dataset.append(cells)
    dataset.spreadsheet_rows = [number for number, _ in rows]
    return dataset


def ungarbled(text):
    """What `text` said before a wrong encoding garbled it, or None if it does not look
    garbled. UTF-8 read as Windows-1252 turns each accented letter into two or three
    characters ("Ú" into "Ãš"); written back as Windows-1252 those are the UTF-8 bytes
    again. Ordinary text almost never reads as UTF-8 that way ("São", "Zürich" do not)."""
    if text.isascii():
        return None
    raw = bytearray()
    for character in text:
        try:
            raw += character.encode("cp1252")
        except UnicodeEncodeError:
            # The five bytes Windows-1252 leaves undefined come through as themselves.
            if ord(character) > 0xFF:
                return None
            raw.append(ord(character))
    try:
        original = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return original if original != text else None


class SpreadsheetCSV(CSV):
    """django-import-export's CSV format, reading files as read_dataset() does. Exports
    are the library's (the admin writes them in UTF-8 with the byte-order mark)."""

    def create_dataset(self, in_stream, **kwargs):
        return read_dataset(in_stream)


def windows_1252_forms(text):
    """What a spreadsheet saving `text` as Windows-1252 may write instead, when it cannot
    hold every letter: question marks ("????? ???? ???????"), or the nearest letters
    Windows-1252 has ("Sdruzeni tajemniku", for ž and ů; Excel's "best fit"). Empty when
    Windows-1252 holds `text` whole."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        pass
    else:
        return set()
    best_fit = "".join(
        char if fits_windows_1252(char) else nearest_windows_1252(char) for char in text
    )
    return {text.encode("cp1252", "replace").decode("cp1252"), best_fit}


def fits_windows_1252(char):
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def nearest_windows_1252(char):
    """The letter without its accent where Windows-1252 has it (ě -> e, ț -> t), else ?."""
    base = unicodedata.normalize("NFKD", char)[:1]
    return base if base and fits_windows_1252(base) else "?"
