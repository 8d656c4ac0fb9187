"""Partners' names in their own languages and their websites (issue #25): read from
fixtures/source/partner_names.json with a source for each fact, built into the fixture,
loaded without trampling staff edits, searched, and shown with their `lang`."""

import json
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from partners.models import ImportRecord, Organization
from partners.sources.fixtures import build_records
from partners.sources.names import NamesFileError, read_partner_names

AMHON = "honduran-municipal-association"


def names_file(**partners):
    return json.dumps({"about": ["test"], "partners": partners})


def honduras(**changes):
    entry = {
        "native_name": {
            "text": "Asociación de Municipios de Honduras",
            "language": "es",
            "source": "https://amhon.hn/ (page title)",
        },
        "website": {"url": "https://amhon.hn/", "source": "https://amhon.hn/"},
    }
    entry.update(changes)
    return entry


def test_a_partner_s_facts_are_read_with_their_language():
    facts = read_partner_names(names_file(**{AMHON: honduras()}))
    assert facts == {
        AMHON: {
            "native_name": "Asociación de Municipios de Honduras",
            "native_name_language": "es",
            "website": "https://amhon.hn/",
        }
    }


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (honduras(website={"url": "https://amhon.hn/"}), "the website has no source"),
        (honduras(website={"url": "amhon.hn", "source": "x"}), "Enter a web address"),
        (
            honduras(native_name={"text": "AMHON", "language": "Spanish", "source": "x"}),
            "Enter a language code",
        ),
        (
            honduras(native_name={"text": "Asociación", "source": "x"}),
            "needs both its text and its language",
        ),
        (
            honduras(native_name={"text": "A\u202eB", "language": "es", "source": "x"}),
            "control characters",
        ),
    ],
)
def test_a_fact_without_source_or_in_a_bad_form_is_refused(entry, message):
    with pytest.raises(NamesFileError, match=message):
        read_partner_names(names_file(**{AMHON: entry}))


def test_facts_about_a_partner_the_document_lacks_are_refused_by_name(tmp_path, fixture_path):
    path = tmp_path / "names.json"
    path.write_text(names_file(**{"renamed-association": honduras()}), encoding="utf-8")
    output = tmp_path / "partners.json"
    output.write_bytes(fixture_path.read_bytes())
    with pytest.raises(CommandError, match="the document does not have: renamed-association"):
        call_command("build_fixtures", "--names", path, "--output", output, stdout=StringIO())
    assert output.read_bytes() == fixture_path.read_bytes()


@pytest.mark.parametrize("text", ["", "[]", '{"partners": []}', "{"])
def test_a_malformed_file_is_refused(text):
    with pytest.raises(NamesFileError, match="cannot be read"):
        read_partner_names(text)


def test_the_fixture_carries_the_facts_and_searches_the_native_name(source_document):
    records = build_records(source_document, read_partner_names(names_file(**{AMHON: honduras()})))
    fields = next(r["fields"] for r in records if r["fields"].get("slug") == AMHON)
    assert fields["native_name"] == "Asociación de Municipios de Honduras"
    assert fields["native_name_language"] == "es"
    assert fields["website"] == "https://amhon.hn/"
    assert " asociacion de municipios de honduras " in fields["search_text"]
    others = [r["fields"] for r in records if r["model"] == "partners.organization"]
    assert all(f["website"] == "" for f in others if f["slug"] != AMHON)


