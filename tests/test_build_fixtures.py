"""build_fixtures writes the fixture from the document; --check catches drift."""

import json

import pytest
from django.core.management import CommandError, call_command


def test_committed_fixture_matches_the_document(fixture_path):
    call_command("build_fixtures", "--check", verbosity=0)  # raises when out of date


def test_fixture_uses_natural_keys_and_no_primary_keys(fixture_path):
    records = json.loads(fixture_path.read_text(encoding="utf-8"))
    assert all("pk" not in record for record in records)
    organization = next(r for r in records if r["model"] == "partners.organization")
    assert organization["fields"]["country"] == ["AU"]
    assert organization["fields"]["relationship_type"] == ["bilateral"]


def test_fixture_counts(fixture_path):
    records = json.loads(fixture_path.read_text(encoding="utf-8"))
    models = [record["model"] for record in records]
    assert models.count("partners.organization") == 37
    assert models.count("partners.country") == 31
    assert models.count("partners.relationshiptype") == 2


def test_country_records_carry_region_and_former_names(fixture_path):
    records = json.loads(fixture_path.read_text(encoding="utf-8"))
    countries = {
        r["fields"]["code"]: r["fields"] for r in records if r["model"] == "partners.country"
    }
    assert countries["SZ"]["name"] == "Eswatini"
    assert "Swaziland" in countries["SZ"]["other_names"].splitlines()
    assert "Czech Republic" in countries["CZ"]["other_names"].splitlines()
    assert countries["CZ"]["region"] == "europe"
    assert countries["CR"]["region"] == "americas"
    assert countries["PS"]["region"] == "asia"


def test_build_writes_the_output_file(tmp_path, fixture_path):
    output = tmp_path / "partners.json"
    call_command("build_fixtures", "--output", output, verbosity=0)
    assert output.read_text(encoding="utf-8") == fixture_path.read_text(encoding="utf-8")


def test_check_fails_when_the_file_differs(tmp_path):
    output = tmp_path / "partners.json"
    output.write_text("[]\n", encoding="utf-8")
    with pytest.raises(CommandError, match="out of date"):
        call_command("build_fixtures", "--check", "--output", output, verbosity=0)
    assert output.read_text(encoding="utf-8") == "[]\n"


def test_check_fails_when_the_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match="out of date"):
        call_command("build_fixtures", "--check", "--output", tmp_path / "none.json")


def test_unreadable_line_fails_with_its_number_and_writes_nothing(tmp_path):
    source = tmp_path / "relationships.txt"
    source.write_text(
        "Relationships by Country\nINDIA Urban Centre\nNARNIA Lion Club\n"
        "Multinational Relationships\nSOUTH AFRICA Commonwealth Local Government Forum\n"
    )
    output = tmp_path / "partners.json"
    with pytest.raises(CommandError, match=r"line 3: unknown country 'NARNIA'"):
        call_command("build_fixtures", "--source", source, "--output", output)
    assert not output.exists()


def test_missing_source_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("build_fixtures", "--source", tmp_path / "missing.txt")
