"""Property-based tests of the CSV import's confirm step (hypothesis): whatever a
signed-in superuser posts there (names of uploads, formats, resources, other fields),
the answer is never a server error and the directory never changes.

FUZZ_EXAMPLES scales how many requests are sent (tests/fuzz.py).
"""

import csv
import io
import string

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

import partners.editorial.admin
from partners.editorial.admin import OrganizationResource
from partners.models import Organization
from tests.fuzz import examples

# What the confirm step does with a form is the same on either database: run once (and
# PostgreSQL, production's, is the stricter about what it stores).
pytestmark = [pytest.mark.django_db, pytest.mark.database_independent]

IMPORT_URL = reverse("admin:partners_organization_import")
PROCESS_URL = reverse("admin:partners_organization_process_import")
FIELDS = ["import_file_name", "original_file_name", "format", "resource"]
RENAMED = "Renamed by the fuzzer"

texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=string.printable, max_size=40),
    st.text(alphabet="0123456789abcdef", min_size=32, max_size=32),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "1",
            "-1",
            "²",
            "9" * 30,
            "../../etc/passwd",
            "/etc/passwd",
            "x",
            "planted",
            "planted.csv",
            "..",
            "/",
            "\x00",
            "x" * 3000,
        ]
    ),
)
forms = st.dictionaries(
    st.one_of(st.sampled_from(FIELDS), st.text(max_size=12)),
    st.one_of(texts, st.lists(texts, max_size=3)),
    max_size=6,
)


def directory_state():
    return list(Organization.objects.values().order_by("pk"))


def csv_of(pk, **changes):
    """The organization's row as the export writes it, with `changes`."""
    resource = OrganizationResource()
    dataset = resource.export(Organization.objects.filter(pk=pk))
    # The export's headings are the admin's labels; `changes` name fields.
    labels = {name: field.column_name for name, field in resource.fields.items()}
    row = {
        **dict(zip(dataset.headers, dataset[0], strict=True)),
        **{labels[name]: value for name, value in changes.items()},
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=dataset.headers)
    writer.writeheader()
    writer.writerow(row)
    return out.getvalue()


@examples(300)
@given(form=forms, use_kept_name=st.booleans())
def test_no_confirm_gets_a_server_error_or_changes_the_directory(
    directory, django_user_model, monkeypatch, tmp_path_factory, form, use_kept_name
):
    # Each example: its own upload folder, files planted where the library's default
    # storage would have read them (renaming a partner), and a real preview whose name
    # the fuzzer may reuse with its other fields fuzzed (a file that changes nothing).
    folder = tmp_path_factory.mktemp("uploads")
    monkeypatch.setattr(partners.editorial.admin, "UPLOAD_FOLDER", folder / "kept")
    cama = Organization.objects.get(acronym="CAMA")
    for planted in (folder / "planted", folder / "planted.csv"):
        planted.write_text(csv_of(cama.pk, name=RENAMED))
    user = django_user_model.objects.filter(username="root").first()
    if user is None:
        user = django_user_model.objects.create_superuser("root", password="pw")
    client = Client(raise_request_exception=True)
    client.force_login(user)
    if use_kept_name:
        preview = client.post(
            IMPORT_URL,
            {
                "import_file": SimpleUploadedFile("x.csv", csv_of(cama.pk).encode()),
                "format": "0",
                "resource": "0",
            },
        )
        kept = preview.context["confirm_form"].initial["import_file_name"]
        form = {**form, "import_file_name": kept}
    before = directory_state()
    response = client.post(PROCESS_URL, form)
    assert response.status_code < 500, form
    assert directory_state() == before, form
