"""The CSV import and export are for staff with the right permission only; the confirm
step imports only what its own preview kept; the export never hands a spreadsheet a
formula; every imported row passes the model's own rules."""

import csv
import io
import os
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import partners.editorial.admin
from partners.editorial.admin import EXPIRED, OrganizationResource, upload_folder
from partners.models import Organization
from partners.opendata.exports import FORMULA_STARTS
from tests.staff import make_editor

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("admin:partners_organization_export")
IMPORT_URL = reverse("admin:partners_organization_import")
PROCESS_URL = reverse("admin:partners_organization_process_import")
COLUMNS = OrganizationResource.Meta.fields
# The export's headings are the admin's labels; the import takes field names too.
FIELD_OF = {field.column_name: name for name, field in OrganizationResource().fields.items()}
RENAMED = "Renamed by the import"


@pytest.fixture(autouse=True)
def uploads(monkeypatch, tmp_path):
    """The folder uploads wait in, this test's own."""
    folder = tmp_path / "uploads"
    monkeypatch.setattr(partners.editorial.admin, "UPLOAD_FOLDER", folder)
    return folder


def waiting(folder):
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def directory_state():
    return list(Organization.objects.values().order_by("pk"))


def make_staff(django_user_model, username, *codenames):
    user = django_user_model.objects.create_user(username, password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="partners", codename__in=codenames)
    )
    return user


ROLES = {
    "superuser": lambda users: users.objects.create_superuser("root", password="pw"),
    "add and change": lambda users: make_staff(
        users, "importer", "add_organization", "change_organization"
    ),
    # Without the add permission an import could still create entries (rows with no id).
    "change": lambda users: make_staff(users, "changer", "change_organization"),
    "view": lambda users: make_staff(users, "viewer", "view_organization"),
    "none": lambda users: make_staff(users, "nobody", "view_country", "change_country"),
}
MAY_IMPORT = {"superuser", "add and change"}
MAY_EXPORT = {"superuser", "add and change", "change", "view"}


EXPORT_FORM = {
    "format": "0",
    "resource": "0",
    **{f"organizationresource_{column}": "on" for column in COLUMNS},
}


def export_rows(client, query=""):
    response = client.post(f"{EXPORT_URL}?{query}", EXPORT_FORM)
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    return [{FIELD_OF[heading]: value for heading, value in row.items()} for row in rows]


def as_csv(rows, name="partners.csv"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), "text/csv")


def upload(client, rows):
    return client.post(IMPORT_URL, {"import_file": as_csv(rows), "format": "0", "resource": "0"})


def cama_row():
    """CAMA's row as the export writes it."""
    dataset = OrganizationResource().export(Organization.objects.filter(acronym="CAMA"))
    return {FIELD_OF[h]: value for h, value in zip(dataset.headers, dataset[0], strict=True)}


@pytest.fixture
def editor_client(client, django_user_model, directory):
    client.force_login(make_editor(django_user_model))
    return client


@pytest.fixture
def preview(editor_client):
    """A preview that renames CAMA, ready to confirm: the confirm form's data."""
    response = upload(editor_client, [dict(cama_row(), name=RENAMED)])
    assert response.status_code == 200
    return dict(response.context["confirm_form"].initial)


def assert_sent_back(response, message=EXPIRED):
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL
    assert message in [str(m) for m in get_messages(response.wsgi_request)]


# Permissions: import needs the change permission, export the view permission.


@pytest.mark.parametrize("role", ROLES)
def test_the_import_form_needs_the_change_permission(client, django_user_model, role):
    client.force_login(ROLES[role](django_user_model))
    response = client.get(IMPORT_URL)
    assert response.status_code == (200 if role in MAY_IMPORT else 403)


@pytest.mark.parametrize("role", ROLES)
def test_an_upload_needs_the_change_permission(client, django_user_model, directory, uploads, role):
    client.force_login(ROLES[role](django_user_model))
    response = upload(client, [dict(cama_row(), name=RENAMED)])
    if role in MAY_IMPORT:
        assert response.status_code == 200
        assert response.context["confirm_form"] is not None
        assert len(waiting(uploads)) == 1
    else:
        assert response.status_code == 403
        assert waiting(uploads) == []


@pytest.mark.parametrize("role", ROLES)
def test_the_confirm_step_needs_the_change_permission(
    client, django_user_model, preview, uploads, role
):
    before = directory_state()
    client.force_login(ROLES[role](django_user_model))
    response = client.post(PROCESS_URL, preview)
    if role in MAY_IMPORT:
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:partners_organization_changelist")
        assert Organization.objects.filter(name=RENAMED).exists()
    else:
        assert response.status_code == 403
        assert directory_state() == before  # a refused confirm writes nothing


