"""The staff's CSV round trip through the real admin, as a spreadsheet sees it: the export
in UTF-8 with the byte-order mark and the admin's labels as headings; the import of what
Excel saves (UTF-8 with or without the mark, Windows-1252, semicolons), accents kept;
text garbled by a wrong encoding refused; every bad row named by its spreadsheet row,
column and value, and nothing written."""

import codecs
import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import partners.editorial.admin
from partners.editorial.admin import OrganizationForm
from partners.editorial.resources import OrganizationResource
from partners.editorial.websites import WebsiteField, clean_website
from partners.models import Country, Organization
from tests.staff import make_editor, organization_form_data

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("admin:partners_organization_export")
IMPORT_URL = reverse("admin:partners_organization_import")
PROCESS_URL = reverse("admin:partners_organization_process_import")
FIELDS = OrganizationResource.Meta.fields
LABELS = [
    "ID",
    "Name",
    "Acronym",
    "Other name",
    "Name in its own language",
    "Language of that name",
    "Slug",
    "Country",
    "Relationship type",
    "Countries served",
    "Website",
    "Description",
    "Partner since",
    "Last verified",
    "Published",
]
EXPORT_FORM = {
    "format": "0",
    "resource": "0",
    **{f"organizationresource_{field}": "on" for field in FIELDS},
}
# Accents Windows-1252 can write, as a description might have them.
ACCENTED = "Asociación de Municipios de Panamá — revisión de 2026, Zürich"


@pytest.fixture
def editor_client(client, django_user_model, directory, tmp_path, monkeypatch):
    monkeypatch.setattr(partners.editorial.admin, "UPLOAD_FOLDER", tmp_path / "uploads")
    client.force_login(make_editor(django_user_model))
    return client


def export(client, query=""):
    response = client.post(f"{EXPORT_URL}?{query}", EXPORT_FORM)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return response.content


def read(data, encoding="utf-8-sig"):
    return list(csv.DictReader(io.StringIO(data.decode(encoding), newline="")))


