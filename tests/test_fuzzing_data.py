"""Property-based tests (hypothesis) for the data path: the parser, build_fixtures and
load_partners are fed generated, mangled and truncated documents and fixture files. Each
either succeeds or raises its clear error; a refused load leaves the database exactly as
it was, and a refused build leaves the fixture file as it was.
"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from partners import countries
from partners.models import Country, ImportRecord, Organization, RelationshipType
from partners.sources.document import DocumentError, check_document, parse_relationships
from tests.dataset import remove_directory
from tests.fuzz import examples

# --- The relationships document ------------------------------------------------------

document_lines = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "Relationships by Country",
            "Multinational Relationships",
            "INDIA Urban Management Centre",
            "CANADA Canadian Association of Municipal Administrators (CAMA)",
            "ESWATINI Local Authorities Managers Association of Swaziland (Eswatini) (LAMAS)",
            "NARNIA Lion Council",
            "india lowercase",
            "(CAMA)",
            "",
        ]
    ),
)


@examples(300)
@given(st.lists(document_lines, max_size=12))
def test_the_parser_reads_a_document_or_names_its_line(lines):
    text = "\n".join(lines)
    try:
        check_document(text)
        entries = parse_relationships(text, countries.code_for)
    except DocumentError as error:
        # A generated line may hold line breaks of its own: count the text's lines.
        assert error.line_number is None or 1 <= error.line_number <= text.count("\n") + 1
        return
    assert entries and all(entry.country_code and entry.name for entry in entries)


@examples(60)
@given(cut=st.integers(min_value=0, max_value=10_000), noise=st.binary(max_size=8), data=st.data())
def test_build_fixtures_rebuilds_or_refuses_and_writes_nothing(
    tmp_path_factory, fixture_path, source_document, cut, noise, data
):
    document = source_document.encode("utf-8")
    cut = cut % (len(document) + 1)
    at = data.draw(st.integers(min_value=0, max_value=len(document)))
    mangled = data.draw(
        st.sampled_from(
            [document[:cut], document[:at] + noise + document[at:], document[:cut] + noise]
        )
    )
    folder = tmp_path_factory.mktemp("build")
    source, output = folder / "relationships.txt", folder / "partners.json"
    source.write_bytes(mangled)
    output.write_bytes(fixture_path.read_bytes())
    try:
        call_command("build_fixtures", "--source", source, "--output", output, stdout=StringIO())
    except CommandError:
        assert output.read_bytes() == fixture_path.read_bytes()
        return
    # Written: the document still gives every organization it gave before.
    before = {r["fields"].get("slug") for r in json.loads(fixture_path.read_text("utf-8"))}
    after = {r["fields"].get("slug") for r in json.loads(output.read_text("utf-8"))}
    assert before <= after


# --- The fixture file and the loader -----------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["", "x" * 250, "a\x00b", "CZ", "bilateral", "europe", ["CZ"], ["ZZ"]]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)
field_names = st.sampled_from(
    [
        "name",
        "slug",
        "code",
        "acronym",
        "other_name",
        "country",
        "relationship_type",
        "region",
        "other_names",
        "description",
        "search_text",
        "unknown",
    ]
)


@st.composite
def mangled_fixtures(draw, records):
    records = json.loads(json.dumps(records))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        index = draw(st.integers(min_value=0, max_value=len(records) - 1))
        action = draw(st.sampled_from(["set", "delete", "duplicate", "remove", "model"]))
        fields = records[index]["fields"]
        if action == "set":
            fields[draw(field_names)] = draw(json_values)
        elif action == "delete" and fields:
            del fields[draw(st.sampled_from(sorted(fields)))]
        elif action == "duplicate":
            records.append(json.loads(json.dumps(records[index])))
        elif action == "remove" and len(records) > 1:
            del records[index]
        elif action == "model":
            records[index]["model"] = draw(json_values)
    text = json.dumps(records, ensure_ascii=draw(st.booleans()))
    if draw(st.booleans()):
        text = text[: draw(st.integers(min_value=0, max_value=len(text)))]
    return text


def snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (RelationshipType, Country, Organization, ImportRecord)
    ]


@pytest.fixture
def fixture_records(fixture_path):
    return json.loads(fixture_path.read_text(encoding="utf-8"))


@examples(30)
@given(data=st.data(), preloaded=st.booleans())
def test_load_partners_loads_or_refuses_and_writes_nothing(
    directory, tmp_path_factory, fixture_records, data, preloaded
):
    path = tmp_path_factory.mktemp("load") / "partners.json"
    path.write_text(data.draw(mangled_fixtures(fixture_records)), encoding="utf-8")
    # Each example starts from the same database: the real directory loaded, or (taken
    # away in the example's own transaction) none at all.
    with transaction.atomic():
        if not preloaded:
            remove_directory()
        before = snapshot()
        try:
            call_command("load_partners", "--fixture", path, verbosity=0)
        except CommandError as error:
            assert "Nothing was written." in str(error)
            assert snapshot() == before
        else:
            for model in (RelationshipType, Country, Organization):
                for entry in model.objects.all():
                    entry.full_clean()  # Whatever was written is valid.
            assert "Kept the staff edit" not in _reload(path)  # No phantom staff edit.
        transaction.set_rollback(True)


def _reload(path):
    out = StringIO()
    call_command("load_partners", "--fixture", path, stdout=out)
    return out.getvalue()