@pytest.mark.parametrize("role", ROLES)
def test_the_export_needs_the_view_permission(client, django_user_model, directory, role):
    client.force_login(ROLES[role](django_user_model))
    assert client.get(EXPORT_URL).status_code == (200 if role in MAY_EXPORT else 403)
    response = client.post(EXPORT_URL, EXPORT_FORM)
    if role in MAY_EXPORT:
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_the_list_offers_import_and_export_by_permission(client, django_user_model, role):
    client.force_login(ROLES[role](django_user_model))
    response = client.get(reverse("admin:partners_organization_changelist"))
    if role == "none":
        assert response.status_code == 403
        return
    text = response.content.decode()
    assert (IMPORT_URL in text) == (role in MAY_IMPORT)
    assert (EXPORT_URL in text) == (role in MAY_EXPORT)


# The confirm step imports only what its own preview kept.


def test_a_confirmed_upload_is_imported_once_and_removed(editor_client, preview, uploads):
    assert waiting(uploads) == [preview["import_file_name"]]
    response = editor_client.post(PROCESS_URL, preview)
    assert response.status_code == 302
    assert Organization.objects.get(acronym="CAMA").name == RENAMED
    assert waiting(uploads) == []
    # A second confirm (a double click) finds nothing to import.
    Organization.objects.filter(acronym="CAMA").update(name="Changed meanwhile")
    assert_sent_back(editor_client.post(PROCESS_URL, preview))
    assert Organization.objects.get(acronym="CAMA").name == "Changed meanwhile"


def test_upload_names_are_random_and_private(editor_client, preview, uploads):
    (name,) = waiting(uploads)
    assert len(name) == 32 and int(name, 16) >= 0
    assert (uploads / name).stat().st_mode & 0o777 == 0o600
    assert uploads.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "x",
        "",
        "0" * 32,  # shaped like a name, never handed out
        "planted.csv",  # a file in the temporary folder
    ],
)
def test_a_forged_upload_name_is_sent_back_and_nothing_is_written(
    editor_client, preview, uploads, name
):
    planted = uploads / "planted.csv"
    planted.write_text(f"id,name\n{Organization.objects.get(acronym='CAMA').pk},{RENAMED}\n")
    before = directory_state()
    assert_sent_back(editor_client.post(PROCESS_URL, dict(preview, import_file_name=name)))
    assert directory_state() == before
    assert planted.exists()  # neither read nor removed
    assert preview["import_file_name"] in waiting(uploads)  # the real one still waits


def test_a_file_in_the_system_temporary_folder_cannot_be_named(editor_client, preview, tmp_path):
    # What the library's default storage would have read, imported and deleted.
    planted = tmp_path / "planted"
    planted.write_text(f"id,name\n{Organization.objects.get(acronym='CAMA').pk},{RENAMED}\n")
    before = directory_state()
    for name in [planted.name, str(planted), os.path.relpath(planted, "/tmp")]:
        assert_sent_back(editor_client.post(PROCESS_URL, dict(preview, import_file_name=name)))
    assert directory_state() == before
    assert planted.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"format": "1"},
        {"format": "-1"},
        {"format": "abc"},
        {"format": ""},
        {"format": "²"},
        {"resource": "1"},
        {"resource": "-1"},
        {"resource": "x"},
        {"original_file_name": ""},
    ],
)
def test_a_forged_format_or_resource_is_sent_back(editor_client, preview, changes):
    before = directory_state()
    assert_sent_back(editor_client.post(PROCESS_URL, dict(preview, **changes)))
    assert directory_state() == before


def test_an_empty_confirm_is_sent_back(editor_client, directory):
    assert_sent_back(editor_client.post(PROCESS_URL, {}))


def test_a_stale_upload_is_sent_back_and_removed(editor_client, preview, uploads):
    stored = uploads / preview["import_file_name"]
    an_hour_ago = time.time() - settings.IMPORT_UPLOAD_SECONDS - 1
    os.utime(stored, (an_hour_ago, an_hour_ago))
    before = directory_state()
    assert_sent_back(editor_client.post(PROCESS_URL, preview))
    assert directory_state() == before
    assert not stored.exists()


def test_unconfirmed_uploads_are_removed_once_expired(editor_client, preview, uploads):
    stale = uploads / preview["import_file_name"]
    an_hour_ago = time.time() - settings.IMPORT_UPLOAD_SECONDS - 1
    os.utime(stale, (an_hour_ago, an_hour_ago))
    upload(editor_client, [cama_row()])  # the next upload sweeps
    assert stale.name not in waiting(uploads)
    assert len(waiting(uploads)) == 1


