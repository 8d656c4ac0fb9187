"""A large CSV import through the real admin: 5,000 rows (4,000 changed partners and
1,000 new ones) previewed and confirmed, each step in about one query per row (the
model's own duplicate check), under the longer deadline the import and export have
rather than the 4 seconds of other pages (icma_site/staff.py,
BulkEditDeadlineMiddleware)."""

import csv
import io
import time
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

import partners.editorial.admin
from icma_site.postgresql.base import seconds_left
from icma_site.staff import BulkEditDeadlineMiddleware
from partners.editorial.resources import OrganizationResource
from partners.models import Organization
from tests.factories import grow_directory_to
from tests.staff import make_editor

EXPORT_URL = reverse("admin:partners_organization_export")
IMPORT_URL = reverse("admin:partners_organization_import")
PROCESS_URL = reverse("admin:partners_organization_process_import")
EXPORT_FORM = {
    "format": "0",
    "resource": "0",
    **{f"organizationresource_{field}": "on" for field in OrganizationResource.Meta.fields},
}
EXISTING, NEW = 4000, 1000


@contextmanager
def counted_queries():
    """Every query the block runs (CaptureQueriesContext keeps only the last 9,000)."""
    count = []

    def count_one(execute, sql, params, many, context):
        count.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_one):
        yield count


@pytest.mark.django_db
def test_five_thousand_rows_are_imported_through_the_admin(
    client, django_user_model, directory, tmp_path, monkeypatch, settings
):
    # The request deadlines as in production (on PostgreSQL a request past its deadline
    # answers 503), the import's made generous: a busy test machine is several times
    # slower than a server. Each step's time is printed.
    settings.DATABASE_REQUEST_TIMEOUT = 4
    settings.BULK_EDIT_REQUEST_TIMEOUT = 120
    monkeypatch.setattr(partners.editorial.admin, "UPLOAD_FOLDER", tmp_path / "uploads")
    grow_directory_to(EXISTING)
    client.force_login(make_editor(django_user_model))
    exported = client.post(EXPORT_URL, EXPORT_FORM).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported, newline="")))
    assert len(rows) == EXISTING
    for row in rows:
        row["Description"] = "Checked in the 2026 review."
        if row["Relationship type"] == "multinational":
            row["Countries served"] = "CR;DO"
    for number in range(NEW):
        rows.append(
            dict(
                rows[-1],
                ID="",
                Name=f"Town Association {number}",
                Acronym="",
                Slug=f"town-association-{number}",
            )
        )
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    upload = SimpleUploadedFile("partners.csv", out.getvalue().encode("utf-8-sig"))
    versions = Organization.history.count()

    started = time.perf_counter()
    with counted_queries() as queries:
        preview = client.post(IMPORT_URL, {"import_file": upload, "format": "0", "resource": "0"})
    previewed = time.perf_counter() - started
    assert preview.status_code == 200
    assert preview.context["result"].problems == []
    assert "1,000 new partners, 4,000 changed, 0 unchanged" in preview.content.decode()
    preview_queries = len(queries)

    started = time.perf_counter()
    with counted_queries() as queries:
        response = client.post(PROCESS_URL, preview.context["confirm_form"].initial)
    confirmed = time.perf_counter() - started
    assert response.status_code == 302
    print(
        f"\n5,000-row import on {connection.vendor}: preview {previewed:.1f} s "
        f"({preview_queries} queries), confirm {confirmed:.1f} s ({len(queries)} queries)"
    )

    assert Organization.objects.count() == EXISTING + NEW
    assert Organization.objects.filter(description="Checked in the 2026 review.").count() == 5000
    assert Organization.history.count() == versions + 5000
    # Reading the file costs about a query per row (Organization.clean()'s duplicate
    # check), writing it a few per thousand rows.
    assert preview_queries < 5000 + 100
    assert len(queries) < 5000 + 200


@pytest.mark.parametrize(
    "path, seconds",
    [
        (IMPORT_URL, "BULK_EDIT_REQUEST_TIMEOUT"),
        (PROCESS_URL, "BULK_EDIT_REQUEST_TIMEOUT"),
        (EXPORT_URL, "BULK_EDIT_REQUEST_TIMEOUT"),
        (reverse("admin:partners_organization_changelist"), None),
        ("/partners/", None),
    ],
)
def test_the_import_and_export_wait_longer_for_the_database(settings, path, seconds):
    settings.DATABASE_REQUEST_TIMEOUT = 4
    settings.BULK_EDIT_REQUEST_TIMEOUT = 25
    seen = []

    def view(request):
        seen.append(seconds_left())
        return HttpResponse()

    BulkEditDeadlineMiddleware(view)(RequestFactory().post(path))
    if seconds:
        assert 24 < seen[0] <= 25
    else:
        assert seen == [None]  # Left to DatabaseDeadlineMiddleware's deadline.
