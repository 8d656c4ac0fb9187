"""Every template renders valid HTML, as the Nu HTML Checker (vnu.jar, run with Java)
judges it, the admin's pages included. To check a new page, add one line to PAGES."""

import json
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from partners.models import Organization

pytestmark = pytest.mark.django_db


def change_form():
    organization = Organization.objects.get(acronym="SALGA")
    return reverse("admin:partners_organization_change", args=[organization.pk])


# name: (path or a function giving it, needs a signed-in superuser)
PAGES = {
    "home": ("/", False),
    "directory": ("/partners/", False),
    "directory-filtered": ("/partners/?country=in&type=bilateral", False),
    "directory-empty": ("/partners/?q=nowhere-at-all", False),
    "directory-search": ("/partners/?q=municipal", False),
    "directory-did-you-mean": ("/partners/?q=tanzanai", False),
    "directory-bad-input": ("/partners/?country=zz&region=atlantis&page=abc", False),
    "directory-print": ("/print/partners/?type=bilateral", False),
    "country-list": ("/countries/", False),
    "country": ("/countries/india/", False),
    "partner-bilateral": ("/partners/city-managers-association-of-karnataka/", False),
    "partner-multinational": ("/partners/environmental-center-for-arab-towns/", False),
    "correction-form": ("/partners/city-managers-association-of-karnataka/correction/", False),
    "about-international": ("/about/", False),
    "about-icma": ("/about/icma/", False),
    "not-found": ("/partners/no-such-partner/", False),
    "admin-login": ("/admin/login/", False),
    "admin-change-list": ("/admin/partners/organization/", True),
    "admin-change-form": (change_form, True),
    "admin-add-form": ("/admin/partners/organization/add/", True),
}


def test_every_page_is_valid_html(directory, django_user_model, tmp_path, nu_checker):
    visitor, staff = Client(), Client()
    staff.force_login(django_user_model.objects.create_superuser("nu", "nu@example.org", "pw"))
    files = []
    for name, (path, needs_staff) in PAGES.items():
        url = path() if callable(path) else path
        response = (staff if needs_staff else visitor).get(url)
        assert response.status_code in (200, 404), url
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