def test_a_preview_with_errors_keeps_no_upload(editor_client, uploads):
    response = upload(editor_client, [dict(cama_row(), partner_since="1850")])
    assert response.context.get("confirm_form") is None
    assert waiting(uploads) == []


def test_an_unreadable_file_keeps_no_upload(editor_client, uploads):
    response = editor_client.post(
        IMPORT_URL,
        {
            "import_file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00garbage\x00"),
            "format": "0",
            "resource": "0",
        },
    )
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    assert waiting(uploads) == []


def test_a_file_over_the_size_limit_is_refused_and_not_kept(editor_client, uploads):
    assert settings.IMPORT_UPLOAD_MAX_BYTES == 5 * 1024 * 1024
    header = ",".join(COLUMNS).encode() + b"\n"
    big = header + b"x" * (settings.IMPORT_UPLOAD_MAX_BYTES + 1 - len(header))
    before = directory_state()
    response = editor_client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile("big.csv", big), "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    assert "an import takes at most 5.0" in response.content.decode()
    assert response.context["form"].errors["import_file"]
    assert response.context.get("confirm_form") is None
    assert waiting(uploads) == []
    assert directory_state() == before


def test_a_folder_others_could_open_is_refused(monkeypatch, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setattr(partners.editorial.admin, "UPLOAD_FOLDER", shared)
    with pytest.raises(ImproperlyConfigured):
        upload_folder()


@pytest.fixture
def shared_cache(settings, tmp_path):
    """A cache every worker shares, as Redis is (a file-based one stands in)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    yield cache
    cache.clear()


def test_with_a_shared_cache_uploads_wait_there(shared_cache, editor_client, uploads):
    response = upload(editor_client, [dict(cama_row(), name=RENAMED)])
    confirm = dict(response.context["confirm_form"].initial)
    key = f"django-import-export-{confirm['import_file_name']}"
    assert shared_cache.get(key) is not None
    assert waiting(uploads) == []
    assert_sent_back(editor_client.post(PROCESS_URL, dict(confirm, import_file_name="x")))
    assert editor_client.post(PROCESS_URL, confirm).status_code == 302
    assert Organization.objects.get(acronym="CAMA").name == RENAMED
    assert shared_cache.get(key) is None


def test_with_a_shared_cache_uploads_expire(shared_cache, editor_client, monkeypatch):
    response = upload(editor_client, [dict(cama_row(), name=RENAMED)])
    confirm = dict(response.context["confirm_form"].initial)
    later = time.time() + settings.IMPORT_UPLOAD_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert_sent_back(editor_client.post(PROCESS_URL, confirm))
    assert Organization.objects.get(acronym="CAMA").name != RENAMED


# The export never hands a spreadsheet a formula, and imports back unchanged.


FORMULAS = {
    "name": "=cmd|' /C calc'!A0",
    "acronym": "+SUM(A1)",
    "other_name": "-2+3",
    "description": "@SUM(1+1)",
    "website": "\thttps://x.example/",
}


def test_the_staff_export_neutralises_formulas_as_the_public_csv_does(editor_client):
    assert FORMULA_STARTS == ("=", "+", "-", "@", "\t", "\r")
    cama = Organization.objects.get(acronym="CAMA")
    Organization.objects.filter(pk=cama.pk).update(**FORMULAS, slug="\rslug")
    (row,) = export_rows(editor_client, f"id__exact={cama.pk}")
    for column, value in {**FORMULAS, "slug": "\rslug"}.items():
        assert row[column] == f"'{value}", column
    assert not any(cell.startswith(FORMULA_STARTS) for cell in row.values())


def test_a_neutralised_export_imports_back_unchanged(editor_client):
    cama = Organization.objects.get(acronym="CAMA")
    Organization.objects.filter(pk=cama.pk).update(description="-2+3 = 1, @home")
    before = directory_state()
    rows = export_rows(editor_client)
    assert [row["description"] for row in rows if row["slug"] == cama.slug] == ["'-2+3 = 1, @home"]
    response = upload(editor_client, rows)
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    confirm = editor_client.post(PROCESS_URL, response.context["confirm_form"].initial)
    assert confirm.status_code == 302
    assert directory_state() == before


# Every imported row passes the model's own rules.


def test_an_imported_name_with_a_control_character_is_refused(editor_client, uploads):
    before = directory_state()
    response = upload(editor_client, [dict(cama_row(), name="CAMA\x07 bell")])
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    (invalid,) = response.context["result"].invalid_rows
    assert "name" in invalid.field_specific_errors
    assert "Nothing was imported: 1 problem in 1 row" in response.content.decode()
    assert directory_state() == before
    assert waiting(uploads) == []
