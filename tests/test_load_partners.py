"""load_partners: counts, idempotence, staff edits, --overwrite, --dry-run, bad files.

The tests of a later load start from the directory as the run loaded it (`directory`);
those of a first load from an empty database (`empty_directory`)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from partners.models import Country, ImportRecord, Organization, RelationshipType
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def load(*arguments):
    out = StringIO()
    call_command("load_partners", *arguments, stdout=out)
    return out.getvalue()


def test_first_load_creates_everything(empty_directory):
    output = load()
    assert Organization.objects.count() == 37
    assert Country.objects.count() == 31
    assert RelationshipType.objects.count() == 2
    assert "Organizations: 37 created, 0 updated, 0 unchanged, 0 kept" in output
    assert "Countries: 31 created" in output


def test_second_load_changes_nothing(directory):
    before = list(Organization.objects.values_list("pk", "updated_at"))
    output = load()
    assert "Organizations: 0 created, 0 updated, 37 unchanged, 0 kept" in output
    assert "0 entries changed." in output
    assert list(Organization.objects.values_list("pk", "updated_at")) == before


def test_loaded_organizations_are_published_and_searchable(directory):
    stmou = Organization.objects.get(acronym="STMOÚ")
    assert stmou.is_published
    assert "czech republic" in stmou.search_text
    assert "stmou" in stmou.search_text


def test_staff_edit_is_kept_and_reported(directory):
    cama = Organization.objects.get(acronym="CAMA")
    cama.name = "Canadian Association of Municipal Administrators (renamed)"
    cama.save()
    output = load()
    cama.refresh_from_db()
    assert cama.name.endswith("(renamed)")
    assert "1 kept" in output
    assert "Kept the staff edit to partners.organization" in output
    assert "canadian-association-of-municipal-administrators" in output


def test_overwrite_restores_the_fixture_values(directory):
    cama = Organization.objects.get(acronym="CAMA")
    cama.name = "Renamed by staff"
    cama.save()
    output = load("--overwrite")
    cama.refresh_from_db()
    assert cama.name == "Canadian Association of Municipal Administrators"
    assert "Overwrote the staff edit" in output


def test_fields_the_fixture_does_not_carry_belong_to_staff(directory):
    cama = Organization.objects.get(acronym="CAMA")
    cama.description = "Written by staff."
    cama.is_published = False
    cama.save()
    output = load("--overwrite")
    cama.refresh_from_db()
    assert (cama.description, cama.is_published) == ("Written by staff.", False)
    assert "37 unchanged" in output


def test_fixture_change_updates_entries_staff_did_not_touch(directory, tmp_path, fixture_path):
    records = json.loads(fixture_path.read_text(encoding="utf-8"))
    for record in records:
        if record["fields"].get("slug") == "association-otg":
            record["fields"]["name"] = "Association of Amalgamated Hromadas"
    changed = tmp_path / "partners.json"
    changed.write_text(json.dumps(records), encoding="utf-8")
    output = load("--fixture", changed)
    assert Organization.objects.get(slug="association-otg").name == (
        "Association of Amalgamated Hromadas"
    )
    assert "Organizations: 0 created, 1 updated, 36 unchanged" in output


def test_entries_staff_added_are_never_deleted(directory):
    added = OrganizationFactory(
        name="Association of Local Authorities of Narnia", country=Country.objects.get(code="IN")
    )
    output = load("--overwrite")
    assert Organization.objects.filter(pk=added.pk).exists()
    assert "1 not in the fixture" in output


def test_entry_deleted_by_staff_is_not_recreated(directory):
    Organization.objects.get(acronym="CAMA").delete()
    output = load()
    assert not Organization.objects.filter(acronym="CAMA").exists()
    assert "1 left deleted (by staff)" in output
    assert "Left partners.organization 'canadian-association-of-municipal-administrators'" in (
        output
    )


def test_overwrite_restores_an_entry_deleted_by_staff(directory):
    Organization.objects.get(acronym="CAMA").delete()
    load("--overwrite")
    assert Organization.objects.filter(acronym="CAMA").exists()


def test_report_names_entries_not_in_the_fixture(directory):
    OrganizationFactory(
        name="Association of Local Authorities of Narnia", country=Country.objects.get(code="IN")
    )
    assert (
        "Not in the fixture, left as it is: partners.organization "
        "'Association of Local Authorities of Narnia'" in load()
    )


def test_dry_run_reports_and_writes_nothing(empty_directory):
    output = load("--dry-run")
    assert "Would have: Organizations: 37 created" in output
    assert Organization.objects.count() == 0
    assert ImportRecord.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"model": "partners.country"}', "JSON list"),
        ('[{"model": "auth.user", "fields": {}}]', "unknown model 'auth.user'"),
        ('[{"model": "partners.country", "fields": {"code": "CZ"}}]', "missing field"),
    ],
)
def test_malformed_fixture_is_a_clear_error(empty_directory, tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        load("--fixture", bad)
    assert Country.objects.count() == 0


def test_missing_fixture_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Fixture file not found"):
        load("--fixture", tmp_path / "missing.json")


def test_invalid_entry_rolls_back_everything(empty_directory, tmp_path, fixture_path):
    records = json.loads(fixture_path.read_text(encoding="utf-8"))
    records[-1]["fields"]["country"] = ["ZZ"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(records), encoding="utf-8")
    with pytest.raises(CommandError, match=r"refers to partners\.country 'ZZ'"):
        load("--fixture", bad)
    assert Organization.objects.count() == 0
    assert Country.objects.count() == 0


def test_loaddata_loads_the_same_fixture(empty_directory):
    call_command("loaddata", "partners", verbosity=0)
    assert Organization.objects.count() == 37
    assert Organization.objects.filter(search_text__contains="swaziland").count() == 1
    # …and load_partners then finds it all in place.
    assert "37 unchanged" in load()
