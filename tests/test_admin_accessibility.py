"""The admin's accessibility overrides, as the server renders them (axe runs them in a
browser in tests/test_accessibility.py)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from partners.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "a@example.org", "pw")
    client.force_login(user)
    return client


def select(html, name):
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, name
    return match.group(0), re.findall(r"<option[^>]*>[^<]*</option>", match.group(1))


def test_the_required_country_box_starts_with_an_empty_placeholder(staff_client, directory):
    salga = Organization.objects.get(acronym="SALGA")
    html = staff_client.get(
        reverse("admin:partners_organization_change", args=[salga.pk])
    ).content.decode()
    tag, options = select(html, "country")
    assert " required" in tag
    assert options[0] == '<option value="">---------</option>'
    assert re.fullmatch(r'<option value="\d+" selected>South Africa</option>', options[1])


def test_the_add_form_country_box_has_only_the_placeholder(staff_client, directory):
    html = staff_client.get(reverse("admin:partners_organization_add")).content.decode()
    _, options = select(html, "country")
    assert options == ['<option value="">---------</option>']


def test_the_multiple_choice_box_gets_no_empty_option(staff_client, directory):
    html = staff_client.get(reverse("admin:partners_organization_add")).content.decode()
    _, options = select(html, "countries_served")
    assert options == []


def test_a_change_still_saves_with_the_new_widget(staff_client, directory):
    salga = Organization.objects.get(acronym="SALGA")
    url = reverse("admin:partners_organization_change", args=[salga.pk])
    response = staff_client.post(
        url,
        {
            "name": salga.name,
            "acronym": "SALGA",
            "other_name": "",
            "slug": salga.slug,
            "relationship_type": salga.relationship_type.pk,
            "country": "",
            "is_published": "on",
        },
    )
    assert response.status_code == 200  # the form is shown again with its error
    assert "This field is required." in response.content.decode()


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/", "/admin/partners/organization/"])
def test_admin_pages_load_the_accessibility_overrides(staff_client, url):
    visitor = Client() if url == "/admin/login/" else staff_client
    html = visitor.get(url).content.decode()
    assert "css/admin.css" in html
    assert re.search(r'<script src="[^"]*js/admin\.js" defer>', html)
