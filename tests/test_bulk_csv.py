"""Bulk edits through CSV in the admin: export what the list shows, edit, import back
with a preview; a bad row changes nothing and is named."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.editorial.admin import OrganizationResource
from partners.models import Organization
from tests.staff import make_editor

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("admin:partners_organization_export")
IMPORT_URL = reverse("admin:partners_organization_import")
PROCESS_URL = reverse("admin:partners_organization_process_import")
# The columns staff edit, in the admin resource's order, by field name (the export's
# headings are the admin's labels; the import takes either).
COLUMNS = OrganizationResource.Meta.fields
FIELD_OF = {field.column_name: name for name, field in OrganizationResource().fields.items()}


@pytest.fixture
def editor_client(client, django_user_model, directory):
    client.force_login(make_editor(django_user_model))
    return client


def export(client, query=""):
    form = {"format": "0", "resource": "0"}
    form.update({f"organizationresource_{column}": "on" for column in COLUMNS})
    response = client.post(f"{EXPORT_URL}?{query}", form)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    return [{FIELD_OF[heading]: value for heading, value in row.items()} for row in rows]


def as_csv(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("partners.csv", out.getvalue().encode(), "text/csv")


def upload(client, rows):
    return client.post(IMPORT_URL, {"import_file": as_csv(rows), "format": "0", "resource": "0"})


def test_the_export_holds_what_the_filtered_list_shows(editor_client):
    rows = export(editor_client, "country__region__exact=africa")
    african = Organization.objects.filter(country__region="africa")
    assert 0 < len(rows) < Organization.objects.count()
    assert sorted(row["slug"] for row in rows) == sorted(african.values_list("slug", flat=True))
    assert list(rows[0]) == COLUMNS


def test_a_good_file_is_previewed_then_applied(editor_client):
    rows = export(editor_client, "q=CAMA")
    assert [row["acronym"] for row in rows] == ["CAMA"]
    rows[0]["website"] = "https://www.camacam.ca/en/about/"
    new = dict(
        rows[0],
        id="",
        name="Ontario Municipal Administrators' Association",
        acronym="OMAA",
        slug="omaa",
        website="",
        is_published="",
    )
    preview = upload(editor_client, [rows[0], new])
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "camacam.ca/en/about" in text and "Ontario Municipal" in text
    assert "1 new partner, 1 changed, 0 unchanged" in text
    # Nothing is written before the preview is confirmed.
    assert Organization.objects.get(acronym="CAMA").website == "https://www.camacam.ca/"
    assert not Organization.objects.filter(slug="omaa").exists()

    confirm = preview.context["confirm_form"]
    response = editor_client.post(PROCESS_URL, confirm.initial, follow=True)
    assert response.status_code == 200
    assert Organization.objects.get(acronym="CAMA").website == "https://www.camacam.ca/en/about/"
    added = Organization.objects.get(slug="omaa")
    assert not added.is_published  # a new row left blank is a draft
    # The import is in each entry's history, as the editor's.
    record = Organization.objects.get(acronym="CAMA").history.first()
    assert record.history_user.username == "editor"
    assert record.history_change_reason == "Imported from a CSV file"


def test_a_file_with_one_bad_row_changes_nothing_and_names_the_row(editor_client):
    rows = export(editor_client)
    before = list(Organization.objects.values().order_by("pk"))
    for row in rows:
        row["description"] = "Checked in the bulk edit."
        if row["relationship_type"] == "multinational":
            row["countries_served"] = "CR;DO"
    rows[4]["partner_since"] = "1850"
    response = upload(editor_client, rows)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was imported: 1 problem in 1 row" in text
    (invalid,) = response.context["result"].invalid_rows
    assert invalid.number == 5  # the fifth row after the header
    assert "<strong>Row 6</strong>, Partner since <q>1850</q>" in text  # the spreadsheet's
    assert "founded in 1914" in text
    assert response.context.get("confirm_form") is None
    assert list(Organization.objects.values().order_by("pk")) == before


def test_an_unknown_country_code_is_a_clear_row_error(editor_client):
    rows = export(editor_client, "q=CAMA")
    rows[0]["country"] = "XX"
    response = upload(editor_client, rows)
    assert response.status_code == 200
    assert "XX" in response.content.decode() or "does not exist" in response.content.decode()
    assert Organization.objects.get(acronym="CAMA").country.code == "CA"


def test_countries_served_are_checked_against_the_relationship(editor_client):
    rows = export(editor_client, "q=CAMA")
    rows[0]["countries_served"] = "CR;DO"
    response = upload(editor_client, rows)
    assert "serves no other countries" in response.content.decode()
    assert not Organization.objects.get(acronym="CAMA").countries_served.exists()


def test_an_unchanged_export_imports_cleanly(editor_client):
    response = upload(editor_client, export(editor_client))
    assert response.context["confirm_form"] is not None
    assert not response.context["result"].has_validation_errors()
