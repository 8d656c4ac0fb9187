"""load_partners refuses a fixture with wrong data, naming the record and the field, and
writes nothing; what it does write never looks like a staff edit afterwards."""

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from partners.models import Country, ImportRecord, Organization, RelationshipType

# A first load, into an empty database, unless a test loads first.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_directory")]

CAMA = "canadian-association-of-municipal-administrators"


def load(*arguments):
    out = StringIO()
    call_command("load_partners", *arguments, stdout=out)
    return out.getvalue()


@pytest.fixture
def records(fixture_path):
    return json.loads(fixture_path.read_text(encoding="utf-8"))


def index_of(records, key):
    """The 1-based record number of the entry `key` (as the error messages count)."""
    for index, record in enumerate(records, start=1):
        fields = record["fields"]
        if key in (fields.get("slug"), fields.get("code")):
            return index
    raise KeyError(key)


def write(tmp_path, records):
    path = tmp_path / "partners.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (RelationshipType, Country, Organization, ImportRecord)
    ]


def refused(path, *messages):
    """Loads `path`, expecting a CommandError that says every one of `messages`, and
    nothing written."""
    before = snapshot()
    with pytest.raises(CommandError) as error:
        load("--fixture", path)
    for message in messages:
        assert message in str(error.value)
    assert "Nothing was written." in str(error.value)
    assert snapshot() == before
    return str(error.value)


def organization(records, slug):
    return next(r for r in records if r["fields"].get("slug") == slug)["fields"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (12345, "must be text, not int 12345."),
        ({"en": "Name"}, "must be text, not dict {'en': 'Name'}."),
        (["a", "b"], "must be text, not list"),
        (True, "must be text, not bool True."),
        ("Canadian\x00Association", r"contains control character(s) '\x00'."),
        ("x" * 201, "Ensure this value has at most 200 characters (it has 201)."),
        ("", "This field cannot be blank."),
    ],
)
def test_a_wrong_name_is_refused(tmp_path, records, value, message):
    organization(records, CAMA)["name"] = value
    refused(
        write(tmp_path, records),
        f"record {index_of(records, CAMA)} (partners.organization '{CAMA}'), field 'name': "
        + message,
    )


def test_a_wrong_value_is_refused_after_a_load_too(tmp_path, records):
    load()
    organization(records, CAMA)["name"] = 12345
    refused(write(tmp_path, records), "field 'name': must be text, not int 12345.")
    assert Organization.objects.get(slug=CAMA).name.startswith("Canadian")
    assert "0 kept" in load()  # …and no staff edit that never happened.


def test_the_same_slug_twice_is_refused(tmp_path, records):
    first = index_of(records, CAMA)
    records.append(json.loads(json.dumps(records[first - 1])))
    organization(records[-1:], CAMA)["name"] = "Another association"
    refused(
        write(tmp_path, records),
        f"record {len(records)} (partners.organization '{CAMA}'), field 'slug': "
        f"partners.organization '{CAMA}' is already in record {first}.",
    )


def test_the_same_name_in_one_country_twice_is_refused(tmp_path, records):
    copy = json.loads(json.dumps(records[index_of(records, CAMA) - 1]))
    copy["fields"]["slug"] = "cama-again"
    records.append(copy)
    refused(write(tmp_path, records), "same country and name as record")


def test_an_unknown_reference_is_refused(tmp_path, records):
    organization(records, CAMA)["country"] = ["ZZ"]
    refused(
        write(tmp_path, records),
        "field 'country': refers to partners.country 'ZZ', which does not exist.",
    )


def test_a_reference_that_is_not_a_natural_key_is_refused(tmp_path, records):
    organization(records, CAMA)["relationship_type"] = 1
    refused(write(tmp_path, records), "field 'relationship_type': must be a natural key")


def test_a_choice_that_does_not_exist_is_refused(tmp_path, records):
    records[index_of(records, "CA") - 1]["fields"]["region"] = "atlantis"
    refused(
        write(tmp_path, records),
        "(partners.country 'CA'), field 'region': Value 'atlantis' is not a valid choice.",
    )


def test_a_country_code_that_does_not_exist_is_refused(tmp_path, records):
    records[index_of(records, "CA") - 1]["fields"]["code"] = "QQ"
    refused(write(tmp_path, records), "field 'code': Value 'QQ' is not a valid choice.")


def test_a_bad_slug_is_refused(tmp_path, records):
    organization(records, CAMA)["slug"] = "not a slug!"
    refused(write(tmp_path, records), "field 'slug': Enter a valid “slug”")


def test_every_problem_is_listed_at_once(tmp_path, records):
    organization(records, CAMA)["name"] = 1
    organization(records, CAMA)["acronym"] = {"x": 1}
    records[0]["fields"]["description"] = 5
    message = refused(write(tmp_path, records), "3 problem(s):", "'description'", "'acronym'")
    assert message.count("\n  record") == 3


def test_the_models_own_rules_apply(tmp_path, records, monkeypatch):
    """The loader validates through full_clean(), so Model.clean()'s rules (the admin's)
    refuse a fixture too."""

    def clean(self):
        if self.acronym == "CAMA":
            raise ValidationError({"acronym": "A rule of the model says no."})

    monkeypatch.setattr(Organization, "clean", clean)
    refused(write(tmp_path, records), "field 'acronym': A rule of the model says no.")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "is nested too deeply to be a fixture."),
        ('[{"model": ["partners.country"], "fields": {}}]', "unknown model ['partners.country']"),
        ('[{"model": "partners.country", "fields": []}]', "expected an object"),
        ("[1, 2]", "record 1: expected an object with 'model' and 'fields'."),
    ],
)
def test_a_malformed_file_is_refused(tmp_path, content, message):
    path = tmp_path / "partners.json"
    path.write_text(content, encoding="utf-8")
    refused(path, message)


def test_a_file_that_is_not_utf8_is_refused(tmp_path, fixture_path):
    path = tmp_path / "partners.json"
    path.write_bytes(fixture_path.read_bytes().replace("Ú".encode(), "Ú".encode("latin-1")))
    refused(path, "is not UTF-8 text (byte")


def test_a_value_the_model_normalizes_is_not_a_staff_edit_next_time(tmp_path, records):
    """Country.save() stores other names one a line ("\\r\\n" -> "\\n"): the loader
    remembers what the database holds, so the next run reports no staff edit."""
    records[index_of(records, "SZ") - 1]["fields"]["other_names"] = "Swaziland\r\nEswatini"
    path = write(tmp_path, records)
    load("--fixture", path)
    output = load("--fixture", path)
    assert "Kept the staff edit" not in output
    assert "0 kept" in output
