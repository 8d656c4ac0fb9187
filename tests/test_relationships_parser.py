"""The parser reads every line of the real document, and refuses what it cannot read."""

import pytest

from partners import countries
from partners.sources.document import (
    BILATERAL,
    MULTINATIONAL,
    DocumentError,
    looks_like_acronym,
    parse_relationships,
    split_name,
)

B, M = BILATERAL, MULTINATIONAL

# (country code, name, acronym, other name, type) for every line, in document order.
EXPECTED = [
    ("AU", "Local Government Professionals Australia, New South Wales", "LGPA NSW", "", B),
    ("BD", "Municipal Association of Bangladesh", "MAB", "", B),
    ("CA", "Association of Municipal Managers, Clerks and Treasurers of Ontario", "", "", B),
    ("CA", "Canadian Association of Municipal Administrators", "CAMA", "", B),
    ("CZ", "Association of City Managers of the Czech Republic", "STMOÚ", "", B),
    ("DO", "Dominican Federation of Municipalities", "FEDOMU", "", B),
    ("SZ", "Local Authorities Managers Association of Swaziland (Eswatini)", "LAMAS", "", B),
    ("GE", "National Association of Local Authorities of Georgia", "NALAG", "", B),
    ("HN", "Honduran Municipal Association", "AMHON", "", B),
    ("IN", "City Managers' Association of Karnataka", "CMAK", "", B),
    ("IN", "City Managers' Association of Rajasthan", "CMAR", "", B),
    ("IN", "City Managers' Association, Gujarat", "CMAG", "", B),
    ("IN", "Urban Management Centre", "", "", B),
    ("ID", "Indonesia Municipalities", "APEKSI", "", B),
    ("IE", "County and City Managers' Association of Ireland", "CCMA", "", B),
    ("IL", "Federation of Local Authorities in Israel", "", "", B),
    ("KE", "Association of County Governments of Kenya", "ACGOK", "", B),
    ("NP", "Municipal Association of Nepal", "MuAN", "", B),
    ("PS", "Association of Palestinian Local Authorities", "APLA", "", B),
    ("PA", "Municipalities Association of Panama", "AMUPA", "", B),
    ("PH", "League of Cities of the Philippines", "LCP", "", B),
    (
        "PL",
        "National Council of LGU Secretaries Forum/ Foundation in Support of Local Democracy",
        "FRDL",
        "",
        B,
    ),
    ("RO", "The Association of Public Administrators in Romania", "AAPRO", "", B),
    ("SK", "Slovak City Managers Association", "SCMA", "", B),
    ("ZA", "Institute for Local Government Management of South Africa", "iLGM", "", B),
    ("ZA", "South African Local Government Association", "SALGA", "", B),
    ("LK", "Federation of Sri Lankan Local Government Authorities", "FSLGA", "", B),
    ("SE", "Association of Swedish City Managers", "", "Svenska Kommundirektorsforeningen", B),
    ("TZ", "Association of Local Authorities of Tanzania", "ALAT", "", B),
    ("UA", "Association of Ukrainian Cities", "AUC", "", B),
    ("UA", "Association OTG", "", "", B),
    (
        "GB",
        "Society of Local Authority Chief Executives & Senior Managers",
        "SOLACE",
        "",
        B,
    ),
    ("VN", "Association of Cities of Vietnam", "ACVN", "", B),
    ("ZM", "Local Government Association of Zambia", "LGAZ", "", B),
    (
        "CR",
        "Confederation of Municipalities of Central America and the Caribbean",
        "CAMCAYCA",
        "",
        M,
    ),
    (
        "EC",
        "Federation of Cities, Municipalities and Associations of Latin America",
        "FLACMA",
        "",
        M,
    ),
    ("AE", "Environmental Center for Arab Towns", "ECAT", "", M),
]


def parse(text):
    return parse_relationships(text, countries.code_for)


def test_every_line_of_the_document_parses_to_its_entry(source_document):
    entries = parse(source_document)
    got = [(e.country_code, e.name, e.acronym, e.other_name, e.relationship_type) for e in entries]
    assert got == EXPECTED


