"""Staff edit entries in the admin; others cannot reach it."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from partners.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Directory editors"))
    return user


def test_editors_group_may_edit_organizations_countries_and_corrections_only():
    group = Group.objects.get(name="Directory editors")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {
        f"{action}_{model}"
        for model in ("organization", "country", "correction")
        for action in ("add", "change", "delete", "view")
    }
    assert not group.permissions.filter(content_type__app_label="auth").exists()


def test_staff_editor_changes_an_organization(client, editor, directory):
    organization = Organization.objects.get(acronym="CAMA")
    client.force_login(editor)
    url = reverse("admin:partners_organization_change", args=[organization.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "name": organization.name,
            "acronym": "CAMA",
            "other_name": "Association canadienne des administrateurs municipaux",
            "slug": organization.slug,
            "relationship_type": organization.relationship_type_id,
            "country": organization.country_id,
            "countries_served": [],
            "website": "https://www.camacam.ca/",
            "description": "",
            "partner_since": "",
            "last_verified": "2026-11-01",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organization.refresh_from_db()
    assert organization.website == "https://www.camacam.ca/"
    assert "administrateurs" in organization.search_text


def test_editor_cannot_manage_users(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_admin_lists_filters_and_searches(client, admin_user, directory):
    client.force_login(admin_user)
    url = reverse("admin:partners_organization_changelist")
    response = client.get(url, {"q": "swaziland"})
    assert response.status_code == 200
    assert b"LAMAS" in response.content
    assert client.get(url, {"country__region__exact": "africa"}).status_code == 200
    countries = client.get(reverse("admin:partners_country_changelist"))
    assert b"Eswatini" in countries.content


def test_country_autocomplete_answers(client, admin_user, directory):
    client.force_login(admin_user)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "partners",
            "model_name": "organization",
            "field_name": "country",
            "term": "cze",
        },
    )
    assert response.status_code == 200
    assert "Czechia" in response.content.decode()


def test_anonymous_visitor_is_sent_to_the_login_page(client, directory):
    response = client.get(reverse("admin:partners_organization_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_non_staff_user_cannot_reach_the_admin(client, django_user_model, directory):
    user = django_user_model.objects.create_user("visitor", password="pw")
    client.force_login(user)
    response = client.get(reverse("admin:partners_organization_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_permissions_exist_for_partners_models():
    assert Permission.objects.filter(codename="change_organization").exists()
