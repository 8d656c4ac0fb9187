"""Every template renders valid HTML, as the Nu HTML Checker (vnu.jar, run with Java)
judges it, the admin's pages included. The public pages are partners/pages.py's, each
example in every language: a page added there is checked here."""

import json
import subprocess

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from partners import pages
from partners.models import Organization
from tests.factories import grow_directory_to

pytestmark = [pytest.mark.django_db, pytest.mark.database_independent]


def change_form():
    organization = Organization.objects.get(acronym="SALGA")
    return reverse("admin:partners_organization_change", args=[organization.pk])


# The admin's pages: name: (path or a function giving it, needs a signed-in superuser)
ADMIN_PAGES = {
    "admin-login": ("/admin/login/", False),
    "admin-change-list": ("/admin/partners/organization/", True),
    "admin-change-form": (change_form, True),
    "admin-add-form": ("/admin/partners/organization/add/", True),
}


def public_pages():
    """(name, path, status, organizations the directory needs) for every example of
    every public page people read (partners/pages.py), in each language it is in: those
    that need more partners than the directory has last, so that the others are checked
    on the real directory."""
    found = []
    for name, (page, example) in pages.examples(html=True).items():
        languages = [code for code, _ in settings.LANGUAGES] if page.translated else ["en"]
        for language in languages:
            path = page.path(example, language)
            found.append((f"{name}-{language}", path, example.status, example.organizations))
    return sorted(found, key=lambda found: found[3] or 0)


def test_every_page_is_valid_html(directory, django_user_model, tmp_path, nu_checker):
    visitor, staff = Client(), Client()
    staff.force_login(django_user_model.objects.create_superuser("nu", "nu@example.org", "pw"))
    files = []
    for name, path, status, organizations in public_pages():
        if organizations:
            grow_directory_to(organizations)
        response = visitor.get(path)
        assert response.status_code == status, path
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    for name, (path, needs_staff) in ADMIN_PAGES.items():
        url = path() if callable(path) else path
        response = (staff if needs_staff else visitor).get(url)
        assert response.status_code == 200, url
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    result = subprocess.run(
        [*nu_checker, "--errors-only", "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{message['url'].rsplit('/', 1)[-1]}:{message.get('lastLine')}: {message['message']}"
        for message in messages
    ]
    assert errors == [], "\n".join(errors)