def test_the_document_holds_37_partners_in_31_countries(source_document):
    entries = parse(source_document)
    assert len(entries) == 37
    assert len({entry.country_code for entry in entries}) == 31
    assert sum(entry.relationship_type == MULTINATIONAL for entry in entries) == 3


def test_each_entry_remembers_its_line_number(source_document):
    first = parse(source_document)[0]
    lines = source_document.splitlines()
    assert lines[first.line_number - 1].startswith("AUSTRALIA ")


def test_country_of_several_words_is_read_whole():
    (entry,) = parse("Relationships by Country\nSOUTH AFRICA South African Local Government X\n")
    assert (entry.country_name, entry.country_code) == ("SOUTH AFRICA", "ZA")
    assert entry.name == "South African Local Government X"


def test_former_country_name_maps_to_the_current_code():
    (entry,) = parse("Relationships by Country\nCZECH REPUBLIC Some Association (SA)\n")
    assert entry.country_code == "CZ"


def test_acronym_with_a_space_is_an_acronym():
    assert split_name("Local Government Professionals Australia, NSW (LGPA NSW)", bool) == (
        "Local Government Professionals Australia, NSW",
        "LGPA NSW",
        "",
    )


def test_acronym_with_an_accented_capital_is_an_acronym():
    assert split_name("Association of City Managers (STMOÚ)", bool)[1] == "STMOÚ"


@pytest.mark.parametrize("acronym", ["MuAN", "iLGM", "CAMA", "LGPA NSW", "STMOÚ"])
def test_mixed_case_acronyms_read_as_acronyms(acronym):
    assert looks_like_acronym(acronym)


@pytest.mark.parametrize(
    "text", ["Eswatini", "Svenska Kommundirektorsforeningen", "formerly X", "A", "ICMA member 2"]
)
def test_words_are_not_acronyms(text):
    assert not looks_like_acronym(text)


def test_a_country_in_parentheses_stays_part_of_the_name():
    name, acronym, other_name = split_name(
        "Local Authorities Managers Association of Swaziland (Eswatini) (LAMAS)",
        lambda text: bool(countries.code_for(text)),
    )
    assert name == "Local Authorities Managers Association of Swaziland (Eswatini)"
    assert (acronym, other_name) == ("LAMAS", "")


def test_a_trailing_name_in_another_language_is_the_other_name():
    name, acronym, other_name = split_name(
        "Association of Swedish City Managers (Svenska Kommundirektorsforeningen)",
        lambda text: bool(countries.code_for(text)),
    )
    assert (name, acronym, other_name) == (
        "Association of Swedish City Managers",
        "",
        "Svenska Kommundirektorsforeningen",
    )


def test_a_name_without_parentheses_has_no_acronym():
    assert split_name("Association OTG", bool) == ("Association OTG", "", "")


def test_lines_before_the_first_section_are_prose():
    entries = parse("Intro text (NOT AN ENTRY)\n\nRelationships by Country\nINDIA Urban Centre\n")
    assert [entry.name for entry in entries] == ["Urban Centre"]


def test_unknown_country_names_the_line():
    text = "Relationships by Country\nINDIA Urban Management Centre\nATLANTIS Sea Council (SC)\n"
    with pytest.raises(DocumentError) as error:
        parse(text)
    assert error.value.line_number == 3
    assert "ATLANTIS Sea Council (SC)" in str(error.value)
    assert "unknown country 'ATLANTIS'" in str(error.value)


def test_line_without_a_country_in_capitals_names_the_line():
    with pytest.raises(DocumentError) as error:
        parse("Relationships by Country\nIndia Urban Management Centre\n")
    assert error.value.line_number == 2
    assert "India Urban Management Centre" in str(error.value)


def test_line_with_only_a_country_is_an_error():
    with pytest.raises(DocumentError) as error:
        parse("Multinational Relationships\nINDIA\n")
    assert error.value.line_number == 2


def test_document_without_sections_is_an_error():
    with pytest.raises(DocumentError, match="no relationships found"):
        parse("Some page that is not the relationships document\n")