def test_build_fixtures_names_a_missing_names_file(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*missing\.json"):
        call_command(
            "build_fixtures", "--check", "--names", tmp_path / "missing.json", stdout=StringIO()
        )


def test_build_fixtures_names_the_names_file_s_problem(tmp_path):
    path = tmp_path / "names.json"
    path.write_text(names_file(**{AMHON: honduras(website={"url": "x", "source": "y"})}))
    with pytest.raises(CommandError, match=f"names.json: {AMHON}: website 'x'"):
        call_command("build_fixtures", "--check", "--names", path, stdout=StringIO())


@pytest.mark.django_db
def test_a_native_name_needs_its_language_and_a_language_its_name(directory):
    amhon = Organization.objects.get(slug=AMHON)
    amhon.native_name, amhon.native_name_language = "Asociación de Municipios", ""
    with pytest.raises(ValidationError) as error:
        amhon.full_clean()
    assert "native_name_language" in error.value.message_dict
    amhon.native_name, amhon.native_name_language = "", "es"
    with pytest.raises(ValidationError) as error:
        amhon.full_clean()
    assert "native_name" in error.value.message_dict


@pytest.mark.django_db
def test_a_later_load_fills_the_new_facts_of_entries_loaded_before_them(directory, fixture_path):
    """An entry loaded before the fixture carried websites (its ImportRecord lacks them)
    and left empty by staff takes the fixture's values; one staff gave a website keeps
    it."""
    for record in ImportRecord.objects.filter(model="partners.organization"):
        for name in ("native_name", "native_name_language", "website"):
            record.values.pop(name, None)
        record.save()
    Organization.objects.update(native_name="", native_name_language="", website="")
    staff = Organization.objects.get(acronym="CAMA")
    staff.website = "https://staff.example.org/"
    staff.save()
    output = StringIO()
    call_command("load_partners", stdout=output)
    staff.refresh_from_db()
    assert staff.website == "https://staff.example.org/"
    loaded = json.loads(fixture_path.read_text(encoding="utf-8"))
    wanted = {
        r["fields"]["slug"]: r["fields"]["website"]
        for r in loaded
        if r["model"] == "partners.organization"
    }
    for organization in Organization.objects.exclude(pk=staff.pk):
        assert organization.website == wanted[organization.slug]


@pytest.mark.django_db
def test_a_staff_edit_to_a_website_survives_a_later_load(directory):
    amhon = Organization.objects.get(slug=AMHON)
    amhon.website = "https://staff.example.org/amhon/"
    amhon.save()
    output = StringIO()
    call_command("load_partners", stdout=output)
    amhon.refresh_from_db()
    assert amhon.website == "https://staff.example.org/amhon/"
    assert "Kept the staff edit" in output.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_pages_show_the_native_name_in_its_language(directory, client, language):
    amhon = Organization.objects.get(slug=AMHON)
    amhon.native_name, amhon.native_name_language = "Asociación de Municipios de Honduras", "es"
    amhon.save()
    with translation.override(language):
        page = client.get(amhon.get_absolute_url()).content.decode()
        card = client.get(reverse("partners:directory"), {"country": "HN"}).content.decode()
    assert "<h1>Honduran Municipal Association</h1>" in page
    assert (
        '<p class="partner__other-name" lang="es" dir="auto">'
        "Asociación de Municipios de Honduras</p>"
    ) in page
    assert 'class="partner-card__other" lang="es" dir="auto">Asociación de Municipios' in card


@pytest.mark.django_db
def test_a_page_in_the_name_s_own_language_gives_it_first(directory, client):
    """On /es/, AMHON is the Asociación de Municipios de Honduras; the English rendering
    follows, marked as English."""
    amhon = Organization.objects.get(slug=AMHON)
    with translation.override("es"):
        page = client.get(amhon.get_absolute_url()).content.decode()
        card = client.get(reverse("partners:directory"), {"country": "HN"}).content.decode()
    assert "<title>Asociación de Municipios de Honduras" in page
    assert "<h1>Asociación de Municipios de Honduras</h1>" in page
    assert '<p class="partner__other-name" lang="en">Honduran Municipal Association</p>' in page
    assert ">Asociación de Municipios de Honduras</a>" in card
    assert '<p class="partner-card__other" lang="en">Honduran Municipal Association</p>' in card


@pytest.mark.django_db
def test_search_finds_a_partner_by_its_native_name(directory, client):
    amhon = Organization.objects.get(slug=AMHON)
    amhon.native_name, amhon.native_name_language = "Asociación de Municipios de Honduras", "es"
    amhon.save()
    with translation.override("es"):
        response = client.get(reverse("partners:directory"), {"q": "Municipios de Honduras"})
    assert next(iter(response.context["page_obj"])).slug == AMHON


@pytest.mark.django_db
def test_the_document_s_other_name_is_not_shown_twice_beside_the_native_one(directory):
    swedish = Organization.objects.get(slug="association-of-swedish-city-managers")
    swedish.native_name = "Svenska Kommundirektörsföreningen"
    assert swedish.shown_other_name == ""
    swedish.native_name = "Sveriges Kommundirektörer"
    assert swedish.shown_other_name == "Svenska Kommundirektorsforeningen"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "names"),
    [("en", ["Central America", "Caribbean"]), ("es", ["Centroamérica", "Caribe"])],
)
def test_a_multinational_page_names_the_regions_it_serves_in_the_page_s_language(
    directory, client, language, names
):
    camcayca = Organization.objects.get(acronym="CAMCAYCA")
    with translation.override(language):
        response = client.get(camcayca.get_absolute_url())
        directory_url = reverse("partners:directory")
    assert response.context["regions_served"] == names
    for name in names:
        assert f'<a href="{directory_url}?q={quote(name)}">{name}</a>' in response.content.decode()


@pytest.mark.django_db
def test_a_bilateral_partner_serves_no_region(directory, client):
    response = client.get(Organization.objects.get(acronym="AMHON").get_absolute_url())
    assert response.context["regions_served"] == []


@pytest.mark.django_db
def test_a_website_no_source_gives_stays_staff_s_even_with_overwrite(directory):
    """CMAK has no website in partner_names.json: the website staff give it is theirs,
    and a later change the document makes to its name still loads."""
    cmak = Organization.objects.get(acronym="CMAK")
    cmak.website = "https://cmak.example.org/"
    cmak.save()
    assert "0 kept" in load_output()
    assert Organization.objects.get(acronym="CMAK").website == "https://cmak.example.org/"
    load_output("--overwrite")
    assert Organization.objects.get(acronym="CMAK").website == "https://cmak.example.org/"


@pytest.mark.django_db
def test_a_fixture_rename_loads_beside_a_staff_website(directory, tmp_path, fixture_path):
    cmak = Organization.objects.get(acronym="CMAK")
    cmak.website = "https://cmak.example.org/"
    cmak.save()
    records = json.loads(fixture_path.read_text(encoding="utf-8"))
    for record in records:
        if record["fields"].get("slug") == cmak.slug:
            record["fields"]["name"] = "City Managers' Association, Karnataka"
    changed = tmp_path / "partners.json"
    changed.write_text(json.dumps(records), encoding="utf-8")
    output = load_output("--fixture", changed)
    cmak.refresh_from_db()
    assert (cmak.name, cmak.website) == (
        "City Managers' Association, Karnataka",
        "https://cmak.example.org/",
    )
    assert "1 updated" in output


def load_output(*arguments):
    output = StringIO()
    call_command("load_partners", *arguments, stdout=output)
    return output.getvalue()