def as_bytes(rows, encoding="utf-8", delimiter=",", headings=None):
    out = io.StringIO(newline="")
    writer = csv.DictWriter(
        out, fieldnames=headings or list(rows[0]), delimiter=delimiter, lineterminator="\r\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    # A letter the encoding cannot hold becomes "?", as Excel writes it.
    return out.getvalue().encode(encoding, "replace")


def latin(rows):
    """The rows Windows-1252 can write whole: not the names in Cyrillic, Georgian, …"""
    return [
        row
        for row in rows
        if "".join(row.values()).encode("cp1252", "replace").decode("cp1252")
        == "".join(row.values())
    ]


def upload(client, data):
    return client.post(
        IMPORT_URL,
        {
            "import_file": SimpleUploadedFile("partners.csv", data, "text/csv"),
            "format": "0",
            "resource": "0",
        },
    )


def confirm(client, preview):
    return client.post(PROCESS_URL, preview.context["confirm_form"].initial, follow=True)


def problems(response):
    return [
        (problem.row, problem.column, problem.value, problem.message)
        for problem in response.context["result"].problems
    ]


def directory_state():
    return (
        list(Organization.objects.values().order_by("pk")),
        list(Organization.countries_served.through.objects.values().order_by("pk")),
        Organization.history.count(),
    )


def row_of(rows, acronym):
    (row,) = [row for row in rows if row["Acronym"] == acronym]
    return row


# The export.


def test_the_export_is_utf8_with_the_byte_order_mark_and_the_admins_labels(editor_client):
    data = export(editor_client)
    assert data.startswith(codecs.BOM_UTF8)
    assert data[3:].split(b"\r\n", 1)[0].decode() == ",".join(LABELS)
    # The labels are the admin form's own.
    form = OrganizationForm()
    assert form["partner_since"].label == "Partner since"
    assert form["is_published"].label == "Published"


def test_years_and_ids_are_plain_numbers_and_published_is_yes_or_no(editor_client):
    cama = Organization.objects.get(acronym="CAMA")
    Organization.objects.filter(pk=cama.pk).update(partner_since=2021)
    copy = Organization.objects.get(pk=cama.pk)
    copy.pk, copy.id = None, 12345
    copy.name, copy.slug, copy.acronym, copy.is_published = "CAMA copy", "cama-copy", "", False
    copy.save()
    rows = read(export(editor_client, "q=CAMA"))
    assert {row["ID"]: (row["Partner since"], row["Published"]) for row in rows} == {
        str(cama.pk): ("2021", "yes"),
        "12345": ("2021", "no"),
    }


# The round trip.


def test_an_unchanged_export_imports_as_no_change(editor_client):
    before = directory_state()
    preview = upload(editor_client, export(editor_client))
    assert problems(preview) == []
    assert "0 new partners, 0 changed, 37 unchanged" in preview.content.decode()
    confirm(editor_client, preview)
    assert directory_state() == before


@pytest.mark.parametrize(
    "encoding",
    [
        pytest.param("utf-8-sig", id="utf-8 with the byte-order mark"),
        pytest.param("utf-8", id="utf-8 without it"),
        pytest.param("cp1252", id="windows-1252"),
    ],
)
def test_the_round_trip_keeps_accents_in_every_encoding_excel_saves(editor_client, encoding):
    rows = read(export(editor_client))
    assert row_of(rows, "STMOÚ")["Name"] == "Association of City Managers of the Czech Republic"
    row_of(rows, "CAMA")["Description"] = ACCENTED
    data = as_bytes(latin(rows) if encoding == "cp1252" else rows, encoding)
    assert data.startswith(codecs.BOM_UTF8) == (encoding == "utf-8-sig")

    preview = upload(editor_client, data)
    assert problems(preview) == []
    (changed,) = preview.context["result"].valid_rows()
    assert [(c.column, c.new) for c in changed.changes] == [("Description", ACCENTED)]
    assert ACCENTED in preview.content.decode()

    confirm(editor_client, preview)
    assert Organization.objects.get(acronym="CAMA").description == ACCENTED
    assert Organization.objects.filter(acronym="STMOÚ").exists()


def test_a_file_saved_with_semicolons_is_read_too(editor_client):
    rows = read(export(editor_client))
    row_of(rows, "CAMA")["Description"] = ACCENTED
    preview = upload(editor_client, as_bytes(latin(rows), "cp1252", delimiter=";"))
    assert problems(preview) == []
    assert len(preview.context["result"].valid_rows()) == 1


def test_names_a_windows_1252_save_turned_to_question_marks_are_refused(editor_client):
    rows = read(export(editor_client))
    auc = row_of(rows, "AUC")
    assert auc["Name in its own language"] == "Асоціація міст України"
    preview = upload(editor_client, as_bytes(rows, "cp1252"))
    found = problems(preview)
    assert any(
        column == "Name in its own language"
        and "Асоціація міст України" in message
        and "were lost" in message
        and "CSV UTF-8" in message
        for _, column, _, message in found
    ), found
    assert Organization.objects.get(acronym="AUC").native_name == "Асоціація міст України"


def test_text_garbled_by_a_wrong_encoding_is_refused_with_what_it_said(editor_client):
    # The export opened in Excel as Windows-1252 (no byte-order mark), saved as UTF-8.
    rows = read(export(editor_client))
    row_of(rows, "STMOÚ")["Acronym"] = "STMOÃš"
    number = 2 + [row["Slug"] for row in rows].index(row_of(rows, "STMOÃš")["Slug"])
    before = directory_state()
    response = upload(editor_client, as_bytes(rows, "utf-8"))
    ((row, column, value, message),) = problems(response)
    assert (row, column, value) == (number, "Acronym", "STMOÃš")
    assert "garbled by a wrong encoding" in message and "“STMOÚ”" in message
    assert response.context.get("confirm_form") is None
    assert directory_state() == before


def test_a_file_that_is_not_text_is_refused_in_plain_words(editor_client):
    response = upload(editor_client, b"ID,Name\r\n1,\x81\x8d\x8f\x90\r\n")
    assert response.status_code == 200
    (error,) = response.context["form"].errors["import_file"]
    assert "neither UTF-8 nor Windows-1252" in error


# Every bad row named.


def test_three_bad_rows_are_all_named_with_row_column_and_value_and_nothing_is_written(
    editor_client,
):
    rows = read(export(editor_client))
    assert len(rows) == 37  # spreadsheet rows 2 to 38
    for number in range(1, 8):  # rows 39 to 45: new partners
        rows.append(
            dict(
                rows[0],
                ID="",
                Name=f"Town Association {number}",
                Acronym="",
                Slug=f"town-association-{number}",
                Country="CZ",
                **{"Relationship type": "bilateral", "Countries served": ""},
            )
        )
    for row in rows:
        row["Description"] = "Checked in the 2026 review."
        if row["Relationship type"] == "multinational":
            row["Countries served"] = "CR;DO"
    rows[13 - 2]["Partner since"] = "1850"
    rows[26 - 2]["Website"] = "not a site"
    rows[40 - 2]["Country"] = "XX"
    before = directory_state()

    response = upload(editor_client, as_bytes(rows))
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    assert problems(response) == [
        (13, "Partner since", "1850", "ICMA was founded in 1914: give a later year."),
        (26, "Website", "not a site", "Enter a web address starting with http:// or https://."),
        (40, "Country", "XX", "Not a country code; use a two-letter ISO code, such as ZM."),
    ]
    text = response.content.decode()
    assert "Nothing was imported: 3 problems in 3 rows" in text
    assert (
        "<strong>Row 40</strong>, Country <q>XX</q>: "
        "Not a country code; use a two-letter ISO code, such as ZM."
    ) in text
    assert directory_state() == before


def test_headings_may_be_labels_or_field_names_in_any_case(editor_client):
    cama = Organization.objects.get(acronym="CAMA")
    data = (
        "id,NAME,country,Relationship_Type,website,published\r\n"
        f"{cama.pk},{cama.name},CA,bilateral,https://www.camacam.ca/,yes\r\n"
    ).encode()
    preview = upload(editor_client, data)
    assert problems(preview) == []
    confirm(editor_client, preview)
    assert Organization.objects.get(acronym="CAMA").website == "https://www.camacam.ca/"


def test_an_unknown_or_repeated_heading_is_named(editor_client):
    cama = Organization.objects.get(acronym="CAMA")
    data = f"ID,Webiste,Name,name\r\n{cama.pk},x,{cama.name},{cama.name}\r\n".encode()
    response = upload(editor_client, data)
    assert response.context.get("confirm_form") is None
    found = problems(response)
    assert [(row, column, value) for row, column, value, _ in found] == [
        (1, "Heading", "Webiste"),
        (1, "Heading", "name"),
    ]
    assert found[0][3].startswith("Not a column of the directory; use the headings of an export")
    assert found[1][3] == "This column is in the file twice; keep one Name column."


def test_rows_that_would_share_a_slug_or_an_id_are_named(editor_client):
    canada = Country.objects.get(code="CA")
    first, second = read(export(editor_client, f"country__id__exact={canada.pk}"))[:2]
    taken = f"Already the slug of “{Organization.objects.get(pk=first['ID'])}”"
    rows = [
        first,  # row 2
        dict(second, Slug=first["Slug"]),  # row 3
        dict(first, Description="The same entry again"),  # row 4
        dict(first, ID="", Name="A new partner", Slug="a-new-partner"),  # row 5
        dict(first, ID="", Name="Another new partner", Slug="a-new-partner"),  # row 6
        dict(first, ID="999999", Name="Deleted long ago", Slug="deleted-long-ago"),  # row 7
    ]
    before = directory_state()
    response = upload(editor_client, as_bytes(rows))
    found = {(row, column): message for row, column, _, message in problems(response)}
    assert found == {
        (3, "Slug"): f"{taken}; each partner needs its own.",
        (4, "ID"): "Row 2 is this partner too; keep one row for each.",
        (4, "Slug"): "Also the slug of row 3; each partner needs its own.",
        (5, "Slug"): "Also the slug of row 6; each partner needs its own.",
        (6, "Slug"): "Also the slug of row 5; each partner needs its own.",
        (7, "ID"): "No partner has this ID (it may have been deleted); leave ID empty to add "
        "a new partner.",
    }
    assert directory_state() == before


def test_dates_a_spreadsheet_rewrote_are_read_when_they_can_only_mean_one_day(editor_client):
    rows = read(export(editor_client, "q=CAMA"))
    rows[0]["Last verified"] = "25/03/2026"
    preview = upload(editor_client, as_bytes(rows))
    assert problems(preview) == []
    confirm(editor_client, preview)
    assert str(Organization.objects.get(acronym="CAMA").last_verified) == "2026-03-25"

    rows[0]["Last verified"] = "03/04/2026"
    ((_, column, value, message),) = problems(upload(editor_client, as_bytes(rows)))
    assert (column, value) == ("Last verified", "03/04/2026")
    assert message.startswith("Could be 3 April or 4 March 2026; write it as year-month-day")


def test_a_new_row_without_published_is_a_draft(editor_client):
    data = (
        b"Name,Slug,Country,Relationship type\r\n"
        b"Association of Towns of Atlantis,atlantis,CZ,bilateral\r\n"
    )
    preview = upload(editor_client, data)
    assert problems(preview) == []
    response = confirm(editor_client, preview)
    assert "Imported: 1 new organization added, 0 changed." in response.content.decode()
    atlantis = Organization.objects.get(slug="atlantis")
    assert not atlantis.is_published
    assert atlantis.country == Country.objects.get(code="CZ")
    version = atlantis.history.get()
    assert version.history_type == "+"
    assert version.history_change_reason == "Imported from a CSV file"
    assert version.history_user.username == "editor"


# One rule for web addresses.


def test_a_website_without_a_scheme_gets_https_in_the_form_and_in_the_import(editor_client):
    assert OrganizationForm.base_fields["website"].__class__ is WebsiteField
    assert clean_website("www.ccma.ie") == "https://www.ccma.ie"

    cama = Organization.objects.get(acronym="CAMA")
    change_url = reverse("admin:partners_organization_change", args=[cama.pk])
    editor_client.post(change_url, organization_form_data(cama, website="www.camacam.ca"))
    assert Organization.objects.get(pk=cama.pk).website == "https://www.camacam.ca"

    rows = read(export(editor_client, "q=CAMA"))
    rows[0]["Website"] = "www.ccma.ie"
    preview = upload(editor_client, as_bytes(rows))
    assert problems(preview) == []
    confirm(editor_client, preview)
    assert Organization.objects.get(pk=cama.pk).website == "https://www.ccma.ie"


def test_names_a_save_wrote_without_their_accents_are_refused(editor_client):
    """Excel's "best fit" writes ů as u and Č as C in Windows-1252: STMOÚ's Czech name
    would lose its letters without a question mark to show it."""
    rows = read(export(editor_client))
    czech = row_of(rows, "STMOÚ")
    assert czech["Name in its own language"] == "Sdružení tajemníků městských a obecních úřadů ČR"
    czech["Name in its own language"] = "Sdružení tajemníku mestských a obecních úradu CR"
    preview = upload(editor_client, as_bytes(rows))
    assert any(
        column == "Name in its own language" and "were lost" in message
        for _, column, _, message in problems(preview)
    ), problems(preview)
